package views_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/clocktest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
	"newsdesk/internal/views"
)

// countingStore is the real SQLite store, counting AddViews calls and
// failing them while broken is set.
type countingStore struct {
	*sqlstore.Store
	calls  atomic.Int64
	broken atomic.Bool
}

func (s *countingStore) AddViews(ctx context.Context, day time.Time, counts map[int64]int) error {
	s.calls.Add(1)
	if s.broken.Load() {
		return newsroom.Errorf(newsroom.Internal, "", "database away")
	}
	return s.Store.AddViews(ctx, day, counts)
}

func setup(t *testing.T) (*countingStore, *clocktest.Clock, []int64) {
	t.Helper()
	ctx := context.Background()
	c := clocktest.New(time.Date(2026, 3, 10, 23, 59, 0, 0, time.UTC))
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "v.db"), sqlstore.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var ids []int64
	for _, h := range []string{"First story", "Second story"} {
		a := &newsroom.Article{Headline: h, Status: newsroom.Published, PublishedAt: c.Now().Add(-time.Hour)}
		if err := st.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return &countingStore{Store: st}, c, ids
}

func mostRead(t *testing.T, st *countingStore, c *clocktest.Clock, since time.Time) []int64 {
	t.Helper()
	list, err := st.MostRead(context.Background(), since, c.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func TestBurstBecomesOneWrite(t *testing.T) {
	st, c, ids := setup(t)
	var announced atomic.Int64
	ctr := views.New(views.Config{Store: st, Now: c.Now, MaxPending: 1000,
		Announce: func(context.Context, ...string) { announced.Add(1) }})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5000 {
				ctr.Add(ids[(g+i)%2])
			}
		}()
	}
	wg.Wait()
	if st.calls.Load() != 0 {
		t.Fatalf("views were written before a flush")
	}
	if err := ctr.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := st.calls.Load(); n != 1 {
		t.Errorf("40,000 views took %d writes, want 1", n)
	}
	if s := ctr.Stats(); s.Counted != 40_000 || s.Written != 40_000 || s.Pending != 0 {
		t.Errorf("stats = %+v", s)
	}
	if announced.Load() != 0 {
		t.Errorf("a flush announced most-read: that is the ranking watch's (one node of a cluster)")
	}
	// The ranking watch sees the list move once; a quiet flush writes
	// nothing, and the list, unchanged, is not announced again.
	must(t, ctr.CheckRanking(context.Background()))
	if announced.Load() != 1 {
		t.Errorf("most-read announced %d times, want once", announced.Load())
	}
	must(t, ctr.Flush(context.Background()))
	must(t, ctr.CheckRanking(context.Background()))
	if st.calls.Load() != 1 || announced.Load() != 1 {
		t.Errorf("an empty flush wrote %d / announced %d", st.calls.Load(), announced.Load())
	}
	// Views that reorder the list are announced.
	ranked := mostRead(t, st, c, newsroom.ViewDay(c.Now(), time.UTC))
	for range 30_000 {
		ctr.Add(ranked[1])
	}
	must(t, ctr.Flush(context.Background()))
	must(t, ctr.CheckRanking(context.Background()))
	if announced.Load() != 2 {
		t.Errorf("after the second story overtook the first: announced %d times, want twice", announced.Load())
	}
}

// TestNodesFlushAtOnce: three counters, as on three nodes, on one
// PostgreSQL database, flush views, hourly detail, sources and share
// clicks of the same 300 stories at the same moments. Every flush
// succeeds (the stores write rows in one order, so concurrent flushes
// wait for each other's row locks instead of deadlocking: written in
// the maps' order, 22 of these 36 flushes failed with "deadlock
// detected") and the stored counts are the sum of the nodes'.
func TestNodesFlushAtOnce(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	now := time.Now().UTC()
	var stores []*sqlstore.Store
	for range 3 {
		st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
		must(t, err)
		t.Cleanup(func() { st.Close() })
		stores = append(stores, st)
	}
	var ids []int64
	for i := range 300 {
		a := &newsroom.Article{Headline: fmt.Sprintf("Story %d", i), Status: newsroom.Published, PublishedAt: now.Add(-time.Hour)}
		must(t, stores[0].CreateArticle(ctx, a))
		ids = append(ids, a.ID)
	}
	var ctrs []*views.Counter
	for _, st := range stores {
		ctrs = append(ctrs, views.New(views.Config{Store: st}))
	}
	const rounds = 12
	var wg sync.WaitGroup
	errs := make(chan error, 3*rounds)
	// Each round the three flush together: go[r] opens once all three
	// have counted round r's views.
	var counted [rounds]sync.WaitGroup
	for r := range counted {
		counted[r].Add(len(ctrs))
	}
	for _, ctr := range ctrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				for _, id := range ids {
					ctr.AddFrom(id, newsroom.SourceSearch)
					ctr.AddShare(id, "telegram")
				}
				counted[r].Done()
				counted[r].Wait()
				if err := ctr.Flush(ctx); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a flush failed: %v", err)
	}
	const want = 3 * rounds
	day := newsroom.ViewDay(now, time.UTC)
	top, err := stores[1].MostRead(ctx, day, now.Add(time.Minute), 300)
	must(t, err)
	if len(top) != len(ids) {
		t.Fatalf("%d stories ranked, want %d", len(top), len(ids))
	}
	hourly, err := stores[2].HourlySums(ctx, now.Add(-2*time.Hour), ids, 300)
	must(t, err)
	if len(hourly) != len(ids) {
		t.Errorf("%d stories with hourly views, want %d", len(hourly), len(ids))
	}
	for _, h := range hourly {
		if h.Count != want {
			t.Errorf("story %d: %d hourly views stored, want %d", h.ArticleID, h.Count, want)
		}
	}
	for _, id := range []int64{ids[0], ids[150], ids[299]} {
		daily, err := stores[0].DailyViews(ctx, id, day)
		must(t, err)
		a, err := stores[0].ArticleByID(ctx, id)
		must(t, err)
		if len(daily) != 1 || daily[0].Count != want || a.ShareCounts["telegram"] != want {
			t.Errorf("story %d: daily views %+v, telegram shares %d; want %d of each", id, daily, a.ShareCounts["telegram"], want)
		}
	}
	src, err := stores[0].ViewSources(ctx, day)
	must(t, err)
	if len(src) != 1 || src[0].Count != want*len(ids) {
		t.Errorf("sources: %+v, want %d arrivals from search", src, want*len(ids))
	}
}

func TestDayBucketsAndFailures(t *testing.T) {
	st, c, ids := setup(t)
	ctr := views.New(views.Config{Store: st, Now: c.Now})
	ctr.Add(ids[0]) // 23:59 on the 10th
	c.Add(2 * time.Minute)
	ctr.Add(ids[1]) // 00:01 on the 11th
	ctr.Add(ids[1])
	st.broken.Store(true)
	if err := ctr.Flush(context.Background()); err == nil {
		t.Fatal("flush to a broken store reported no error")
	}
	if s := ctr.Stats(); s.Pending != 2 || s.Written != 0 {
		t.Errorf("after a failed flush: %+v; want the counts kept", s)
	}
	st.broken.Store(false)
	must(t, ctr.Close(context.Background()))
	today := newsroom.ViewDay(c.Now(), time.UTC)
	if got := mostRead(t, st, c, today); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("today = %v, want only the second story", got)
	}
	if got := mostRead(t, st, c, today.AddDate(0, 0, -1)); len(got) != 2 {
		t.Errorf("since yesterday = %v, want both", got)
	}
	ctr.Add(ids[0]) // after Close: not counted
	if s := ctr.Stats(); s.Counted != 3 || s.Written != 3 {
		t.Errorf("stats after close = %+v", s)
	}
}

func TestLoopFlushesAndCloseFlushesTheRest(t *testing.T) {
	st, c, ids := setup(t)
	ctr := views.New(views.Config{Store: st, Now: c.Now, FlushEvery: 20 * time.Millisecond})
	ctr.Start()
	ctr.Add(ids[0])
	deadline := time.Now().Add(5 * time.Second)
	for ctr.Stats().Written == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if ctr.Stats().Written != 1 {
		t.Fatalf("the loop did not flush within 5 s")
	}
	ctr.Add(ids[1])
	must(t, ctr.Close(context.Background()))
	if s := ctr.Stats(); s.Written != 2 {
		t.Errorf("Close left views unwritten: %+v", s)
	}
}

func TestOneViewPerClientPerWindow(t *testing.T) {
	st, c, ids := setup(t)
	ctr := views.New(views.Config{Store: st, Now: c.Now, Window: 30 * time.Minute})
	view := func(addr string, id int64) {
		r := httptest.NewRequest("GET", "/world/a", nil)
		r.RemoteAddr = addr + ":4711"
		r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
		ctr.Hook(r, 200, id)
	}
	for range 50 {
		view("198.51.100.7", ids[0])
	}
	view("198.51.100.7", ids[1])      // another article: counts
	view("203.0.113.9", ids[0])       // another client: counts
	view("[2001:db8:1:2::5]", ids[0]) // an IPv6 /64 is one client
	view("[2001:db8:1:2::6]", ids[0])
	if s := ctr.Stats(); s.Counted != 4 || s.Repeats != 50 {
		t.Fatalf("after 54 views by 3 clients: %+v; want 4 counted, 50 repeats", s)
	}
	c.Add(20 * time.Minute)
	view("198.51.100.7", ids[0]) // still the same window
	c.Add(45 * time.Minute)
	view("198.51.100.7", ids[0]) // 65 minutes later: a new view
	if s := ctr.Stats(); s.Counted != 5 {
		t.Fatalf("after the window: %+v; want 5 counted", s)
	}
	must(t, ctr.Flush(context.Background()))
}

func TestShareClicksAreCountedNotWritten(t *testing.T) {
	st, c, ids := setup(t)
	ctr := views.New(views.Config{Store: st, Now: c.Now})
	for range 7 {
		ctr.AddShare(ids[0], "telegram")
	}
	ctr.AddShare(ids[1], "vk")
	ctr.AddShare(ids[1], "myspace") // not a network: dropped
	a, err := st.ArticleByID(context.Background(), ids[0])
	must(t, err)
	if a.ShareCounts["telegram"] != 0 {
		t.Fatalf("a click was written before the flush")
	}
	ctr.Add(ids[0])
	st.broken.Store(true) // views fail; shares are their own transaction
	if err := ctr.Flush(context.Background()); err == nil {
		t.Fatal("flush with the views' store broken reported no error")
	}
	st.broken.Store(false)
	a, err = st.ArticleByID(context.Background(), ids[0])
	must(t, err)
	b, err := st.ArticleByID(context.Background(), ids[1])
	must(t, err)
	if a.ShareCounts["telegram"] != 7 || b.ShareCounts["vk"] != 1 {
		t.Errorf("after the flush: %v, %v; want telegram 7 and vk 1", a.ShareCounts, b.ShareCounts)
	}
	ctr.AddShare(ids[0], "x")
	must(t, ctr.Close(context.Background()))
	if s := ctr.Stats(); s.SharesCounted != 9 || s.SharesWritten != 9 {
		t.Errorf("stats after Close: %+v; want 9 clicks counted and written", s)
	}
}

func TestCountable(t *testing.T) {
	firefox := "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	tests := []struct {
		name   string
		method string
		path   string
		status int
		hdr    map[string]string
		want   bool
	}{
		{"browser", "GET", "/world/a", 200, map[string]string{"User-Agent": firefox}, true},
		// A 304 is a browser revalidating a copy it has shown: no new view
		// (it counted before, which let a client pump a story with
		// conditional requests).
		{"revalidation", "GET", "/world/a", 304, map[string]string{"User-Agent": firefox}, false},
		{"head", "HEAD", "/world/a", 200, map[string]string{"User-Agent": firefox}, false},
		{"not found", "GET", "/world/a", 404, map[string]string{"User-Agent": firefox}, false},
		{"desk session", "GET", "/world/a", 200, map[string]string{"User-Agent": firefox, "Cookie": "nd_session=x"}, false},
		{"other cookie", "GET", "/world/a", 200, map[string]string{"User-Agent": firefox, "Cookie": "theme=dark"}, true},
		{"desk path", "GET", "/desk/preview/1", 200, map[string]string{"User-Agent": firefox}, false},
		{"prefetch", "GET", "/world/a", 200, map[string]string{"User-Agent": firefox, "Sec-Purpose": "prefetch;prerender"}, false},
		{"no user agent", "GET", "/world/a", 200, nil, false},
		{"googlebot", "GET", "/world/a", 200, map[string]string{"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}, false},
		{"bing", "GET", "/world/a", 200, map[string]string{"User-Agent": "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0)"}, false},
		{"facebook preview", "GET", "/world/a", 200, map[string]string{"User-Agent": "facebookexternalhit/1.1"}, false},
		{"curl", "GET", "/world/a", 200, map[string]string{"User-Agent": "curl/8.5.0"}, false},
		{"headless", "GET", "/world/a", 200, map[string]string{"User-Agent": "Mozilla/5.0 HeadlessChrome/120.0"}, false},
		{"go client", "GET", "/world/a", 200, map[string]string{"User-Agent": "Go-http-client/1.1"}, false},
		{"safari", "GET", "/world/a", 200, map[string]string{"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"}, true},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.path, nil)
		for k, v := range tt.hdr {
			r.Header.Set(k, v)
		}
		if got := views.Countable(r, tt.status, "nd_session"); got != tt.want {
			t.Errorf("%s: Countable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
