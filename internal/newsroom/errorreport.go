package newsroom

import (
	"context"
	"net/mail"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ReportStatus is where a reader's error report stands.
type ReportStatus string

const (
	ReportOpen        ReportStatus = "open"          // waiting for an editor
	ReportFixed       ReportStatus = "fixed"         // an editor fixed it (by applying a suggestion or by hand)
	ReportFixedByEdit ReportStatus = "fixed_by_edit" // an edit removed the reported text from its place
	ReportRejected    ReportStatus = "rejected"      // not an error
	ReportSpam        ReportStatus = "spam"
)

// Valid reports whether s is a known report status.
func (s ReportStatus) Valid() bool {
	switch s {
	case ReportOpen, ReportFixed, ReportFixedByEdit, ReportRejected, ReportSpam:
		return true
	}
	return false
}

// IsFixed reports whether the reported error was corrected, so a reader
// who asked may be told.
func (s ReportStatus) IsFixed() bool { return s == ReportFixed || s == ReportFixedByEdit }

// TextPart names a part of an article that readers can quote.
type TextPart string

const (
	PartHeadline   TextPart = "headline"
	PartStandfirst TextPart = "standfirst"
	PartCaption    TextPart = "caption" // the lead image's caption
	PartBody       TextPart = "body"
)

// Valid reports whether p is a known part.
func (p TextPart) Valid() bool {
	switch p {
	case PartHeadline, PartStandfirst, PartCaption, PartBody:
		return true
	}
	return false
}

// Quote identifies a place in an article's text the way a W3C Web
// Annotation TextQuoteSelector does: the exact text, with some of the text
// just before and just after it.
type Quote struct {
	Exact  string `json:"exact"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
}

// ErrorReport is one place in an article that readers said is wrong, with
// everything they suggested. Reports of the same place merge into one.
type ErrorReport struct {
	ID        int64 `json:"id"`
	ArticleID int64 `json:"article_id"`
	// Revision is the article revision Place refers to.
	Revision int      `json:"revision"`
	Part     TextPart `json:"part"`
	// Place identifies the occurrence within that revision (part and
	// offsets in its shown text); reports with equal places merge.
	Place string `json:"-"`
	Quote
	// Before and After are the rest of the sentence around Exact, as shown
	// when the report was filed, for the desk and the e-mails.
	Before string       `json:"before"`
	After  string       `json:"after"`
	Status ReportStatus `json:"status"`
	// Count is how many readers (distinct addresses) reported the place.
	Count       int                `json:"count"`
	Suggestions []ReportSuggestion `json:"suggestions"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	ResolvedAt  time.Time          `json:"resolved_at"`
	ResolvedBy  int64              `json:"resolved_by,omitempty"`
}

// ReportSuggestion is what one reader sent about a place: an optional
// corrected text and an optional comment. Email, when given, is used once
// to say the error was fixed and then deleted; IP is kept only while the
// report is open, for rate limits and blocking spam.
type ReportSuggestion struct {
	ID        int64     `json:"id"`
	Text      string    `json:"suggestion"`
	Comment   string    `json:"comment"`
	Email     string    `json:"-"`
	IP        string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// ReportLimits bounds what a reader may send.
type ReportLimits struct {
	MaxExact      int // characters of the exact quote (default 300)
	MaxContext    int // characters of prefix and of suffix (default 200)
	MaxSuggestion int // characters (default 1000)
	MaxComment    int // characters (default 2000)
}

// DefaultReportLimits are the limits used when none are configured.
var DefaultReportLimits = ReportLimits{MaxExact: 300, MaxContext: 200, MaxSuggestion: 1000, MaxComment: 2000}

// WithDefaults fills zero limits with the defaults.
func (l ReportLimits) WithDefaults() ReportLimits {
	d := DefaultReportLimits
	if l.MaxExact > 0 {
		d.MaxExact = l.MaxExact
	}
	if l.MaxContext > 0 {
		d.MaxContext = l.MaxContext
	}
	if l.MaxSuggestion > 0 {
		d.MaxSuggestion = l.MaxSuggestion
	}
	if l.MaxComment > 0 {
		d.MaxComment = l.MaxComment
	}
	return d
}

// ReportSubmission is a reader's report as it arrives, before it is
// located in the article.
type ReportSubmission struct {
	ArticleID int64
	Revision  int // 0 means the current revision (the form without JavaScript)
	Part      TextPart
	Quote
	Suggestion string
	Comment    string
	Email      string
	IP         string
}

// Normalize trims the fields and turns line breaks in the one-line fields
// into spaces. A suggestion equal to the quote is no suggestion.
func (s *ReportSubmission) Normalize() {
	oneLine := func(v string) string {
		return strings.Join(strings.Fields(strings.ToValidUTF8(v, "")), " ")
	}
	s.Exact = strings.TrimSpace(strings.ToValidUTF8(s.Exact, ""))
	s.Prefix = strings.ToValidUTF8(s.Prefix, "")
	s.Suffix = strings.ToValidUTF8(s.Suffix, "")
	s.Suggestion = oneLine(s.Suggestion)
	s.Comment = strings.TrimSpace(strings.ToValidUTF8(s.Comment, ""))
	s.Email = strings.TrimSpace(s.Email)
	if s.Suggestion == oneLine(s.Exact) {
		s.Suggestion = ""
	}
}

// Validate checks a normalized submission against the limits. Errors are
// Invalid and name the field.
func (s *ReportSubmission) Validate(l ReportLimits) error {
	l = l.WithDefaults()
	if s.ArticleID <= 0 {
		return Errorf(Invalid, "article_id", "article_id is required")
	}
	if s.Revision < 0 {
		return Errorf(Invalid, "revision", "revision must be a positive number")
	}
	if s.Part != "" && !s.Part.Valid() {
		return Errorf(Invalid, "part", "part must be headline, standfirst, caption or body")
	}
	n := utf8.RuneCountInString(s.Exact)
	if n == 0 || FoldText(s.Exact) == "" {
		return Errorf(Invalid, "exact", "select or paste the words with the error")
	}
	if n > l.MaxExact {
		return Errorf(Invalid, "exact", "the quoted text is longer than %d characters; select just the words with the error", l.MaxExact)
	}
	if utf8.RuneCountInString(s.Prefix) > l.MaxContext {
		return Errorf(Invalid, "prefix", "prefix is longer than %d characters", l.MaxContext)
	}
	if utf8.RuneCountInString(s.Suffix) > l.MaxContext {
		return Errorf(Invalid, "suffix", "suffix is longer than %d characters", l.MaxContext)
	}
	if utf8.RuneCountInString(s.Suggestion) > l.MaxSuggestion {
		return Errorf(Invalid, "suggestion", "the suggestion is longer than %d characters", l.MaxSuggestion)
	}
	if utf8.RuneCountInString(s.Comment) > l.MaxComment {
		return Errorf(Invalid, "comment", "the comment is longer than %d characters", l.MaxComment)
	}
	if s.Email != "" {
		a, err := mail.ParseAddress(s.Email)
		if err != nil || a.Address != s.Email || len(s.Email) > 254 {
			return Errorf(Invalid, "email", "the e-mail address is not valid")
		}
	}
	return nil
}

// ErrorReportFilter selects reports. Zero fields do not filter. Without a
// status, open reports come first; within a status, the most recently
// reported first.
type ErrorReportFilter struct {
	Status    ReportStatus
	ArticleID int64
	Limit     int // 0 means 50
	Offset    int
}

// DigestItem is one reader's report not yet sent to the editors.
type DigestItem struct {
	SuggestionID int64
	Report       ErrorReport // without Suggestions
	Headline     string
	Suggestion   ReportSuggestion
}

// ReaderNotice is a reader's address waiting to hear that the error they
// reported was fixed.
type ReaderNotice struct {
	SuggestionID int64
	Email        string
	Report       ErrorReport // without Suggestions
	Headline     string
}

// ErrorReportStore keeps readers' error reports.
type ErrorReportStore interface {
	// FileErrorReport stores s as a report of r's place: merged into the
	// open report of the same article and Place if there is one (Count
	// grows when s comes from an address not seen on it), else as a new
	// open report. r is filled from the stored report (ID, Status, Count,
	// times); merged says whether it existed. An unknown article is
	// NotFound.
	FileErrorReport(ctx context.Context, r *ErrorReport, s *ReportSuggestion) (merged bool, err error)
	// ErrorReportByID returns a report with its suggestions, or NotFound.
	ErrorReportByID(ctx context.Context, id int64) (*ErrorReport, error)
	// FindErrorReports returns one page of reports with their suggestions,
	// and the total count.
	FindErrorReports(ctx context.Context, f ErrorReportFilter) ([]*ErrorReport, int, error)
	// CountErrorReports counts reports with the status.
	CountErrorReports(ctx context.Context, status ReportStatus) (int, error)
	// ResolveErrorReport sets the status of a report (by is the staff user,
	// 0 for the system). Leaving "open" forgets the reporters' addresses
	// (IP), and e-mail addresses too unless the error was fixed.
	ResolveErrorReport(ctx context.Context, id int64, status ReportStatus, by int64) error
	// MoveErrorReport re-anchors an open report to a place in a newer revision.
	MoveErrorReport(ctx context.Context, id int64, revision int, place string) error
	// BlockReporters adds the addresses that sent the report to the
	// blocklist and returns how many were added.
	BlockReporters(ctx context.Context, reportID int64) (int, error)
	// IPBlocked reports whether ip is on the blocklist.
	IPBlocked(ctx context.Context, ip string) (bool, error)
	// UndigestedReports lists readers' reports not yet sent to the editors
	// in a digest, oldest first, at most limit.
	UndigestedReports(ctx context.Context, limit int) ([]DigestItem, error)
	// MarkDigested records that the suggestions were sent in a digest.
	MarkDigested(ctx context.Context, suggestionIDs []int64) error
	// ReaderNotices lists addresses of readers whose report is fixed and
	// who have not been told yet, at most limit.
	ReaderNotices(ctx context.Context, limit int) ([]ReaderNotice, error)
	// ForgetReporterEmail deletes the e-mail address of one suggestion.
	ForgetReporterEmail(ctx context.Context, suggestionID int64) error
}

// ---------------------------------------------------------------------
// Locating a quote in what readers see, and mapping it to the source.

// Piece is a stretch of the text readers see, with the bytes of the
// part's source it came from. A verbatim piece is a copy of
// Source[Start:End], so every byte inside maps one to one; any other piece
// (a typographic quote made from '"', "–" from "--", "&" from "&amp;", a
// line break) maps as a whole. Start == End marks text with no source of
// its own, such as the break between two paragraphs.
type Piece struct {
	Text       string
	Start, End int
	Verbatim   bool
}

// ShownText is one part of an article as readers see it (plain text,
// without markup), in pieces that point back into the part's source.
type ShownText struct {
	Part     TextPart
	Source   string // Markdown for the body, plain text otherwise
	Markdown bool   // insertions must be escaped as Markdown
	Pieces   []Piece
}

// Text returns the plain text readers see.
func (t *ShownText) Text() string {
	var b strings.Builder
	for _, p := range t.Pieces {
		b.WriteString(p.Text)
	}
	return b.String()
}

// MatchMode says how closely the context around a quote must match.
type MatchMode int

const (
	// MatchStrict needs the exact text with all of its prefix and suffix:
	// checking what a reader sends.
	MatchStrict MatchMode = iota
	// MatchLoose needs the exact text with at least a few characters of
	// its prefix or suffix: finding a reported place again after an edit
	// nearby. The best-matching occurrence wins.
	MatchLoose
)

// looseContext is how many characters of context MatchLoose needs on at
// least one side.
const looseContext = 8

// ContextRunes is how much context a located quote carries on each side.
const ContextRunes = 32

// Location is where a quote was found.
type Location struct {
	Part TextPart
	// Start and End are the byte offsets of the quote in the part's shown
	// text; SrcStart and SrcEnd are the part's source bytes it came from.
	Start, End       int
	SrcStart, SrcEnd int
	// Text is the quoted text as shown there.
	Text string
	// Prefix and Suffix are up to ContextRunes characters of shown text
	// around it; Before and After the rest of its sentence.
	Prefix, Suffix string
	Before, After  string
}

// Place is a key for the occurrence, equal for every quote of the same text
// at the same place of the same revision.
func (l Location) Place() string {
	return string(l.Part) + ":" + itoa(int64(l.Start)) + "-" + itoa(int64(l.End))
}

// Messages of the Unprocessable errors Locate returns on "exact", so that
// surfaces can say them in the reader's language.
const (
	MsgQuoteNotFound  = "the selected text was not found in this version of the article; reload the page and select it again"
	MsgQuoteAmbiguous = "these words appear more than once in the article; include a few words around them"
)

// Locate finds q in the parts readers see. White space, typographic quotes,
// dashes and ellipses do not matter when comparing, so text copied from the
// page, pasted by hand or typed with straight quotes all match. Where the
// context matches at several places, the first in page order wins, except
// that a quote with no context at all that occurs more than once is an
// Unprocessable error asking for more words. A quote that is not there is
// an Unprocessable error on "exact". If part is set, only that part is
// searched.
func Locate(texts []ShownText, q Quote, part TextPart, mode MatchMode) (Location, error) {
	exact := foldKey(q.Exact)
	if exact.s == "" {
		return Location{}, Errorf(Invalid, "exact", "the quoted text is empty")
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
	for _, t := range pageOrder(texts) {
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
			case MatchStrict:
				if pm == pr && sm == sr && best == nil {
					best = c
				}
			case MatchLoose:
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
		return Location{}, Errorf(Unprocessable, "exact", "%s", MsgQuoteNotFound)
	}
	if mode == MatchStrict && pr == 0 && sr == 0 && occurrences > 1 {
		return Location{}, Errorf(Unprocessable, "exact", "%s", MsgQuoteAmbiguous)
	}
	ix := best.ix
	start := ix.key.from[best.at]
	end := ix.key.to[best.at+len(exact.s)-1]
	return ix.location(start, end), nil
}

// pageOrder returns the parts in the order a reader meets them.
func pageOrder(texts []ShownText) []*ShownText {
	var out []*ShownText
	for _, p := range []TextPart{PartHeadline, PartStandfirst, PartCaption, PartBody} {
		for i := range texts {
			if texts[i].Part == p {
				out = append(out, &texts[i])
			}
		}
	}
	return out
}

// shownIndex is a ShownText prepared for searching.
type shownIndex struct {
	t      *ShownText
	plain  string
	starts []int // plain offset where each piece starts
	key    folded
}

func indexShown(t *ShownText) *shownIndex {
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
// that shows what was asked for.
func Replace(t ShownText, loc Location, replacement string) ([]string, error) {
	if loc.Part != t.Part {
		return nil, Errorf(Invalid, "part", "the location is in the %s, not the %s", loc.Part, t.Part)
	}
	ix := indexShown(&t)
	if loc.Start < 0 || loc.End > len(ix.plain) || loc.Start > loc.End || ix.plain[loc.Start:loc.End] != loc.Text {
		return nil, Errorf(Conflict, "", "the text changed since it was located")
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

// ---------------------------------------------------------------------
// Folding text for comparison.

// folded is a comparison key for a text, with the byte range of the
// original each key byte came from.
type folded struct {
	s        string
	from, to []int
}

// FoldText returns the comparison form of s: no white space or invisible
// characters, typographic quotes as straight quotes, every run of dashes as
// one hyphen, an ellipsis as three dots.
func FoldText(s string) string { return foldKey(s).s }

// SameText reports whether a and b read the same: equal once white space
// is collapsed and quotes, dashes and ellipses are folded as in FoldText.
// Unlike FoldText, it tells "a b" from "ab".
func SameText(a, b string) bool { return fold(a, true).s == fold(b, true).s }

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
