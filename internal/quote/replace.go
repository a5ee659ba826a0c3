package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Replace returns ways to write the part's source with the quote at loc
// replaced by replacement, changing only that occurrence: the most likely
// first, without duplicates. It compares the shown text with the
// replacement character by character and edits the source only where they
// differ, so emphasis, links and other markup around and inside the quote
// stay as they were. In Markdown, inserted characters that are markup are
// escaped. Where an insertion falls between a piece of text and markup
// (the end of an emphasis, say), it is unclear on which side of the markup
// it belongs: one candidate puts such insertions before the markup, the
// next after it. The caller renders each candidate and keeps the first
// that shows what was asked for. A loc in another part is a *PartError; a
// loc whose text is no longer there is ErrChanged.
func Replace(t Shown, loc Location, replacement string) ([]string, error) {
	if loc.Part != t.Part {
		return nil, &PartError{Located: loc.Part, Given: t.Part}
	}
	ix := indexShown(&t)
	if loc.Start < 0 || loc.End > len(ix.plain) || loc.Start > loc.End || ix.plain[loc.Start:loc.End] != loc.Text {
		return nil, ErrChanged
	}
	replacement = strings.Join(strings.Fields(replacement), " ")
	hunks := diffRunes(loc.Text, replacement)
	var out []string
	for _, afterMarkup := range []bool{false, true} {
		src := t.Source
		// Apply from the end so earlier offsets stay valid.
		for i := len(hunks) - 1; i >= 0; i-- {
			h := hunks[i]
			a, b := loc.Start+h.a, loc.Start+h.b
			ins := h.ins
			if t.Markdown {
				ins = EscapeMarkdown(ins)
			}
			ranges := ix.srcRanges(a, b)
			var at int
			switch {
			case len(ranges) > 0:
				at = ranges[0][0]
			case a == 0 || afterMarkup:
				at = ix.srcStart(a)
			default:
				at = ix.srcEnd(a)
			}
			for j := len(ranges) - 1; j >= 0; j-- {
				src = src[:ranges[j][0]] + src[ranges[j][1]:]
			}
			src = src[:at] + ins + src[at:]
		}
		if !slicesContains(out, src) {
			out = append(out, src)
		}
	}
	return out, nil
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// EscapeMarkdown escapes the characters that could start markup when s is
// inserted into a line of Markdown.
func EscapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '&', '~', '|', '#', '!':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hunk replaces bytes [a, b) of the old text with ins.
type hunk struct {
	a, b int
	ins  string
}

// maxDiff bounds the rune-by-rune comparison; longer texts are replaced
// whole.
const maxDiff = 2000

// diffRunes returns the smallest set of changes (by longest common
// subsequence of runes, white space counting as equal) that turns old into
// new.
func diffRunes(old, new string) []hunk {
	or, nr := []rune(old), []rune(new)
	if len(or) > maxDiff || len(nr) > maxDiff {
		return []hunk{{0, len(old), new}}
	}
	// Byte offsets of each rune of old.
	off := make([]int, len(or)+1)
	for i, n := 0, 0; i < len(or); i++ {
		off[i] = n
		n += utf8.RuneLen(or[i])
		off[i+1] = n
	}
	// lcs[i][j] is the LCS length of or[i:] and nr[j:].
	w := len(nr) + 1
	lcs := make([]int32, (len(or)+1)*w)
	for i := len(or) - 1; i >= 0; i-- {
		for j := len(nr) - 1; j >= 0; j-- {
			if sameRune(or[i], nr[j]) {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	var out []hunk
	var cur *hunk
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	i, j := 0, 0
	for i < len(or) || j < len(nr) {
		switch {
		case i < len(or) && j < len(nr) && sameRune(or[i], nr[j]):
			flush()
			i++
			j++
		case j < len(nr) && (i == len(or) || lcs[i*w+j+1] >= lcs[(i+1)*w+j]):
			if cur == nil {
				cur = &hunk{a: off[i], b: off[i]}
			}
			cur.ins += string(nr[j])
			j++
		default:
			if cur == nil {
				cur = &hunk{a: off[i], b: off[i]}
			}
			cur.b = off[i+1]
			i++
		}
	}
	flush()
	return out
}

// sameRune is equality for the diff: any white space equals any other, so a
// line break on the page matches a space in a suggestion.
func sameRune(a, b rune) bool {
	return a == b || unicode.IsSpace(a) && unicode.IsSpace(b)
}
