package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"newsdesk/internal/newsroom"
)

// scrape fetches /metrics and parses it with Prometheus's own text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("metrics do not parse: %v", err)
	}
	return fams
}

// sample returns the value of the family's series whose labels include
// all of want ("k=v" pairs), summed over the others; histograms count.
func sample(fams map[string]*dto.MetricFamily, name string, want ...string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
	total := 0.0
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		ok := true
		for _, w := range want {
			k, v, _ := strings.Cut(w, "=")
			if labels[k] != v {
				ok = false
			}
		}
		if !ok {
			continue
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		case m.Histogram != nil:
			total += float64(m.Histogram.GetSampleCount())
		}
	}
	return total
}

func TestMetricsMoveWithTraffic(t *testing.T) {
	ta := newTestApp(t, "", false)
	metrics := httptest.NewServer(ta.metrics.Handler())
	defer metrics.Close()
	before := scrape(t, metrics.URL)
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "newsdesk_cache_hits_total",
		"newsdesk_db_connections_open", "newsdesk_media_stored_bytes", "newsdesk_renders_queued", "newsdesk_comments_total"} {
		if before[name] == nil {
			t.Errorf("metric %s missing", name)
		}
	}
	// The search index in use, by name: one series, 1.
	if got := sample(before, "newsdesk_search_index", "index="+ta.store.SearchIndex()); got != 1 || len(before["newsdesk_search_index"].GetMetric()) != 1 {
		t.Errorf("newsdesk_search_index{index=%q} = %v (%d series), want 1 (one series)", ta.store.SearchIndex(), got, len(before["newsdesk_search_index"].GetMetric()))
	}
	for name := range before {
		if !strings.HasPrefix(name, "newsdesk_") && !strings.HasPrefix(name, "go_") && !strings.HasPrefix(name, "process_") {
			t.Errorf("metric %s: names start with newsdesk_ (or are Go's own)", name)
		}
	}

	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	mustSection(t, ta, "harbour", "Harbour")
	au := mustAuthor(t, ta, "ola-brenn", "Ola Brenn", newsroom.LabelOwnCorr)
	story := createStory(t, ta, editor, "Quay lights replaced", "harbour", au.ID, "quay")
	for range 3 {
		resp, err := http.Get(ta.srv.URL + story.URL)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	http.Get(ta.srv.URL + "/harbour/no-such-story")
	post := func(body string) int {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/articles/%d/comments", ta.srv.URL, story.ID), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(`{"name":"Ada Rist","email":"ada@example.com","body":"The new lights are much brighter."}`); code >= 300 {
		t.Fatalf("comment: %d", code)
	}
	if code := post(`{"name":"","email":"x","body":""}`); code < 400 {
		t.Fatalf("bad comment: %d", code)
	}

	// Never on the public address.
	if resp, err := http.Get(ta.srv.URL + "/metrics"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "newsdesk_http_requests_total") {
			t.Error("the public address serves the metrics")
		}
	}
	after := scrape(t, metrics.URL)
	checks := []struct {
		name   string
		labels []string
		min    float64
	}{
		{"newsdesk_http_requests_total", []string{"route=GET /{section}/{slug}", "code=200"}, 3},
		{"newsdesk_http_requests_total", []string{"route=GET /{section}/{slug}", "code=404"}, 1},
		{"newsdesk_http_requests_total", []string{"route=POST /api/v1/articles", "code=201"}, 1},
		{"newsdesk_http_request_duration_seconds", []string{"route=GET /{section}/{slug}", "cache=hit"}, 2},
		{"newsdesk_cache_hits_total", nil, 2},
		{"newsdesk_cache_misses_total", nil, 1},
		{"newsdesk_cache_bytes", nil, 1000},
		{"newsdesk_db_query_duration_seconds", []string{"kind=query"}, 5},
		{"newsdesk_db_query_duration_seconds", []string{"pool=write", "kind=commit"}, 1},
		{"newsdesk_comments_total", []string{"result=accepted"}, 1},
		{"newsdesk_comments_total", []string{"result=refused"}, 1},
	}
	for _, c := range checks {
		got, was := sample(after, c.name, c.labels...), max(sample(before, c.name, c.labels...), 0)
		if got-was < c.min {
			t.Errorf("%s%v moved by %v (from %v), want at least %v", c.name, c.labels, got-was, was, c.min)
		}
	}
}
