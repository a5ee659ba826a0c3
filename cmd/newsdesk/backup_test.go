package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/api"
	"newsdesk/internal/backup"
	"newsdesk/internal/clocktest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/storetest"
)

// storyHTML returns the article element of a page, and the status.
func storyHTML(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := goquery.OuterHtml(doc.Find("article.story"))
	return resp.StatusCode, h
}

func fileSum(t *testing.T, url string) (int, [32]byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, sha256.Sum256(b)
}

// TestBackupWhileBusyRestoresIntoSQLiteAndPostgres takes a backup with
// the CLI while a writer publishes and readers read, restores it into a
// new SQLite directory and into an empty PostgreSQL database, and checks
// that both restored sites serve the same article pages and media, with
// the same counts; a second restore into the now full targets is refused.
func TestBackupWhileBusyRestoresIntoSQLiteAndPostgres(t *testing.T) {
	pgDSN := storetest.PostgresDSN(t) // skips without PostgreSQL
	src := newTestApp(t, "", false)
	editor, _ := mustToken(t, src, newsroom.RoleEditor)
	mustSection(t, src, "harbour", "Harbour")
	au := mustAuthor(t, src, "ola-brenn", "Ola Brenn", newsroom.LabelOwnCorr)
	picture := bytes.Repeat([]byte("skerra-pier-photo "), 4000)
	must(t, os.MkdirAll(filepath.Join(src.cfg.DataDir, "media", "2026"), 0o755))
	must(t, os.WriteFile(filepath.Join(src.cfg.DataDir, "media", "2026", "pier.jpg"), picture, 0o644))
	var before []api.ArticleJSON
	for i := range 12 {
		before = append(before, createStory(t, src, editor, fmt.Sprintf("Pier repairs, day %d", i+1), "harbour", au.ID, "pier"))
	}

	// A thread whose first comment answers a later one: a restore must
	// insert rows that point at rows of their own table in any order.
	var thread []int64
	for i, body := range []string{"The old pier held for ninety years.", "It was rebuilt in 1961.", "Both are true."} {
		c := &newsroom.Comment{ArticleID: before[0].ID, Status: newsroom.CommentApproved, Name: fmt.Sprintf("Reader %d", i+1),
			Email: "reader@example.com", Body: body, BodyHTML: "<p>" + body + "</p>"}
		must(t, src.store.CreateComment(context.Background(), c))
		thread = append(thread, c.ID)
	}
	if _, err := src.store.DB().Exec("UPDATE comments SET parent_id = $1, depth = 1 WHERE id = $2", thread[2], thread[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := src.store.DB().Exec("UPDATE comments SET parent_id = $1, depth = 1 WHERE id = $2", thread[0], thread[1]); err != nil {
		t.Fatal(err)
	}
	searchPage := func(base, q string) string {
		t.Helper()
		resp, err := http.Get(base + "/search?q=" + q)
		must(t, err)
		defer resp.Body.Close()
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		must(t, err)
		var hits []string
		doc.Find("main a[href]").Each(func(_ int, a *goquery.Selection) {
			if h, _ := a.Attr("href"); strings.Contains(h, "/harbour/") {
				hits = append(hits, h)
			}
		})
		return fmt.Sprintf("%d %v", resp.StatusCode, hits)
	}
	wantSearch := searchPage(src.srv.URL, "repairs")
	if !strings.Contains(wantSearch, before[0].URL) {
		t.Fatalf("search on the source does not find the stories: %s", wantSearch)
	}

	// Busy: one writer publishing, four readers reading.
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil && i < 400; i++ {
			body := fmt.Sprintf(`{"headline":"Tide table %d","body":"High water at noon.","status":"published","categories":["harbour"],"authors":[{"id":%d}]}`, i, au.ID)
			req, _ := http.NewRequest("POST", src.srv.URL+"/api/v1/articles", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+editor)
			req.Header.Set("Content-Type", "application/json")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					written.Add(1)
				}
			}
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && i < 2000; i++ {
				if resp, err := http.Get(src.srv.URL + before[i%len(before)].URL); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}()
	}
	for written.Load() < 5 {
		time.Sleep(10 * time.Millisecond)
	}
	archive := filepath.Join(t.TempDir(), "site.tar")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"backup", "--out", archive, "--data", src.cfg.DataDir}, func(string) string { return "" }, nil, &out, &errOut)
	stop()
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "100%") {
		t.Errorf("backup drew no progress bar: %q", errOut.String())
	}
	m, err := backup.ReadManifest(archive)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Rows("articles")
	if got < int64(len(before))+5 || got > int64(len(before))+written.Load() {
		t.Errorf("archive holds %d articles; %d existed before and %d were written during the backup", got, len(before), written.Load())
	}
	t.Logf("backup during %d writes: %d articles\n%s", written.Load(), got, out.String())

	targets := []struct{ name, dsn string }{{"sqlite", ""}, {"postgres", pgDSN}}
	sites := map[string]*testApp{}
	for _, tg := range targets {
		dir := t.TempDir()
		var out, errOut bytes.Buffer
		args := []string{"restore", archive, "--data", dir}
		if tg.dsn != "" {
			args = append(args, "--db", tg.dsn)
		}
		if err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &errOut); err != nil {
			t.Fatalf("restore into %s: %v\n%s", tg.name, err, errOut.String())
		}
		if !strings.Contains(out.String(), "sha256 ok") || !strings.Contains(out.String(), fmt.Sprintf("(%d articles)", got)) {
			t.Errorf("restore into %s printed:\n%s", tg.name, out.String())
		}
		// Restoring again into the same, now full, target is refused.
		err := run(context.Background(), args, func(string) string { return "" }, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "not empty") && !strings.Contains(err.Error(), "already holds") {
			t.Errorf("second restore into %s: %v, want a refusal saying the target is not empty", tg.name, err)
		}
		sites[tg.name] = openRestored(t, dir, tg.dsn, src.clock)
	}
	for name, site := range sites {
		_, n, err := site.store.FindArticles(context.Background(), newsroom.ArticleFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if int64(n) != got {
			t.Errorf("%s: %d articles after restore, the archive has %d", name, n, got)
		}
		for _, a := range before {
			wantCode, want := storyHTML(t, src.srv.URL, a.URL)
			code, page := storyHTML(t, site.srv.URL, a.URL)
			if code != 200 || wantCode != 200 || page != want || !strings.Contains(page, a.Headline) {
				t.Errorf("%s: %s = %d, differs from the source's page (%d):\n%s\nwant\n%s", name, a.URL, code, wantCode, page, want)
				break
			}
		}
		code, sum := fileSum(t, site.srv.URL+"/media/2026/pier.jpg")
		if code != 200 || sum != sha256.Sum256(picture) {
			t.Errorf("%s: /media/2026/pier.jpg = %d, same bytes %v", name, code, sum == sha256.Sum256(picture))
		}
		// The search index was rebuilt: the same stories are found.
		if got := searchPage(site.srv.URL, "repairs"); got != wantSearch {
			t.Errorf("%s: search after restore = %s, the source's = %s", name, got, wantSearch)
		}
		var parents [2]int64
		must(t, site.store.DB().QueryRow("SELECT parent_id FROM comments WHERE id = $1", thread[0]).Scan(&parents[0]))
		must(t, site.store.DB().QueryRow("SELECT parent_id FROM comments WHERE id = $1", thread[1]).Scan(&parents[1]))
		if parents != [2]int64{thread[2], thread[0]} {
			t.Errorf("%s: reply links after restore %v, want %v", name, parents, [2]int64{thread[2], thread[0]})
		}
		// New ids continue after the restored ones, and the triggers that
		// keep the search index are back.
		created := createStory(t, site, editor, "First story after the move", "harbour", au.ID, "pier")
		if created.ID <= before[len(before)-1].ID {
			t.Errorf("%s: new article got id %d, not after the restored ones", name, created.ID)
		}
		if got := searchPage(site.srv.URL, "move"); !strings.Contains(got, created.URL) {
			t.Errorf("%s: a story saved after the restore is not found by search: %s", name, got)
		}
	}
}

// openRestored serves a restored data directory (and database).
func openRestored(t *testing.T, dir, dsn string, clock *clocktest.Clock) *testApp {
	t.Helper()
	cfg := Config{Addr: "127.0.0.1:0", DataDir: dir, DB: dsn, Language: "en", Timezone: "UTC", NoDemo: true, CacheMB: 16}
	a := startApp(t, cfg, clock.Now, io.Discard, testLogger(t))
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	return &testApp{app: a, srv: srv, clock: clock}
}
