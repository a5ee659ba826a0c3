// Package textsearch prepares text for full-text search on SQLite FTS5 and
// PostgreSQL: it folds and stems words for the index, turns stored HTML into
// plain text, makes what a reader typed into a query that is never
// malformed, and turns marked snippets into safe HTML.
package textsearch

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

// Markers wrap matched words in snippets from either database. They are
// private-use characters, removed from indexed text, so they cannot come
// from an article.
const (
	MarkStart = "\uE000"
	MarkEnd   = "\uE001"
)

// Limits on a parsed query, so that a pasted page cannot make a huge one.
const (
	MaxTerms    = 16
	MaxWordLen  = 64
	maxQueryLen = 1000
)

// Fold replaces ё with е (both cases), as Russian readers type either.
func Fold(s string) string {
	if !strings.ContainsAny(s, "ёЁ") {
		return s
	}
	return strings.NewReplacer("ё", "е", "Ё", "Е").Replace(s)
}

// isWordRune is what counts as part of a word, close to FTS5's unicode61
// tokenizer: letters, digits and marks.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isCyrillicWord(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Cyrillic, r) {
			return false
		}
	}
	return w != ""
}

// StemWord returns the index form of one word: a Russian stem for an
// all-Cyrillic word (ё folded), the word lower-cased otherwise. FTS5 has no
// Russian stemmer, so Russian words are stemmed here (Snowball) before they
// are indexed or searched; English is stemmed by FTS5's porter tokenizer.
// A word stays exactly one word, so token positions, and FTS5's highlights
// of the original text, are unchanged.
func StemWord(w string) string {
	w = strings.ToLower(Fold(w))
	if isCyrillicWord(w) {
		if st := russian.Stem(w, true); st != "" {
			return st
		}
	}
	return w
}

// IndexText returns s as it is indexed on SQLite: every all-Cyrillic word
// replaced by its stem, the markers removed, everything else as it was.
func IndexText(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.NewReplacer(MarkStart, " ", MarkEnd, " ").Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexFunc(s, isWordRune)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !isWordRune(r) })
		if j < 0 {
			j = len(s)
		}
		w := s[:j]
		if isCyrillicWord(Fold(w)) {
			b.WriteString(StemWord(w))
		} else {
			b.WriteString(w)
		}
		s = s[j:]
	}
	return b.String()
}

// Plain returns the text of an HTML fragment: tags become spaces, character
// references are decoded, runs of white space become one space.
func Plain(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	for len(h) > 0 {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			b.WriteString(html.UnescapeString(h))
			break
		}
		b.WriteString(html.UnescapeString(h[:i]))
		b.WriteByte(' ')
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		h = h[i+j+1:]
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Term is one part of a query: a word or a quoted phrase, possibly negated,
// possibly the alternative (OR) of the term before it.
type Term struct {
	Words  []string // lower-case; more than one for a phrase
	Negate bool
	Or     bool // joined to the previous term by OR
}

// Query is a parsed search. The zero Query matches nothing and Empty
// reports it.
type Query struct {
	Terms []Term
}

// Empty reports whether q has no positive term, so no search should run.
func (q Query) Empty() bool {
	for _, t := range q.Terms {
		if !t.Negate {
			return false
		}
	}
	return true
}

// words splits s into words.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// Parse reads what a reader typed. Quoted text is a phrase; a minus right
// before a word or phrase excludes it; OR (in capitals) between two terms
// means either. Everything else is a word; unbalanced quotes end at the end
// of the text; symbols separate words. Parse never fails: the worst input
// is an Empty query.
func Parse(s string) Query {
	s = strings.ToValidUTF8(s, " ")
	if len(s) > maxQueryLen {
		s = s[:maxQueryLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	var q Query
	pendingOr := false
	add := func(ws []string, neg bool) {
		var clean []string
		for _, w := range ws {
			if utf8.RuneCountInString(w) > MaxWordLen {
				w = string([]rune(w)[:MaxWordLen])
			}
			clean = append(clean, strings.ToLower(Fold(w)))
		}
		if len(clean) == 0 || len(q.Terms) >= MaxTerms {
			return
		}
		// OR joins two positive terms only.
		or := pendingOr && !neg && len(q.Terms) > 0 && !q.Terms[len(q.Terms)-1].Negate
		q.Terms = append(q.Terms, Term{Words: clean, Negate: neg, Or: or})
		pendingOr = false
	}
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case unicode.IsSpace(r):
			s = s[size:]
		case r == '"' || r == '-' && len(s) > 1 && s[1] == '"':
			neg := r == '-'
			if neg {
				s = s[1:]
			}
			s = s[1:]
			end := strings.IndexByte(s, '"')
			if end < 0 {
				end = len(s)
			}
			add(words(s[:end]), neg)
			s = s[min(end+1, len(s)):]
		default:
			end := strings.IndexFunc(s, unicode.IsSpace)
			if end < 0 {
				end = len(s)
			}
			tok := s[:end]
			s = s[end:]
			if tok == "OR" {
				pendingOr = len(q.Terms) > 0
				continue
			}
			neg := strings.HasPrefix(tok, "-") && len(tok) > 1
			ws := words(tok)
			// A lone "or" in lower case would be an operator to
			// PostgreSQL; it is a stop word anyway.
			if len(ws) == 1 && strings.EqualFold(ws[0], "or") {
				continue
			}
			if neg {
				add(ws, true)
				continue
			}
			// Symbols inside a token ("a_b", "e-mail") make a phrase.
			add(ws, false)
		}
	}
	return q
}

// FTS5 renders q as an SQLite FTS5 MATCH expression: every word quoted (so
// no FTS5 syntax can leak in) and stemmed like the index, phrases kept,
// negations as NOT after the positive terms. It returns "" for an Empty
// query.
func (q Query) FTS5() string {
	if q.Empty() {
		return ""
	}
	var pos, neg []string
	for _, t := range q.Terms {
		var ws []string
		for _, w := range t.Words {
			ws = append(ws, StemWord(w))
		}
		p := `"` + strings.ReplaceAll(strings.Join(ws, " "), `"`, `""`) + `"`
		switch {
		case t.Negate:
			neg = append(neg, p)
		case t.Or && len(pos) > 0:
			pos = append(pos, "OR", p)
		default:
			pos = append(pos, p)
		}
	}
	// FTS5's OR binds looser than the implicit AND, as in tsquery.
	expr := strings.Join(pos, " ")
	if len(neg) > 0 {
		expr = "(" + expr + ")"
		for _, n := range neg {
			expr += " NOT " + n
		}
	}
	return expr
}

// FTS5Column renders q as an FTS5 MATCH expression that its positive
// terms must satisfy within one column (headline, standfirst…), its
// negations anywhere: how search finds where the terms matched. It
// returns "" for an Empty query.
func (q Query) FTS5Column(col string) string {
	if q.Empty() {
		return ""
	}
	var pos Query
	var neg []string
	for _, t := range q.Terms {
		if t.Negate {
			t.Negate = false
			neg = append(neg, Query{Terms: []Term{t}}.FTS5())
			continue
		}
		pos.Terms = append(pos.Terms, t)
	}
	expr := "({" + col + "} : (" + pos.FTS5() + "))"
	for _, n := range neg {
		expr += " NOT " + n
	}
	return expr
}

// Positive returns q without its negations.
func (q Query) Positive() Query {
	var out Query
	for _, t := range q.Terms {
		if !t.Negate {
			out.Terms = append(out.Terms, t)
		}
	}
	return out
}

// Negated reports whether q excludes anything.
func (q Query) Negated() bool {
	for _, t := range q.Terms {
		if t.Negate {
			return true
		}
	}
	return false
}

// Loose returns the positive terms of q with every phrase split into its
// words: it matches at least everything q matches, and on PostgreSQL its
// GIN match needs no look at the stored vectors (no positions), so a
// count of it is a cheap upper bound.
func (q Query) Loose() Query {
	var out Query
	for _, t := range q.Terms {
		if t.Negate {
			continue
		}
		for k, w := range t.Words {
			out.Terms = append(out.Terms, Term{Words: []string{w}, Or: t.Or && k == 0})
		}
	}
	return out
}

// compareForm is a word as HeadlineCoverage compares it: Russian words by
// their stem, others by their English stem.
func compareForm(w string) string {
	w = StemWord(w)
	if isCyrillicWord(w) {
		return w
	}
	return english.Stem(w, false)
}

// HeadlineCoverage tells how much of headline the positive words of q
// make up: the share of the headline's words that are query words (by
// stem), and whether the headline is the query (every word of each in the
// other). Search ranks a headline that is the query above one that only
// contains it. To score many headlines against one query, make a
// HeadlineScorer once.
func (q Query) HeadlineCoverage(headline string) (share float64, exact bool) {
	return q.HeadlineScorer().Coverage(headline)
}

// HeadlineScorer scores headlines against one query: the query's words
// are stemmed once, and a headline word is stemmed only when it begins
// as one of the query's stems does. Snowball's Russian stemmer only
// removes endings, so a Russian word's stem is always the beginning of
// the word (lower-cased, ё folded); the English one replaces an ending
// with at most three letters of its own (ational → ate, y → i, iz → ize),
// so all of an English stem but its last three letters begins the word.
// A word that does not begin so cannot match. Stemming every word of 150
// headlines was 40% of a Russian search's CPU and half of the Go side of
// an English one.
type HeadlineScorer struct {
	forms    map[string]bool
	cyrillic []string // the forms that are Russian stems
	latin    []string // the other forms less their last three letters
}

// HeadlineScorer returns the scorer of q's positive words.
func (q Query) HeadlineScorer() *HeadlineScorer {
	s := &HeadlineScorer{forms: map[string]bool{}}
	for _, t := range q.Terms {
		if t.Negate {
			continue
		}
		for _, w := range t.Words {
			f := compareForm(w)
			switch {
			case s.forms[f]:
			case isCyrillicWord(f):
				s.cyrillic = append(s.cyrillic, f)
			default:
				r := []rune(f)
				s.latin = append(s.latin, string(r[:max(len(r)-3, 0)]))
			}
			s.forms[f] = true
		}
	}
	return s
}

// form is w as compared, or "" when w cannot be a query word.
func (s *HeadlineScorer) form(w string) string {
	lw := strings.ToLower(Fold(w))
	starts := s.latin
	if isCyrillicWord(lw) {
		starts = s.cyrillic
	}
	for _, c := range starts {
		if strings.HasPrefix(lw, c) {
			return compareForm(w)
		}
	}
	return ""
}

// Coverage is HeadlineCoverage for the scorer's query.
func (s *HeadlineScorer) Coverage(headline string) (share float64, exact bool) {
	hw := words(headline)
	if len(hw) == 0 || len(s.forms) == 0 {
		return 0, false
	}
	seen := map[string]bool{}
	in := 0
	for _, w := range hw {
		if f := s.form(w); f != "" && s.forms[f] {
			in++
			seen[f] = true
		}
	}
	return float64(in) / float64(len(hw)), in == len(hw) && len(seen) == len(s.forms)
}

// Websearch renders q as text for PostgreSQL's websearch_to_tsquery, made
// only of words, quotes, minus signs and "or", so the database sees the
// same structure SQLite does. It returns "" for an Empty query.
func (q Query) Websearch() string {
	if q.Empty() {
		return ""
	}
	var parts []string
	for _, t := range q.Terms {
		p := strings.Join(t.Words, " ")
		if len(t.Words) > 1 {
			p = `"` + p + `"`
		}
		switch {
		case t.Negate:
			p = "-" + p
		case t.Or:
			p = "or " + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// MarkedHTML escapes marked text for HTML and turns the markers into
// <mark> elements, always balanced.
func MarkedHTML(s string) string {
	s = html.EscapeString(strings.ToValidUTF8(s, ""))
	var b strings.Builder
	open := false
	for len(s) > 0 {
		i := strings.IndexAny(s, MarkStart+MarkEnd)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case string(r) == MarkStart && !open:
			b.WriteString("<mark>")
			open = true
		case string(r) == MarkEnd && open:
			b.WriteString("</mark>")
			open = false
		}
		s = s[i+size:]
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}
