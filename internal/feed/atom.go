package feed

import (
	"encoding/xml"
	"io"
	"strconv"
	"time"
)

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	MediaNS   string      `xml:"xmlns:media,attr"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Subtitle  *atomText   `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLinkE `xml:"link"`
	Icon      string      `xml:"icon,omitempty"`
	Logo      string      `xml:"logo,omitempty"`
	Generator string      `xml:"generator,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

type atomText struct {
	Type  string `xml:"type,attr,omitempty"`
	Value string `xml:",chardata"`
}

type atomLinkE struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Length string `xml:"length,attr,omitempty"`
	Title  string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLinkE    `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
	Media      *mediaContent  `xml:"media:content,omitempty"`
}

// WriteAtom writes f as an Atom 1.0 (RFC 4287) document. Every entry has an
// id, title, updated, alternate link and author (the feed title stands in
// when an item has none, as the RFC requires an author); the lead image is a
// link rel="enclosure" and a media:content element.
func WriteAtom(w io.Writer, f *Feed) error {
	id := f.ID
	if id == "" {
		id = f.Self
	}
	doc := atomFeed{
		MediaNS:   nsMedia,
		Lang:      f.Language,
		ID:        id,
		Title:     atomText{Type: "text", Value: f.Title},
		Updated:   atomDate(f.LastModified()),
		Icon:      f.Icon,
		Logo:      f.Logo,
		Generator: f.Generator,
		Links:     []atomLinkE{{Href: f.Link, Rel: "alternate", Type: "text/html"}},
	}
	if f.Description != "" {
		doc.Subtitle = &atomText{Type: "text", Value: f.Description}
	}
	if f.Self != "" {
		doc.Links = append(doc.Links, atomLinkE{Href: f.Self, Rel: "self", Type: "application/atom+xml"})
	}
	for i := range f.Items {
		it := &f.Items[i]
		e := atomEntry{
			ID:        it.ID,
			Title:     atomText{Type: "text", Value: it.Title},
			Links:     []atomLinkE{{Href: it.Link, Rel: "alternate", Type: "text/html"}},
			Published: atomDate(it.Published),
			Updated:   atomDate(it.updated()),
		}
		for _, a := range it.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a.Name, URI: a.URL})
		}
		if len(e.Authors) == 0 {
			e.Authors = []atomPerson{{Name: f.Title, URI: f.Link}}
		}
		for _, c := range it.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: c})
		}
		if it.Summary != "" {
			e.Summary = &atomText{Type: "text", Value: it.Summary}
		}
		if it.Content != "" {
			e.Content = &atomText{Type: "html", Value: it.Content}
		}
		if img := it.Image; img != nil && img.URL != "" {
			l := atomLinkE{Href: img.URL, Rel: "enclosure", Type: imageType(img), Title: img.Title}
			if img.Length > 0 {
				l.Length = strconv.FormatInt(img.Length, 10)
			}
			e.Links = append(e.Links, l)
			e.Media = &mediaContent{URL: img.URL, Type: imageType(img), Medium: "image",
				Width: img.Width, Height: img.Height, Title: img.Title}
		}
		doc.Entries = append(doc.Entries, e)
	}
	return writeXML(w, doc)
}

func atomDate(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}
