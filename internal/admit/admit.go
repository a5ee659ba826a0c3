// Package admit admits page renders (cache misses) to a fixed number of
// places, fairly between clients: each client waits in a queue of its own,
// the queues are served round robin, known crawlers only when no reader
// waits, and a client's queue, the whole queue and the wait are bounded.
// A request refused gets the time after which a retry has a chance.
//
// The page cache calls it for every render and never for a hit, so a
// crawler walking the archive can take the places left over by readers,
// but cannot make a reader's cached page wait, nor push a reader's own
// render behind more than one of its renders.
package admit

import (
	"container/list"
	"context"
	"math"
	"runtime"
	"sync"
	"time"
)

// Class is a request's priority: readers before crawlers.
type Class int

// The classes, in the order they are served.
const (
	Reader Class = iota
	Crawler
	numClasses
)

func (c Class) String() string {
	if c == Crawler {
		return "crawler"
	}
	return "reader"
}

// Config sizes an Admitter. The zero value is usable.
type Config struct {
	// Places is how many renders run at once (0: one per CPU, as
	// runtime.GOMAXPROCS reports).
	Places int
	// CrawlerPlaces is how many of them crawlers may hold together
	// (0: half, at least one), so that a crawler storm leaves a CPU to
	// the cached pages readers get.
	CrawlerPlaces int
	// PerClient is how many renders one client may have waiting (0: 4
	// per place); past that it is refused with ClientFull (429).
	PerClient int
	// Queue is how many renders may wait in all (0: 32 per place); past
	// that a reader takes the place of the latest crawler's, or is
	// refused with Busy (503).
	Queue int
	// MaxWait is the longest a render waits (0: 5 s); then Waited (503).
	MaxWait time.Duration
	// Pace is the render time assumed until renders have been timed
	// (0: 20 ms); Retry-After is estimated from the moving mean.
	Pace time.Duration
}

// Reason says why a render was refused.
type Reason int

// Why a render is refused.
const (
	// ClientFull: the client already has Config.PerClient renders
	// waiting (HTTP 429).
	ClientFull Reason = iota + 1
	// Busy: every place in the queue is taken (503).
	Busy
	// Waited: the render waited Config.MaxWait (503).
	Waited
	// Displaced: a waiting crawler's render gave its place in the full
	// queue to a reader's (503).
	Displaced
)

// Refused is the error of a render that is not admitted.
type Refused struct {
	Reason Reason
	// Retry is when a retry has a chance, in whole seconds (at least
	// one): what the places take to serve the renders ahead of it.
	Retry time.Duration
}

func (r *Refused) Error() string {
	var what string
	switch r.Reason {
	case ClientFull:
		what = "too many renders waiting for this client"
	case Busy:
		what = "the render queue is full"
	case Waited:
		what = "waited too long for a render place"
	default:
		what = "a reader took this render's place"
	}
	return "admit: " + what + "; retry after " + r.Retry.String()
}

// TooMany reports whether the refusal is the client's own doing (HTTP
// 429) rather than everyone's (503).
func (r *Refused) TooMany() bool { return r.Reason == ClientFull }

// Admitter admits renders. Make one with New; it is safe for concurrent
// use.
type Admitter struct {
	places, crawlerPlaces, perClient, queue int
	maxWait                                 time.Duration

	mu       sync.Mutex
	running  [numClasses]int
	waiting  [numClasses]int
	rings    [numClasses]*list.List // *client with renders waiting, served in turn
	clients  map[clientKey]*client  // clients running or waiting
	pace     time.Duration          // mean render time (moving average)
	admitted uint64
	refused  [Displaced + 1]uint64
}

type clientKey struct {
	key   string
	class Class
}

type client struct {
	id      clientKey
	queue   list.List     // *waiter, oldest first
	inRing  *list.Element // its element in rings[class], nil when not waiting
	running int
}

type waiter struct {
	c     *client
	elem  *list.Element // in c.queue; nil once decided
	ready chan struct{} // closed once decided
	err   *Refused      // nil: admitted
	at    time.Time
}

// New returns an Admitter sized by cfg.
func New(cfg Config) *Admitter {
	a := &Admitter{places: cfg.Places, crawlerPlaces: cfg.CrawlerPlaces, perClient: cfg.PerClient,
		queue: cfg.Queue, maxWait: cfg.MaxWait, clients: map[clientKey]*client{}, pace: cfg.Pace}
	if a.pace <= 0 {
		a.pace = 20 * time.Millisecond
	}
	if a.places <= 0 {
		a.places = runtime.GOMAXPROCS(0)
	}
	if a.crawlerPlaces <= 0 {
		a.crawlerPlaces = max(a.places/2, 1)
	}
	a.crawlerPlaces = min(a.crawlerPlaces, a.places)
	if a.perClient <= 0 {
		a.perClient = 4 * a.places
	}
	if a.queue <= 0 {
		a.queue = 32 * a.places
	}
	if a.maxWait <= 0 {
		a.maxWait = 5 * time.Second
	}
	for i := range a.rings {
		a.rings[i] = list.New()
	}
	return a
}

// Enter waits for a place for one render of the client key ("" is a
// client too) in class, and returns the function that gives the place
// back (call it once, when the render is done). A render not admitted
// gets a *Refused; when ctx ends first, ctx's error.
func (a *Admitter) Enter(ctx context.Context, key string, class Class) (func(), error) {
	if class != Crawler {
		class = Reader
	}
	a.mu.Lock()
	c := a.client(clientKey{key, class})
	if a.free(class) {
		// Nobody of this class waits: dispatch serves them first.
		release := a.start(c, time.Now())
		a.mu.Unlock()
		return release, nil
	}
	if c.queue.Len() >= a.perClient {
		err := a.refuse(ClientFull, a.clientRetry(c))
		a.forget(c)
		a.mu.Unlock()
		return nil, err
	}
	if a.waiting[Reader]+a.waiting[Crawler] >= a.queue {
		if class == Crawler || !a.displaceCrawler() {
			err := a.refuse(Busy, a.queueRetry())
			a.forget(c)
			a.mu.Unlock()
			return nil, err
		}
	}
	w := &waiter{c: c, ready: make(chan struct{}), at: time.Now()}
	w.elem = c.queue.PushBack(w)
	if c.inRing == nil {
		c.inRing = a.rings[class].PushBack(c)
	}
	a.waiting[class]++
	a.mu.Unlock()

	t := time.NewTimer(a.maxWait)
	defer t.Stop()
	var ctxErr error
	select {
	case <-w.ready:
	case <-t.C:
	case <-ctx.Done():
		ctxErr = ctx.Err()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if w.elem != nil {
		// Still waiting: leave the queue.
		a.unqueue(w)
		a.forget(c)
		if ctxErr != nil {
			return nil, ctxErr
		}
		return nil, a.refuse(Waited, a.queueRetry())
	}
	if w.err != nil {
		return nil, w.err
	}
	return a.releaser(c, time.Now()), nil
}

// free reports whether a render of class may start at once. The caller
// holds mu. Dispatch leaves no place free while someone it may serve
// waits, so a free place means no one of class waits for it.
func (a *Admitter) free(class Class) bool {
	if a.running[Reader]+a.running[Crawler] >= a.places {
		return false
	}
	return class == Reader || a.running[Crawler] < a.crawlerPlaces
}

// client returns the record of id, making it. The caller holds mu.
func (a *Admitter) client(id clientKey) *client {
	c := a.clients[id]
	if c == nil {
		c = &client{id: id}
		a.clients[id] = c
	}
	return c
}

// forget drops c's record once it neither runs nor waits. The caller
// holds mu.
func (a *Admitter) forget(c *client) {
	if c.running == 0 && c.queue.Len() == 0 {
		delete(a.clients, c.id)
	}
}

// start takes a place for c and returns its release. The caller holds mu.
func (a *Admitter) start(c *client, at time.Time) func() {
	a.running[c.id.class]++
	c.running++
	a.admitted++
	return a.releaser(c, at)
}

func (a *Admitter) releaser(c *client, at time.Time) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			d := time.Since(at)
			a.mu.Lock()
			a.pace += (d - a.pace) / 8
			a.running[c.id.class]--
			c.running--
			a.forget(c)
			a.dispatch()
			a.mu.Unlock()
		})
	}
}

// dispatch gives the free places to the waiting renders: readers' first,
// one per client in turn, then crawlers' within their places. The caller
// holds mu.
func (a *Admitter) dispatch() {
	for a.running[Reader]+a.running[Crawler] < a.places {
		class := Reader
		if a.rings[Reader].Len() == 0 {
			if a.rings[Crawler].Len() == 0 || a.running[Crawler] >= a.crawlerPlaces {
				return
			}
			class = Crawler
		}
		c := a.rings[class].Front().Value.(*client)
		w := c.queue.Front().Value.(*waiter)
		a.unqueue(w)
		if c.inRing != nil {
			// Its next render waits for the other clients' turns.
			a.rings[class].MoveToBack(c.inRing)
		}
		a.running[class]++
		c.running++
		a.admitted++
		close(w.ready)
	}
}

// unqueue takes w out of its client's queue and, when that empties, the
// client out of its ring (its turn is kept otherwise). The caller holds mu.
func (a *Admitter) unqueue(w *waiter) {
	c := w.c
	c.queue.Remove(w.elem)
	w.elem = nil
	a.waiting[c.id.class]--
	if c.queue.Len() == 0 && c.inRing != nil {
		a.rings[c.id.class].Remove(c.inRing)
		c.inRing = nil
	}
}

// displaceCrawler refuses the crawler's render that arrived last, freeing
// its place in the queue; false when no crawler waits. The caller holds mu.
func (a *Admitter) displaceCrawler() bool {
	var last *waiter
	for e := a.rings[Crawler].Front(); e != nil; e = e.Next() {
		w := e.Value.(*client).queue.Back().Value.(*waiter)
		if last == nil || w.at.After(last.at) {
			last = w
		}
	}
	if last == nil {
		return false
	}
	c := last.c
	a.unqueue(last)
	last.err = a.refuse(Displaced, a.queueRetry())
	close(last.ready)
	a.forget(c)
	return true
}

// refuse counts a refusal and returns it. The caller holds mu.
func (a *Admitter) refuse(r Reason, retry time.Duration) *Refused {
	a.refused[r]++
	return &Refused{Reason: r, Retry: roundUp(retry)}
}

// clientRetry estimates when c's queue has room again: once its oldest
// render has had its turn, after one render of every other client of its
// class waiting (and, for a crawler, every reader's waiting render). The
// caller holds mu.
func (a *Admitter) clientRetry(c *client) time.Duration {
	class := c.id.class
	ahead, places := a.rings[class].Len()+a.running[class], a.places
	if class == Crawler {
		ahead += a.waiting[Reader]
		places = a.crawlerPlaces
	}
	return time.Duration(float64(ahead) * float64(a.pace) / float64(places))
}

// queueRetry estimates when the whole queue has drained: every render
// running and waiting, spread over the places. The caller holds mu.
func (a *Admitter) queueRetry() time.Duration {
	n := a.running[Reader] + a.running[Crawler] + a.waiting[Reader] + a.waiting[Crawler]
	return time.Duration(float64(n) * float64(a.pace) / float64(a.places))
}

// roundUp rounds d up to whole seconds, at least one: what Retry-After
// can say.
func roundUp(d time.Duration) time.Duration {
	return max(time.Duration(math.Ceil(d.Seconds()))*time.Second, time.Second)
}

// Stats are an Admitter's renders now and its counters since New.
type Stats struct {
	Running, Waiting                 int // renders running and waiting now, both classes
	CrawlersRunning, CrawlersWaiting int // of which crawlers'
	Clients                          int // clients running or waiting now
	Admitted                         uint64
	// Refused by reason: ClientFull (429), Busy, Waited, Displaced (503).
	ClientFull, Busy, Waited, Displaced uint64
	Pace                                time.Duration // mean render time
}

// Stats returns the renders running and waiting and the counters.
func (a *Admitter) Stats() Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	return Stats{
		Running: a.running[Reader] + a.running[Crawler], Waiting: a.waiting[Reader] + a.waiting[Crawler],
		CrawlersRunning: a.running[Crawler], CrawlersWaiting: a.waiting[Crawler], Clients: len(a.clients),
		Admitted: a.admitted, ClientFull: a.refused[ClientFull], Busy: a.refused[Busy],
		Waited: a.refused[Waited], Displaced: a.refused[Displaced], Pace: a.pace,
	}
}
