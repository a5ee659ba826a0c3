package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// Every 429 says the real wait in Retry-After, on the form and in the API:
// the comment flood interval (15 s by default) less the time since the last
// comment, and the error-report bucket's time to its next token.
func TestRetryAfterIsTheRealWait(t *testing.T) {
	ta := newTestApp(t, "", false)
	f := newNewsFixture(t, ta)
	rd := newReader(t, ta)
	if p := rd.post(commentForm(f.a.ID, "First.", "Fay", "fay@example.org", "")); p.status != http.StatusSeeOther {
		t.Fatalf("first comment: %d", p.status)
	}
	ta.clock.Add(5 * time.Second)
	p := rd.post(commentForm(f.a.ID, "Second, quickly.", "Fay", "fay@example.org", ""))
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") != "10" {
		t.Errorf("flood via form: %d, Retry-After %q, want 429 and 10", p.status, p.header.Get("Retry-After"))
	}
	if msg := rd.doc.Find("#comment-errors").Text(); !strings.Contains(msg, "10") {
		t.Errorf("flood message %q does not say 10 seconds", msg)
	}
	ta.clock.Add(3 * time.Second)
	res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", f.a.ID), "", `{"name":"Fay","email":"fay@example.org","body":"Third."}`)
	var body web.ErrorBody
	res.decode(t, &body)
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "7" || body.Error.RetryAfter != 7 {
		t.Errorf("flood via API: %d, Retry-After %q, body %s; want 429, 7, retry_after 7", res.status, res.header.Get("Retry-After"), res.body)
	}

	// Error reports: 3 a minute from one address is one token every 20 s.
	ta2 := newTestAppWith(t, "", func(c *Config) { c.Reports.PerIP, c.Reports.PerArticle = 3, 100 })
	editor, _ := mustToken(t, ta2, newsroom.RoleEditor)
	a := mustPublish(t, ta2, editor, "Ferry back on time", reportBody)
	for i := range 3 {
		if res := doJSON(t, ta2.srv, "POST", "/api/v1/error-reports", "", reportJSON(a, "Kelby", "reached ", ", said", "")); res.status != http.StatusAccepted {
			t.Fatalf("report %d: %d %s", i+1, res.status, res.body)
		}
	}
	res = doJSON(t, ta2.srv, "POST", "/api/v1/error-reports", "", reportJSON(a, "Kelby", "reached ", ", said", ""))
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "20" {
		t.Errorf("4th report via API: %d, Retry-After %q, want 429 and 20", res.status, res.header.Get("Retry-After"))
	}
	ta2.clock.Add(15 * time.Second)
	form := url.Values{"article": {fmt.Sprint(a.ID)}, "revision": {fmt.Sprint(a.Revision)}, "exact": {"Kelby"},
		"prefix": {"reached "}, "suffix": {", said"}, "suggestion": {"Kelbie"}}
	rd2 := newReader(t, ta2)
	p = rd2.do("POST", "/report-error", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") != "5" {
		t.Errorf("report via form: %d, Retry-After %q, want 429 and 5", p.status, p.header.Get("Retry-After"))
	}
}

// With --trust-proxy, a forwarded address that does not parse is never a
// key of its own: those requests count as the peer's, so rotating garbage
// in X-Forwarded-For does not escape the limit.
func TestMalformedForwardedForIsNotAKey(t *testing.T) {
	ta := newTestAppWith(t, "", func(c *Config) { c.Reports.PerIP, c.Reports.PerArticle, c.TrustProxy = 3, 100, true })
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	a := mustPublish(t, ta, editor, "Ferry back on time", reportBody)
	post := func(xff string) int {
		return doJSONFrom(t, ta, "POST", "/api/v1/error-reports", xff, reportJSON(a, "Kelby", "reached ", ", said", "")).status
	}
	for i, xff := range []string{"garbage-1", "203.0.113.1, 999.0.0.1", "' OR 1=1"} {
		if st := post(xff); st != http.StatusAccepted {
			t.Fatalf("report %d: %d", i+1, st)
		}
	}
	if st := post("garbage-4"); st != http.StatusTooManyRequests {
		t.Errorf("4th malformed address: %d, want 429 (all count as the peer)", st)
	}
	// One /64 is one client: hopping within it does not help either.
	for i := range 3 {
		if st := post(fmt.Sprintf("2001:db8:5:6::%x", i+1)); st != http.StatusAccepted {
			t.Fatalf("ipv6 report %d: %d", i+1, st)
		}
	}
	if st := post("2001:db8:5:6:ffff::1"); st != http.StatusTooManyRequests {
		t.Errorf("4th report from one /64: %d, want 429", st)
	}
	if st := post("2001:db8:5:7::1"); st != http.StatusAccepted {
		t.Errorf("the next /64: %d, want 202", st)
	}
}
