package wordpress

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Channel is what a WXR file says about the site it came from.
type Channel struct {
	Title       string
	Link        string
	Description string
	Language    string
	WXRVersion  string
	BaseSiteURL string
	BaseBlogURL string
}

// WPAuthor is a <wp:author>: a user account of the old site.
type WPAuthor struct {
	ID          string `xml:"author_id"`
	Login       string `xml:"author_login"`
	Email       string `xml:"author_email"`
	DisplayName string `xml:"author_display_name"`
	FirstName   string `xml:"author_first_name"`
	LastName    string `xml:"author_last_name"`
}

// Term is a <wp:category>, <wp:tag> or <wp:term>. Taxonomy is "category",
// "post_tag" or what a <wp:term> names (Co-Authors Plus uses "author").
type Term struct {
	ID          string
	Taxonomy    string
	Slug        string
	Parent      string // the parent's slug
	Name        string
	Description string
}

// ItemTerm is an item's <category domain="…" nicename="…">Name</category>.
type ItemTerm struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

// Meta is a <wp:postmeta> or <wp:commentmeta>.
type Meta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

// WPComment is a <wp:comment>.
type WPComment struct {
	ID          int64  `xml:"comment_id"`
	Author      string `xml:"comment_author"`
	AuthorEmail string `xml:"comment_author_email"`
	AuthorURL   string `xml:"comment_author_url"`
	AuthorIP    string `xml:"comment_author_IP"`
	Date        string `xml:"comment_date"`
	DateGMT     string `xml:"comment_date_gmt"`
	Content     string `xml:"comment_content"`
	Approved    string `xml:"comment_approved"`
	Type        string `xml:"comment_type"`
	Parent      int64  `xml:"comment_parent"`
	UserID      int64  `xml:"comment_user_id"`
	Meta        []Meta `xml:"commentmeta"`
}

// encoded is <content:encoded> or <excerpt:encoded>: the same local name
// in two namespaces.
type encoded struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

// Item is one <item>: a post, page, attachment, guest author, menu item…
type Item struct {
	Title         string      `xml:"title"`
	Link          string      `xml:"link"`
	PubDate       string      `xml:"pubDate"`
	Creator       string      `xml:"creator"`
	GUID          string      `xml:"guid"`
	Encoded       []encoded   `xml:"encoded"`
	PostID        int64       `xml:"post_id"`
	PostDate      string      `xml:"post_date"`
	PostDateGMT   string      `xml:"post_date_gmt"`
	Modified      string      `xml:"post_modified"`
	ModifiedGMT   string      `xml:"post_modified_gmt"`
	CommentStatus string      `xml:"comment_status"`
	Name          string      `xml:"post_name"`
	Status        string      `xml:"status"`
	Parent        int64       `xml:"post_parent"`
	MenuOrder     int         `xml:"menu_order"`
	Type          string      `xml:"post_type"`
	Password      string      `xml:"post_password"`
	Sticky        int         `xml:"is_sticky"`
	AttachmentURL string      `xml:"attachment_url"`
	Terms         []ItemTerm  `xml:"category"`
	Meta          []Meta      `xml:"postmeta"`
	Comments      []WPComment `xml:"comment"`
}

// Content is the item's <content:encoded>.
func (it *Item) Content() string { return it.encodedIn("content") }

// Excerpt is the item's <excerpt:encoded> (an attachment's caption).
func (it *Item) Excerpt() string { return it.encodedIn("excerpt") }

func (it *Item) encodedIn(ns string) string {
	for _, e := range it.Encoded {
		if strings.Contains(e.XMLName.Space, "/"+ns+"/") || e.XMLName.Space == ns {
			return e.Text
		}
	}
	return ""
}

// MetaValue returns the first value of the post meta key, or "".
func (it *Item) MetaValue(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// MetaValues returns every value of the post meta key.
func (it *Item) MetaValues(key string) []string {
	var out []string
	for _, m := range it.Meta {
		if m.Key == key {
			out = append(out, m.Value)
		}
	}
	return out
}

// Event is one thing the reader found, in file order. Exactly one field
// is set.
type Event struct {
	Author *WPAuthor
	Term   *Term
	Item   *Item
}

// Reader reads a WXR file one element at a time: memory holds one item,
// however big the file.
type Reader struct {
	name    string
	dec     *xml.Decoder
	Channel Channel
	Repairs Repairs
	depth   int  // element depth: 1 rss, 2 channel, 3 children of channel
	inChan  bool // inside <channel>
	sawRSS  bool
}

// NewReader reads a WXR export from r; name is used in errors.
func NewReader(name string, r io.Reader) *Reader {
	rd := &Reader{name: name}
	dec := xml.NewDecoder(newRepairReader(r, &rd.Repairs))
	dec.Strict = true
	dec.Entity = xml.HTMLEntity // &nbsp; and friends appear in real exports
	dec.CharsetReader = charsetReader
	rd.dec = dec
	return rd
}

// SyntaxError is a malformed file: where, and what is wrong.
type SyntaxError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

func (r *Reader) syntaxError(err error) error {
	line, col := r.dec.InputPos()
	msg := err.Error()
	if se, ok := err.(*xml.SyntaxError); ok {
		msg = se.Msg
		if se.Line > 0 && se.Line != line {
			line, col = se.Line, 0
		}
	}
	return &SyntaxError{File: r.name, Line: line, Column: col, Msg: msg}
}

func (r *Reader) errorf(format string, args ...any) error {
	line, col := r.dec.InputPos()
	return &SyntaxError{File: r.name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// Next returns the next author, term or item, or io.EOF at the end of a
// well-formed file. A malformed file is a *SyntaxError with its line and
// column.
func (r *Reader) Next() (Event, error) {
	for {
		tok, err := r.dec.Token()
		if err == io.EOF {
			if !r.sawRSS {
				return Event{}, r.errorf("not a WordPress export: no <rss> element")
			}
			if r.depth != 0 {
				return Event{}, r.errorf("unexpected end of file inside an element")
			}
			return Event{}, io.EOF
		}
		if err != nil {
			return Event{}, r.syntaxError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			r.depth++
			switch {
			case r.depth == 1:
				if t.Name.Local != "rss" {
					return Event{}, r.errorf("not a WordPress export: the root element is <%s>, not <rss>", t.Name.Local)
				}
				r.sawRSS = true
				continue
			case r.depth == 2 && t.Name.Local == "channel":
				r.inChan = true
				continue
			case r.depth != 3 || !r.inChan:
				continue
			}
			ev, err := r.channelChild(t)
			r.depth-- // DecodeElement consumed the end tag
			if err != nil {
				return Event{}, err
			}
			if ev != (Event{}) {
				return ev, nil
			}
		case xml.EndElement:
			r.depth--
			if r.depth == 1 {
				r.inChan = false
			}
		}
	}
}

// channelChild decodes one child of <channel>.
func (r *Reader) channelChild(t xml.StartElement) (Event, error) {
	var err error
	local := t.Name.Local
	switch {
	case local == "item" || strings.Contains(t.Name.Space, "wordpress.org/export"):
	case t.Name.Space == "":
		local = "rss:" + local // a plain RSS <category> is not a WordPress term
	default:
		local = "other:" + local
	}
	switch local {
	case "item":
		it := &Item{}
		if err = r.dec.DecodeElement(it, &t); err == nil {
			return Event{Item: it}, nil
		}
	case "author":
		a := &WPAuthor{}
		if err = r.dec.DecodeElement(a, &t); err == nil {
			return Event{Author: a}, nil
		}
	case "category":
		var c struct {
			ID          string `xml:"term_id"`
			Slug        string `xml:"category_nicename"`
			Parent      string `xml:"category_parent"`
			Name        string `xml:"cat_name"`
			Description string `xml:"category_description"`
		}
		if err = r.dec.DecodeElement(&c, &t); err == nil {
			return Event{Term: &Term{ID: c.ID, Taxonomy: "category", Slug: c.Slug, Parent: c.Parent, Name: c.Name, Description: c.Description}}, nil
		}
	case "tag":
		var c struct {
			ID          string `xml:"term_id"`
			Slug        string `xml:"tag_slug"`
			Name        string `xml:"tag_name"`
			Description string `xml:"tag_description"`
		}
		if err = r.dec.DecodeElement(&c, &t); err == nil {
			return Event{Term: &Term{ID: c.ID, Taxonomy: "post_tag", Slug: c.Slug, Name: c.Name, Description: c.Description}}, nil
		}
	case "term":
		var c struct {
			ID          string `xml:"term_id"`
			Taxonomy    string `xml:"term_taxonomy"`
			Slug        string `xml:"term_slug"`
			Parent      string `xml:"term_parent"`
			Name        string `xml:"term_name"`
			Description string `xml:"term_description"`
		}
		if err = r.dec.DecodeElement(&c, &t); err == nil {
			return Event{Term: &Term{ID: c.ID, Taxonomy: c.Taxonomy, Slug: c.Slug, Parent: c.Parent, Name: c.Name, Description: c.Description}}, nil
		}
	default:
		var s string
		switch local {
		case "wxr_version", "base_site_url", "base_blog_url", "rss:title", "rss:link", "rss:description", "rss:language":
			if err = r.dec.DecodeElement(&s, &t); err == nil {
				r.setChannel(strings.TrimPrefix(local, "rss:"), strings.TrimSpace(s))
				return Event{}, nil
			}
		default:
			if err = r.dec.Skip(); err == nil {
				return Event{}, nil
			}
		}
	}
	return Event{}, r.syntaxError(err)
}

func (r *Reader) setChannel(name, v string) {
	c := &r.Channel
	switch name {
	case "title":
		c.Title = v
	case "link":
		c.Link = v
	case "description":
		c.Description = v
	case "language":
		c.Language = v
	case "wxr_version":
		c.WXRVersion = v
	case "base_site_url":
		c.BaseSiteURL = v
	case "base_blog_url":
		c.BaseBlogURL = v
	}
}

// charsetReader accepts the encodings WordPress writes exports in. Only
// UTF-8 is supported (the blog_charset of nearly every site).
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	}
	return nil, fmt.Errorf("the export is in %s; only UTF-8 exports are supported (convert it with iconv -f %s -t UTF-8)", charset, charset)
}

// atoi64 parses a decimal id, 0 if it is not one.
func atoi64(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0
	}
	return n
}
