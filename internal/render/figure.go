package render

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A picture in the body with a caption is written as an image alone in
// its paragraph with a title, ![alt](src "Caption"), and shown as
// <figure><img …><figcaption>Caption</figcaption></figure>. An image
// without a title, or inside a line of text, stays a plain <img>. The
// title's part after its last " | " is the picture's credit:
// ![alt](src "Caption | Credit") shows <span class="credit">Credit</span>
// after the caption. A figure whose picture is one of the media library's
// renditions gets every width of it in srcset, as the lead image does,
// when the renderer has Pictures.

// Picture is what the renderer needs of a media library picture to show
// it at every width: the srcset value and the dimensions of the rendition
// src names.
type Picture struct {
	Srcset        string
	Width, Height int
}

// Pictures finds the library picture whose rendition is at src (a site
// path such as /media/i/ab/ab…-960.jpg); ok is false for any other address.
type Pictures func(src string) (p Picture, ok bool)

// SetPictures gives the renderer its way to find library pictures; call
// before the renderer is shared.
func (r *Renderer) SetPictures(p Pictures) { r.pictures = p }

// figureSizes is the sizes attribute of a body picture: the width of the
// article's text column (the lead image's "full" size).
const figureSizes = "(min-width: 48em) 720px, 100vw"

var (
	srcsetRE  = regexp.MustCompile(`^/media/i/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]+\.(?:jpg|png) [0-9]+w(?:, /media/i/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]+\.(?:jpg|png) [0-9]+w)*$`)
	libraryRE = regexp.MustCompile(`^/media/i/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]+\.(?:jpg|png)$`)
)

var kindFigure = ast.NewNodeKind("Figure")

type figureNode struct {
	ast.BaseBlock
	caption, credit string
}

func (n *figureNode) Kind() ast.NodeKind { return kindFigure }

func (n *figureNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

type figureTransformer struct{ r *Renderer }

func (t figureTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var paras []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*ast.Paragraph); ok && entering {
			if img, ok := p.FirstChild().(*ast.Image); ok && p.ChildCount() == 1 && len(img.Title) > 0 {
				paras = append(paras, p)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range paras {
		img := p.FirstChild().(*ast.Image)
		title := string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(img.Title))))
		fig := &figureNode{caption: title}
		if i := strings.LastIndex(title, " | "); i >= 0 {
			fig.caption, fig.credit = strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+3:])
		}
		img.Title = nil
		if src := string(img.Destination); t.r != nil && t.r.pictures != nil && libraryRE.MatchString(src) {
			if p, ok := t.r.pictures(src); ok && srcsetRE.MatchString(p.Srcset) {
				img.SetAttributeString("srcset", []byte(p.Srcset))
				img.SetAttributeString("sizes", []byte(figureSizes))
				if p.Width > 0 && p.Height > 0 {
					img.SetAttributeString("width", []byte(strconv.Itoa(p.Width)))
					img.SetAttributeString("height", []byte(strconv.Itoa(p.Height)))
				}
			}
		}
		p.RemoveChild(p, img)
		fig.AppendChild(fig, img)
		p.Parent().ReplaceChild(p.Parent(), p, fig)
	}
}

type figureRenderer struct{}

func (figureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindFigure, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<figure>")
			return ast.WalkContinue, nil
		}
		fig := n.(*figureNode)
		caption := Inline(fig.caption)
		if fig.credit != "" {
			if caption != "" {
				caption += " "
			}
			caption += `<span class="credit">` + Inline(fig.credit) + "</span>"
		}
		_, _ = w.WriteString("<figcaption>" + caption + "</figcaption></figure>\n")
		return ast.WalkContinue, nil
	})
}
