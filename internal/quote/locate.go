package quote

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Locate finds q in texts, the parts readers see, given in page order. White space, typographic quotes,
// dashes and ellipses do not matter when comparing, so text copied from the
// page, pasted by hand or typed with straight quotes all match. Where the
// context matches at several places, the first in page order wins, except
// that a quote with no context at all that occurs more than once is an
// ErrAmbiguous. A quote that is not there is ErrNotFound, an empty one
// ErrEmpty. If part is set, only that part is searched.
func Locate(texts []Shown, q Quote, part string, mode Mode) (Location, error) {
	exact := foldKey(q.Exact)
	if exact.s == "" {
		return Location{}, ErrEmpty
	}
	prefix, suffix := foldKey(q.Prefix).s, foldKey(q.Suffix).s
	type cand struct {
		ix     *shownIndex
		at     int // in the folded key
		pm, sm int // matched context runes
	}
	var best *cand
	occurrences := 0
	pr, sr := utf8.RuneCountInString(prefix), utf8.RuneCountInString(suffix)
	for i := range texts {
		t := &texts[i]
		if part != "" && t.Part != part {
			continue
		}
		ix := indexShown(t)
		for from := 0; ; {
			i := strings.Index(ix.key.s[from:], exact.s)
			if i < 0 {
				break
			}
			at := from + i
			_, size := utf8.DecodeRuneInString(ix.key.s[at:])
			from = at + size
			occurrences++
			pm := commonSuffixRunes(ix.key.s[:at], prefix)
			sm := commonPrefixRunes(ix.key.s[at+len(exact.s):], suffix)
			c := &cand{ix: ix, at: at, pm: pm, sm: sm}
			switch mode {
			case Strict:
				if pm == pr && sm == sr && best == nil {
					best = c
				}
			case Loose:
				ok := (pr == 0 && sr == 0) ||
					(pr > 0 && pm >= min(pr, looseContext)) ||
					(sr > 0 && sm >= min(sr, looseContext))
				if ok && (best == nil || pm+sm > best.pm+best.sm) {
					best = c
				}
			}
		}
	}
	if best == nil {
		return Location{}, ErrNotFound
	}
	if mode == Strict && pr == 0 && sr == 0 && occurrences > 1 {
		return Location{}, ErrAmbiguous
	}
	ix := best.ix
	start := ix.key.from[best.at]
	end := ix.key.to[best.at+len(exact.s)-1]
	return ix.location(start, end), nil
}

// shownIndex is a Shown prepared for searching.
type shownIndex struct {
	t      *Shown
	plain  string
	starts []int // plain offset where each piece starts
	key    folded
}

func indexShown(t *Shown) *shownIndex {
	ix := &shownIndex{t: t, starts: make([]int, len(t.Pieces))}
	var b strings.Builder
	for i, p := range t.Pieces {
		ix.starts[i] = b.Len()
		b.WriteString(p.Text)
	}
	ix.plain = b.String()
	ix.key = foldKey(ix.plain)
	return ix
}

// location describes the shown text [start, end) of the part.
func (ix *shownIndex) location(start, end int) Location {
	l := Location{Part: ix.t.Part, Start: start, End: end, Text: ix.plain[start:end]}
	l.SrcStart = ix.srcStart(start)
	l.SrcEnd = ix.srcEnd(end)
	l.Prefix = lastRunes(ix.plain[:start], ContextRunes)
	l.Suffix = firstRunes(ix.plain[end:], ContextRunes)
	l.Before, l.After = sentenceAround(ix.plain, start, end)
	return l
}

// containing returns the index of the piece whose text holds plain byte
// p, or -1 if p is past the end.
func (ix *shownIndex) containing(p int) int {
	// The first piece starting after p, then back to one with text at p.
	k := sort.SearchInts(ix.starts, p+1) - 1
	for ; k >= 0; k-- {
		if ix.starts[k]+len(ix.t.Pieces[k].Text) > p {
			return k
		}
		if len(ix.t.Pieces[k].Text) > 0 {
			return -1
		}
	}
	return -1
}

// srcStart maps the plain offset p, as the start of a range, to the
// source: the source start of the character at p.
func (ix *shownIndex) srcStart(p int) int {
	k := ix.containing(p)
	if k < 0 {
		if n := len(ix.t.Pieces); n > 0 {
			return ix.t.Pieces[n-1].End
		}
		return 0
	}
	pc := ix.t.Pieces[k]
	if pc.Verbatim {
		return pc.Start + p - ix.starts[k]
	}
	return pc.Start
}

// srcEnd maps the plain offset p, as the end of a range, to the source:
// the source end of the character before p.
func (ix *shownIndex) srcEnd(p int) int {
	if p <= 0 {
		return ix.srcStart(0)
	}
	k := ix.containing(p - 1)
	if k < 0 {
		return ix.srcStart(p)
	}
	pc := ix.t.Pieces[k]
	if pc.Verbatim {
		return pc.Start + p - ix.starts[k]
	}
	return pc.End
}

// srcRanges returns the source ranges the plain range [a, b) came from, in
// order, leaving out the markup between pieces.
func (ix *shownIndex) srcRanges(a, b int) [][2]int {
	var out [][2]int
	for k, pc := range ix.t.Pieces {
		ps, pe := ix.starts[k], ix.starts[k]+len(pc.Text)
		if pe <= a || ps >= b || pc.Start == pc.End {
			continue
		}
		if pc.Verbatim {
			out = append(out, [2]int{pc.Start + max(a, ps) - ps, pc.Start + min(b, pe) - ps})
		} else {
			out = append(out, [2]int{pc.Start, pc.End})
		}
	}
	return out
}

// maxSentence bounds each side of the sentence shown around a quote.
const maxSentence = 240

// sentenceAround returns the text of the sentence around [start, end) of
// text: back to the previous sentence end or line break, on to the next.
func sentenceAround(text string, start, end int) (before, after string) {
	b := start
	for b > 0 && start-b < maxSentence*4 {
		r, size := utf8.DecodeLastRuneInString(text[:b])
		if r == '\n' {
			break
		}
		if strings.ContainsRune(".!?…", r) && b < start {
			// A sentence ends here if a space follows.
			if n, _ := utf8.DecodeRuneInString(text[b:]); unicode.IsSpace(n) {
				break
			}
		}
		b -= size
	}
	e := end
	for e < len(text) && e-end < maxSentence*4 {
		r, size := utf8.DecodeRuneInString(text[e:])
		if r == '\n' {
			break
		}
		e += size
		if strings.ContainsRune(".!?…", r) {
			if n, _ := utf8.DecodeRuneInString(text[e:]); e == len(text) || unicode.IsSpace(n) {
				break
			}
		}
	}
	before = strings.TrimLeftFunc(lastRunes(text[b:start], maxSentence), unicode.IsSpace)
	after = strings.TrimRightFunc(firstRunes(text[end:e], maxSentence), unicode.IsSpace)
	return before, after
}
