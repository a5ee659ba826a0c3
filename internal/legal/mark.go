package legal

import (
	"bytes"
	"html"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"

	"newsdesk/internal/newsroom"
)

// Finding says what the engine found of one entity in one field of an
// article, for the desk's panel.
type Finding struct {
	EntityID int64  `json:"entity_id"`
	Entity   string `json:"entity"`
	Marker   string `json:"marker"`
	Where    string `json:"where"`    // headline, standfirst, body, caption
	Mentions int    `json:"mentions"` // mentions found in the field
	Marked   int    `json:"marked"`   // of which carry the marker (added, or written by hand)
	State    string `json:"state"`    // see the Found* constants
}

// States of a Finding.
const (
	FoundMarked    = "marked"     // the entity is listed on the article's date and marked
	FoundExcluded  = "excluded"   // an editor switched it off for this article
	FoundNotListed = "not_listed" // not on any list on the article's date
)

// field order: headline, standfirst, body, caption. The note goes with the
// body, so the body is the field notes are placed in.
var fieldNames = [...]string{newsroom.WhereHeadline, newsroom.WhereStandfirst, newsroom.WhereBody, newsroom.WhereCaption}

const bodyField = 2

// Mark marks a's rendered fields (HeadlineHTML, StandfirstHTML, BodyHTML
// and LeadImage.CaptionHTML) in place and sets a.LegalMarks: the entity's
// marker right after each mention that needs one, the note once per
// article. It works on text nodes only (never inside tags, attributes,
// URLs, <code> or <pre>, nor inside longer words); matching starts only at
// word starts and walks one trie of every form of every entity, so its cost
// grows with the text, not with the registry. The listing date is
// a.LegalDate(now) as a calendar day in loc (UTC if nil). It returns what
// it found, marked or not.
func (ix *Index) Mark(a *newsroom.Article, now time.Time, loc *time.Location) []Finding {
	a.LegalMarks = nil
	if ix == nil || len(ix.entities) == 0 {
		return nil
	}
	m := marker{ix: ix, a: a}
	m.active = activity{ix: ix, a: a, day: newsroom.DateOf(a.LegalDate(now), loc), state: make([]int8, len(ix.entities))}
	srcs := [4]*string{&a.HeadlineHTML, &a.StandfirstHTML, &a.BodyHTML, nil}
	if a.LeadImage != nil {
		srcs[3] = &a.LeadImage.CaptionHTML
	}
	for i, p := range srcs {
		if p != nil && *p != "" {
			m.fields[i] = parse(*p)
			m.fields[i].where = fieldNames[i]
		}
	}
	m.run()
	for i, p := range srcs {
		if f := m.fields[i]; f != nil && f.changed() {
			*p = f.emit(*p)
		}
	}
	for _, f := range m.fields {
		if f != nil {
			f.release()
		}
	}
	if len(m.footnotes) > 0 {
		a.BodyHTML += m.footnotes
	}
	return m.findings
}

// Inspect returns what Mark would find in a, without changing a.
func (ix *Index) Inspect(a *newsroom.Article, now time.Time, loc *time.Location) []Finding {
	c := *a
	if a.LeadImage != nil {
		img := *a.LeadImage
		c.LeadImage = &img
	}
	return ix.Mark(&c, now, loc)
}

// markerHTML is a marker as inserted: a no-break space and the sign, in a
// span that tells the page's scripts it is not part of what was written
// (the error-report dialog leaves .legal-mark and .legal-note out of
// quotes), and that the stylesheet may tone down.
func markerHTML(marker string) string {
	return "<span class=\"legal-mark\">\u00a0" + html.EscapeString(marker) + "</span>"
}

// noteHTML is an inline note as inserted, its leading space included.
func noteHTML(note string) string {
	return "<span class=\"legal-note\"> (" + html.EscapeString(note) + ")</span>"
}

// activity says, entity by entity and only when asked, whether an entity
// is marked in the article: listed on its day and not switched off.
type activity struct {
	ix    *Index
	a     *newsroom.Article
	day   time.Time
	state []int8 // 0 unknown, 1 active, 2 not
}

func (ac *activity) is(i int) bool {
	switch ac.state[i] {
	case 1:
		return true
	case 2:
		return false
	}
	e := &ac.ix.entities[i]
	ok := e.ListedOn(ac.day) && !ac.a.Excluded(e.ID)
	ac.state[i] = 2
	if ok {
		ac.state[i] = 1
	}
	return ok
}

// marker is one Mark call's working state.
type marker struct {
	ix        *Index
	a         *newsroom.Article
	active    activity
	fields    [4]*field
	findings  []Finding
	footnotes string
}

type mention struct {
	run, start, end int // runes [start, end) of the run
	entity          int
	hand            bool // the author already put a marker after it
	handEnd         int  // rune index just after the hand-written marker
}

func (m *marker) run() {
	ix := m.ix
	type key struct{ entity, field int }
	marked := map[key]bool{}
	noted := map[int]bool{}
	findings := map[key]int{} // index into m.findings
	var order []int           // entities in order of first mark, for footnotes
	inOrder := map[int]bool{}
	for fi, f := range m.fields {
		if f == nil {
			continue
		}
		for _, mn := range f.find(ix, &m.active) {
			e := &ix.entities[mn.entity]
			k := key{mn.entity, fi}
			at, ok := findings[k]
			if !ok {
				state := FoundMarked
				switch {
				case m.a.Excluded(e.ID):
					state = FoundExcluded
				case !m.active.is(mn.entity):
					state = FoundNotListed
				}
				m.findings = append(m.findings, Finding{EntityID: e.ID, Entity: e.Name, Marker: e.Marker, Where: fieldNames[fi], State: state})
				at = len(m.findings) - 1
				findings[k] = at
			}
			m.findings[at].Mentions++
			if !m.active.is(mn.entity) {
				continue
			}
			if marked[k] && ix.policy.Marking == newsroom.MarkFirst {
				if mn.hand {
					m.findings[at].Marked++
				}
				continue
			}
			if !marked[k] {
				marked[k] = true
				m.a.LegalMarks = append(m.a.LegalMarks, newsroom.LegalMark{Entity: e.Name, Marker: e.Marker, Where: fieldNames[fi]})
				if !inOrder[mn.entity] {
					inOrder[mn.entity] = true
					order = append(order, mn.entity)
				}
			}
			m.findings[at].Marked++
			end := mn.end
			if mn.hand {
				end = mn.handEnd
			} else {
				f.insertAt(mn.run, mn.end, markerHTML(e.Marker), false)
			}
			if fi == bodyField && ix.policy.Notes == newsroom.NoteInline && !noted[mn.entity] {
				noted[mn.entity] = true
				if !m.noteWritten(mn.entity) {
					note := e.Note(m.a.Language)
					f.insertAt(mn.run, end, noteHTML(note), true)
				}
			}
		}
	}
	var b strings.Builder
	for _, ei := range order {
		if noted[ei] || m.noteWritten(ei) {
			continue
		}
		e := &ix.entities[ei]
		b.WriteString("\n<p class=\"legal-note\">")
		b.WriteString(html.EscapeString(e.Marker))
		b.WriteString(" ")
		b.WriteString(html.EscapeString(e.DisplayName(m.a.Language)))
		b.WriteString(" — ")
		b.WriteString(html.EscapeString(e.Note(m.a.Language)))
		b.WriteString("</p>")
	}
	m.footnotes = b.String()
}

// noteWritten reports whether one of the entity's notes already appears in
// the article's text (the author wrote it by hand).
func (m *marker) noteWritten(entity int) bool {
	notes := m.ix.foldedNotes[entity]
	if len(notes) == 0 {
		return true // nothing to write
	}
	for _, f := range m.fields {
		if f == nil {
			continue
		}
		for _, r := range f.runs {
			for _, n := range notes {
				if r.contains(n) {
					return true
				}
			}
		}
	}
	return false
}

// field is one parsed HTML field.
type field struct {
	where string
	toks  []token
	cells []cell // every scanned rune of the field, run after run
	runs  []run
	// ins holds insertions into text tokens; after holds HTML to put after
	// a token (a note after the link a mention sits in).
	ins   map[int][]insertion
	after map[int][]string
}

type token struct {
	start, end int    // raw bytes of the token in the source
	text       string // unescaped text of a scanned text token
	link       int    // for text inside <a>: the token that closes it, or -1
}

type insertion struct {
	off  int // byte offset in the token's unescaped text
	html string
}

// cell is one scanned rune: as written, folded, and where it came from.
type cell struct {
	orig, folded rune
	tok, off     int32 // token index, byte offset in the token's text
	size         int8  // bytes of orig
	word         bool  // isWord(orig)
	mask         bool  // inside a URL-like word: never matched
}

// run is text that reads as one stretch: text tokens joined across inline
// tags, ended by block tags and by anything not scanned (code, URLs).
type run []cell

func (f *field) changed() bool { return len(f.ins) > 0 || len(f.after) > 0 }

// inline elements continue a run; everything else ends it.
var inline = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "del": true,
	"dfn": true, "em": true, "i": true, "ins": true, "mark": true, "q": true, "s": true,
	"small": true, "span": true, "strong": true, "u": true, "time": true,
}

// opaque elements are never scanned.
var opaque = map[string]bool{
	"code": true, "pre": true, "kbd": true, "samp": true, "script": true, "style": true,
	"textarea": true, "var": true,
}

// parse tokenizes src and builds its runs.
func parse(src string) *field {
	f := &field{}
	if b, ok := cellPool.Get().(*[]cell); ok {
		f.cells = (*b)[:0]
	}
	if strings.IndexByte(src, '<') < 0 && strings.IndexByte(src, '&') < 0 {
		// Plain text (a headline): one token, one run.
		f.toks = []token{{start: 0, end: len(src), text: src, link: -1}}
		f.add(src, 0)
		f.endRun(0)
		return f
	}
	z := xhtml.NewTokenizer(strings.NewReader(src))
	pos := 0
	opaqueDepth := 0
	runStart := 0
	inLink := false
	var linkTexts []int // text tokens inside the open <a>
	end := func() {
		f.endRun(runStart)
		runStart = len(f.cells)
	}
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		raw := z.Raw()
		t := token{start: pos, end: pos + len(raw), link: -1}
		pos += len(raw)
		idx := len(f.toks)
		switch tt {
		case xhtml.TextToken:
			if opaqueDepth > 0 {
				end()
				break
			}
			if !bytes.ContainsAny(raw, "&\r\x00") {
				t.text = src[t.start:t.end]
			} else {
				t.text = string(z.Text())
			}
			if inLink {
				if looksLikeURL(t.text) {
					end()
					t.text = ""
					break
				}
				linkTexts = append(linkTexts, idx)
			}
			f.add(t.text, int32(idx))
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			switch n := string(name); {
			case opaque[n]:
				end()
				if tt == xhtml.StartTagToken {
					opaqueDepth++
				} else if tt == xhtml.EndTagToken && opaqueDepth > 0 {
					opaqueDepth--
				}
			case n == "a" && tt == xhtml.StartTagToken:
				inLink, linkTexts = true, linkTexts[:0]
			case n == "a" && tt == xhtml.EndTagToken:
				for _, ti := range linkTexts {
					f.toks[ti].link = idx
				}
				inLink, linkTexts = false, linkTexts[:0]
			case !inline[n]:
				end()
			}
		default: // comments, doctype
			end()
		}
		f.toks = append(f.toks, t)
	}
	end()
	return f
}

// cellPool keeps cell buffers between Mark calls.
var cellPool sync.Pool

// release returns the field's buffer to the pool; f is unusable after.
func (f *field) release() {
	if cap(f.cells) <= 1<<20 {
		b := f.cells[:0]
		cellPool.Put(&b)
	}
	f.cells, f.runs = nil, nil
}

// endRun closes the run of cells from start, masking URL-like words.
func (f *field) endRun(start int) {
	if len(f.cells) > start {
		r := run(f.cells[start:len(f.cells):len(f.cells)])
		r.maskURLs()
		f.runs = append(f.runs, r)
	}
}

// looksLikeURL reports whether link text is an address rather than words.
func looksLikeURL(s string) bool {
	s = strings.TrimSpace(s)
	l := strings.ToLower(s)
	return strings.Contains(l, "://") || strings.HasPrefix(l, "www.") || strings.HasPrefix(l, "mailto:") ||
		(strings.Contains(s, "@") && !strings.Contains(s, " "))
}

func (f *field) add(text string, tok int32) {
	cells := f.cells
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf { // ASCII: fold inline
			fc := rune(c)
			switch {
			case 'A' <= c && c <= 'Z':
				fc += 'a' - 'A'
			case c == ' ', c == '\t', c == '\n', c == '\r', c == '\f', c == '\v':
				fc = ' '
			case c == '`':
				fc = '\''
			}
			w := 'a' <= fc && fc <= 'z' || '0' <= c && c <= '9' || c == '_'
			cells = append(cells, cell{orig: rune(c), folded: fc, tok: tok, off: int32(i), size: 1, word: w})
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if fc := fold(r); fc != ignored {
			cells = append(cells, cell{orig: r, folded: fc, tok: tok, off: int32(i), size: int8(n), word: isWord(r)})
		}
		i += n
	}
	f.cells = cells
}

// maskURLs masks every space-separated word that looks like an address.
func (r run) maskURLs() {
	for i := 0; i < len(r); {
		if r[i].folded == ' ' {
			i++
			continue
		}
		j := i
		url := false
		if j+3 < len(r) && r[j].folded == 'w' && r[j+1].folded == 'w' && r[j+2].folded == 'w' && r[j+3].folded == '.' {
			url = true
		}
		for ; j < len(r) && r[j].folded != ' '; j++ {
			c := r[j].folded
			if c == '@' && j > i && j+1 < len(r) && r[j+1].folded != ' ' {
				url = true
			}
			if c == ':' && j+2 < len(r) && r[j+1].folded == '/' && r[j+2].folded == '/' {
				url = true
			}
		}
		if url {
			for k := i; k < j; k++ {
				r[k].mask = true
			}
		}
		i = j
	}
}

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

// wordStart reports whether a word starts at rune i: a word rune not
// preceded by a word rune or by a hyphen joined to one ("anti-X").
func (r run) wordStart(i int) bool {
	if r[i].mask || !r[i].word {
		return false
	}
	if i == 0 {
		return true
	}
	if r[i-1].word {
		return false
	}
	return !(isHyphen(r[i-1].orig) && i >= 2 && r[i-2].word)
}

// wordEnd reports whether a word may end just before rune j.
func (r run) wordEnd(j int) bool {
	if j >= len(r) {
		return true
	}
	if r[j].word || r[j].mask {
		return false
	}
	return !(isHyphen(r[j].orig) && j+1 < len(r) && r[j+1].word)
}

// find returns the mentions in the field, in text order.
func (f *field) find(ix *Index, active *activity) []mention {
	var out []mention
	for ri, r := range f.runs {
		for i := 0; i < len(r); i++ {
			if !r.wordStart(i) {
				continue
			}
			mn, ok := r.match(ix, i, active)
			if !ok {
				continue
			}
			mn.run = ri
			out = append(out, mn)
			i = mn.end - 1
			if mn.hand {
				i = mn.handEnd - 1
			}
		}
	}
	return out
}

// match walks the trie from rune i and returns the longest mention that
// ends at a word boundary and passes the case rule.
func (r run) match(ix *Index, i int, active *activity) (mention, bool) {
	type cand struct {
		end  int
		node int32
	}
	var cands [4]cand
	nc := 0
	node := int32(0)
	j := i
	for j < len(r) {
		c := r[j].folded
		if r[j].mask {
			break
		}
		next, ok := ix.next(node, c)
		if !ok {
			break
		}
		node = next
		j++
		if c == ' ' {
			for j < len(r) && r[j].folded == ' ' {
				j++
			}
			continue
		}
		if _, ok := ix.terms[node]; ok && r.wordEnd(j) {
			if nc == len(cands) {
				copy(cands[:], cands[1:])
				nc--
			}
			cands[nc] = cand{j, node}
			nc++
		}
	}
	for k := nc - 1; k >= 0; k-- {
		c := cands[k]
		text := r.written(i, c.end)
		chosen := -1
		for _, t := range ix.terms[c.node] {
			if !caseOK(text, t.form, ix.entities[t.entity].IgnoreCase) {
				continue
			}
			if chosen < 0 || (!active.is(chosen) && active.is(t.entity)) {
				chosen = t.entity
			}
		}
		if chosen < 0 {
			continue
		}
		mn := mention{start: i, end: c.end, entity: chosen}
		// An English possessive belongs to the name: the marker follows it.
		if e := mn.end; e+1 < len(r) && r[e].folded == '\'' && r[e+1].folded == 's' && r.wordEnd(e+2) {
			mn.end = e + 2
		}
		mn.hand, mn.handEnd = r.handMarked(mn.end, ix.entities[chosen].Marker)
		return mn, true
	}
	return mention{}, false
}

// written returns runes [i, j) as written, each space run as one ' '.
func (r run) written(i, j int) []rune {
	out := make([]rune, 0, j-i)
	for k := i; k < j; k++ {
		if r[k].folded == ' ' {
			if len(out) == 0 || out[len(out)-1] != ' ' {
				out = append(out, ' ')
			}
			continue
		}
		out = append(out, r[k].orig)
	}
	return out
}

// handMarked reports whether the text after rune j (past spaces) is a
// marker: the entity's own or any run of asterisks. It returns the rune
// index just after that marker.
func (r run) handMarked(j int, marker string) (bool, int) {
	k := j
	for k < len(r) && r[k].folded == ' ' {
		k++
	}
	if k >= len(r) {
		return false, 0
	}
	if r[k].orig == '*' {
		for k < len(r) && r[k].orig == '*' {
			k++
		}
		return true, k
	}
	n := 0
	for _, mc := range marker {
		if k+n >= len(r) || r[k+n].orig != mc {
			return false, 0
		}
		n++
	}
	return n > 0, k + n
}

// contains reports whether the folded text of the run holds needle (folded,
// spaces collapsed); any run of spaces in the text matches one space.
func (r run) contains(needle []rune) bool {
	if len(needle) == 0 {
		return true
	}
	for i := range r {
		if r[i].folded != needle[0] {
			continue
		}
		j, k := i, 0
		for j < len(r) && k < len(needle) {
			if r[j].folded != needle[k] {
				break
			}
			j++
			if needle[k] == ' ' {
				for j < len(r) && r[j].folded == ' ' {
					j++
				}
			}
			k++
		}
		if k == len(needle) {
			return true
		}
	}
	return false
}

// insertAt inserts h right after rune end-1 of run ri. A note (outside is
// true) that would land inside a link goes after the link instead.
func (f *field) insertAt(ri, end int, h string, outside bool) {
	if end <= 0 {
		return
	}
	c := f.runs[ri][end-1]
	tok := int(c.tok)
	if outside && f.toks[tok].link >= 0 {
		if f.after == nil {
			f.after = map[int][]string{}
		}
		l := f.toks[tok].link
		f.after[l] = append(f.after[l], h)
		return
	}
	if f.ins == nil {
		f.ins = map[int][]insertion{}
	}
	f.ins[tok] = append(f.ins[tok], insertion{off: int(c.off) + int(c.size), html: h})
}

// emit writes src with the field's insertions.
func (f *field) emit(src string) string {
	var b strings.Builder
	b.Grow(len(src) + 64*(len(f.ins)+len(f.after)))
	for i, t := range f.toks {
		ins := f.ins[i]
		if len(ins) == 0 {
			b.WriteString(src[t.start:t.end])
		} else {
			sort.SliceStable(ins, func(a, b int) bool { return ins[a].off < ins[b].off })
			last := 0
			for _, in := range ins {
				b.WriteString(html.EscapeString(t.text[last:in.off]))
				b.WriteString(in.html)
				last = in.off
			}
			b.WriteString(html.EscapeString(t.text[last:]))
		}
		for _, h := range f.after[i] {
			b.WriteString(h)
		}
	}
	return b.String()
}

// Mentions reports whether a's rendered fields name any entity of the
// index, whatever the dates and switches: the test for "is this article
// affected by a change to these entities".
func (ix *Index) Mentions(a *newsroom.Article) bool {
	if ix == nil || len(ix.entities) == 0 {
		return false
	}
	all := activity{ix: ix, a: a, state: make([]int8, len(ix.entities))}
	for i := range all.state {
		all.state[i] = 1
	}
	srcs := []string{a.HeadlineHTML, a.StandfirstHTML, a.BodyHTML}
	if a.LeadImage != nil {
		srcs = append(srcs, a.LeadImage.CaptionHTML)
	}
	for _, s := range srcs {
		if s == "" {
			continue
		}
		f := parse(s)
		found := len(f.find(ix, &all)) > 0
		f.release()
		if found {
			return true
		}
	}
	return false
}
