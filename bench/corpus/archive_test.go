package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdesk/internal/site"
	"newsdesk/internal/sqlstore"
)

// olderLink is a list page's "Older" link (internal/site/templates/list.html).
var olderLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

// TestArchiveIsWhatTheSiteLinks makes a small corpus packed into a few
// days (so that lists have many stories a day and their links skip into
// a day), serves it with the real site handler, and walks every list from
// its first page along the "Older" links as a crawler would: the pages it
// reaches must be exactly archive.txt's. On PostgreSQL (with
// NEWSDESK_TEST_POSTGRES) it also checks that the search indexes were
// built again and that search finds stories.
func TestArchiveIsWhatTheSiteLinks(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testArchive(t, "") })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("NEWSDESK_TEST_POSTGRES")
		if base == "" {
			t.Skip("NEWSDESK_TEST_POSTGRES is not set")
		}
		testArchive(t, scratchDatabase(t, base))
	})
}

func testArchive(t *testing.T, dsn string) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	args := []string{"--data", dir, "--out", out, "--articles", "600", "--comments", "0", "--days", "3"}
	if dsn != "" {
		args = append(args, "--db", dsn)
	}
	if err := run(args, io.Discard); err != nil {
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
	if dsn == "" {
		dsn = filepath.Join(dir, "newsdesk.db")
	}
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Ids follow publication times: no generated story has a lower id
	// than one published before it (the hot article is generated, from
	// the middle; 250 on either side are generated too).
	idb, err := os.ReadFile(filepath.Join(out, "id.txt"))
	if err != nil {
		t.Fatal(err)
	}
	hot, err := strconv.ParseInt(strings.TrimSpace(string(idb)), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	var inversions, span int
	if err := st.DB().QueryRowContext(ctx, `SELECT count(*), (SELECT count(*) FROM articles WHERE id BETWEEN $1 AND $2)
		FROM articles a JOIN articles b ON b.id = a.id + 1
		WHERE a.id >= $1 AND b.id <= $2 AND b.published_at < a.published_at`, hot-250, hot+250).Scan(&inversions, &span); err != nil {
		t.Fatal(err)
	}
	if inversions != 0 || span != 501 {
		t.Fatalf("ids %d to %d: %d articles, %d published before the id below theirs", hot-250, hot+250, span, inversions)
	}
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
	if st.Dialect() == "postgres" {
		var n int
		if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM pg_indexes WHERE tablename = 'article_search'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n < 6 { // the key, the date index, GIN and RUM on two vectors
			t.Fatalf("article_search has %d indexes after the corpus, want 6", n)
		}
	}
	page := get("/search?q=harbour")
	if !strings.Contains(page, "<mark>") {
		t.Fatalf("a search for harbour marks no word: %.500s", page)
	}
}

// scratchDatabase creates an empty database on base's server, dropped at
// the end of the test, and returns its DSN.
func scratchDatabase(t *testing.T, base string) string {
	ctx := context.Background()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("nd_corpus_test_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close(ctx)
	})
	u.Path = "/" + name
	return u.String()
}
