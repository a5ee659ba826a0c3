package cache

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type entry struct {
	key          string
	status       int
	tags         []string
	expires      time.Time
	compressible bool
	base         http.Header // headers common to every encoding
	hash         string      // hex digest of the identity body, for ETags
	surrogate    []string    // Surrogate-Key and xkey: the tags and KeyAll
	cacheTag     []string    // the same, comma-separated (Config.CacheTag)
	// article is the id the page's X-Newsdesk-Article named (0: none),
	// told to Config.OnArticle on every answer instead of being stored as
	// a header; route is Config.Route's pattern for the page.
	article int64
	route   string
	reps    [numEnc]*rep
	once    [numEnc]sync.Once
	ref     atomic.Bool
	// elem and size are guarded by Cache.mu; elem is nil once removed.
	elem *list.Element
	size int64
}

// rep is one encoding of an entry, with every header it is sent with:
// a list, since a hit copies every one of them into the response's
// header map (ranging over a map cost more than the copy).
type rep struct {
	body   []byte
	etag   string
	header []headerField
}

type headerField struct {
	name   string
	values []string // shared: never modified in place
}

// Header values every stored response shares (never modified in place).
var (
	hitStatus = []string{"hit"}
	varyAE    = []string{"Accept-Encoding"}
)

// Headers the cache sets itself or never stores.
var dropHeaders = []string{HeaderKeys, HeaderStatus, "Surrogate-Key", "Xkey", "Cache-Tag", "Content-Length", "Content-Encoding", "Etag",
	"Cache-Control", "Vary", "Date", "Transfer-Encoding", "Connection", "Last-Modified"}

// build makes an entry from a recorded response, or returns nil when the
// response may not be cached: caching is opt-in (the handler tags the
// response with HeaderKeys), the status must be 200, 301 or 404, and the
// response must set no cookie and not say private or no-store.
func (c *Cache) build(key string, rec *recorder) *entry {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	if status != http.StatusOK && status != http.StatusMovedPermanently && status != http.StatusNotFound {
		return nil
	}
	h := rec.header
	tags := strings.Fields(h.Get(HeaderKeys))
	if len(tags) == 0 || len(h["Set-Cookie"]) > 0 {
		return nil
	}
	if cc := strings.ToLower(strings.Join(h["Cache-Control"], ",")); strings.Contains(cc, "no-store") || strings.Contains(cc, "private") {
		return nil
	}
	body := rec.body.Bytes()
	if int64(len(body)) > c.maxEntry {
		return nil
	}
	base := h.Clone()
	for _, k := range dropHeaders {
		delete(base, k)
	}
	var article int64
	if c.onArticle != nil {
		// The cache tells the hook itself, and the header is not sent
		// for StripInternal to remove.
		if v := base[HeaderArticle]; len(v) > 0 {
			article, _ = strconv.ParseInt(v[0], 10, 64)
		}
		delete(base, HeaderArticle)
	}
	sum := sha256.Sum256(body)
	e := &entry{
		key:          key,
		status:       status,
		tags:         tags,
		expires:      c.now().Add(c.ttl),
		compressible: len(body) >= 512 && compressibleType(h.Get("Content-Type")),
		base:         base,
		hash:         hex.EncodeToString(sum[:12]),
		surrogate:    []string{strings.Join(tags, " ") + " " + KeyAll},
		article:      article,
	}
	if c.cacheTag {
		e.cacheTag = []string{strings.Join(tags, ",") + "," + KeyAll}
	}
	e.reps[encIdentity] = c.makeRep(e, encIdentity, body)
	e.once[encIdentity].Do(func() {})
	e.size = int64(len(key)+len(body)+512) + headerSize(e.reps[encIdentity].header)
	for _, t := range tags {
		e.size += int64(len(t) + 64)
	}
	return e
}

func headerSize(h []headerField) int64 {
	n := int64(0)
	for _, f := range h {
		n += int64(len(f.name)) + 40
		for _, s := range f.values {
			n += int64(len(s)) + 16
		}
	}
	return n
}

func compressibleType(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "xml") ||
		strings.Contains(ct, "json") || strings.Contains(ct, "javascript")
}

// makeRep builds the representation of e with body in encoding enc.
func (c *Cache) makeRep(e *entry, enc int, body []byte) *rep {
	etag := `"` + e.hash + encSuffix[enc] + `"`
	h := make(http.Header, len(e.base)+6)
	for k, v := range e.base {
		h[k] = v
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["Cache-Control"] = c.cc
	h[HeaderStatus] = hitStatus
	// What the page depends on, for a shared cache in front that purges
	// by key (Fastly reads Surrogate-Key, Varnish's vmod xkey reads xkey;
	// both take space-separated keys).
	h["Surrogate-Key"] = e.surrogate
	h["Xkey"] = e.surrogate
	if e.cacheTag != nil {
		h["Cache-Tag"] = e.cacheTag
	}
	if e.status == http.StatusOK {
		h["Etag"] = []string{etag}
	}
	if e.compressible {
		h["Vary"] = varyAE
	}
	if enc != encIdentity {
		h["Content-Encoding"] = []string{encNames[enc]}
	}
	fields := make([]headerField, 0, len(h))
	for k, v := range h {
		fields = append(fields, headerField{k, v})
	}
	return &rep{body: body, etag: etag, header: fields}
}
