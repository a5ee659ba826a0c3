package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/storetest"
)

// TestViewWorkOncePerCluster: three nodes (apps as serve builds them) on
// one PostgreSQL database, each running serve's jobs for the view counts
// and the sessions. Each node counts and writes its own readers' views,
// and the counts add up; the work about them is the cluster's: exactly
// one node checks the most-read ranking, one trims the old hourly counts
// and one deletes expired sessions (each node's /metrics counts the runs;
// the others count none). The ranking's announcement reaches every node:
// each home page lists first a story read on one other node only. When
// the node checking the ranking stops, another takes the job over and the
// next move of the ranking reaches the pages of the nodes left.
func TestViewWorkOncePerCluster(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	var nodes []*testApp
	for range 3 {
		n := newTestAppWith(t, dsn, func(c *Config) { c.TrustProxy, c.rankEvery = true, 200*time.Millisecond })
		select {
		case <-n.listening:
		case <-time.After(10 * time.Second):
			t.Fatal("change listener did not connect")
		}
		nodes = append(nodes, n)
	}
	a := nodes[0]
	editor, user := mustToken(t, a, newsroom.RoleEditor)
	mustSection(t, a, "region", "Region")
	var stories []api.ArticleJSON
	for i := range 3 {
		stories = append(stories, mustCreateJSON(t, a, editor,
			fmt.Sprintf(`{"headline":"Ferry notice %d","body":"The line is open.","status":"published","categories":["region"]}`, i)))
	}
	// What the cluster's jobs clear: hourly counts of nine days ago and an
	// expired session (a live one stays).
	now := a.clock.Now()
	must(t, a.store.AddViewDetail(ctx, map[newsroom.HourKey]int{{ArticleID: stories[0].ID, Hour: now.Add(-9 * 24 * time.Hour).Truncate(time.Hour)}: 5}, nil))
	for _, s := range []*newsroom.Session{
		{IDHash: "expired", UserID: user.ID, CSRFToken: "c1", CreatedAt: now.Add(-48 * time.Hour), ExpiresAt: now.Add(-time.Hour), LastSeen: now.Add(-47 * time.Hour)},
		{IDHash: "live", UserID: user.ID, CSRFToken: "c2", CreatedAt: now, ExpiresAt: now.Add(time.Hour), LastSeen: now},
	} {
		must(t, a.store.CreateSession(ctx, s))
	}

	// Each node runs the jobs as serve starts them (each under its lease).
	work := map[string]bool{"most-read ranking": true, "view history": true, "expired sessions": true}
	stop := make([]func(), len(nodes))
	for i, n := range nodes {
		jctx, cancel := context.WithCancel(ctx)
		sd := &shutdown{jobCtx: jctx, lease: n.store.TryLease, log: testLogger(t)}
		started := 0
		for _, j := range n.backgroundJobs() {
			if work[j.name] {
				if j.scope != perCluster {
					t.Fatalf("%s runs on every node", j.name)
				}
				sd.goJob(j.scope, j.name, j.run)
				started++
			}
		}
		if started != len(work) {
			t.Fatalf("serve starts %d of the jobs %v", started, work)
		}
		done := false
		stop[i] = func() {
			if !done {
				done = true
				cancel()
				jctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				defer cancel()
				must(t, sd.join(jctx))
			}
		}
		t.Cleanup(stop[i])
	}
	metrics := make([]string, len(nodes))
	for i, n := range nodes {
		srv := httptest.NewServer(n.metrics.Handler())
		t.Cleanup(srv.Close)
		metrics[i] = srv.URL + "/metrics"
	}
	runs := func(i int, job string) float64 {
		return max(sample(scrape(t, metrics[i]), "newsdesk_job_runs_total", "job="+job), 0)
	}
	// runner waits until one node has run job at least times times and
	// returns it, failing if another node ran it too.
	runner := func(job string, times float64) int {
		t.Helper()
		who := -1
		among := []int{0, 1, 2}
		if waitFor(15*time.Second, func() bool {
			for _, i := range among {
				if runs(i, job) >= times {
					who = i
					return true
				}
			}
			return false
		}) < 0 {
			t.Fatalf("no node ran %s %v times", job, times)
		}
		for _, i := range among {
			if i != who && runs(i, job) != 0 {
				t.Errorf("%s ran on node %d as well as on node %d", job, i, who)
			}
		}
		return who
	}
	// The ranking is checked every 200 ms here, the trim and the sweep
	// once when their node takes the job, then hourly.
	all := []int{0, 1, 2}
	ranker := runner("views_ranking", 3)
	runner("views_trim", 1)
	runner("sessions_sweep", 1)
	if got, err := a.store.HourlyViews(ctx, now.Add(-10*24*time.Hour), now.Add(-8*24*time.Hour), nil); err != nil || len(got) != 0 {
		t.Errorf("hourly counts of nine days ago after the trim: %+v %v", got, err)
	}
	if _, err := a.store.SessionByHash(ctx, "expired"); !newsroom.IsNotFound(err) {
		t.Errorf("expired session after the sweep: %v, want it gone", err)
	}
	if _, err := a.store.SessionByHash(ctx, "live"); err != nil {
		t.Errorf("live session after the sweep: %v", err)
	}

	// Readers on each node: each node counts its own, and writes them.
	readers := 0
	read := func(n *testApp, path string, times int) {
		t.Helper()
		for range times {
			readers++
			fetch(t, n, "GET", path, "User-Agent", browserUA, "X-Forwarded-For", fmt.Sprintf("198.51.%d.%d", readers/250, readers%250+1))
		}
	}
	firstOnHome := func(n *testApp) string {
		t.Helper()
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(fetch(t, n, "GET", "/").body))
		must(t, err)
		return doc.Find(".most-read section").First().Find("li a").First().AttrOr("href", "")
	}
	// The ranking moves to the story with the most views, counted on
	// the nodes in counts, on the home page of every node in on.
	moveTo := func(story api.ArticleJSON, counts map[int]int, on []int) {
		t.Helper()
		for i, k := range counts {
			read(nodes[i], story.URL, k)
		}
		for i := range nodes {
			must(t, nodes[i].views.Flush(ctx))
		}
		for _, i := range on {
			if took := waitFor(10*time.Second, func() bool { return firstOnHome(nodes[i]) == story.URL }); took < 0 {
				t.Errorf("node %d's home page does not list %s first (it lists %s)", i, story.URL, firstOnHome(nodes[i]))
			} else {
				t.Logf("node %d lists %s first after %s", i, story.URL, took.Round(time.Millisecond))
			}
		}
	}
	for _, n := range nodes {
		firstOnHome(n) // cached: only the announcement drops it
	}
	read(nodes[0], stories[1].URL, 2)
	moveTo(stories[0], map[int]int{(ranker + 1) % 3: 4}, all)
	top, err := a.store.MostRead(ctx, newsroom.ViewDay(now, time.UTC), now.Add(time.Minute), 5)
	must(t, err)
	if len(top) != 2 || top[0].ID != stories[0].ID {
		t.Fatalf("most read after the nodes' flushes: %v", top)
	}

	// The node checking the ranking stops: another takes the job over.
	stop[ranker]()
	var left []int
	for _, i := range all {
		if i != ranker {
			left = append(left, i)
		}
	}
	before := map[int]float64{}
	for _, i := range left {
		before[i] = runs(i, "views_ranking")
	}
	next := -1
	if waitFor(15*time.Second, func() bool {
		for _, i := range left {
			if runs(i, "views_ranking") > before[i] {
				next = i
				return true
			}
		}
		return false
	}) < 0 {
		t.Fatalf("no node took the ranking over after node %d stopped", ranker)
	}
	t.Logf("node %d checks the ranking after node %d stopped", next, ranker)
	// Views spread over the two nodes left move the ranking again.
	moveTo(stories[2], map[int]int{left[0]: 3, left[1]: 3}, left)
}
