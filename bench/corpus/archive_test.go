package main

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/site"
	"newsdesk/internal/sqlstore"
)

// olderLink is a list page's "Older" link (internal/site/templates/list.html).
var olderLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

// TestArchiveIsWhatTheSiteLinks makes a small corpus packed into a few
// days (so that lists have many stories a day and their links skip into
// a day), serves it with the real site handler, and walks every list from
// its first page along the "Older" links as a crawler would: the pages it
// reaches must be exactly archive.txt's.
func TestArchiveIsWhatTheSiteLinks(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := run([]string{"--data", dir, "--out", out, "--articles", "600", "--comments", "0", "--days", "3"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "archive.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(b))
	slices.Sort(want)

	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "newsdesk.db"), sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := site.New(site.Config{Store: st, SiteName: "Bench", BaseURL: "http://bench.example", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	get := func(path string) string {
		res, err := ts.Client().Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		return string(body)
	}
	var got []string
	skips := 0
	for _, first := range want {
		if strings.Contains(first, "?") {
			continue
		}
		for p := first; p != ""; {
			got = append(got, p)
			if strings.Contains(p, "&skip=") {
				skips++
			}
			m := olderLink.FindStringSubmatch(get(p))
			p = ""
			if m != nil {
				p = html.UnescapeString(m[1])
			}
			if len(got) > 10*len(want) {
				t.Fatalf("the walk does not end (at %s)", p)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		var extra, missing []string
		for _, p := range got {
			if _, found := slices.BinarySearch(want, p); !found {
				extra = append(extra, p)
			}
		}
		for _, p := range want {
			if _, found := slices.BinarySearch(got, p); !found {
				missing = append(missing, p)
			}
		}
		t.Fatalf("the site links %d pages, archive.txt lists %d; linked but not listed (%d): %q; listed but not linked (%d): %q",
			len(got), len(want), len(extra), extra[:min(len(extra), 10)], len(missing), missing[:min(len(missing), 10)])
	}
	if skips == 0 {
		t.Fatal("no page skips into a day: the corpus does not test that")
	}
	if strings.Contains(string(b), "page=") {
		t.Fatal("archive.txt lists ?page= links, which the site no longer prints")
	}
	t.Logf("%d pages, %d of them into a day (&skip=)", len(got), skips)
}
