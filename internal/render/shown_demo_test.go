package render_test

import (
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"newsdesk/internal/demo"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/quote"
	"newsdesk/internal/render"
)

// TestEveryWordOfTheDemo selects words all over the demo articles as a
// reader's browser would (the word, 32 characters before and after), and
// checks that each is found at its own place and that a suggestion for it
// changes exactly that place, checked by rendering.
func TestEveryWordOfTheDemo(t *testing.T) {
	r := render.New()
	var tried, applied int
	for _, a := range demo.Articles(time.Now()) {
		shown := r.Shown(a)
		for _, part := range shown {
			text := part.Text()
			n := 0
			for start := 0; start < len(text); {
				rn, size := utf8.DecodeRuneInString(text[start:])
				if !unicode.IsLetter(rn) {
					start += size
					continue
				}
				end := start
				for end < len(text) {
					r2, s2 := utf8.DecodeRuneInString(text[end:])
					if !unicode.IsLetter(r2) {
						break
					}
					end += s2
				}
				n++
				if n%2 == 0 && utf8.RuneCountInString(text[start:end]) >= 3 {
					tried++
					q := newsroom.Quote{Exact: text[start:end], Prefix: lastRunes(text[:start], 32), Suffix: firstRunes(text[end:], 32)}
					loc, err := quote.Locate(shown, q, part.Part, quote.Strict)
					if err != nil {
						t.Fatalf("%s: Locate(%+v): %v", a.Slug, q, err)
					}
					if loc.Start != start || loc.End != end {
						t.Fatalf("%s: %q located at [%d,%d), selected at [%d,%d)", a.Slug, q.Exact, loc.Start, loc.End, start, end)
					}
					if _, err := r.Replace(part, loc, "Xy"+q.Exact); err != nil {
						t.Errorf("%s %s: cannot replace %q (%q…%q): %v", a.Slug, part.Part, q.Exact, q.Prefix, q.Suffix, err)
					} else {
						applied++
					}
				}
				start = end
			}
		}
	}
	if tried < 1000 {
		t.Errorf("only %d words tried", tried)
	}
	t.Logf("%d words located and replaced of %d tried", applied, tried)
}

func lastRunes(s string, n int) string {
	for i := len(s); i > 0; {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		n--
		if n == 0 {
			return s[i:]
		}
	}
	return s
}

func firstRunes(s string, n int) string {
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n--
		if n == 0 {
			return s[:i]
		}
	}
	return s
}
