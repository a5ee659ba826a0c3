package wordpress

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/render"
)

// ImageRef is what the importer knows of a picture a post shows.
type ImageRef struct {
	URL     string // where newsdesk serves it
	Alt     string // the library's alt text
	Caption string // the library's caption
}

// converter turns one post's content (block markup, classic HTML with
// WordPress's automatic paragraphs, shortcodes) into Markdown. It is the
// only way content comes in: every form is parsed to HTML first, so a
// [caption] shortcode and a wp:image block become the same figure.
type converter struct {
	// Image maps an <img src> (any of WordPress's sizes, srcset entries,
	// Photon URLs) to the picture in our library; ok is false if the file
	// was not imported.
	Image func(src string) (ImageRef, bool)
	// Attachment returns the picture for an attachment id ([gallery ids]).
	Attachment func(id int64) (ImageRef, bool)
	// File maps the address of a file of the old site's uploads that is
	// not a picture (a PDF, a recording) to where newsdesk serves it.
	File func(src string) (string, bool)
	// OldHost is the old site's host: links to it become site paths, which
	// the redirects lead on to the new pages.
	OldHost string

	// Unknown collects what was kept visibly for an editor: block names,
	// shortcodes, elements. Missing lists pictures that were not found.
	Unknown []string
	Missing []string

	classic bool
}

const paraBreak = "\x00P"

// Convert returns the Markdown for content.
func (c *converter) Convert(content string) string {
	content = strings.ReplaceAll(content, "\r\n", "\n")
	c.classic = !strings.Contains(content, "<!-- wp:")
	content = expandShortcodes(content, func(name string) { c.note("shortcode [" + name + "]") })
	nodes, err := html.ParseFragment(strings.NewReader(content), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil { // x/net/html recovers from any input; this is a read error
		return escapeText(content)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return strings.Join(c.blocks(root), "\n\n") + "\n"
}

func (c *converter) note(s string) {
	for _, u := range c.Unknown {
		if u == s {
			return
		}
	}
	c.Unknown = append(c.Unknown, s)
}

// knownBlocks are the block types the converter understands, through
// the HTML they save (containers are read through).
var knownBlocks = map[string]bool{
	"paragraph": true, "heading": true, "quote": true, "pullquote": true, "image": true,
	"gallery": true, "list": true, "list-item": true, "table": true, "embed": true,
	"separator": true, "html": true, "spacer": true, "columns": true, "column": true,
	"group": true, "more": true, "nextpage": true, "shortcode": true, "preformatted": true,
	"code": true, "video": true, "audio": true, "freeform": true, "verse": true,
	"cover": true, "media-text": true, "buttons": true, "button": true, "file": true,
	"details": true, "footnotes": false, "row": true, "stack": true,
}

var blockCommentRE = regexp.MustCompile(`^\s*(/?)wp:([a-z][a-z0-9_-]*/)?([a-z][a-z0-9_-]*)\s*(\{.*\})?\s*(/?)\s*$`)

// blockComment handles a <!-- wp:… --> comment in block context and
// returns what it stands for when it saved no HTML of its own.
func (c *converter) blockComment(data string) []string {
	m := blockCommentRE.FindStringSubmatch(data)
	if m == nil || m[1] == "/" {
		return nil
	}
	ns, name, attrs, self := strings.TrimSuffix(m[2], "/"), m[3], m[4], m[5] == "/"
	full := name
	if ns != "" && ns != "core" {
		full = ns + "/" + name
	}
	if ns == "core-embed" { // WordPress 5.0–5.5 embeds
		return nil
	}
	if (ns == "" || ns == "core") && knownBlocks[name] {
		if name == "embed" && self {
			var a struct{ URL string }
			_ = json.Unmarshal([]byte(attrs), &a)
			if a.URL != "" {
				return []string{c.embed(a.URL, "")}
			}
		}
		return nil
	}
	c.note("block wp:" + full)
	if self {
		// A dynamic block (latest posts, a form…) saved no HTML: keep the
		// markup visibly for an editor to replace.
		return []string{codeBlock("wordpress block: " + strings.TrimSpace(full+" "+attrs))}
	}
	return nil
}

// blocks converts n's children in block context.
func (c *converter) blocks(n *html.Node) []string {
	var out []string
	var para strings.Builder
	flush := func() {
		s := para.String()
		para.Reset()
		for _, p := range strings.Split(s, paraBreak) {
			if p = cleanParagraph(p); p != "" {
				out = append(out, p)
			}
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.CommentNode {
			if bs := c.blockComment(ch.Data); bs != nil {
				flush()
				out = append(out, bs...)
			}
			continue
		}
		if ch.Type == html.ElementNode && isBlock(ch) {
			flush()
			out = append(out, c.block(ch)...)
			continue
		}
		para.WriteString(c.inline(ch))
	}
	flush()
	return out
}

var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Ul: true, atom.Ol: true,
	atom.Table: true, atom.Figure: true, atom.Hr: true, atom.Pre: true, atom.Iframe: true,
	atom.Script: true, atom.Style: true, atom.Section: true, atom.Article: true, atom.Aside: true,
	atom.Header: true, atom.Footer: true, atom.Video: true, atom.Audio: true, atom.Object: true,
	atom.Embed: true, atom.Form: true, atom.Noscript: true, atom.Dl: true, atom.Center: true,
	atom.Details: true, atom.Main: true, atom.Nav: true, atom.Address: true,
}

func isBlock(n *html.Node) bool {
	if blockAtoms[n.DataAtom] {
		return true
	}
	switch n.Data {
	case "wp-gallery", "wp-embed", "wp-media":
		return true
	}
	return false
}

// block converts one block-level element.
func (c *converter) block(n *html.Node) []string {
	switch n.DataAtom {
	case atom.P, atom.Address:
		return c.blocks(n)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		level := int(n.Data[1] - '0')
		if level == 1 {
			level = 2 // the headline is the page's only h1
		}
		t := oneLine(c.inlineChildren(n))
		if t == "" {
			return nil
		}
		return []string{strings.Repeat("#", level) + " " + t}
	case atom.Blockquote:
		return []string{c.quote(n)}
	case atom.Ul, atom.Ol:
		return []string{c.list(n, 0)}
	case atom.Table:
		return c.table(n)
	case atom.Figure:
		return c.figure(n)
	case atom.Hr:
		return []string{"---"}
	case atom.Pre:
		return []string{codeBlock(textOf(n))}
	case atom.Iframe, atom.Embed:
		if src := attr(n, "src"); src != "" {
			return []string{c.embed(src, attr(n, "title"))}
		}
		return nil
	case atom.Object:
		if src := attr(n, "data"); src != "" {
			return []string{c.embed(src, "")}
		}
		c.note("element <object>")
		return nil
	case atom.Video, atom.Audio:
		return []string{c.mediaLink(n.Data, mediaSrc(n), "")}
	case atom.Script, atom.Style, atom.Form, atom.Noscript:
		c.note("element <" + n.Data + "> (removed)")
		return nil
	}
	switch n.Data {
	case "wp-gallery":
		return c.gallery(attr(n, "data-ids")+","+attr(n, "data-include"), attr(n, "data-kind"))
	case "wp-embed":
		return []string{c.embed(attr(n, "data-url"), "")}
	case "wp-media":
		return []string{c.mediaLink(attr(n, "data-kind"), attr(n, "data-url"), "")}
	}
	if hasClass(n, "wp-block-embed__wrapper") {
		if u := strings.TrimSpace(textOf(n)); u != "" {
			return []string{c.embed(u, "")}
		}
	}
	// div, section, center…: a container; its children speak.
	return c.blocks(n)
}

// quote is a blockquote, its <cite> (or a closing "— Name" line) as the
// attribution the renderer sets apart.
func (c *converter) quote(n *html.Node) string {
	var cite string
	var cites []*html.Node
	walk(n, func(x *html.Node) bool {
		if x.DataAtom == atom.Cite && x.Parent != nil && (x.Parent == n || x.Parent.Parent == n) {
			cites = append(cites, x)
			return false
		}
		return true
	})
	for _, x := range cites {
		if t := oneLine(c.inlineChildren(x)); t != "" {
			cite = t
		}
		// A <cite> the quote's last paragraph holds is its attribution too.
		x.Parent.RemoveChild(x)
	}
	body := c.blocks(n)
	if cite != "" {
		cite = strings.TrimLeft(cite, "—–- ")
		body = append(body, "— "+cite)
	}
	return prefixLines(strings.Join(body, "\n\n"), "> ", "> ")
}

func (c *converter) list(n *html.Node, depth int) string {
	var items []string
	ordered := n.DataAtom == atom.Ol
	num := 1
	if s := attr(n, "start"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v >= 0 {
			num = v
		}
	}
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type == html.CommentNode {
			continue
		}
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			if li.Type == html.TextNode && strings.TrimSpace(li.Data) != "" {
				t := cleanParagraph(c.inline(li))
				items = append(items, "- "+t)
			}
			continue
		}
		marker := "- "
		if ordered {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		parts := c.blocks(li)
		if len(parts) == 0 {
			parts = []string{""}
		}
		body := strings.Join(parts, "\n\n")
		if c.tight(parts) {
			body = strings.Join(parts, "\n")
		}
		items = append(items, prefixLines(body, marker, strings.Repeat(" ", len(marker))))
	}
	return strings.Join(items, "\n")
}

// tight reports whether a list item's parts are one paragraph followed by
// nested lists, which keeps the list tight.
func (c *converter) tight(parts []string) bool {
	for _, p := range parts[1:] {
		if !strings.HasPrefix(p, "- ") && !orderedItemRE.MatchString(p) {
			return false
		}
	}
	return true
}

// table is a GFM table (first row as header); a caption follows it.
func (c *converter) table(n *html.Node) []string {
	var rows [][]string
	walk(n, func(x *html.Node) bool {
		if x.DataAtom == atom.Tr {
			var row []string
			for td := x.FirstChild; td != nil; td = td.NextSibling {
				if td.DataAtom == atom.Td || td.DataAtom == atom.Th {
					cell := strings.Join(c.blocks(td), " ")
					cell = strings.ReplaceAll(strings.ReplaceAll(cell, "\\\n", " "), "\n", " ")
					row = append(row, cell) // text escapes | already
				}
			}
			rows = append(rows, row)
			return false
		}
		return x.DataAtom != atom.Table || x == n
	})
	if len(rows) == 0 {
		return nil
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	var b strings.Builder
	line := func(r []string) {
		b.WriteString("|")
		for i := 0; i < width; i++ {
			v := ""
			if i < len(r) {
				v = r[i]
			}
			b.WriteString(" " + v + " |")
		}
		b.WriteString("\n")
	}
	line(rows[0])
	b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
	for _, r := range rows[1:] {
		line(r)
	}
	out := []string{strings.TrimRight(b.String(), "\n")}
	if cap := findChild(n, atom.Caption); cap != nil {
		if t := oneLine(c.inlineChildren(cap)); t != "" {
			out = append(out, "*"+t+"*")
		}
	}
	return out
}

// figure is an image with its caption, a gallery, an embed or a table.
func (c *converter) figure(n *html.Node) []string {
	var caption string
	if fc := findChild(n, atom.Figcaption); fc != nil {
		caption = oneLine(textOnly(fc))
		fc.Parent.RemoveChild(fc)
	}
	switch {
	case hasClass(n, "wp-block-embed") || findDeep(n, atom.Iframe) != nil:
		if ifr := findDeep(n, atom.Iframe); ifr != nil {
			return []string{c.embed(attr(ifr, "src"), caption)}
		}
		if u := strings.TrimSpace(textOf(n)); u != "" {
			return []string{c.embed(u, caption)}
		}
		return nil
	case findDeep(n, atom.Table) != nil:
		out := c.table(findDeep(n, atom.Table))
		if caption != "" {
			out = append(out, "*"+escapeText(caption)+"*")
		}
		return out
	case hasClass(n, "wp-block-gallery") || countDeep(n, atom.Img) > 1:
		var out []string
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode {
				out = append(out, c.block(ch)...)
			}
		}
		if caption != "" {
			out = append(out, "*"+escapeText(caption)+"*")
		}
		return out
	case findDeep(n, atom.Video) != nil || findDeep(n, atom.Audio) != nil:
		m := findDeep(n, atom.Video)
		if m == nil {
			m = findDeep(n, atom.Audio)
		}
		return []string{c.mediaLink(m.Data, mediaSrc(m), caption)}
	}
	if img := findDeep(n, atom.Img); img != nil {
		href := ""
		if a := img.Parent; a != nil && a.DataAtom == atom.A {
			href = attr(a, "href")
		}
		return []string{c.image(img, caption, href)}
	}
	out := c.blocks(n)
	if caption != "" {
		out = append(out, "*"+escapeText(caption)+"*")
	}
	return out
}

func captionSuffix(caption string) string {
	if caption == "" {
		return ""
	}
	return " — " + escapeText(caption)
}

// image is a picture on a line of its own: ![alt](src "caption"), which
// the renderer makes a <figure> with a <figcaption>.
func (c *converter) image(img *html.Node, caption, href string) string {
	src := attr(img, "src")
	alt := strings.TrimSpace(attr(img, "alt"))
	ref, ok := c.resolveImage(img)
	if ok {
		src = ref.URL
		if alt == "" {
			alt = ref.Alt
		}
	}
	if alt == "" {
		alt = caption
	}
	md := "![" + escapeText(alt) + "](" + mdURL(src)
	if caption != "" {
		md += ` "` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(caption) + `"`
	}
	md += ")"
	// A link to the picture itself (or its attachment page) is WordPress's
	// "link to media file"; our figure needs none. Other links stay.
	if href != "" && !c.isOwnMediaLink(href, img) {
		md = "[" + md + "](" + mdURL(c.link(href)) + ")"
	}
	return md
}

func (c *converter) resolveImage(img *html.Node) (ImageRef, bool) {
	src := attr(img, "src")
	if src == "" {
		src = attr(img, "data-src")
	}
	if c.Image != nil {
		if ref, ok := c.Image(src); ok {
			return ref, true
		}
		// srcset lists the same picture at other sizes; any will do.
		for _, part := range strings.Split(attr(img, "srcset"), ",") {
			if f := strings.Fields(part); len(f) > 0 {
				if ref, ok := c.Image(f[0]); ok {
					return ref, true
				}
			}
		}
		// class="wp-image-123" names the attachment.
		for _, cl := range strings.Fields(attr(img, "class")) {
			if id, ok := strings.CutPrefix(cl, "wp-image-"); ok && c.Attachment != nil {
				if ref, ok := c.Attachment(atoi64(id)); ok {
					return ref, true
				}
			}
		}
	}
	if src != "" {
		c.Missing = append(c.Missing, src)
	}
	return ImageRef{}, false
}

func (c *converter) isOwnMediaLink(href string, img *html.Node) bool {
	if c.Image != nil {
		if _, ok := c.Image(href); ok {
			return true
		}
	}
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	p := strings.ToLower(u.Path)
	return strings.Contains(p, "/wp-content/uploads/") || u.Query().Get("attachment_id") != "" ||
		strings.Contains(p, "/attachment/") || imageExtRE.MatchString(p)
}

// gallery lists a [gallery]'s pictures as figures.
func (c *converter) gallery(ids, kind string) []string {
	var out []string
	for _, s := range strings.Split(ids, ",") {
		id := atoi64(s)
		if id == 0 {
			continue
		}
		ref, ok := ImageRef{}, false
		if c.Attachment != nil {
			ref, ok = c.Attachment(id)
		}
		if !ok {
			c.Missing = append(c.Missing, "attachment "+strconv.FormatInt(id, 10))
			continue
		}
		md := "![" + escapeText(ref.Alt) + "](" + mdURL(ref.URL)
		if ref.Caption != "" {
			md += ` "` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(ref.Caption) + `"`
		}
		out = append(out, md+")")
	}
	if len(out) == 0 && kind != "playlist" {
		c.note("shortcode [gallery] without imported pictures")
	}
	return out
}

// embed is our embed (render.EmbedMarkdown, docs/EMBEDS.md): the address
// alone on its paragraph's first line, the caption on the next. A link to
// the old site becomes a site path first, which the redirects lead on.
func (c *converter) embed(src, caption string) string {
	src = strings.TrimSpace(src)
	if l := c.link(src); strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//") {
		return c.mediaLink("", l, caption)
	}
	md, ok := render.EmbedMarkdown(src, caption)
	if !ok {
		c.note("embed without a web address")
		return escapeText(src)
	}
	return md
}

// mediaLink is an audio or video file ([video], [audio], <video>,
// wp:video, wp:audio): a player when the file is (or will be) served by
// this site, an embed card when it lives elsewhere.
func (c *converter) mediaLink(kind, src, caption string) string {
	src = strings.TrimSpace(src)
	if src == "" {
		c.note("<" + kind + "> without a file")
		return ""
	}
	l := c.link(src)
	if !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//") {
		return c.embed(src, caption)
	}
	if c.File != nil {
		if f, ok := c.File(src); ok {
			l = f
		}
	}
	u, err := url.Parse(l)
	if err != nil {
		return escapeText(src)
	}
	name := strings.TrimRight(u.Path, "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	if n, err := url.PathUnescape(name); err == nil {
		name = n
	}
	if render.MediaKind(u.Path) == "" {
		// A page of the old site, or a file browsers do not play: a link.
		return "[" + escapeText(name) + "](" + mdURL(l) + ")" + captionSuffix(caption)
	}
	return render.MediaMarkdown(l, name, caption)
}

func mediaSrc(n *html.Node) string {
	if s := attr(n, "src"); s != "" {
		return s
	}
	if s := findDeep(n, atom.Source); s != nil {
		return attr(s, "src")
	}
	return ""
}

// inlineChildren converts n's children in inline context.
func (c *converter) inlineChildren(n *html.Node) string {
	var b strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		b.WriteString(c.inline(ch))
	}
	return b.String()
}

var (
	orderedItemRE = regexp.MustCompile(`^\d+\. `)
	imageExtRE    = regexp.MustCompile(`\.(jpe?g|png|gif|webp)$`)
	blankLinesRE  = regexp.MustCompile(`\n{3,}`)
)

var spaceRunRE = regexp.MustCompile(`[ \t\r\n\f]+`)
var paraSplitRE = regexp.MustCompile(`\n[ \t]*\n\s*`)

// inline converts one node inside a line of text.
func (c *converter) inline(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		t := n.Data
		if c.classic {
			// WordPress's automatic paragraphs: a blank line ends a
			// paragraph, a single newline is a line break.
			t = paraSplitRE.ReplaceAllString(t, paraBreak)
			parts := strings.Split(t, paraBreak)
			for i, p := range parts {
				lines := strings.Split(p, "\n")
				for j, l := range lines {
					lines[j] = escapeText(spaceRunRE.ReplaceAllString(l, " "))
				}
				parts[i] = strings.Join(lines, "\\\n")
			}
			return strings.Join(parts, paraBreak)
		}
		return escapeText(spaceRunRE.ReplaceAllString(t, " "))
	case html.CommentNode:
		return ""
	case html.ElementNode:
	default:
		return ""
	}
	switch n.DataAtom {
	case atom.Br:
		return "\\\n"
	case atom.Strong, atom.B:
		return wrapInline(c.inlineChildren(n), "**")
	case atom.Em, atom.I, atom.Cite, atom.Dfn:
		return wrapInline(c.inlineChildren(n), "*")
	case atom.Del, atom.S, atom.Strike:
		return wrapInline(c.inlineChildren(n), "~~")
	case atom.Code, atom.Kbd, atom.Samp:
		return codeSpan(textOf(n))
	case atom.A:
		if hasClass(n, "wp-block-file__button") {
			return "" // the file block's "Download" button repeats its link
		}
		text := c.inlineChildren(n)
		href := attr(n, "href")
		if href == "" || strings.HasPrefix(strings.ToLower(href), "javascript:") {
			return text
		}
		if strings.TrimSpace(text) == "" {
			return ""
		}
		lead, inner, trail := splitSpace(text)
		target := c.link(href)
		if c.File != nil {
			if f, ok := c.File(href); ok { // a PDF of the old uploads, as we serve it
				target = f
			}
		}
		return lead + "[" + inner + "](" + mdURL(target) + ")" + trail
	case atom.Img:
		return c.image(n, "", "")
	case atom.Script, atom.Style, atom.Noscript:
		c.note("element <" + n.Data + "> (removed)")
		return ""
	case atom.Iframe:
		return paraBreak + c.embed(attr(n, "src"), "") + paraBreak
	case atom.Input, atom.Button, atom.Select, atom.Textarea:
		c.note("element <" + n.Data + "> (removed)")
		return ""
	}
	if isBlock(n) {
		// A block inside a line (an unclosed <p> and a <div> inside an
		// <a>): end the paragraph around it.
		return paraBreak + strings.Join(c.block(n), paraBreak) + paraBreak
	}
	// span, sup, sub, u, mark, abbr, font, small, big, ins, q, time…:
	// their text is what matters.
	s := c.inlineChildren(n)
	if n.DataAtom == atom.Q {
		s = "“" + s + "”"
	}
	return s
}

// link makes a link to the old site a site path, which the redirects
// lead to the new page.
func (c *converter) link(href string) string {
	href = strings.TrimSpace(href)
	u, err := url.Parse(href)
	if err != nil || c.OldHost == "" {
		return href
	}
	if (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), strings.TrimPrefix(c.OldHost, "www.")) {
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		if u.Fragment != "" {
			p += "#" + u.EscapedFragment()
		}
		return p
	}
	return href
}

// wrapInline puts a marker around text, keeping its outer spaces outside
// (CommonMark does not open emphasis before a space).
func wrapInline(s, mark string) string {
	if strings.Contains(s, paraBreak) {
		return s
	}
	lead, inner, trail := splitSpace(s)
	if inner == "" {
		return s
	}
	return lead + mark + inner + mark + trail
}

func splitSpace(s string) (lead, inner, trail string) {
	inner = strings.TrimLeft(s, " ")
	lead = s[:len(s)-len(inner)]
	t := strings.TrimRight(inner, " ")
	trail = inner[len(t):]
	return lead, t, trail
}

// markdownSpecial are the characters that would start Markdown syntax.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"~", `\~`, "|", `\|`, "&", `\&`, "\u00a0", "\u00a0",
)

// escapeText makes plain text safe to put in Markdown.
func escapeText(s string) string { return markdownEscaper.Replace(s) }

var lineStartRE = regexp.MustCompile(`(?m)^([ ]{0,3})([#+=-]|\d+[.)])`)

// cleanParagraph trims a paragraph and escapes what would start a list,
// heading or rule at the start of its lines.
func cleanParagraph(p string) string {
	p = strings.Trim(p, " \t\n")
	for strings.HasSuffix(p, "\\") && !strings.HasSuffix(p, "\\\\") {
		p = strings.TrimRight(strings.TrimSuffix(p, "\\"), " \n")
	}
	for strings.HasPrefix(p, "\\\n") {
		p = strings.TrimLeft(strings.TrimPrefix(p, "\\\n"), " ")
	}
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " ")
	}
	p = strings.Join(lines, "\n")
	return lineStartRE.ReplaceAllStringFunc(p, func(m string) string {
		if len(m) > 1 { // "12." → "12\."
			return m[:len(m)-1] + `\` + m[len(m)-1:]
		}
		return `\` + m
	})
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, paraBreak, " ")
	s = strings.ReplaceAll(s, "\\\n", " ")
	return strings.TrimSpace(spaceRunRE.ReplaceAllString(s, " "))
}

func codeBlock(s string) string {
	s = strings.Trim(s, "\n")
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + "\n" + s + "\n" + fence
}

func codeSpan(s string) string {
	s = spaceRunRE.ReplaceAllString(s, " ")
	if s == "" {
		return ""
	}
	tick := "`"
	for strings.Contains(s, tick) {
		tick += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return tick + " " + s + " " + tick
	}
	return tick + s + tick
}

// mdURL writes a link destination; spaces and parentheses are escaped.
func mdURL(u string) string {
	u = strings.TrimSpace(u)
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(u)
}

// prefixLines puts first before the first line of s and rest before the
// others (a blank line gets the prefix without trailing spaces).
func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" {
			lines[i] = strings.TrimRight(p, " ")
		} else {
			lines[i] = p + l
		}
	}
	return strings.Join(lines, "\n")
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	if n == nil {
		return false
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// walk visits n and its descendants in document order; visit returns
// false to skip a node's children.
func walk(n *html.Node, visit func(*html.Node) bool) {
	if !visit(n) {
		return
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		walk(ch, visit)
	}
}

func findChild(n *html.Node, a atom.Atom) *html.Node {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.DataAtom == a {
			return ch
		}
	}
	return nil
}

func findDeep(n *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	walk(n, func(x *html.Node) bool {
		if found != nil {
			return false
		}
		if x != n && x.DataAtom == a {
			found = x
			return false
		}
		return true
	})
	return found
}

func countDeep(n *html.Node, a atom.Atom) int {
	k := 0
	walk(n, func(x *html.Node) bool {
		if x.DataAtom == a {
			k++
		}
		return true
	})
	return k
}

// textOf is the text of n and its descendants, as it is.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(x *html.Node) bool {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
		if x.DataAtom == atom.Br {
			b.WriteString("\n")
		}
		return true
	})
	return b.String()
}

// textOnly is n's text with white space collapsed (for captions).
func textOnly(n *html.Node) string { return spaceRunRE.ReplaceAllString(textOf(n), " ") }

// htmlToText turns a comment's HTML into the plain text our comments
// keep: paragraphs as blank lines, <br> as a newline, links as their
// text followed by the address when it differs.
func htmlToText(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return s
	}
	var b strings.Builder
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
			return
		case n.DataAtom == atom.Br:
			b.WriteString("\n")
			return
		case n.DataAtom == atom.Script || n.DataAtom == atom.Style:
			return
		}
		start := b.Len()
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			visit(ch)
		}
		if n.DataAtom == atom.A {
			if href := attr(n, "href"); href != "" && !strings.Contains(b.String()[start:], href) &&
				(strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")) {
				b.WriteString(" (" + href + ")")
			}
		}
		if n.DataAtom == atom.P || n.DataAtom == atom.Blockquote || n.DataAtom == atom.Li {
			b.WriteString("\n\n")
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	out := blankLinesRE.ReplaceAllString(strings.ReplaceAll(b.String(), "\r\n", "\n"), "\n\n")
	return strings.TrimSpace(out)
}
