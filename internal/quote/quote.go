// Package quote finds a reader's quotation in the text a page shows and
// edits exactly that occurrence in the source it came from: locating by
// exact text and context (a W3C TextQuoteSelector), replacing through a
// character diff, and folding text so that white space, quote styles and
// dashes do not matter when comparing. It knows nothing of articles.
package quote

import (
	"errors"
	"strconv"
	"strings"
)

// Quote identifies a place in a text the way a W3C Web Annotation
// TextQuoteSelector does: the exact text, with some of the text just
// before and just after it.
type Quote struct {
	Exact  string `json:"exact"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
}

// Errors of Locate and Replace. Callers turn them into the sentences
// their users read.
var (
	// ErrEmpty: the quote's exact text is empty once folded.
	ErrEmpty = errors.New("quote: the quoted text is empty")
	// ErrNotFound: the quote, with the context the mode asks for, is not there.
	ErrNotFound = errors.New("quote: not found")
	// ErrAmbiguous: a quote without context occurs more than once.
	ErrAmbiguous = errors.New("quote: found in more than one place")
	// ErrChanged: the text at a Location is not what was located.
	ErrChanged = errors.New("quote: the text changed since it was located")
)

// PartError is Replace's error when a Location is in another part than
// the text it is applied to.
type PartError struct {
	Located, Given string
}

func (e *PartError) Error() string {
	return "the location is in the " + e.Located + ", not the " + e.Given
}

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

// Shown is one part of a page as readers see it (plain text, without
// markup), in pieces that point back into the part's source.
type Shown struct {
	Part     string // which part of the page, such as "headline" or "body"
	Source   string // Markdown for the body, plain text otherwise
	Markdown bool   // insertions must be escaped as Markdown
	Pieces   []Piece
}

// Text returns the plain text readers see.
func (t *Shown) Text() string {
	var b strings.Builder
	for _, p := range t.Pieces {
		b.WriteString(p.Text)
	}
	return b.String()
}

// Mode says how closely the context around a quote must match.
type Mode int

const (
	// Strict needs the exact text with all of its prefix and suffix:
	// checking what a reader sends.
	Strict Mode = iota
	// Loose needs the exact text with at least a few characters of
	// its prefix or suffix: finding a reported place again after an edit
	// nearby. The best-matching occurrence wins.
	Loose
)

// looseContext is how many characters of context Loose needs on at
// least one side.
const looseContext = 8

// ContextRunes is how much context a located quote carries on each side.
const ContextRunes = 32

// Location is where a quote was found.
type Location struct {
	Part string
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
	return l.Part + ":" + strconv.Itoa(l.Start) + "-" + strconv.Itoa(l.End)
}
