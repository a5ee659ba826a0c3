package admit_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/admit"
	"newsdesk/internal/cache"
)

// TestHitsNeverQueue: behind the page cache, with the one render place
// held by a crawler and its queue full (429, held CrawlerHold before it
// is sent), a reader's cached page is
// answered while every render waits, and the reader's own miss is served
// before the crawler's waiting renders.
func TestHitsNeverQueue(t *testing.T) {
	hold := make(chan struct{})
	rendered := make(chan string, 16)
	pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/archive/held" {
			<-hold
		}
		rendered <- r.URL.Path
		w.Header().Set(cache.HeaderKeys, "page")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<p>" + r.URL.Path + "</p>"))
	})
	adm := admit.New(admit.Config{Places: 1, PerClient: 2})
	const crawlerHold = 200 * time.Millisecond
	c := cache.New(cache.Config{Admit: adm, CrawlerHold: crawlerHold, ClientKey: func(r *http.Request) string { return r.Header.Get("X-Client") }})
	h := c.Handler(pages)
	const bot = "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)"
	get := func(path, client, ua string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("X-Client", client)
		r.Header.Set("User-Agent", ua)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := get("/hot", "reader", "Firefox"); w.Code != 200 {
		t.Fatalf("warming /hot: %d", w.Code)
	}
	<-rendered

	done := make(chan *httptest.ResponseRecorder, 8)
	go func() { done <- get("/archive/held", "crawler", bot) }()
	waitFor(t, adm, func(s admit.Stats) bool { return s.CrawlersRunning == 1 })
	for _, p := range []string{"/archive/1", "/archive/2"} {
		go func() { done <- get(p, "crawler", bot) }()
	}
	waitFor(t, adm, func(s admit.Stats) bool { return s.CrawlersWaiting == 2 })
	start := time.Now()
	if w := get("/archive/3", "crawler", bot); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("crawler past its share: %d Retry-After %q, want 429 with a value", w.Code, w.Header().Get("Retry-After"))
	}
	// A crawler's refusal is held before it is sent (Config.CrawlerHold).
	if d := time.Since(start); d < crawlerHold {
		t.Errorf("the crawler's 429 came after %s, want it held %s", d, crawlerHold)
	}
	// The render place is held: a hit must not need it.
	hit := make(chan *httptest.ResponseRecorder, 1)
	go func() { hit <- get("/hot", "reader", "Firefox") }()
	select {
	case w := <-hit:
		if w.Code != 200 || w.Header().Get(cache.HeaderStatus) != "hit" || !strings.Contains(w.Body.String(), "/hot") {
			t.Errorf("cached page: %d X-Cache %q", w.Code, w.Header().Get(cache.HeaderStatus))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cached page waited for the render place")
	}
	// The reader's miss queues ahead of the crawler's.
	go func() { done <- get("/news/fresh", "reader", "Firefox") }()
	waitFor(t, adm, func(s admit.Stats) bool { return s.Waiting == 3 })
	close(hold)
	var order []string
	for range 4 {
		order = append(order, <-rendered)
		if w := <-done; w.Code != 200 {
			t.Errorf("queued render: %d", w.Code)
		}
	}
	if order[0] != "/archive/held" || order[1] != "/news/fresh" {
		t.Errorf("render order %v, want the held render, then the reader's, then the crawler's", order)
	}
}

func waitFor(t *testing.T, a *admit.Admitter, ok func(admit.Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok(a.Stats()) {
		if time.Now().After(deadline) {
			t.Fatalf("the admitter never reached the state; stats %+v", a.Stats())
		}
		time.Sleep(100 * time.Microsecond)
	}
}
