package web

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestOverHTTPS(t *testing.T) {
	for _, tt := range []struct {
		name   string
		tls    bool
		trust  bool
		protos []string
		want   bool
	}{
		{"TLS", true, false, nil, true},
		{"plain", false, true, nil, false},
		{"trusted https", false, true, []string{"https"}, true},
		{"trusted HTTPS, spaced", false, true, []string{" HTTPS "}, true},
		{"untrusted https", false, false, []string{"https"}, false},
		{"trusted http", false, true, []string{"http"}, false},
		{"client's https before the proxy's http", false, true, []string{"https", "http"}, false},
		{"list, proxy's value last", false, true, []string{"http, https"}, true},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if tt.tls {
			r.TLS = &tls.ConnectionState{}
		}
		for _, p := range tt.protos {
			r.Header.Add(HeaderForwardedProto, p)
		}
		if got := OverHTTPS(r, tt.trust); got != tt.want {
			t.Errorf("%s: OverHTTPS = %v, want %v", tt.name, got, tt.want)
		}
	}
}
