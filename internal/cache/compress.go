package cache

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Encodings a body is kept in. Gzip and Brotli bodies are made once per
// entry, the first time a client asks for them, and chosen by
// Accept-Encoding (Brotli first at equal weight); a body that does not
// shrink is served as it is.
const (
	encIdentity = iota
	encGzip
	encBrotli
	numEnc
)

var (
	encNames  = [numEnc]string{"identity", "gzip", "br"}
	encSuffix = [numEnc]string{"", "-gz", "-br"}
)

// rep returns e's body in encoding enc, compressing it the first time.
// A compressed body that is not smaller falls back to identity.
func (c *Cache) rep(e *entry, enc int) *rep {
	e.once[enc].Do(func() {
		id := e.reps[encIdentity]
		body, err := compress(enc, id.body)
		if err != nil || len(body) >= len(id.body) {
			if err != nil {
				c.log.Error("cache: compress", "encoding", encNames[enc], "err", err)
			}
			e.reps[enc] = id
			return
		}
		rp := c.makeRep(e, enc, body)
		e.reps[enc] = rp
		c.grow(e, int64(len(body))+headerSize(rp.header))
	})
	return e.reps[enc]
}

var (
	gzipPool   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression); return w }}
	brotliPool = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, brotliLevel) }}
)

// brotliLevel is Brotli's quality setting: fast enough to compress a page
// on its first request (docs/PERFORMANCE.md has the measurements).
const brotliLevel = 5

func compress(enc int, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(body) / 3)
	switch enc {
	case encGzip:
		w := gzipPool.Get().(*gzip.Writer)
		defer gzipPool.Put(w)
		w.Reset(&buf)
		if _, err := w.Write(body); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	case encBrotli:
		w := brotliPool.Get().(*brotli.Writer)
		defer brotliPool.Put(w)
		w.Reset(&buf)
		if _, err := w.Write(body); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	}
	return bytes.Clone(buf.Bytes()), nil
}

// negotiate picks the encoding from Accept-Encoding header lines: the
// highest q among br, gzip and identity, Brotli first at equal q.
func negotiate(lines []string) int {
	if len(lines) == 0 {
		return encIdentity
	}
	qBr, qGzip, qStar := -1, -1, -1
	for _, line := range lines {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ",")
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			q := parseQ(params)
			switch {
			case strings.EqualFold(name, "br"):
				qBr = q
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				qGzip = q
			case name == "*":
				qStar = q
			}
		}
	}
	if qBr < 0 {
		qBr = qStar
	}
	if qGzip < 0 {
		qGzip = qStar
	}
	best, bestQ := encIdentity, 0
	if qBr > bestQ {
		best, bestQ = encBrotli, qBr
	}
	if qGzip > bestQ {
		best = encGzip
	}
	return best
}

// parseQ reads "q=0.5" from a coding's parameters as thousandths (1000
// when absent, 0 when malformed).
func parseQ(params string) int {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 {
			return 0
		}
		return int(min(f, 1) * 1000)
	}
	return 1000
}
