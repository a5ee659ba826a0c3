// Command storm measures what a crawler storm does to readers of hot
// pages, and newsdesk's peak memory under it (issue 19). On a corpus made
// by bench/corpus it starts `newsdesk serve --trust-proxy` on loopback
// once per configuration (the defaults, then --cache-mb 256) and runs
// four phases of --duration each:
//
//   - hot: readers only: wrk (bench/storm/hot.lua) on the hot pages (the
//     home page, the hot article's section, the hot article and the next
//     --hot pages of cold.txt, all fetched once first), each request
//     forwarded for one of 1,000 reader addresses;
//   - storm: the same readers while a crawler (GPTBot's user agent, its
//     own X-Forwarded-For) walks never-viewed pages (articles from
//     cold.txt and listing pages from archive.txt, 3 to 1) on
//     --crawler-conns connections, waiting as Retry-After says when it is
//     refused, as search engines' crawlers do;
//   - rude storm: the same, the crawler retrying at once when refused;
//   - rude storm + misses: the same, and readers' own misses besides
//     (wrk with bench/cold.lua on --miss-conns connections from 50 reader
//     addresses, never-viewed articles from the other end of cold.txt),
//     every kind of page traffic at once, to fill the cache.
//
// It prints per phase the readers' req/s, p50 and p99 (wrk's), the
// crawler's pages/s, refusals and p99, the page cache's size (from
// --metrics-addr) and the process's peak RSS so far (VmHWM from /proc),
// then each target with its figure and met / NOT met. Everything runs on 127.0.0.1; every phase is bounded in time; it
// stops only the server it started. The exit status is 0 when the run
// worked, whether or not the targets are met.
//
//	go run ./bench/storm --bin ./newsdesk --data DIR --out DIR/out [--pg DSN] [--duration 20s]
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"newsdesk/bench/internal/benchutil"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "storm:", err)
		os.Exit(1)
	}
}

// Targets of issue 19.
const (
	targetP99      = 20 * time.Millisecond
	targetRSS      = 150 // MB, default settings
	targetRSSCache = 300 // MB, --cache-mb 256
)

const crawlerUA = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"

type config struct {
	name string
	args []string
}

type result struct {
	config, phase            string
	readerRPS                float64
	readerP50, readerP99     time.Duration
	readerOther              string
	crawlPages, crawlRefused int64
	crawlRPS                 float64
	crawlP50, crawlP99       time.Duration
	crawlStatuses            string
	rssMB                    int
	cacheMB, cpu             float64
	crawling                 bool
	loadAv                   string
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("storm", flag.ContinueOnError)
	bin := fs.String("bin", "newsdesk", "the newsdesk `binary` to start")
	data := fs.String("data", "", "data `directory` of the corpus")
	pg := fs.String("pg", "", "PostgreSQL `DSN` of the corpus (default: SQLite in --data)")
	out := fs.String("out", "", "bench/corpus's output `directory` (article.txt, section.txt, cold.txt, archive.txt)")
	duration := fs.Duration("duration", 20*time.Second, "length of each phase")
	crawlConns := fs.Int("crawler-conns", 50, "the crawler's connections")
	readerConns := fs.Int("reader-conns", 10, "the readers' connections (wrk)")
	readerThreads := fs.Int("reader-threads", 2, "wrk threads")
	hotN := fs.Int("hot", 50, "hot article pages besides the home, section and hot article pages")
	configs := fs.String("configs", "defaults,cache-mb-256", "configurations to run, comma-separated: defaults, cache-mb-N, or raw serve flags in brackets")
	extra := fs.String("serve-args", "", "more arguments for every newsdesk serve, space-separated")
	wrkBin := fs.String("wrk", "wrk", "the wrk `binary`")
	script := fs.String("script", "bench/storm/hot.lua", "wrk's `script` for the readers")
	coldScript := fs.String("cold-script", "bench/cold.lua", "wrk's `script` for the readers' misses of the last phase")
	fillConns := fs.Int("miss-conns", 20, "connections of the readers' misses (the last phase, and --fill)")
	fillMax := fs.Duration("fill", 0, "before the phases, fill the page cache with readers' misses for at most this `long`, until it holds 90% of what it may (0: do not)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || *out == "" {
		return errors.New("--data and --out are required")
	}
	if _, err := exec.LookPath(*wrkBin); err != nil {
		return fmt.Errorf("wrk is not installed (apt-get install wrk): %w", err)
	}
	db := "sqlite"
	if *pg != "" {
		db = "postgres"
	}
	line := func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(*out, name))
		return strings.TrimSpace(string(b)), err
	}
	article, err := line("article.txt")
	if err != nil {
		return err
	}
	section, err := line("section.txt")
	if err != nil {
		return err
	}
	cold, err := benchutil.ReadLines(filepath.Join(*out, "cold.txt"))
	if err != nil {
		return err
	}
	archive, _ := benchutil.ReadLines(filepath.Join(*out, "archive.txt"))
	if len(cold) <= *hotN {
		return fmt.Errorf("cold.txt has %d paths; need more than --hot %d", len(cold), *hotN)
	}
	hot := append([]string{"/", section, article}, cold[:*hotN]...)
	hotFile := filepath.Join(os.TempDir(), fmt.Sprintf("storm-hot-%d.txt", os.Getpid()))
	if err := os.WriteFile(hotFile, []byte(strings.Join(hot, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	defer os.Remove(hotFile)
	walk := crawlList(cold[*hotN:], archive)
	// The readers' misses take cold.txt from its end, the crawler from its
	// start: neither asks for a page the other has rendered.
	rest := slices.Clone(cold[*hotN:])
	slices.Reverse(rest)
	fillFile := filepath.Join(os.TempDir(), fmt.Sprintf("storm-misses-%d.txt", os.Getpid()))
	if err := os.WriteFile(fillFile, []byte(strings.Join(rest[:min(len(rest), 200000)], "\n")+"\n"), 0o644); err != nil {
		return err
	}
	defer os.Remove(fillFile)

	var cfgs []config
	for _, c := range strings.Split(*configs, ",") {
		c = strings.TrimSpace(c)
		switch {
		case c == "defaults":
			cfgs = append(cfgs, config{name: "defaults"})
		case strings.HasPrefix(c, "cache-mb-"):
			cfgs = append(cfgs, config{name: "--cache-mb " + strings.TrimPrefix(c, "cache-mb-"), args: []string{"--cache-mb", strings.TrimPrefix(c, "cache-mb-")}})
		case strings.HasPrefix(c, "[") && strings.HasSuffix(c, "]"):
			f := strings.Fields(strings.Trim(c, "[]"))
			cfgs = append(cfgs, config{name: strings.Join(f, " "), args: f})
		case c != "":
			return fmt.Errorf("unknown configuration %q", c)
		}
	}
	var results []result
	cursor, fillPos := 0, 0
	for _, cfg := range cfgs {
		serveArgs := []string{"serve", "--data", *data, "--addr", "127.0.0.1:0", "--no-demo", "--trust-proxy",
			"--metrics-addr", "127.0.0.2:0"} // another loopback address than --addr's
		if *pg != "" {
			serveArgs = append(serveArgs, "--db", *pg)
		}
		serveArgs = append(append(serveArgs, strings.Fields(*extra)...), cfg.args...)
		srv, err := startServer(*bin, serveArgs)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "storm: %s: newsdesk %s (pid %d) at %s\n", cfg.name, strings.Join(serveArgs, " "), srv.cmd.Process.Pid, srv.base)
		client := &http.Client{Timeout: 30 * time.Second}
		for _, p := range hot {
			if err := warm(client, srv.base+p); err != nil {
				srv.stop()
				return err
			}
		}
		if *fillMax > 0 {
			fillCache(srv, *wrkBin, *coldScript, fillFile, *fillConns, *fillMax, &fillPos)
		}
		for _, ph := range []struct {
			name              string
			crawl, rude, fill bool
		}{{"hot pages only", false, false, false}, {"crawler storm", true, false, false},
			{"rude crawler storm", true, true, false}, {"rude storm + misses", true, true, true}} {
			r := result{config: cfg.name, phase: ph.name, crawling: ph.crawl}
			cpu0 := cpuSeconds(srv.cmd.Process.Pid)
			fmt.Fprintf(os.Stderr, "storm: %s: %s for %s\n", cfg.name, ph.name, *duration)
			var cr *crawler
			ctx, cancel := context.WithTimeout(context.Background(), *duration+2*time.Second)
			if ph.crawl {
				cr = &crawler{base: srv.base, paths: walk, next: cursor, rude: ph.rude}
				cr.start(ctx, *crawlConns)
				time.Sleep(500 * time.Millisecond) // the crawler's queue fills first
			}
			var fill chan error
			if ph.fill {
				// Readers' own misses besides: never-viewed articles from
				// the other end of cold.txt, 50 reader addresses.
				fill = make(chan error, 1)
				go func() {
					fw, err := runWrk(*wrkBin, *coldScript, "", srv.base, 1, *fillConns, *duration,
						"COLD_FILE="+fillFile, "WRK_THREADS=1", "CLIENTS=50", "START="+strconv.Itoa(fillPos))
					fillPos += fw.requests
					fill <- err
				}()
			}
			w, err := runWrk(*wrkBin, *script, hotFile, srv.base, *readerThreads, *readerConns, *duration)
			if fill != nil {
				if ferr := <-fill; ferr != nil && err == nil {
					err = ferr
				}
			}
			if cr != nil {
				cancel()
				cr.wait()
				cursor = cr.cursor()
				r.crawlPages, r.crawlRefused, r.crawlRPS = cr.ok.Load(), cr.refused.Load(), float64(cr.ok.Load())/cr.elapsed().Seconds()
				r.crawlP50, r.crawlP99 = cr.percentile(50), cr.percentile(99)
				r.crawlStatuses = cr.statusText()
			}
			cancel()
			if err != nil {
				srv.stop()
				return err
			}
			r.readerRPS, r.readerP50, r.readerP99, r.readerOther = w.rps, w.p50, w.p99, w.other
			r.rssMB = vmHWM(srv.cmd.Process.Pid)
			r.cacheMB, _ = srv.cacheMB()
			r.cpu = cpuSeconds(srv.cmd.Process.Pid) - cpu0
			r.loadAv = loadAverage()
			results = append(results, r)
		}
		srv.stop()
	}

	load := loadAverage()
	fmt.Fprintf(stdout, "crawler storm, %s, %d never-viewed articles and %d listing pages to walk, %s per phase, load average at the end %s\n",
		db, len(cold)-*hotN, len(archive), *duration, load)
	fmt.Fprintf(stdout, "readers: wrk %d threads × %d connections on %d hot pages (hits), 1,000 reader addresses; crawler: %d connections, GPTBot's user agent, one address\n",
		*readerThreads, *readerConns, len(hot), *crawlConns)
	fmt.Fprintf(stdout, "| %-18s | %-19s | %9s | %7s | %7s | %9s | %7s | %8s | %-28s | %8s | %6s | %7s | %s\n",
		"config", "phase", "readers/s", "p50 ms", "p99 ms", "crawled/s", "refused", "c. p99", "crawler statuses / reader X-Cache", "cache MB", "CPU s", "RSS MB", "load")
	fmt.Fprintf(stdout, "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|------\n", dash(20), dash(21), dash(11), dash(9), dash(9), dash(11), dash(9), dash(10), dash(30), dash(10), dash(8), dash(9))
	for _, r := range results {
		crawl, refused, cp99, st := "", "", "", r.readerOther
		if r.crawling {
			crawl, refused, cp99, st = fmt.Sprintf("%.0f", r.crawlRPS), strconv.FormatInt(r.crawlRefused, 10), fmt.Sprintf("%.0f", benchutil.Ms(r.crawlP99)), r.crawlStatuses
		}
		fmt.Fprintf(stdout, "| %-18s | %-19s | %9.0f | %7.2f | %7.2f | %9s | %7s | %8s | %-28s | %8.1f | %6.1f | %7d | %s\n",
			r.config, r.phase, r.readerRPS, benchutil.Ms(r.readerP50), benchutil.Ms(r.readerP99), crawl, refused, cp99, st, r.cacheMB, r.cpu, r.rssMB, r.loadAv)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "| %-66s | %10s | %s\n", "target (issue 19)", "figure", "met?")
	fmt.Fprintf(stdout, "|%s|%s|------\n", dash(68), dash(12))
	peak := map[string]int{}
	for _, r := range results {
		peak[r.config] = max(peak[r.config], r.rssMB)
		if r.crawling {
			fmt.Fprintf(stdout, "| %-66s | %7.2f ms | %s\n", fmt.Sprintf("readers' p99 < 20 ms during the %s (%s)", r.phase, r.config),
				benchutil.Ms(r.readerP99), met(r.readerP99 < targetP99))
		}
	}
	for _, cfg := range cfgs {
		limit := targetRSS
		if cfg.name != "defaults" {
			limit = targetRSSCache
		}
		if cfg.name != "defaults" && cfg.name != "--cache-mb 256" {
			continue
		}
		fmt.Fprintf(stdout, "| %-66s | %7d MB | %s\n", fmt.Sprintf("peak RSS < %d MB (%s, every phase)", limit, cfg.name), peak[cfg.name], met(peak[cfg.name] < limit))
	}
	return nil
}

// fillCache runs readers' misses in slices of 10 s until the page cache
// holds 90% of what it may, or max has passed.
func fillCache(srv *server, wrkBin, script, file string, conns int, limit time.Duration, pos *int) {
	start := time.Now()
	for time.Since(start) < limit {
		size, budget := srv.cacheMB()
		fmt.Fprintf(os.Stderr, "storm: filling the cache: %.1f of %.1f MB after %s\n", size, budget, time.Since(start).Round(time.Second))
		if size < 0 || size >= 0.9*budget {
			return
		}
		w, err := runWrk(wrkBin, script, "", srv.base, 1, conns, 10*time.Second,
			"COLD_FILE="+file, "WRK_THREADS=1", "CLIENTS=50", "START="+strconv.Itoa(*pos))
		if err != nil {
			fmt.Fprintln(os.Stderr, "storm: filling the cache:", err)
			return
		}
		*pos += w.requests
	}
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func dash(n int) string { return strings.Repeat("-", n) }

// crawlList interleaves never-viewed articles and listing pages, three to
// one, as a crawler following an archive's links meets them.
func crawlList(articles, listings []string) []string {
	out := make([]string, 0, len(articles)+len(listings))
	j := 0
	for i, a := range articles {
		out = append(out, a)
		if i%3 == 2 && j < len(listings) {
			out = append(out, listings[j])
			j++
		}
	}
	return append(out, listings[j:]...)
}

// crawler walks paths from next on, each once, on its connections.
type crawler struct {
	base  string
	paths []string
	next  int
	rude  bool

	pos          atomic.Int64
	ok, refused  atomic.Int64
	mu           sync.Mutex
	times        []time.Duration
	statuses     map[int]int
	wg           sync.WaitGroup
	began, ended time.Time
}

func (c *crawler) start(ctx context.Context, conns int) {
	c.pos.Store(int64(c.next))
	c.statuses = map[int]int{}
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	c.began = time.Now()
	for range conns {
		c.wg.Go(func() {
			i, retry := 0, false
			for ctx.Err() == nil {
				if !retry {
					i = int(c.pos.Add(1) - 1)
					if i >= len(c.paths) {
						return // walked the whole archive
					}
				}
				retry = false
				req, err := http.NewRequestWithContext(ctx, "GET", c.base+c.paths[i], nil)
				if err != nil {
					return
				}
				req.Header.Set("User-Agent", crawlerUA)
				req.Header.Set("X-Forwarded-For", "198.19.0.1")
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					continue // the phase ended
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				d := time.Since(t0)
				c.mu.Lock()
				c.statuses[res.StatusCode]++
				if res.StatusCode == http.StatusOK || res.StatusCode == http.StatusNotFound {
					c.times = append(c.times, d)
				}
				c.mu.Unlock()
				switch res.StatusCode {
				case http.StatusTooManyRequests, http.StatusServiceUnavailable:
					c.refused.Add(1)
					retry = true // the same page again
					if !c.rude {
						s, _ := strconv.Atoi(res.Header.Get("Retry-After"))
						select {
						case <-time.After(time.Duration(min(max(s, 1), 30)) * time.Second):
						case <-ctx.Done():
						}
					}
				default:
					c.ok.Add(1)
				}
			}
		})
	}
}

func (c *crawler) wait() {
	c.wg.Wait()
	c.ended = time.Now()
}

func (c *crawler) elapsed() time.Duration { return c.ended.Sub(c.began) }

func (c *crawler) cursor() int { return int(min(c.pos.Load(), int64(len(c.paths)))) }

func (c *crawler) percentile(p int) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.times) == 0 {
		return 0
	}
	s := slices.Clone(c.times)
	slices.Sort(s)
	return benchutil.Percentile(s, p)
}

func (c *crawler) statusText() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var codes []int
	for k := range c.statuses {
		codes = append(codes, k)
	}
	slices.Sort(codes)
	var parts []string
	for _, k := range codes {
		parts = append(parts, fmt.Sprintf("%d:%d", k, c.statuses[k]))
	}
	return strings.Join(parts, " ")
}

// wrkResult is what one wrk run printed.
type wrkResult struct {
	requests int
	rps      float64
	p50, p99 time.Duration
	other    string
}

func runWrk(bin, script, hotFile, base string, threads, conns int, d time.Duration, env ...string) (wrkResult, error) {
	var w wrkResult
	cmd := exec.Command(bin, "--latency", "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%ds", int(d.Seconds())), "--timeout", "5s", "-s", script, base+"/")
	cmd.Env = append(append(os.Environ(), "HOT_FILE="+hotFile, "CLIENTS=1000"), env...)
	outB, err := cmd.CombinedOutput()
	out := string(outB)
	if err != nil {
		return w, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) > 3 && f[1] == "requests" && f[2] == "in":
			w.requests, _ = strconv.Atoi(f[0])
		case len(f) == 2 && f[0] == "Requests/sec:":
			w.rps, _ = strconv.ParseFloat(f[1], 64)
		case len(f) == 2 && f[0] == "50%":
			w.p50 = wrkDuration(f[1])
		case len(f) == 2 && f[0] == "99%":
			w.p99 = wrkDuration(f[1])
		case len(f) > 0 && f[0] == "xcache":
			w.other = strings.Join(f[1:], " ")
		case strings.HasPrefix(strings.TrimSpace(l), "Non-2xx"):
			w.other += " non-2xx:" + f[len(f)-1]
		}
	}
	if w.rps == 0 {
		return w, fmt.Errorf("wrk printed no figures:\n%s", out)
	}
	return w, nil
}

// wrkDuration reads wrk's "437.12us", "2.09ms", "1.20s".
func wrkDuration(s string) time.Duration {
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return time.Duration(f * float64(u.unit))
			}
		}
	}
	return 0
}

// server is the newsdesk process started for one configuration.
type server struct {
	cmd           *exec.Cmd
	base, metrics string
	log           string
	exited        chan struct{} // closed once the process has ended
}

var (
	serving    = regexp.MustCompile(`serving (http://[0-9.]+:[0-9]+)`)
	metricsAt  = regexp.MustCompile(`flag=--metrics-addr addr=(http://[0-9.]+:[0-9]+/metrics)`)
	cacheLine  = regexp.MustCompile(`(?m)^newsdesk_cache_bytes ([0-9.e+]+)$`)
	budgetLine = regexp.MustCompile(`(?m)^newsdesk_cache_budget_bytes ([0-9.e+]+)$`)
)

// cacheMB reads the page cache's size and what it may hold now from the
// server's metrics, in MB (-1 when it cannot).
func (s *server) cacheMB() (size, budget float64) {
	size, budget = -1, -1
	if s.metrics == "" {
		return
	}
	res, err := http.Get(s.metrics)
	if err != nil {
		return
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := cacheLine.FindSubmatch(b); m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		size = v / (1 << 20)
	}
	if m := budgetLine.FindSubmatch(b); m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		budget = v / (1 << 20)
	}
	return
}

// cpuSeconds is the process's user and system time so far.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces): utime and
	// stime are the 12th and 13th, in clock ticks (100 a second).
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	k, _ := strconv.ParseFloat(f[12], 64)
	return (u + k) / 100
}

func startServer(bin string, args []string) (*server, error) {
	logf, err := os.CreateTemp("", "storm-newsdesk-*.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{cmd: cmd, log: logf.Name(), exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.exited) }()
	deadline := time.Now().Add(120 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			b, _ := os.ReadFile(s.log)
			os.Remove(s.log)
			return nil, fmt.Errorf("newsdesk exited at start; its log:\n%s", b)
		default:
		}
		if b, err := os.ReadFile(s.log); err == nil {
			if m := serving.FindSubmatch(b); m != nil {
				s.base = string(m[1])
				if m := metricsAt.FindSubmatch(b); m != nil {
					s.metrics = string(m[1])
				}
				return s, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	b, _ := os.ReadFile(s.log)
	s.stop()
	return nil, fmt.Errorf("newsdesk did not start in 2 minutes; its log:\n%s", b)
}

// stop ends the server it started (SIGINT, then SIGKILL after 10 s).
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	os.Remove(s.log)
}

// warm asks for a hot page once, as a reader, so that it is cached.
func warm(c *http.Client, url string) error {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Forwarded-For", "198.18.0.1")
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("warming %s: %s", url, res.Status)
	}
	return nil
}

// vmHWM is the process's peak resident set in MB (VmHWM in /proc).
func vmHWM(pid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return (kb + 512) / 1024
		}
	}
	return 0
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
