package render

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Embeds show a video, a post or a recording from elsewhere without
// loading anything from elsewhere before the reader asks. The stored form
// (docs/EMBEDS.md) is plain Markdown an editor can type and read:
//
//	https://www.youtube.com/watch?v=abc123
//	The first sailing of the year, filmed from the pier
//
// A top-level paragraph whose first line is only a web address is an
// embed; the paragraph's other lines are its caption. It is shown as a
// card linking to the original (the site's script turns YouTube and Vimeo
// cards into their player when clicked). A paragraph whose first line is
// only a link to an audio or video file on this site, [name](/media/…mp3),
// is a player that loads nothing until it is played.

// Provider is a site whose addresses get a named card.
type Provider struct {
	Name  string // shown on the card: "YouTube"
	Class string // the figure's class is embed-<Class>
	// Player: the site's script can load the provider's player in place
	// of the card when the reader clicks it.
	Player bool
}

var providers = map[string]Provider{}

func init() {
	for _, p := range []struct {
		hosts string
		p     Provider
	}{
		{"youtube.com youtu.be youtube-nocookie.com m.youtube.com", Provider{"YouTube", "youtube", true}},
		{"vimeo.com player.vimeo.com", Provider{"Vimeo", "vimeo", true}},
		{"x.com twitter.com mobile.twitter.com", Provider{"X", "x", false}},
		{"instagram.com", Provider{"Instagram", "instagram", false}},
		{"facebook.com fb.watch m.facebook.com", Provider{"Facebook", "facebook", false}},
		{"t.me", Provider{"Telegram", "telegram", false}},
		{"tiktok.com", Provider{"TikTok", "tiktok", false}},
		{"soundcloud.com", Provider{"SoundCloud", "soundcloud", false}},
		{"open.spotify.com", Provider{"Spotify", "spotify", false}},
		{"vk.com vkvideo.ru", Provider{"VK", "vk", false}},
		{"rutube.ru", Provider{"Rutube", "rutube", false}},
		{"flickr.com flic.kr", Provider{"Flickr", "flickr", false}},
		{"dailymotion.com dai.ly", Provider{"Dailymotion", "dailymotion", false}},
		{"bsky.app", Provider{"Bluesky", "bluesky", false}},
		{"mastodon.social", Provider{"Mastodon", "mastodon", false}},
	} {
		for _, h := range strings.Fields(p.hosts) {
			providers[h] = p.p
		}
	}
}

// EmbedProvider returns the provider of an address; ok is false for a
// site the list does not know (its embed is a plain link card).
func EmbedProvider(u *url.URL) (Provider, bool) {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	p, ok := providers[host]
	return p, ok
}

var (
	youtubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{6,20}$`)
	vimeoID   = regexp.MustCompile(`^[0-9]{1,12}$`)
)

// EmbedURL parses raw (a page's or a player's address, "//host/…" taken
// as https) and returns the address of the page a reader opens: players'
// own addresses (youtube.com/embed/ID, youtu.be/ID, player.vimeo.com/video/ID)
// become the video's page. ok is false unless raw is an absolute http(s)
// address.
func EmbedURL(raw string) (*url.URL, bool) {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "//") {
		raw = "https:" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, false
	}
	p, _ := EmbedProvider(u)
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	switch p.Class {
	case "youtube":
		id := ""
		switch {
		case host == "youtu.be":
			id = strings.Trim(u.Path, "/")
		case strings.HasPrefix(u.Path, "/embed/"), strings.HasPrefix(u.Path, "/shorts/"), strings.HasPrefix(u.Path, "/live/"):
			id = strings.SplitN(u.Path, "/", 4)[2]
		case u.Path == "/watch":
			id = u.Query().Get("v")
		}
		if youtubeID.MatchString(id) {
			return &url.URL{Scheme: "https", Host: "www.youtube.com", Path: "/watch", RawQuery: "v=" + id}, true
		}
	case "vimeo":
		id := strings.Trim(strings.TrimPrefix(u.Path, "/video/"), "/")
		if vimeoID.MatchString(id) {
			return &url.URL{Scheme: "https", Host: "vimeo.com", Path: "/" + id}, true
		}
	}
	return u, true
}

// EmbedMarkdown returns the stored form of an embed of raw with an
// optional caption; ok is false if raw is not an absolute web address.
func EmbedMarkdown(raw, caption string) (string, bool) {
	u, ok := EmbedURL(raw)
	if !ok {
		return "", false
	}
	s := u.String()
	if !bareURL.MatchString(s) {
		s = "<" + strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(s) + ">"
	}
	return s + captionLine(caption), true
}

// MediaMarkdown returns the stored form of a player for an audio or video
// file this site serves at path (a site path such as /media/f/…/a.mp3).
func MediaMarkdown(path, name, caption string) string {
	name = strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "\n", " ").Replace(name)
	path = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(path)
	return "[" + name + "](" + path + ")" + captionLine(caption)
}

// MediaKind returns "audio" or "video" for a file name with one of the
// extensions browsers play, or "".
func MediaKind(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".aac", ".flac":
		return "audio"
	case ".mp4", ".m4v", ".webm", ".ogv", ".mov":
		return "video"
	}
	return ""
}

// bareURL is an address Markdown's autolinks take whole: no characters
// they would stop at or drop from its end.
var bareURL = regexp.MustCompile(`^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~:/?#@!$&'*+,;=%-]*[A-Za-z0-9/_=#~-])?/?$`)

// captionLine is the caption as the embed paragraph's second line, with
// what Markdown would read as markup escaped.
func captionLine(caption string) string {
	caption = strings.Join(strings.Fields(caption), " ")
	if caption == "" {
		return ""
	}
	var b strings.Builder
	digits := true // still in the run of digits that starts the line
	for i, r := range caption {
		switch {
		case strings.ContainsRune("\\`*_[]<>!|~&", r), i == 0 && strings.ContainsRune("#+-=", r),
			digits && i > 0 && (r == '.' || r == ')'): // "1998." would start a list
			b.WriteByte('\\')
		}
		digits = digits && r >= '0' && r <= '9'
		b.WriteRune(r)
	}
	return "\n" + b.String()
}

var kindEmbed = ast.NewNodeKind("Embed")

type embedNode struct {
	ast.BaseBlock
	url     *url.URL // a web address (card), or nil
	file    string   // a site path of an audio or video file
	name    string   // the file's link text
	caption string
}

func (n *embedNode) Kind() ast.NodeKind { return kindEmbed }

func (n *embedNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

type embedTransformer struct{}

var fileLinkLine = regexp.MustCompile(`^\[[^\]\n]*\]\((/[^/\s)][^\s)]*)\)$`)

func (embedTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var found []*embedNode
	var paras []*ast.Paragraph
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		p, ok := n.(*ast.Paragraph)
		if !ok || p.Lines().Len() == 0 {
			continue
		}
		lines := p.Lines()
		seg := lines.At(0)
		first := strings.TrimSpace(string(seg.Value(src)))
		first = strings.TrimSuffix(first, `\`)
		var e *embedNode
		switch ch := p.FirstChild().(type) {
		case *ast.AutoLink:
			if ch.AutoLinkType != ast.AutoLinkURL {
				continue
			}
			link := string(ch.URL(src))
			if first != link && first != "<"+link+">" {
				continue
			}
			u, ok := EmbedURL(link)
			if !ok {
				continue
			}
			e = &embedNode{url: u}
		case *ast.Link:
			m := fileLinkLine.FindStringSubmatch(first)
			if m == nil || string(ch.Destination) != m[1] || MediaKind(strings.SplitN(m[1], "?", 2)[0]) == "" {
				continue
			}
			e = &embedNode{file: m[1], name: textOfLink(ch, src)}
		default:
			continue
		}
		var caption []string
		for i := 1; i < lines.Len(); i++ {
			seg := lines.At(i)
			caption = append(caption, strings.TrimSpace(string(seg.Value(src))))
		}
		e.caption = unescapeCaption(strings.TrimSuffix(strings.Join(caption, " "), `\`))
		found = append(found, e)
		paras = append(paras, p)
	}
	for i, p := range paras {
		doc.ReplaceChild(doc, p, found[i])
	}
}

func textOfLink(l *ast.Link, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(l, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// unescapeCaption drops the backslash before ASCII punctuation; the
// caption is otherwise shown as typed.
func unescapeCaption(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.TrimSpace(b.String())
}

type embedRenderer struct{}

func (embedRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindEmbed, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		e := n.(*embedNode)
		esc := func(s string) string { return string(util.EscapeHTML([]byte(s))) }
		if e.url != nil {
			p, known := EmbedProvider(e.url)
			name, class := p.Name, p.Class
			if !known {
				name, class = strings.TrimPrefix(strings.ToLower(e.url.Hostname()), "www."), "link"
			}
			address := strings.TrimPrefix(strings.TrimPrefix(e.url.String(), "https://"), "http://")
			address = strings.TrimPrefix(address, "www.")
			if r := []rune(address); len(r) > 80 {
				address = string(r[:79]) + "…"
			}
			_, _ = w.WriteString(`<figure class="embed embed-` + class + `"><a class="embed-card" href="` + esc(e.url.String()) + `">` +
				`<span class="embed-provider">` + esc(name) + `</span> <span class="embed-address">` + esc(address) + `</span></a>`)
		} else {
			kind := MediaKind(strings.SplitN(e.file, "?", 2)[0])
			label := e.name
			if label == "" {
				label = path.Base(e.file)
			}
			_, _ = w.WriteString(`<figure class="embed embed-` + kind + `"><` + kind + ` controls preload="none" src="` + esc(e.file) + `"></` + kind + `>` +
				`<a class="embed-file" href="` + esc(e.file) + `">` + esc(label) + `</a>`)
		}
		if e.caption != "" {
			_, _ = w.WriteString("<figcaption>" + Inline(e.caption) + "</figcaption>")
		}
		_, _ = w.WriteString("</figure>\n")
		return ast.WalkSkipChildren, nil
	})
}
