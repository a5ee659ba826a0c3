package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// folded is a comparison key for a text, with the byte range of the
// original each key byte came from.
type folded struct {
	s        string
	from, to []int
}

// Fold returns the comparison form of s: no white space or invisible
// characters, typographic quotes as straight quotes, every run of dashes as
// one hyphen, an ellipsis as three dots.
func Fold(s string) string { return foldKey(s).s }

// Same reports whether a and b read the same: equal once white space is
// collapsed and quotes, dashes and ellipses are folded as in Fold. Unlike
// Fold, it tells "a b" from "ab".
func Same(a, b string) bool { return fold(a, true).s == fold(b, true).s }

func foldKey(s string) folded { return fold(s, false) }

func fold(s string, keepSpace bool) folded {
	var f folded
	var b strings.Builder
	b.Grow(len(s))
	emit := func(str string, from, to int) {
		b.WriteString(str)
		for range len(str) {
			f.from = append(f.from, from)
			f.to = append(f.to, to)
		}
	}
	lastDash, space := false, false
	for i, r := range s {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
		}
		end := i + size
		if space && !unicode.IsSpace(r) {
			if b.Len() > 0 {
				emit(" ", i, i)
			}
			space = false
		}
		switch {
		case r == '\u00ad', r == '\u200b', r == '\u200c', r == '\u200d', r == '\u2060', r == '\ufeff':
			continue
		case unicode.IsSpace(r):
			space = keepSpace
			continue
		case strings.ContainsRune("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212", r):
			if !lastDash {
				emit("-", i, end)
			} else if n := len(f.to); n > 0 {
				f.to[n-1] = end
			}
			lastDash = true
			continue
		case strings.ContainsRune("\"“”„‟«»″〝〞", r):
			emit(`"`, i, end)
		case strings.ContainsRune("'‘’‚‛′`", r):
			emit("'", i, end)
		case r == '…':
			emit("...", i, end)
		default:
			emit(s[i:end], i, end)
		}
		lastDash = false
	}
	f.s = b.String()
	return f
}

func commonSuffixRunes(a, b string) int {
	n := 0
	for len(a) > 0 && len(b) > 0 {
		ra, sa := utf8.DecodeLastRuneInString(a)
		rb, sb := utf8.DecodeLastRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[:len(a)-sa], b[:len(b)-sb]
		n++
	}
	return n
}

func commonPrefixRunes(a, b string) int {
	n := 0
	for len(a) > 0 && len(b) > 0 {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[sa:], b[sb:]
		n++
	}
	return n
}

func lastRunes(s string, n int) string {
	i := len(s)
	for k := 0; k < n && i > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

func firstRunes(s string, n int) string {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
