package admit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// hold takes a place for key and returns its release; the test fails if
// the place is not given at once.
func hold(t *testing.T, a *Admitter, key string, class Class) func() {
	t.Helper()
	release, err := a.Enter(context.Background(), key, class)
	if err != nil {
		t.Fatalf("hold %s: %v", key, err)
	}
	return release
}

// queue starts a render of key in class that waits for its place, records
// its name in order once admitted and gives the place back at once. It
// returns when the render is waiting.
type run struct {
	a     *Admitter
	t     *testing.T
	mu    sync.Mutex
	order []string
	errs  map[string]error
	wg    sync.WaitGroup
}

func newRun(t *testing.T, a *Admitter) *run { return &run{a: a, t: t, errs: map[string]error{}} }

func (r *run) queue(name, key string, class Class) {
	r.t.Helper()
	before := r.a.Stats()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		release, err := r.a.Enter(context.Background(), key, class)
		r.mu.Lock()
		if err != nil {
			r.errs[name] = err
		} else {
			r.order = append(r.order, name)
		}
		r.mu.Unlock()
		if release != nil {
			release()
		}
	}()
	// Waiting, or already refused.
	waitFor(r.t, r.a, func(s Stats) bool {
		return s.Waiting > before.Waiting || s.Busy+s.ClientFull+s.Displaced > before.Busy+before.ClientFull+before.Displaced
	})
}

func (r *run) wait() ([]string, map[string]error) {
	r.wg.Wait()
	return r.order, r.errs
}

func waitFor(t *testing.T, a *Admitter, ok func(Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok(a.Stats()) {
		if time.Now().After(deadline) {
			t.Fatalf("the admitter never reached the state; stats %+v", a.Stats())
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// TestRoundRobinBetweenClients: one client's six waiting renders and two
// others' are served in turn, one per client, not in arrival order.
func TestRoundRobinBetweenClients(t *testing.T) {
	a := New(Config{Places: 1, PerClient: 10})
	release := hold(t, a, "crawler", Reader)
	r := newRun(t, a)
	for i := range 6 {
		r.queue(fmt.Sprintf("c%d", i+1), "crawler", Reader)
	}
	r.queue("x1", "198.51.100.1", Reader)
	r.queue("y1", "198.51.100.2", Reader)
	r.queue("x2", "198.51.100.1", Reader)
	release()
	order, errs := r.wait()
	if len(errs) > 0 {
		t.Fatalf("refused: %v", errs)
	}
	want := "c1 x1 y1 c2 x2 c3 c4 c5 c6"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("order %q, want %q (round robin by client)", got, want)
	}
	if s := a.Stats(); s.Running != 0 || s.Waiting != 0 || s.Clients != 0 || s.Admitted != 10 {
		t.Errorf("after the run: %+v, want nothing running, waiting or remembered, 10 admitted", s)
	}
}

// TestClientQueueIsBounded: past its share a client is refused at once
// (ClientFull, the 429 kind) with a Retry-After from the queue ahead of
// it, while another client still queues.
func TestClientQueueIsBounded(t *testing.T) {
	a := New(Config{Places: 1, PerClient: 2, Pace: time.Second})
	release := hold(t, a, "a", Reader)
	r := newRun(t, a)
	r.queue("a1", "a", Reader)
	r.queue("a2", "a", Reader)
	r.queue("b1", "b", Reader)
	_, err := a.Enter(context.Background(), "a", Reader)
	var ref *Refused
	if !errors.As(err, &ref) || ref.Reason != ClientFull || !ref.TooMany() {
		t.Fatalf("a's third waiting render: %v, want ClientFull", err)
	}
	// Ahead of a's oldest: one render running, and one of each client
	// waiting (a and b), at a second each on one place.
	if ref.Retry != 3*time.Second {
		t.Errorf("Retry %s, want 3s", ref.Retry)
	}
	release()
	order, errs := r.wait()
	if len(errs) > 0 || strings.Join(order, " ") != "a1 b1 a2" {
		t.Errorf("served %v, refused %v; want a1 b1 a2 and no refusal", order, errs)
	}
	if s := a.Stats(); s.ClientFull != 1 {
		t.Errorf("stats %+v, want one ClientFull", s)
	}
}

// TestWholeQueueIsBounded: with every queue place taken a new client gets
// Busy (503) with the time the places need for everything ahead of it.
func TestWholeQueueIsBounded(t *testing.T) {
	a := New(Config{Places: 2, Queue: 3, Pace: time.Second})
	r1, r2 := hold(t, a, "a", Reader), hold(t, a, "b", Reader)
	r := newRun(t, a)
	for i := range 3 {
		r.queue(fmt.Sprint(i), fmt.Sprint("client", i), Reader)
	}
	_, err := a.Enter(context.Background(), "late", Reader)
	var ref *Refused
	if !errors.As(err, &ref) || ref.Reason != Busy || ref.TooMany() {
		t.Fatalf("render with the queue full: %v, want Busy", err)
	}
	// 2 running + 3 waiting at a second each over 2 places: 2.5 s → 3 s.
	if ref.Retry != 3*time.Second {
		t.Errorf("Retry %s, want 3s", ref.Retry)
	}
	r1()
	r2()
	if _, errs := r.wait(); len(errs) > 0 {
		t.Errorf("queued renders refused: %v", errs)
	}
}

// TestWaitIsBounded: a render that waits MaxWait is refused (Waited) and
// leaves the queue; one whose client goes away leaves it with ctx's error.
func TestWaitIsBounded(t *testing.T) {
	a := New(Config{Places: 1, MaxWait: 30 * time.Millisecond})
	release := hold(t, a, "a", Reader)
	defer release()
	start := time.Now()
	_, err := a.Enter(context.Background(), "b", Reader)
	var ref *Refused
	if !errors.As(err, &ref) || ref.Reason != Waited || ref.Retry < time.Second {
		t.Fatalf("render past MaxWait: %v, want Waited with a Retry", err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("refused after %s, before MaxWait", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		waitFor(t, a, func(s Stats) bool { return s.Waiting == 1 })
		cancel()
	}()
	if _, err := a.Enter(ctx, "c", Reader); !errors.Is(err, context.Canceled) {
		t.Errorf("render whose client left: %v, want context.Canceled", err)
	}
	if s := a.Stats(); s.Waiting != 0 || s.Clients != 1 || s.Waited != 1 {
		t.Errorf("stats %+v, want nothing waiting, only the holder remembered, one Waited", s)
	}
}

// TestCrawlersAfterReaders: crawlers' renders wait while any reader's
// does, take at most CrawlerPlaces, and give their queue places to
// readers when the queue is full.
func TestCrawlersAfterReaders(t *testing.T) {
	a := New(Config{Places: 1, Queue: 3})
	release := hold(t, a, "bot-1", Crawler)
	r := newRun(t, a)
	r.queue("bot-1a", "bot-1", Crawler)
	r.queue("bot-2a", "bot-2", Crawler)
	r.queue("reader", "198.51.100.1", Reader)
	// The queue is full; a reader takes the place of the crawler's render
	// that came last, a crawler is refused.
	r.queue("reader2", "198.51.100.2", Reader)
	if _, err := a.Enter(context.Background(), "bot-3", Crawler); !isReason(err, Busy) {
		t.Errorf("crawler with the queue full: %v, want Busy", err)
	}
	release()
	order, errs := r.wait()
	if got := strings.Join(order, " "); got != "reader reader2 bot-1a" {
		t.Errorf("order %q, want the readers first, then the crawler", got)
	}
	if len(errs) != 1 || !isReason(errs["bot-2a"], Displaced) {
		t.Errorf("refused %v, want bot-2a displaced", errs)
	}

	// Two places: crawlers hold one, a reader gets the other at once.
	a = New(Config{Places: 2})
	release = hold(t, a, "bot", Crawler)
	r = newRun(t, a)
	r.queue("bot-b", "bot-2", Crawler)
	if s := a.Stats(); s.Running != 1 || s.CrawlersWaiting != 1 {
		t.Fatalf("a second crawler's render with a place free: %+v, want it waiting (CrawlerPlaces 1)", s)
	}
	reader := hold(t, a, "198.51.100.1", Reader)
	reader()
	release()
	if order, errs := r.wait(); len(order) != 1 || len(errs) != 0 {
		t.Errorf("crawler's render: served %v refused %v", order, errs)
	}
}

func isReason(err error, r Reason) bool {
	var ref *Refused
	return errors.As(err, &ref) && ref.Reason == r
}

// TestPlacesDefaultToCPUs: the zero Config gives one place per CPU and
// the release is idempotent.
func TestPlacesDefaultToCPUs(t *testing.T) {
	a := New(Config{})
	var releases []func()
	for range a.places {
		releases = append(releases, hold(t, a, "a", Reader))
	}
	if s := a.Stats(); s.Running != a.places {
		t.Fatalf("running %d, want %d", s.Running, a.places)
	}
	for _, r := range releases {
		r()
		r()
	}
	if s := a.Stats(); s.Running != 0 || s.Clients != 0 {
		t.Errorf("after double releases: %+v", s)
	}
}

func TestIsCrawler(t *testing.T) {
	for ua, want := range map[string]bool{
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)":                                      true,
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)": true,
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)":        true,
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)":       true,
		"CCBot/2.0 (https://commoncrawl.org/faq/)":                                                                      true,
		"facebookexternalhit/1.1": true,
		"ia_archiver":             true,
		"NewsReaderCrawler/0.3":   true,
		"my-spider":               true,
		"SomethingBot":            true,
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36":                           false,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile Safari/604.1":                false,
		"Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36":                      false,
		"Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 botanical": false,
		"curl/8.5.0": false,
		"":           false,
	} {
		if got := IsCrawler(ua); got != want {
			t.Errorf("IsCrawler(%q) = %v, want %v", ua, got, want)
		}
	}
}
