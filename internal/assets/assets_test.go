package assets

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadAndServe(t *testing.T) {
	fsys := fstest.MapFS{
		"static/site.css": {Data: []byte("body{color:#111}")},
		"static/site.js":  {Data: []byte("console.log(1)")},
	}
	s, err := Load(fsys, "static", "/assets/")
	if err != nil {
		t.Fatal(err)
	}
	u, ok := s.URL("site.css")
	if !ok || !strings.HasPrefix(u, "/assets/site.") || !strings.HasSuffix(u, ".css") || len(u) != len("/assets/site.")+10+len(".css") {
		t.Fatalf("URL(site.css) = %q, %v", u, ok)
	}
	if _, ok := s.URL("missing.css"); ok {
		t.Error("URL of a missing asset reported ok")
	}
	rec := httptest.NewRecorder()
	if !s.Serve(rec, httptest.NewRequest("GET", u, nil), strings.TrimPrefix(u, "/assets/")) {
		t.Fatal("Serve did not find the asset")
	}
	if got := rec.Body.String(); got != "body{color:#111}" {
		t.Errorf("body = %q", got)
	}
	for k, want := range map[string]string{"Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=31536000, immutable"} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if s.Serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/assets/site.css", nil), "site.css") {
		t.Error("the plain name was served; only hashed names may be")
	}
	head := httptest.NewRecorder()
	s.Serve(head, httptest.NewRequest(http.MethodHead, u, nil), strings.TrimPrefix(u, "/assets/"))
	if head.Body.Len() != 0 {
		t.Error("HEAD wrote a body")
	}
}
