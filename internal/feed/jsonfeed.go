package feed

import (
	"encoding/json"
	"io"
	"time"
)

// JSONFeedVersion is the version URL every JSON Feed 1.1 document carries.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Favicon     string       `json:"favicon,omitempty"`
	Language    string       `json:"language,omitempty"`
	Items       []jsonItem   `json:"items"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url,omitempty"`
	Title         string       `json:"title,omitempty"`
	ContentHTML   string       `json:"content_html,omitempty"`
	ContentText   string       `json:"content_text,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
	Language      string       `json:"language,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

// WriteJSON writes f as a JSON Feed 1.1 document. An item without HTML
// content carries its summary as content_text, since every item must have
// one of the two.
func WriteJSON(w io.Writer, f *Feed) error {
	doc := jsonFeed{
		Version: JSONFeedVersion, Title: f.Title, HomePageURL: f.Link, FeedURL: f.Self,
		Description: f.Description, Icon: f.Logo, Favicon: f.Icon, Language: f.Language,
		Items: []jsonItem{},
	}
	for i := range f.Items {
		it := &f.Items[i]
		j := jsonItem{
			ID: it.ID, URL: it.Link, Title: it.Title, Summary: it.Summary, ContentHTML: it.Content,
			DatePublished: it.Published.UTC().Format(time.RFC3339),
			DateModified:  it.updated().UTC().Format(time.RFC3339),
			Tags:          it.Categories,
		}
		if j.ContentHTML == "" {
			j.ContentText = it.Summary
		}
		if it.Image != nil {
			j.Image = it.Image.URL
		}
		for _, a := range it.Authors {
			j.Authors = append(j.Authors, jsonAuthor(a))
		}
		doc.Items = append(doc.Items, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}
