package ops

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// requestLine is one request's INFO line. appendLine writes it exactly as
// slog's TextHandler or JSONHandler (HandlerOptions without ReplaceAttr or
// AddSource) would write the record
//
//	logger.LogAttrs(ctx, slog.LevelInfo, "request", method, route, path,
//		status, bytes, duration_ms, cache, request_id, client)
//
// without slog's per-attribute work: the keys are constants, the route's
// quoted form is kept per pattern, and the time's text is kept per second.
// A cache hit spent more on its line through slog (runtime.Callers, the
// attribute slice, quoting checks of every key) than on the rest of
// newsdesk's part of the hit. TestRequestLineMatchesSlog holds the two
// formats together.
type requestLine struct {
	t        time.Time
	method   string
	route    string
	path     string
	status   int
	bytes    int64
	duration time.Duration
	cache    string
	id       string
	client   string
}

// lineFormat is the slog handler whose output the line imitates.
type lineFormat uint8

const (
	lineText lineFormat = iota
	lineJSON
)

func (f lineFormat) appendLine(b []byte, l *requestLine) []byte {
	ms := float64(l.duration.Microseconds()) / 1000
	if f == lineJSON {
		b = append(b, `{"time":"`...)
		b = appendTime(b, l.t, true)
		b = append(b, `","level":"INFO","msg":"request","method":`...)
		b = appendJSONString(b, l.method)
		b = append(b, `,"route":`...)
		b = append(b, quotedRoute(l.route, lineJSON)...)
		b = append(b, `,"path":`...)
		b = appendJSONString(b, l.path)
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(l.status), 10)
		b = append(b, `,"bytes":`...)
		b = strconv.AppendInt(b, l.bytes, 10)
		b = append(b, `,"duration_ms":`...)
		b = appendJSONFloat(b, ms)
		b = append(b, `,"cache":`...)
		b = appendJSONString(b, l.cache)
		b = append(b, `,"request_id":`...)
		b = appendJSONString(b, l.id)
		b = append(b, `,"client":`...)
		b = appendJSONString(b, l.client)
		return append(b, "}\n"...)
	}
	b = append(b, "time="...)
	b = appendTime(b, l.t, false)
	b = append(b, " level=INFO msg=request method="...)
	b = appendTextString(b, l.method)
	b = append(b, " route="...)
	b = append(b, quotedRoute(l.route, lineText)...)
	b = append(b, " path="...)
	b = appendTextString(b, l.path)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(l.status), 10)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, l.bytes, 10)
	b = append(b, " duration_ms="...)
	b = strconv.AppendFloat(b, ms, 'g', -1, 64)
	b = append(b, " cache="...)
	b = appendTextString(b, l.cache)
	b = append(b, " request_id="...)
	b = appendTextString(b, l.id)
	b = append(b, " client="...)
	b = appendTextString(b, l.client)
	return append(b, '\n')
}

// The time as slog writes it, in the time's zone: RFC 3339 with
// milliseconds (text), or with nanoseconds less their trailing zeros
// (JSON, time.RFC3339Nano). The text up to the seconds, and the zone, are
// made once per second.
var lastSecond struct {
	sync.Mutex
	unix int64
	loc  *time.Location
	text []byte // "2006-01-02T15:04:05"
	zone []byte // "Z07:00"
}

func appendTime(b []byte, t time.Time, nano bool) []byte {
	sec, loc := t.Unix(), t.Location()
	lastSecond.Lock()
	if sec != lastSecond.unix || loc != lastSecond.loc || lastSecond.text == nil {
		lastSecond.unix, lastSecond.loc = sec, loc
		lastSecond.text = t.AppendFormat(lastSecond.text[:0], "2006-01-02T15:04:05")
		lastSecond.zone = t.AppendFormat(lastSecond.zone[:0], "Z07:00")
	}
	b = append(b, lastSecond.text...)
	if ns := t.Nanosecond(); !nano {
		ms := ns / 1e6
		b = append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	} else if ns != 0 {
		var d [10]byte
		d[0] = '.'
		for i := 9; i > 0; i-- {
			d[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for d[n-1] == '0' {
			n--
		}
		b = append(b, d[:n]...)
	}
	b = append(b, lastSecond.zone...)
	lastSecond.Unlock()
	return b
}

// quotedRoute is the route's text as the format writes it ("GET
// /{section}/{slug}" has a space, so the text format quotes it), made
// once per pattern: routes are the ServeMux's patterns, a short list.
func quotedRoute(route string, f lineFormat) string {
	k := routeKey{route, f}
	if v, ok := routeTexts.Load(k); ok {
		return v.(string)
	}
	var b []byte
	if f == lineJSON {
		b = appendJSONString(nil, route)
	} else {
		b = appendTextString(nil, route)
	}
	s := string(b)
	if routeCount.Add(1) <= maxRouteTexts {
		routeTexts.Store(k, s)
	}
	return s
}

type routeKey struct {
	route string
	f     lineFormat
}

var (
	routeTexts sync.Map
	routeCount atomic.Int64
)

// maxRouteTexts bounds the kept texts (routes are patterns, not paths,
// but a Router could name many).
const maxRouteTexts = 4096

// appendTextString is slog's TextHandler's string value: quoted (Go
// syntax) when empty or when it holds a space, '=', '"', a control or
// non-printing character or invalid UTF-8; as it is otherwise.
func appendTextString(b []byte, s string) []byte {
	if textNeedsQuoting(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func textNeedsQuoting(s string) bool {
	if len(s) == 0 {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if textSafe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return true
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}

// appendJSONString is slog's JSONHandler's string: quoted, with '"', '\\'
// and control characters escaped, invalid UTF-8 as U+FFFD, U+2028 and
// U+2029 escaped, and no HTML escaping.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONFloat is a float64 as encoding/json writes it (which slog's
// JSONHandler uses): 'f' form, or 'e' form for very small or large values.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := f
	if abs < 0 {
		abs = -abs
	}
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// jsonSafe[c] says whether ASCII c needs no escaping inside a JSON string
// (from ' ' up, DEL included, but '"' and '\\'); slog's TextHandler quotes
// a string holding any other ASCII character but '\\'.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// textSafe[c] says whether byte c leaves a string unquoted in the text
// format: ASCII that JSON need not escape, or '\\', but not ' ' or '='.
// Bytes from utf8.RuneSelf up are decoded as runes.
var textSafe = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = c == '\\' || jsonSafe[c] && c != ' ' && c != '='
	}
	return t
}()
