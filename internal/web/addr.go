package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP is the address a request came from, by the one rule every
// surface follows: the direct peer (RemoteAddr), or, when trustProxy is set
// (--trust-proxy: newsdesk sits behind a proxy that sets these headers), the
// last X-Forwarded-For entry (the one that proxy appended), then
// X-Real-IP. Every value goes through net.ParseIP; one that does not parse
// is skipped, so a forged or malformed header never becomes a key. The
// result is invalid (IsValid false) only when no value parses.
func ClientIP(r *http.Request, trustProxy bool) netip.Addr {
	if trustProxy {
		if v := r.Header.Values(HeaderForwardedFor); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a, ok := parseIP(last); ok {
				return a
			}
		}
		if a, ok := parseIP(r.Header.Get(HeaderRealIP)); ok {
			return a
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := parseIP(host)
	return a
}

// ClientAddr is ClientIP as text for logs and stored records ("" when no
// address parses). An IPv4 address mapped into IPv6 is written as IPv4.
func ClientAddr(r *http.Request, trustProxy bool) string {
	return AddrString(ClientIP(r, trustProxy))
}

// ClientKey is the key rate limits count a request under: its client
// address, with an IPv6 address folded to its /64 (one household or one
// server has a whole /64 to hop around in). "" when no address parses.
func ClientKey(r *http.Request, trustProxy bool) string {
	return addrKey(ClientIP(r, trustProxy))
}

// RateKey folds an address written by ClientAddr to the key rate limits
// count: an IPv4 address as it is, an IPv6 address as its /64 prefix.
// Anything that is not an address gives "".
func RateKey(addr string) string {
	a, ok := parseIP(addr)
	if !ok {
		return ""
	}
	return addrKey(a)
}

// addrKey is RateKey of an address as parseIP gives it (unmapped).
func addrKey(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// AddrString writes a (as IPv4 when it is mapped), or "" when invalid.
func AddrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func parseIP(s string) (netip.Addr, bool) {
	ip := net.ParseIP(strings.TrimSpace(s))
	if ip == nil {
		return netip.Addr{}, false
	}
	a, ok := netip.AddrFromSlice(ip)
	return a.Unmap(), ok
}
