package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/newsroom"
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
