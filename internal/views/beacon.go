package views

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
)

// Counting by beacon. Behind a shared cache (Varnish, a CDN) most page
// views never reach a node: the tier answers them. The article page then
// carries the address of a beacon, and the page's script posts to it once
// per page shown; the node counts the beacon instead of the page. The
// address is signed (BeaconKey), so that a stranger cannot make counts
// for stories that are not public, nor drafts, nor ids that do not exist,
// and a beacon costs the node no database read.

// BeaconKey signs article ids for beacon addresses. Every node of a site
// must hold the same key (main keeps it in the database's settings).
type BeaconKey []byte

// tokenLen is how many hex digits of the HMAC a beacon carries: 64 bits,
// enough that guessing one for a given id is hopeless.
const tokenLen = 16

// Token is the signature of article id.
func (k BeaconKey) Token(id int64) string {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(strconv.FormatInt(id, 10)))
	return hex.EncodeToString(m.Sum(nil))[:tokenLen]
}

// Valid reports whether token is the signature of article id.
func (k BeaconKey) Valid(id int64, token string) bool {
	if len(k) == 0 || len(token) != tokenLen {
		return false
	}
	return hmac.Equal([]byte(k.Token(id)), []byte(token))
}

// CountBeacon counts the view a page's beacon reports for article id: as
// Hook counts a page, once per client address and article in the window,
// never for robots or staff (the desk's cookie travels with the beacon).
// referrer is the page's own Referer as the browser gave it to the page
// (the beacon's Referer is the page itself).
func (c *Counter) CountBeacon(r *http.Request, id int64, referrer string) {
	if BeaconCountable(r, c.cfg.SessionCookie) {
		c.countOnce(r, id, referrer)
	}
}

// BeaconCountable reports whether a beacon request r is a reader's: sent
// by a browser, not a robot, without the desk's session cookie.
func BeaconCountable(r *http.Request, sessionCookie string) bool {
	return r.Method == http.MethodPost && fromReader(r, sessionCookie)
}

// Beacon is beacon counting as the site takes it: the key that signs the
// addresses (Token, Valid) and the counter that counts them.
type Beacon struct {
	BeaconKey
	Counter *Counter
}

// Count counts the view a beacon reports (Counter.CountBeacon).
func (b Beacon) Count(r *http.Request, id int64, referrer string) {
	b.Counter.CountBeacon(r, id, referrer)
}
