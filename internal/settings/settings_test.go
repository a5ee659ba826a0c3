package settings_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/settings"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

var ctx = context.Background()

var admin = &newsroom.User{ID: 1, Role: newsroom.RoleAdmin}

func defaults() newsroom.SiteSettings {
	d := newsroom.DefaultSiteSettings()
	d.SiteName, d.Description = "The Flag Courier", "From the flags"
	return d
}

// open returns a store whose changes reach svc, as cmd/newsdesk wires it.
func open(t *testing.T, dsn string, remote bool) (*sqlstore.Store, *settings.Service) {
	t.Helper()
	var svcp atomic.Pointer[settings.Service]
	note := newsroom.NotifierFunc(func(ctx context.Context, c newsroom.Change) {
		if svc := svcp.Load(); svc != nil {
			svc.Changed(ctx, c)
		}
	})
	opts := sqlstore.Options{Notifier: note}
	ready := make(chan struct{})
	if remote {
		opts.Remote = note
		opts.Resync = func() {
			select {
			case <-ready:
			default:
				close(ready)
			}
		}
	}
	st, err := sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := settings.New(st, defaults())
	svcp.Store(svc)
	if remote {
		select {
		case <-ready:
		case <-time.After(10 * time.Second):
			t.Fatal("change listener did not connect")
		}
	}
	return st, svc
}

func TestSettingsSQLite(t *testing.T) { testSettings(t, storetest.SQLitePath(t), false) }

func TestSettingsPostgres(t *testing.T) { testSettings(t, storetest.PostgresDSN(t), true) }

func testSettings(t *testing.T, dsn string, twoNodes bool) {
	st, svc := open(t, dsn, twoNodes)
	got, err := svc.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.SiteName != "The Flag Courier" || got.Description != "From the flags" || !got.Crawlers.AITraining || got.HomeLatest != 8 {
		t.Errorf("unset: %+v, want the defaults", got)
	}

	next := got
	next.SiteName, next.HomeLatest, next.ReportPerIP = "  The Desk Courier ", 5, -1
	next.Crawlers.AITraining, next.FeedContent = false, "summary"
	if err := svc.Save(ctx, admin, next); err != nil {
		t.Fatal(err)
	}
	got = svc.Must(ctx)
	if got.SiteName != "The Desk Courier" || got.HomeLatest != 5 || got.ReportPerIP != -1 || got.Crawlers.AITraining || got.FeedContent != "summary" {
		t.Errorf("after save: %+v", got)
	}
	if v, _ := st.Setting(ctx, newsroom.SettingFeedFullText); v != "false" {
		t.Errorf("feed_full_text = %q, want false (the older key is kept)", v)
	}

	// A text field left empty follows the default again.
	next = got
	next.SiteName = ""
	if err := svc.Save(ctx, admin, next); err != nil {
		t.Fatal(err)
	}
	if got := svc.Must(ctx); got.SiteName != "The Flag Courier" || got.HomeLatest != 5 {
		t.Errorf("emptied name: %q (home_latest %d), want the flag's name", got.SiteName, got.HomeLatest)
	}

	// Refused: each wrong field is named, nothing is stored.
	for field, change := range map[string]func(*newsroom.SiteSettings){
		"site_name":          func(s *newsroom.SiteSettings) { s.SiteName = strings.Repeat("x", 121) },
		"description":        func(s *newsroom.SiteSettings) { s.Description = strings.Repeat("x", 301) },
		"language":           func(s *newsroom.SiteSettings) { s.Language = "de" },
		"time_zone":          func(s *newsroom.SiteSettings) { s.TimeZone = "Mars/Olympus" },
		"home_latest":        func(s *newsroom.SiteSettings) { s.HomeLatest = 0 },
		"report_max_exact":   func(s *newsroom.SiteSettings) { s.ReportMaxExact = 5 },
		"report_per_ip":      func(s *newsroom.SiteSettings) { s.ReportPerIP = 0 },
		"report_per_article": func(s *newsroom.SiteSettings) { s.ReportPerArticle = -5 },
		"feed_content":       func(s *newsroom.SiteSettings) { s.FeedContent = "teaser" },
	} {
		bad := svc.Must(ctx)
		change(&bad)
		err := svc.Save(ctx, admin, bad)
		if e := newsroom.AsError(err); e == nil || e.Code != newsroom.Invalid || e.Field != field {
			t.Errorf("%s: error %v, want invalid naming it", field, err)
		}
	}
	if got := svc.Must(ctx); got.HomeLatest != 5 {
		t.Errorf("a refused save changed the settings: %+v", got)
	}
	editor := &newsroom.User{ID: 2, Role: newsroom.RoleEditor}
	if err := svc.Save(ctx, editor, svc.Must(ctx)); newsroom.ErrorCode(err) != newsroom.Forbidden {
		t.Errorf("editor saves settings: %v, want forbidden", err)
	}

	if !twoNodes {
		return
	}
	// A second node caches the settings; a save on the first reaches it
	// through the change listener, without a restart.
	_, other := open(t, dsn, true)
	if got := other.Must(ctx); got.HomeLatest != 5 {
		t.Fatalf("second node: %+v", got)
	}
	next = svc.Must(ctx)
	next.HomeLatest = 12
	if err := svc.Save(ctx, admin, next); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for other.Must(ctx).HomeLatest != 12 {
		if time.Now().After(deadline) {
			t.Fatal("the second node still shows the old settings after 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRobotsTxt(t *testing.T) {
	p := newsroom.CrawlerPolicy{Search: true, AITraining: false, AISearch: true, AIUser: true}
	got := p.RobotsTxt("https://x.example/sitemap.xml")
	for _, want := range []string{"User-agent: GPTBot\n", "User-agent: Google-Extended\n", "User-agent: CCBot\n",
		"User-agent: *\nAllow: /\nDisallow: /desk/\n", "Sitemap: https://x.example/sitemap.xml\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "OAI-SearchBot") {
		t.Errorf("AI search allowed like everyone: no group of its own expected:\n%s", got)
	}
	train := got[strings.Index(got, "User-agent: GPTBot"):strings.Index(got, "User-agent: *")]
	if !strings.Contains(train, "Disallow: /\n") || strings.Contains(train, "Allow: /\n") {
		t.Errorf("training group does not refuse everything:\n%s", train)
	}
	// Search refused, AI search allowed: the allowed bots get their own group.
	p = newsroom.CrawlerPolicy{Search: false, AISearch: true}
	got = p.RobotsTxt()
	if !strings.Contains(got, "User-agent: OAI-SearchBot\nUser-agent: PerplexityBot\nUser-agent: Claude-SearchBot\nAllow: /\n") ||
		!strings.HasSuffix(got, "User-agent: *\nDisallow: /\n\n") {
		t.Errorf("search refused, AI search allowed:\n%s", got)
	}
}
