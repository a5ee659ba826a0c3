package web

import (
	"net/http"
	"strings"
)

// OverHTTPS reports whether the client reached us over HTTPS: the request
// came over TLS, or, only with trustProxy, the proxy in front says so in
// X-Forwarded-Proto (the last value: the one our proxy set).
func OverHTTPS(r *http.Request, trustProxy bool) bool {
	if r.TLS != nil {
		return true
	}
	if !trustProxy {
		return false
	}
	v := r.Header[HeaderForwardedProto] // canonical already: no Values call to canonicalize it per request
	if len(v) == 0 {
		return false
	}
	last := v[len(v)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(last), "https")
}
