// Package purge tells a shared cache in front of newsdesk (Varnish with
// xkey, Fastly, Cloudflare, or any cache that takes a PURGE with a
// Surrogate-Key header) which change keys to drop, after each commit. Keys
// are coalesced while a request is on its way or the rate limit holds it,
// sent in batches, and retried when the cache or its API says so.
package purge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"newsdesk/internal/newsroom"
)

// AllKey is on every cacheable response (beside its own keys); purging it
// drops every page newsdesk sent, as after a lost notification.
const AllKey = "newsdesk"

// Kinds of shared cache.
const (
	Varnish    = "varnish"    // PURGE URL with xkey-purge: k1 k2 (the shipped VCL, vmod xkey)
	Fastly     = "fastly"     // POST …/service/ID/purge with Surrogate-Key: k1 k2 and Fastly-Key
	Cloudflare = "cloudflare" // POST …/zones/ID/purge_cache {"tags": [...]}, Authorization: Bearer
	Plain      = "purge"      // PURGE URL with Surrogate-Key: k1 k2
)

// Kinds lists the kinds Config.Kind takes.
var Kinds = []string{Varnish, Fastly, Cloudflare, Plain}

// Config configures a Purger.
type Config struct {
	Kind string // one of Kinds
	URL  string // where purges go (the Varnish listener, or the API endpoint)
	// Token authenticates with the API (Fastly-Key, or Cloudflare's
	// bearer token); unused for Varnish and plain PURGE.
	Token string
	// Rate is how many purge requests a second may be sent, Burst how
	// many at once; 0 takes the kind's default (DefaultRate).
	Rate  float64
	Burst int
	// Batch is the most keys one request carries (0: the kind's limit:
	// Cloudflare 100 tags, Fastly 256 keys, 200 for the others).
	Batch int
	// Delay is how long keys are gathered before a request goes (0: 10 ms).
	Delay time.Duration
	// Client sends the requests (nil: one with a 10 s timeout).
	Client *http.Client
	Logger *slog.Logger
	// OnSent is told about every request's outcome (metrics); may be nil.
	OnSent func(keys int, err error)
}

// DefaultRate is the requests a second each kind gets by default: a local
// Varnish takes many; Fastly's API allows about 1,000 calls an hour
// beyond bulk purges; Cloudflare's Free plan 5 purge calls a minute (raise
// it with --purge-rate on a paid plan).
func DefaultRate(kind string) (perSecond float64, burst int) {
	switch kind {
	case Fastly:
		return 2, 10
	case Cloudflare:
		return 5.0 / 60, 5
	}
	return 100, 20
}

// maxPending bounds the keys waiting; past it they collapse into AllKey.
const maxPending = 10000

// Purger sends purges in the background; make one with New and Start it.
// Purge and Changed never block.
type Purger struct {
	cfg   Config
	lim   *rate.Limiter
	log   *slog.Logger
	mu    sync.Mutex
	keys  map[string]struct{}
	kick  chan struct{}
	done  chan struct{}
	stop  context.CancelFunc
	sent  int // requests that succeeded (tests)
	idle  *sync.Cond
	inFly bool
}

// New checks cfg and returns a Purger; errors name the setting.
func New(cfg Config) (*Purger, error) {
	known := false
	for _, k := range Kinds {
		known = known || k == cfg.Kind
	}
	if !known {
		return nil, fmt.Errorf("purge kind %q: want one of %s", cfg.Kind, strings.Join(Kinds, ", "))
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("purge URL %q is not an http(s) URL", cfg.URL)
	}
	if (cfg.Kind == Fastly || cfg.Kind == Cloudflare) && cfg.Token == "" {
		return nil, fmt.Errorf("purging through %s needs an API token", cfg.Kind)
	}
	r, b := DefaultRate(cfg.Kind)
	if cfg.Rate <= 0 {
		cfg.Rate = r
	}
	if cfg.Burst <= 0 {
		cfg.Burst = b
	}
	if cfg.Batch <= 0 {
		switch cfg.Kind {
		case Cloudflare:
			cfg.Batch = 100
		case Fastly:
			cfg.Batch = 256
		default:
			cfg.Batch = 200
		}
	}
	if cfg.Delay <= 0 {
		cfg.Delay = 10 * time.Millisecond
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	p := &Purger{cfg: cfg, lim: rate.NewLimiter(rate.Limit(cfg.Rate), cfg.Burst), log: cfg.Logger,
		keys: map[string]struct{}{}, kick: make(chan struct{}, 1), done: make(chan struct{})}
	p.idle = sync.NewCond(&p.mu)
	return p, nil
}

// Changed implements newsroom.Notifier: the change's keys are purged
// ("*" purges AllKey).
func (p *Purger) Changed(_ context.Context, c newsroom.Change) { p.Purge(c.Keys...) }

// Purge queues keys; they go in the next request.
func (p *Purger) Purge(keys ...string) {
	if len(keys) == 0 {
		return
	}
	p.mu.Lock()
	for _, k := range keys {
		if k == "*" {
			k = AllKey
		}
		if k != "" && !strings.ContainsAny(k, " ,\r\n") {
			p.keys[k] = struct{}{}
		}
	}
	if len(p.keys) > maxPending {
		p.keys = map[string]struct{}{AllKey: {}}
	}
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// Start runs the sender until Close.
func (p *Purger) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	p.stop = cancel
	go p.run(ctx)
}

// Close sends what is queued (for up to ctx's deadline) and stops.
func (p *Purger) Close(ctx context.Context) error {
	if p.stop == nil {
		return nil
	}
	wait := make(chan struct{})
	go func() { p.Wait(); close(wait) }()
	select {
	case <-wait:
	case <-ctx.Done():
	}
	p.stop()
	<-p.done
	return nil
}

// Wait returns once no key is queued and no request is on its way.
func (p *Purger) Wait() {
	p.mu.Lock()
	for len(p.keys) > 0 || p.inFly {
		p.idle.Wait()
	}
	p.mu.Unlock()
}

func (p *Purger) run(ctx context.Context) {
	defer close(p.done)
	backoff := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		}
		for {
			// Gather what arrives meanwhile into one request.
			select {
			case <-ctx.Done():
				return
			case <-time.After(p.cfg.Delay + backoff):
			}
			if err := p.lim.Wait(ctx); err != nil {
				return
			}
			batch := p.take()
			if len(batch) == 0 {
				break
			}
			retry, err := p.send(ctx, batch)
			if p.cfg.OnSent != nil {
				p.cfg.OnSent(len(batch), err)
			}
			p.mu.Lock()
			p.inFly = false
			if err != nil {
				// Put them back: they go with the next request.
				for _, k := range batch {
					p.keys[k] = struct{}{}
				}
				backoff = max(retry, min(2*backoff+100*time.Millisecond, 30*time.Second))
				p.log.Warn("purge: failed, will retry", "kind", p.cfg.Kind, "keys", len(batch), "retry_in", backoff, "err", err)
			} else {
				p.sent++
				backoff = 0
			}
			p.idle.Broadcast()
			p.mu.Unlock()
		}
	}
}

// take removes up to Batch queued keys (sorted, for stable requests).
func (p *Purger) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.keys) == 0 {
		p.idle.Broadcast()
		return nil
	}
	out := make([]string, 0, len(p.keys))
	for k := range p.keys {
		out = append(out, k)
	}
	sort.Strings(out)
	if _, all := p.keys[AllKey]; all {
		out = []string{AllKey} // everything goes anyway
		p.keys = map[string]struct{}{}
	} else {
		if len(out) > p.cfg.Batch {
			out = out[:p.cfg.Batch]
		}
		for _, k := range out {
			delete(p.keys, k)
		}
	}
	p.inFly = true
	return out
}

// Sent returns how many purge requests succeeded.
func (p *Purger) Sent() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent
}

// send makes one request for keys; on a 429 or 503 it returns the wait the
// answer's Retry-After asks for.
func (p *Purger) send(ctx context.Context, keys []string) (time.Duration, error) {
	var req *http.Request
	var err error
	joined := strings.Join(keys, " ")
	switch p.cfg.Kind {
	case Varnish:
		req, err = http.NewRequestWithContext(ctx, "PURGE", p.cfg.URL, nil)
		if err == nil {
			req.Header.Set("xkey-purge", joined)
		}
	case Plain:
		req, err = http.NewRequestWithContext(ctx, "PURGE", p.cfg.URL, nil)
		if err == nil {
			req.Header.Set("Surrogate-Key", joined)
		}
	case Fastly:
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.URL, nil)
		if err == nil {
			req.Header.Set("Surrogate-Key", joined)
			req.Header.Set("Fastly-Key", p.cfg.Token)
			req.Header.Set("Accept", "application/json")
		}
	case Cloudflare:
		body, _ := json.Marshal(map[string][]string{"tags": keys})
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.URL, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+p.cfg.Token)
		}
	}
	if err != nil {
		return 0, err
	}
	res, err := p.cfg.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable {
		wait := time.Second
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s >= 0 {
			wait = time.Duration(s) * time.Second
		}
		return wait, fmt.Errorf("%s answered %d (retry after %s)", p.cfg.Kind, res.StatusCode, wait)
	}
	if res.StatusCode/100 != 2 {
		return 0, fmt.Errorf("%s answered %d: %.200s", p.cfg.Kind, res.StatusCode, body)
	}
	if p.cfg.Kind == Cloudflare {
		var r struct {
			Success bool `json:"success"`
			Errors  []struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(body, &r); err != nil || !r.Success {
			return 0, errors.Join(fmt.Errorf("cloudflare: purge not accepted: %.200s", body), err)
		}
	}
	return 0, nil
}
