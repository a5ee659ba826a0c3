package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/storetest"
	"newsdesk/internal/web"
)

// TestTimeZoneSettingAppliesWithoutRestart: the time zone saved in the
// desk's Settings is the one the public article page (cached before the
// change) and the desk's editor show a story's time in, at once.
func TestTimeZoneSettingAppliesWithoutRestart(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		ctx := context.Background()
		token, _ := mustToken(t, ta, newsroom.RoleEditor)
		a := mustPublish(t, ta, token, "Ferry timetable changes", "The ferry leaves earlier from Monday.")
		if a.PublishedAt == nil {
			t.Fatal("no published_at")
		}
		pub := *a.PublishedAt
		dateline := func() (string, string) {
			t.Helper()
			p := fetch(t, ta, "GET", a.URL)
			if p.status != 200 {
				t.Fatalf("GET %s: %d", a.URL, p.status)
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
			must(t, err)
			return doc.Find(".dateline time").First().AttrOr("datetime", ""), p.cache()
		}
		dateline() // cached now
		if got, cache := dateline(); got != pub.UTC().Format(time.RFC3339) || cache != "hit" {
			t.Fatalf("dateline before = %q (X-Cache %q), want %q from the cache", got, cache, pub.UTC().Format(time.RFC3339))
		}
		sid := staffSession(t, ta, "admin@example.com")
		editor := func() *goquery.Document {
			t.Helper()
			p := fetch(t, ta, "GET", "/desk/articles/"+strconv.FormatInt(a.ID, 10), "Cookie", web.SessionCookie+"="+sid)
			if p.status != 200 {
				t.Fatalf("desk editor: %d", p.status)
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
			must(t, err)
			return doc
		}
		if got := editor().Find("#f-published_at").AttrOr("value", ""); got != pub.UTC().Format("2006-01-02T15:04") {
			t.Fatalf("desk published_at before = %q", got)
		}

		admin, err := ta.store.UserByEmail(ctx, "admin@example.com")
		must(t, err)
		s := ta.settings.Must(ctx)
		s.TimeZone = "Asia/Tokyo"
		must(t, ta.settings.Save(ctx, admin, s))
		tokyo, err := time.LoadLocation("Asia/Tokyo")
		must(t, err)
		if got, want := func() string { v, _ := dateline(); return v }(), pub.In(tokyo).Format(time.RFC3339); got != want || !strings.HasSuffix(got, "+09:00") {
			t.Errorf("public dateline after the change = %q, want %q", got, want)
		}
		doc := editor()
		if got, want := doc.Find("#f-published_at").AttrOr("value", ""), pub.In(tokyo).Format("2006-01-02T15:04"); got != want {
			t.Errorf("desk published_at after the change = %q, want %q", got, want)
		}
		if label := doc.Find(`label[for="f-published_at"]`).Text(); !strings.Contains(label, "Asia/Tokyo") {
			t.Errorf("desk published_at label = %q, want the zone named", label)
		}
	})
}

// TestStoredLanguageWinsAtTheNextStart: the language saved in the desk's
// Settings decides the site's addresses, so the running server keeps its
// own; the next start on the same database takes the saved one over
// --language and serves Russian chrome at /.
func TestStoredLanguageWinsAtTheNextStart(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		ctx := context.Background()
		cfg := Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: dsn, Language: "en", Timezone: "UTC", NoDemo: true, CacheMB: 16}
		first := startApp(t, cfg, nil, io.Discard, testLogger(t))
		admin, err := first.store.UserByEmail(ctx, "admin@example.com")
		must(t, err)
		s := first.settings.Must(ctx)
		s.Language = "ru"
		must(t, first.settings.Save(ctx, admin, s))
		lang := func(a *app, path string) string {
			t.Helper()
			srv := httptest.NewServer(a.handler)
			defer srv.Close()
			res, err := srv.Client().Get(srv.URL + path)
			must(t, err)
			defer res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("GET %s: %d", path, res.StatusCode)
			}
			doc, err := goquery.NewDocumentFromReader(res.Body)
			must(t, err)
			return doc.Find("html").AttrOr("lang", "")
		}
		if got := lang(first, "/"); got != "en" {
			t.Errorf("running server after saving ru: <html lang=%q>, want en until the next start", got)
		}
		next := startApp(t, cfg, nil, io.Discard, testLogger(t))
		if got := lang(next, "/"); got != "ru" {
			t.Errorf("next start with stored ru and --language en: <html lang=%q> at /", got)
		}
		if got := lang(next, "/desk/signin"); got != "ru" {
			t.Errorf("next start: desk sign-in <html lang=%q>", got)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "") })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresDSN(t)) })
}
