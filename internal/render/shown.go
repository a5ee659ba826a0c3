package render

import (
	"bytes"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/quote"
)

// Shown returns the parts of a that readers can quote (headline,
// standfirst, the lead image's caption, body) as the plain text the page
// shows, each piece pointing back into the part's source. It follows the
// renderer exactly: the body is parsed with the same Markdown parser, the
// headline and standfirst are smartened as Inline does. Text that a page
// adds around the source (footnote numbers and back links, legal markers
// added by hooks) is not part of it; the page's script leaves it out of a
// quote too. The parts come in page order, as quote.Locate expects.
func (r *Renderer) Shown(a *newsroom.Article) []quote.Shown {
	out := []quote.Shown{
		{Part: string(newsroom.PartHeadline), Source: a.Headline, Pieces: smartPieces(a.Headline)},
		{Part: string(newsroom.PartStandfirst), Source: a.Standfirst, Pieces: smartPieces(a.Standfirst)},
	}
	if img := a.LeadImage; img != nil && img.Caption != "" {
		out = append(out, r.ShownPart(newsroom.PartCaption, img.Caption))
	}
	out = append(out, r.ShownMarkdown(a.Body))
	return out
}

// ShownMarkdown returns the plain text readers see of Markdown source,
// mapped back to the source.
func (r *Renderer) ShownMarkdown(src string) quote.Shown {
	source := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	b := &pieceBuilder{src: src}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Type() == ast.TypeBlock {
			b.blockBreak()
			if l := n.Lines(); l != nil && l.Len() > 0 {
				b.cur = l.At(0).Start
			}
		}
		switch n := n.(type) {
		case *ast.Text:
			b.text(n.Segment, n.IsRaw())
			if n.HardLineBreak() || n.SoftLineBreak() {
				b.add(quote.Piece{Text: "\n", Start: n.Segment.Stop, End: n.Segment.Stop})
			}
		case *ast.String:
			b.str(n)
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.verbatim(seg.Start, seg.Stop)
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			label := n.Label(source)
			if i := bytes.Index(source[b.cur:], label); i >= 0 {
				b.verbatim(b.cur+i, b.cur+i+len(label))
			} else {
				b.add(quote.Piece{Text: string(label), Start: b.cur, End: b.cur})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Image, *ast.RawHTML, *ast.HTMLBlock, *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
			// Not text on the page (alt text, tags), or text the page adds.
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return quote.Shown{Part: string(newsroom.PartBody), Source: src, Markdown: true, Pieces: b.pieces}
}

// pieceBuilder collects pieces, merging adjacent verbatim ones.
type pieceBuilder struct {
	src    string
	pieces []quote.Piece
	cur    int // source offset up to which text has been mapped
}

func (b *pieceBuilder) add(p quote.Piece) {
	if p.Text == "" {
		return
	}
	if n := len(b.pieces); n > 0 && p.Verbatim {
		last := &b.pieces[n-1]
		if last.Verbatim && last.End == p.Start {
			last.Text += p.Text
			last.End = p.End
			return
		}
	}
	b.pieces = append(b.pieces, p)
}

func (b *pieceBuilder) verbatim(start, end int) {
	if start < end {
		b.add(quote.Piece{Text: b.src[start:end], Start: start, End: end, Verbatim: true})
	}
	b.cur = max(b.cur, end)
}

// blockBreak separates blocks as the page's line breaks between them do.
func (b *pieceBuilder) blockBreak() {
	if n := len(b.pieces); n > 0 && !strings.HasSuffix(b.pieces[n-1].Text, "\n") {
		b.add(quote.Piece{Text: "\n", Start: b.cur, End: b.cur})
	}
}

// text maps a text segment, resolving backslash escapes and entity
// references as the HTML renderer does.
func (b *pieceBuilder) text(seg text.Segment, raw bool) {
	if raw {
		b.verbatim(seg.Start, seg.Stop)
		return
	}
	s := b.src
	run := seg.Start
	for i := seg.Start; i < seg.Stop; {
		c := s[i]
		switch {
		case c == '\\' && i+1 < seg.Stop && isASCIIPunct(s[i+1]):
			b.verbatim(run, i)
			b.add(quote.Piece{Text: s[i+1 : i+2], Start: i, End: i + 2})
			i += 2
			run = i
			continue
		case c == '&':
			if end := entityEnd(s, i, seg.Stop); end > 0 {
				if dec := html.UnescapeString(s[i:end]); dec != s[i:end] {
					b.verbatim(run, i)
					b.add(quote.Piece{Text: dec, Start: i, End: end})
					i = end
					run = i
					continue
				}
			}
		}
		i++
	}
	b.verbatim(run, seg.Stop)
	b.cur = max(b.cur, seg.Stop)
}

// entityEnd returns the end of an entity reference starting at s[i] ('&'),
// or 0.
func entityEnd(s string, i, stop int) int {
	for j := i + 1; j < stop && j-i <= 32; j++ {
		c := s[j]
		switch {
		case c == ';':
			if j > i+1 {
				return j + 1
			}
			return 0
		case c == '#' && j == i+1, c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		default:
			return 0
		}
	}
	return 0
}

func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// typographerSource is the source text each typographer substitution
// replaces.
var typographerSource = map[string]string{
	"&ldquo;": `"`, "&rdquo;": `"`, "&lsquo;": "'", "&rsquo;": "'",
	"&ndash;": "--", "&mdash;": "---", "&hellip;": "...",
	"&laquo;": "<<", "&raquo;": ">>",
}

// str maps a string the parser made up (the typographer's quotes, dashes
// and ellipses) back to the characters it replaced.
func (b *pieceBuilder) str(n *ast.String) {
	shown := string(n.Value)
	if n.IsCode() || n.IsRaw() {
		shown = html.UnescapeString(shown)
	}
	if pat, ok := typographerSource[string(n.Value)]; ok {
		if i := strings.Index(b.src[b.cur:], pat); i >= 0 {
			at := b.cur + i
			b.add(quote.Piece{Text: shown, Start: at, End: at + len(pat)})
			b.cur = at + len(pat)
			return
		}
	}
	b.add(quote.Piece{Text: shown, Start: b.cur, End: b.cur})
}

// smartPieces maps the text Smarten makes of s back to s.
func smartPieces(s string) []quote.Piece {
	shown := Smarten(s)
	var out []quote.Piece
	addVerbatim := func(start, end int) {
		if start >= end {
			return
		}
		if n := len(out); n > 0 && out[n-1].Verbatim && out[n-1].End == start {
			out[n-1].Text += s[start:end]
			out[n-1].End = end
			return
		}
		out = append(out, quote.Piece{Text: s[start:end], Start: start, End: end, Verbatim: true})
	}
	// Walk s and its smartened form together: they differ only where
	// Smarten replaced a quote, dashes or dots.
	i, j := 0, 0
	for i < len(s) && j < len(shown) {
		rs, ss := utf8.DecodeRuneInString(s[i:])
		rt, st := utf8.DecodeRuneInString(shown[j:])
		if rs == rt {
			addVerbatim(i, i+ss)
			i, j = i+ss, j+st
			continue
		}
		n := 1 // source bytes replaced
		switch rt {
		case '—':
			n = 3
		case '–':
			n = 2
		case '…':
			n = 3
		}
		out = append(out, quote.Piece{Text: shown[j : j+st], Start: i, End: i + n})
		i, j = i+n, j+st
	}
	return out
}

// ShownPart returns the shown text of one part of source, as Shown does.
func (r *Renderer) ShownPart(part newsroom.TextPart, source string) quote.Shown {
	switch part {
	case newsroom.PartBody:
		return r.ShownMarkdown(source)
	case newsroom.PartCaption:
		// The page shows the caption as written, trimmed, without a final
		// full stop (the credit line continues it).
		t := quote.Shown{Part: string(part), Source: source}
		shown := CaptionText(source)
		if shown != "" {
			i := strings.Index(source, shown)
			t.Pieces = []quote.Piece{{Text: shown, Start: i, End: i + len(shown), Verbatim: true}}
		}
		return t
	default:
		return quote.Shown{Part: string(part), Source: source, Pieces: smartPieces(source)}
	}
}

// Replace returns the source of t's part with the quote at loc replaced by
// replacement (see quote.Replace), after checking by rendering that the
// page then shows exactly that change and nothing else. If no way of
// editing the source does, it returns an Unprocessable error: the editor
// has to make the change by hand.
func (r *Renderer) Replace(t quote.Shown, loc quote.Location, replacement string) (string, error) {
	candidates, err := quote.Replace(t, loc, replacement)
	if err != nil {
		return "", newsroom.QuoteError(err)
	}
	old := t.Text()
	want := old[:loc.Start] + strings.Join(strings.Fields(replacement), " ") + old[loc.End:]
	for _, src := range candidates {
		got := r.ShownPart(newsroom.TextPart(t.Part), src)
		if quote.Same(got.Text(), want) {
			return src, nil
		}
	}
	return "", newsroom.Errorf(newsroom.Unprocessable, "suggestion",
		"the suggestion cannot be applied automatically here (the markup around the words would change); edit the article by hand")
}

// CaptionText is the part of a lead image's caption the article page shows.
func CaptionText(caption string) string {
	return strings.TrimRight(strings.TrimSpace(caption), ".")
}
