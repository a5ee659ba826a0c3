package main

import (
	"net/http"

	"newsdesk/internal/web"
)

// renderClient is the client a page render is counted against: its
// address (an IPv6 /64 as one), or none for loopback (health checks, a
// proxy on the same host that is not trusted to name the client).
func renderClient(trustProxy bool) func(*http.Request) string {
	return func(r *http.Request) string {
		ip := web.ClientIP(r, trustProxy)
		if !ip.IsValid() || ip.IsLoopback() {
			return ""
		}
		return web.ClientKey(r, trustProxy)
	}
}
