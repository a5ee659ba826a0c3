package web

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that analytics and ad networks add
// to links; no page reads them.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true, "gclsrc": true,
	"msclkid": true, "yclid": true, "ysclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"igshid": true, "igsh": true, "mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true, "oly_anon_id": true, "oly_enc_id": true,
	"vero_id": true, "vero_conv": true, "rb_clickid": true, "s_cid": true, "ref_src": true,
	"ref_url": true, "ncid": true, "cmpid": true, "spm": true, "share": true, "si": true,
}

// TrackingParam reports whether a query parameter only tracks where a
// click came from: utm_* and the click ids of the common networks. Such
// parameters never change a page and never key a cache entry.
func TrackingParam(name string) bool {
	name = strings.ToLower(name)
	return strings.HasPrefix(name, "utm_") || trackingParams[name]
}

// ParseQuery reads a raw query as url.ParseQuery does, but skips the pairs
// that do not parse (and those without a name) instead of failing: a
// reader's mistyped link still gets the parameters that make sense.
func ParseQuery(raw string) url.Values {
	q := url.Values{}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(pair, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 == nil && err2 == nil && k != "" {
			q[k] = append(q[k], v)
		}
	}
	return q
}
