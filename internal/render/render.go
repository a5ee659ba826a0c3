// Package render turns what staff write into the safe HTML readers see:
// Markdown (CommonMark with tables, strikethrough, autolinks, footnotes and
// typographic quotes) sanitized by an allow-list, headlines with real
// quotation marks, and plain-text excerpts. It runs on save, never per view.
package render

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"newsdesk/internal/newsroom"
)

// Hook changes an article after its Markdown is rendered, for example to add
// legal markers. Hooks run in order on every save.
type Hook func(a *newsroom.Article) error

// Renderer renders articles. It is safe for concurrent use once built.
type Renderer struct {
	md       goldmark.Markdown
	policy   *bluemonday.Policy
	hooks    []Hook
	pictures Pictures
}

// New returns a Renderer with the given hooks.
func New(hooks ...Hook) *Renderer {
	r := &Renderer{policy: policy(), hooks: hooks}
	r.md = goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.NewTypographer(),
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(quoteTransformer{}, 100), util.Prioritized(figureTransformer{r: r}, 110),
				util.Prioritized(embedTransformer{}, 120)),
		),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(figureRenderer{}, 100), util.Prioritized(embedRenderer{}, 100))),
	)
	return r
}

// AddHook appends a hook; call before the renderer is shared.
func (r *Renderer) AddHook(h Hook) { r.hooks = append(r.hooks, h) }

func policy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(attribution|footnotes|footnote-ref|footnote-backref|legal-mark|legal-note|credit|embed-card|embed-file|embed-provider|embed-address)$`)).OnElements("p", "div", "a", "sup", "span", "section")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^embed embed-[a-z]+$`)).OnElements("figure")
	// Embedded players play only the site's own files, and load nothing
	// before the reader presses play.
	p.AllowElements("audio", "video")
	p.AllowAttrs("controls").Matching(regexp.MustCompile(`^$`)).OnElements("audio", "video")
	p.AllowAttrs("preload").Matching(regexp.MustCompile(`^none$`)).OnElements("audio", "video")
	p.AllowAttrs("src").Matching(regexp.MustCompile(`^/[^/\\]`)).OnElements("audio", "video")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	// Body pictures from the media library carry every rendition.
	p.AllowAttrs("srcset").Matching(srcsetRE).OnElements("img")
	p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^` + regexp.QuoteMeta(figureSizes) + `$`)).OnElements("img")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^fn(ref)?[:-]?[0-9a-z-]+$`)).OnElements("li", "sup", "a")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|endnotes|backlink)$`)).OnElements("a", "section", "div")
	p.AllowElements("section", "figure", "figcaption", "cite")
	p.RequireNoFollowOnLinks(false)
	p.AllowURLSchemes("http", "https", "mailto")
	return p
}

// Markdown renders Markdown source to sanitized HTML.
func (r *Renderer) Markdown(src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return r.policy.Sanitize(buf.String()), nil
}

// Sanitize passes untrusted HTML through the allow-list.
func (r *Renderer) Sanitize(s string) string { return r.policy.Sanitize(s) }

// Article fills BodyHTML, HeadlineHTML, StandfirstHTML and the lead image's
// CaptionHTML from the article's source fields, then runs the hooks.
func (r *Renderer) Article(a *newsroom.Article) error {
	body, err := r.Markdown(a.Body)
	if err != nil {
		return err
	}
	a.BodyHTML = body
	a.HeadlineHTML = Inline(a.Headline)
	a.StandfirstHTML = Inline(a.Standfirst)
	if a.LeadImage != nil {
		a.LeadImage.CaptionHTML = Inline(a.LeadImage.Caption)
	}
	for _, h := range r.hooks {
		if err := h(a); err != nil {
			return err
		}
	}
	return nil
}

// Inline escapes plain text for HTML and sets typographic quotes, dashes and
// ellipses, as the typographer does for the body.
func Inline(s string) string { return html.EscapeString(Smarten(s)) }

// Smarten replaces straight quotes, double hyphens and three dots with their
// typographic forms. Apostrophes inside words become ’.
func Smarten(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	rs := []rune(s)
	for i, c := range rs {
		switch c {
		case '"':
			if i == 0 || isOpenContext(rs[i-1]) {
				b.WriteRune('“')
			} else {
				b.WriteRune('”')
			}
		case '\'':
			if i > 0 && !isOpenContext(rs[i-1]) {
				b.WriteRune('’')
			} else {
				b.WriteRune('‘')
			}
		case '-':
			// "---" is an em dash and "--" an en dash, as in the body.
			switch {
			case i+2 < len(rs) && rs[i+1] == '-' && rs[i+2] == '-':
				b.WriteRune('—')
				rs[i+1], rs[i+2] = 0, 0
			case i+1 < len(rs) && rs[i+1] == '-':
				b.WriteRune('–')
				rs[i+1] = 0
			default:
				b.WriteRune('-')
			}
		case '.':
			if i+2 < len(rs) && rs[i+1] == '.' && rs[i+2] == '.' {
				b.WriteRune('…')
				rs[i+1], rs[i+2] = 0, 0
			} else {
				b.WriteRune('.')
			}
		case 0:
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

func isOpenContext(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '(' || r == '[' || r == '—' || r == '–' || r == 0
}

var tagRE = regexp.MustCompile(`<[^>]*>`)
var spaceRE = regexp.MustCompile(`\s+`)

// Text strips tags from HTML and unescapes entities, collapsing white space.
// Tags of elements inside a line of text (a, em, span, …) vanish; other
// tags count as a space, so blocks do not run together.
func Text(h string) string {
	h = tagRE.ReplaceAllStringFunc(h, func(tag string) string {
		name := strings.TrimLeft(tag, "</")
		if i := strings.IndexAny(name, " \t\n/>"); i >= 0 {
			name = name[:i]
		}
		if inlineTags[strings.ToLower(name)] {
			return ""
		}
		return " "
	})
	return strings.TrimSpace(spaceRE.ReplaceAllString(html.UnescapeString(h), " "))
}

// inlineTags are the elements Text removes without a space.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"del": true, "dfn": true, "em": true, "i": true, "ins": true, "kbd": true, "mark": true,
	"q": true, "s": true, "samp": true, "small": true, "span": true, "strong": true,
	"time": true, "u": true, "var": true,
}

// Excerpt returns the start of the plain text of h, at most n characters,
// cut at a word boundary, with an ellipsis when cut.
func Excerpt(h string, n int) string {
	t := Text(h)
	if utf8.RuneCountInString(t) <= n {
		return t
	}
	rs := []rune(t)[:n]
	cut := len(rs)
	for i := len(rs) - 1; i > n/2; i-- {
		if rs[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(rs[:cut]), " ,;:—-") + "…"
}

// quoteTransformer marks the last paragraph of a blockquote as its
// attribution when it starts with a dash ("— Name, role"), so that the page
// can set the speaker apart from the words.
type quoteTransformer struct{}

func (quoteTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Blockquote:
			last := n.LastChild()
			if p, ok := last.(*ast.Paragraph); ok && n.ChildCount() > 1 {
				lines := p.Lines()
				if lines.Len() > 0 {
					seg := lines.At(0)
					line := strings.TrimSpace(string(seg.Value(src)))
					if strings.HasPrefix(line, "—") || strings.HasPrefix(line, "--") || strings.HasPrefix(line, "–") {
						p.SetAttributeString("class", []byte("attribution"))
					}
				}
			}
		case *ast.Image:
			n.SetAttributeString("loading", []byte("lazy"))
		}
		return ast.WalkContinue, nil
	})
}
