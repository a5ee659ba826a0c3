package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	tests := []struct {
		name      string
		remote    string
		xff       []string
		realIP    string
		trust     bool
		addr, key string
	}{
		{name: "peer", remote: "192.0.2.7:5151", addr: "192.0.2.7", key: "192.0.2.7"},
		{name: "peer without port", remote: "192.0.2.7", addr: "192.0.2.7", key: "192.0.2.7"},
		{name: "headers ignored without trust", remote: "192.0.2.7:1", xff: []string{"198.51.100.9"}, realIP: "198.51.100.10", addr: "192.0.2.7", key: "192.0.2.7"},
		{name: "last forwarded entry", remote: "127.0.0.1:1", xff: []string{"203.0.113.1, 198.51.100.9"}, trust: true, addr: "198.51.100.9", key: "198.51.100.9"},
		{name: "last of several header lines", remote: "127.0.0.1:1", xff: []string{"203.0.113.1", "198.51.100.4 , 198.51.100.5"}, trust: true, addr: "198.51.100.5", key: "198.51.100.5"},
		{name: "malformed forwarded falls to real ip", remote: "127.0.0.1:1", xff: []string{"203.0.113.1, evil"}, realIP: "198.51.100.10", trust: true, addr: "198.51.100.10", key: "198.51.100.10"},
		{name: "malformed everywhere falls to the peer", remote: "127.0.0.1:1", xff: []string{"1.2.3.4.5"}, realIP: "not-an-ip", trust: true, addr: "127.0.0.1", key: "127.0.0.1"},
		{name: "forwarded value with a port is not an address", remote: "127.0.0.1:1", xff: []string{"198.51.100.9:80"}, trust: true, addr: "127.0.0.1", key: "127.0.0.1"},
		{name: "empty forwarded entry", remote: "127.0.0.1:1", xff: []string{"198.51.100.9,"}, trust: true, addr: "127.0.0.1", key: "127.0.0.1"},
		{name: "ipv6 peer folds to its /64", remote: "[2001:db8:1:2:3:4:5:6]:443", addr: "2001:db8:1:2:3:4:5:6", key: "2001:db8:1:2::/64"},
		{name: "ipv6 forwarded", remote: "[::1]:1", xff: []string{"2001:db8:aa:bb::1"}, trust: true, addr: "2001:db8:aa:bb::1", key: "2001:db8:aa:bb::/64"},
		{name: "mapped ipv4 is ipv4", remote: "[::ffff:192.0.2.8]:1", addr: "192.0.2.8", key: "192.0.2.8"},
		{name: "zone is not accepted", remote: "[::1]:1", xff: []string{"fe80::1%eth0"}, trust: true, addr: "::1", key: "::/64"},
		{name: "nothing parses", remote: "pipe", addr: "", key: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add(HeaderForwardedFor, v)
			}
			if tt.realIP != "" {
				r.Header.Set(HeaderRealIP, tt.realIP)
			}
			if got := ClientAddr(r, tt.trust); got != tt.addr {
				t.Errorf("ClientAddr = %q, want %q", got, tt.addr)
			}
			if got := ClientKey(r, tt.trust); got != tt.key {
				t.Errorf("ClientKey = %q, want %q", got, tt.key)
			}
		})
	}
}

func TestRateKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":            "192.0.2.1",
		"2001:db8::1":          "2001:db8::/64",
		"2001:db8:0:0:ffff::9": "2001:db8::/64",
		"2001:db8:0:1::9":      "2001:db8:0:1::/64",
		"":                     "",
		"2001:db8::/64":        "",
		"x' OR 1=1 --":         "",
		"999.1.1.1":            "",
	} {
		if got := RateKey(in); got != want {
			t.Errorf("RateKey(%q) = %q, want %q", in, got, want)
		}
	}
}
