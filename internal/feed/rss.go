package feed

import (
	"encoding/xml"
	"io"
	"strconv"
	"time"
)

// Namespaces used by the RSS writer.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"
)

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	AtomNS    string     `xml:"xmlns:atom,attr"`
	ContentNS string     `xml:"xmlns:content,attr"`
	DCNS      string     `xml:"xmlns:dc,attr"`
	MediaNS   string     `xml:"xmlns:media,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator,omitempty"`
	Docs          string    `xml:"docs"`
	Self          *atomLink `xml:"atom:link,omitempty"`
	Image         *rssImage `xml:"image,omitempty"`
	Items         []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Description string        `xml:"description"`
	Content     string        `xml:"content:encoded,omitempty"`
	Creators    []string      `xml:"dc:creator"`
	Categories  []string      `xml:"category"`
	Enclosure   *rssEnclosure `xml:"enclosure,omitempty"`
	Media       *mediaContent `xml:"media:content,omitempty"`
}

type rssGUID struct {
	Value       string `xml:",chardata"`
	IsPermaLink string `xml:"isPermaLink,attr"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type mediaContent struct {
	URL    string `xml:"url,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Medium string `xml:"medium,attr"`
	Width  int    `xml:"width,attr,omitempty"`
	Height int    `xml:"height,attr,omitempty"`
	Title  string `xml:"media:title,omitempty"`
}

// WriteRSS writes f as an RSS 2.0 document. Items carry their summary in
// description, the full HTML (when present) in content:encoded, authors as
// dc:creator, and the lead image both as an enclosure and as media:content.
func WriteRSS(w io.Writer, f *Feed) error {
	doc := rssDoc{
		Version: "2.0", AtomNS: nsAtom, ContentNS: nsContent, DCNS: nsDC, MediaNS: nsMedia,
		Channel: rssChannel{
			Title:       f.Title,
			Link:        f.Link,
			Description: f.Description,
			Language:    f.Language,
			Generator:   f.Generator,
			Docs:        "https://www.rssboard.org/rss-specification",
		},
	}
	if lm := f.LastModified(); !lm.IsZero() {
		doc.Channel.LastBuildDate = rssDate(lm)
	}
	if f.Self != "" {
		doc.Channel.Self = &atomLink{Href: f.Self, Rel: "self", Type: "application/rss+xml"}
	}
	if f.Logo != "" {
		doc.Channel.Image = &rssImage{URL: f.Logo, Title: f.Title, Link: f.Link}
	}
	for i := range f.Items {
		it := &f.Items[i]
		ri := rssItem{
			Title:       it.Title,
			Link:        it.Link,
			GUID:        rssGUID{Value: it.ID, IsPermaLink: "false"},
			PubDate:     rssDate(it.Published),
			Description: it.Summary,
			Content:     it.Content,
			Categories:  it.Categories,
		}
		for _, a := range it.Authors {
			ri.Creators = append(ri.Creators, a.Name)
		}
		if img := it.Image; img != nil && img.URL != "" {
			ri.Enclosure = &rssEnclosure{URL: img.URL, Length: strconv.FormatInt(img.Length, 10), Type: imageType(img)}
			ri.Media = &mediaContent{URL: img.URL, Type: imageType(img), Medium: "image",
				Width: img.Width, Height: img.Height, Title: img.Title}
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return writeXML(w, doc)
}

// rssDate formats a time as RFC 822 (with a four-digit year), as RSS wants.
func rssDate(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }

func imageType(img *Image) string {
	if img.Type != "" {
		return img.Type
	}
	return "image/jpeg"
}

// writeXML writes the XML declaration and v, indented.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
