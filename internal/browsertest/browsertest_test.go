package browsertest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestHarness checks the harness itself on a tiny page: navigation,
// evaluation, a screenshot, and that axe-core reports a known violation
// (an image without alt text) and passes a clean page.
func TestHarness(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/bad" {
			w.Write([]byte(`<!doctype html><html lang="en"><title>bad</title><main><img src="/x.png"></main></html>`))
			return
		}
		w.Write([]byte(`<!doctype html><html lang="en"><title>ok</title><main><h1>Hello</h1><p>Calm page.</p></main></html>`))
	}))
	defer srv.Close()
	ctx := New(t)
	Run(t, ctx, chromedp.Navigate(srv.URL+"/"))
	if got := Eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "Hello" {
		t.Errorf("h1 = %q", got)
	}
	Screenshot(t, ctx, "harness")
	if v := Axe(t, ctx); len(v) != 0 {
		t.Errorf("clean page has violations: %v", v)
	}
	Run(t, ctx, chromedp.Navigate(srv.URL+"/bad"))
	v := Axe(t, ctx)
	found := false
	for _, x := range v {
		if x.ID == "image-alt" {
			found = true
		}
	}
	if !found {
		t.Errorf("axe did not report the missing alt text; got %v", v)
	}
}
