package main

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

// TestFrontPageDrawsTheCountedViews drives page views through the real
// server (readers of their own, arriving from a search engine, a social
// network and directly) with the view counter flushing every second, and
// a reader's comment through the API, and finds the same numbers drawn on
// the desk's front page: in the charts' data tables and their CSV.
func TestFrontPageDrawsTheCountedViews(t *testing.T) {
	forEachStoreWith(t, func(c *Config) { c.TrustProxy, c.ViewsFlush = true, time.Second }, func(t *testing.T, ta *testApp) {
		ta.views.Start()
		token, _ := mustToken(t, ta, newsroom.RoleEditor)
		addStaff(t, ta, "ines@example.org", "Ines Laar", newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, `{"headline":"Harbour lights counted","body":"Every lamp is lit.","status":"published","categories":["region"]}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var a api.ArticleJSON
		res.decode(t, &a)
		ta.clock.Add(time.Minute)
		for i, ref := range []string{"https://www.google.com/", "https://www.google.de/search?q=x", "https://duckduckgo.com/", "https://t.co/abc", ""} {
			hdr := []string{"User-Agent", browserUA, "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1)}
			if ref != "" {
				hdr = append(hdr, "Referer", ref)
			}
			if p := fetch(t, ta, "GET", a.URL, hdr...); p.status != http.StatusOK {
				t.Fatalf("reader %d: %d", i, p.status)
			}
		}
		res = doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), "", `{"name":"Ada","email":"ada@example.org","body":"Lovely lamps."}`)
		if res.status != http.StatusCreated && res.status != http.StatusAccepted {
			t.Fatalf("comment: %d %s", res.status, res.body)
		}

		c := signInProcess(t, ta.srv.URL, "ines@example.org", "journey password")
		get := func(path string) (int, string) {
			t.Helper()
			r, err := c.http.Get(ta.srv.URL + path)
			must(t, err)
			defer r.Body.Close()
			b, _ := io.ReadAll(r.Body)
			return r.StatusCode, string(b)
		}
		tableSum := func(doc *goquery.Document, chart string, col int) int {
			n := 0
			doc.Find("#chart-" + chart + " table.chart-data tbody tr").Each(func(_ int, tr *goquery.Selection) {
				v, _ := strconv.Atoi(tr.Find("td").Eq(col).Text())
				n += v
			})
			return n
		}
		var doc *goquery.Document
		deadline := time.Now().Add(10 * time.Second)
		for {
			ta.clock.Add(2 * time.Minute) // past the front page's one-minute cache
			st, body := get("/desk/")
			if st != http.StatusOK {
				t.Fatalf("front page: %d", st)
			}
			var err error
			doc, err = goquery.NewDocumentFromReader(strings.NewReader(body))
			must(t, err)
			if tableSum(doc, "views-day", 0) == 5 || time.Now().After(deadline) {
				break
			}
			time.Sleep(300 * time.Millisecond)
		}
		if got := tableSum(doc, "views-day", 0); got != 5 {
			t.Fatalf("views per hour table sums to %d, want the 5 counted views", got)
		}
		if got := tableSum(doc, "views-week", 0); got != 5 {
			t.Errorf("views per day table sums to %d, want 5", got)
		}
		// Sources: search, social, other, direct.
		for col, want := range []int{3, 1, 0, 1} {
			if got := tableSum(doc, "sources", col); got != want {
				t.Errorf("sources column %d = %d, want %d", col, got, want)
			}
		}
		if got := tableSum(doc, "comments", 0) + tableSum(doc, "comments", 1); got != 1 {
			t.Errorf("comments held+approved = %d, want 1", got)
		}
		for _, id := range []string{"views-day", "views-week", "sources", "reports", "comments"} {
			svg := doc.Find("#chart-" + id + " svg[role=img]")
			if svg.Length() != 1 || svg.Find("title").Length() == 0 || svg.Find("desc").Length() != 1 {
				t.Errorf("chart %s: svg with title and desc missing", id)
			}
		}
		if doc.Find(`[style]`).Length() != 0 {
			t.Error("the front page has style attributes (refused by the CSP)")
		}
		if txt := doc.Find("#h-most").Parent().Text(); !strings.Contains(txt, "Harbour lights counted") {
			t.Errorf("most read now misses the story: %q", txt)
		}
		st, body := get("/desk/front.csv?chart=sources")
		if st != http.StatusOK || !strings.HasPrefix(body, "label,search,social,other,direct\n") || !strings.Contains(body, ",3,1,0,1\n") {
			t.Errorf("sources CSV: %d %q", st, body)
		}
		st, body = get(fmt.Sprintf("/desk/articles/%d/stats", a.ID))
		if st != http.StatusOK || !strings.Contains(body, "5 views since publication") {
			t.Errorf("story panel: %d, has its 5 views: %v", st, strings.Contains(body, "5 views since publication"))
		}
	})
}
