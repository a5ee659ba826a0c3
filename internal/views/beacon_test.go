package views_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/views"
)

func TestBeaconKeySignsIDs(t *testing.T) {
	k := views.BeaconKey("0123456789abcdef0123456789abcdef")
	tok := k.Token(42)
	if len(tok) != 16 || !k.Valid(42, tok) {
		t.Fatalf("token %q of 42 is not valid for 42", tok)
	}
	for _, c := range []struct {
		key views.BeaconKey
		id  int64
		tok string
	}{
		{k, 43, tok}, // another story
		{views.BeaconKey("another key, 32 bytes long....."), 42, tok}, // another site
		{k, 42, tok[:15]}, // cut short
		{k, 42, ""},
		{nil, 42, views.BeaconKey(nil).Token(42)}, // no key signs nothing
	} {
		if c.key.Valid(c.id, c.tok) {
			t.Errorf("key %q: token %q valid for id %d", c.key, c.tok, c.id)
		}
	}
}

func TestBeaconCountsLikeAPage(t *testing.T) {
	st, c, ids := setup(t)
	ctr := views.New(views.Config{Store: st, Now: c.Now, SessionCookie: "nd_session"})
	const browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	beacon := func(addr, ua, referrer string, id int64) {
		r := httptest.NewRequest("POST", "/views/1?t=x", nil)
		r.RemoteAddr = addr + ":4711"
		r.Host = "news.example"
		r.Header.Set("User-Agent", ua)
		if referrer == "staff" {
			r.AddCookie(&http.Cookie{Name: "nd_session", Value: "x"})
			referrer = ""
		}
		ctr.CountBeacon(r, id, referrer)
	}
	beacon("198.51.100.7", browser, "https://www.google.com/search?q=harbour", ids[0])
	beacon("198.51.100.7", browser, "", ids[0])                                   // the same reader again: a repeat
	beacon("203.0.113.9", browser, "https://news.example/world/", ids[0])         // from the site's own page
	beacon("203.0.113.10", "Mozilla/5.0 (compatible; Googlebot/2.1)", "", ids[0]) // a robot
	beacon("203.0.113.11", browser, "staff", ids[1])                              // the desk's cookie
	if s := ctr.Stats(); s.Counted != 2 || s.Repeats != 1 {
		t.Fatalf("stats %+v; want 2 counted, 1 repeat", s)
	}
	// A GET is not a beacon.
	r := httptest.NewRequest("GET", "/views/1", nil)
	r.Header.Set("User-Agent", browser)
	ctr.CountBeacon(r, ids[1], "")
	if s := ctr.Stats(); s.Counted != 2 {
		t.Fatalf("a GET counted: %+v", s)
	}
	must(t, ctr.Flush(context.Background()))
	if got := mostRead(t, st, c, c.Now().Add(-24*time.Hour)); len(got) != 1 || got[0] != ids[0] {
		t.Fatalf("most read %v; want only %d", got, ids[0])
	}
	src, err := st.ViewSources(context.Background(), c.Now().Add(-48*time.Hour))
	must(t, err)
	bySource := map[string]int{}
	for _, d := range src {
		bySource[d.Key] += d.Count
	}
	if bySource[newsroom.SourceSearch] != 1 || len(bySource) != 1 {
		t.Fatalf("arrivals by source %v; want the one from the search engine only (the site's own page is no arrival)", bySource)
	}
}
