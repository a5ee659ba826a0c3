package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

var (
	pub = time.Date(2021, 10, 7, 9, 12, 0, 0, time.UTC)
	upd = time.Date(2021, 10, 7, 11, 40, 0, 0, time.UTC)
)

func sample() *Feed {
	return &Feed{
		Title: "The Test Courier", Description: "Tested <daily> & nightly", Language: "en",
		Link: "https://news.example/", Self: "https://news.example/feed.xml",
		Logo: "https://news.example/logo.png", Generator: "newsdesk",
		Items: []Item{{
			ID:    "tag:news.example,2021-10-07:article-12",
			Title: `Ferry "resumes" <after> storm & gale`, Link: "https://news.example/world/ferry",
			Summary: "The harbour master says crossings resume.", Content: "<p>The first boat left at <em>dawn</em>.</p>\x01",
			Published: pub, Updated: upd,
			Authors:    []Person{{Name: "Ada Brenn", URL: "https://news.example/author/ada-brenn"}},
			Categories: []string{"World", "Ferries"},
			Image:      &Image{URL: "https://news.example/media/ferry.jpg", Type: "image/jpeg", Length: 1234, Width: 1600, Height: 1067, Title: "The ferry"},
		}, {
			ID: "tag:news.example,2021-10-06:article-11", Title: "Second", Link: "https://news.example/sport/second",
			Summary: "Only a summary.", Published: pub.Add(-24 * time.Hour),
		}},
	}
}

// wellFormed decodes every token, failing on any XML error.
func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
	}
}

func parse(t *testing.T, b []byte) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(string(b))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, b)
	}
	return f
}

func checkCommon(t *testing.T, f *gofeed.Feed, wantType string) {
	t.Helper()
	if f.FeedType != wantType {
		t.Errorf("feed type = %q, want %q", f.FeedType, wantType)
	}
	if f.Title != "The Test Courier" {
		t.Errorf("title = %q", f.Title)
	}
	if len(f.Items) != 2 {
		t.Fatalf("%d items, want 2", len(f.Items))
	}
	it := f.Items[0]
	if it.Title != `Ferry "resumes" <after> storm & gale` {
		t.Errorf("item title = %q", it.Title)
	}
	if it.Link != "https://news.example/world/ferry" {
		t.Errorf("item link = %q", it.Link)
	}
	if it.GUID != "tag:news.example,2021-10-07:article-12" {
		t.Errorf("item guid = %q", it.GUID)
	}
	if it.PublishedParsed == nil || !it.PublishedParsed.Equal(pub) {
		t.Errorf("published = %v, want %v", it.PublishedParsed, pub)
	}
	if !strings.Contains(it.Content, "<em>dawn</em>") {
		t.Errorf("content = %q, want the HTML", it.Content)
	}
	if wantType != "json" && strings.Contains(it.Content, "\x01") {
		t.Errorf("content kept a control character XML cannot carry")
	}
	if it.Description != "The harbour master says crossings resume." {
		t.Errorf("description = %q", it.Description)
	}
	if len(it.Authors) != 1 || it.Authors[0].Name != "Ada Brenn" {
		t.Errorf("authors = %+v", it.Authors)
	}
	if len(it.Categories) != 2 || it.Categories[1] != "Ferries" {
		t.Errorf("categories = %v", it.Categories)
	}
	switch wantType {
	case "atom":
		// gofeed maps no Atom element to Item.Image; the enclosure is there.
		if len(it.Enclosures) != 1 || it.Enclosures[0].URL != "https://news.example/media/ferry.jpg" {
			t.Errorf("enclosures = %+v", it.Enclosures)
		}
	default:
		if it.Image == nil || it.Image.URL != "https://news.example/media/ferry.jpg" {
			t.Errorf("image = %+v", it.Image)
		}
	}
}

func TestRSS(t *testing.T) {
	var b bytes.Buffer
	if err := WriteRSS(&b, sample()); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	f := parse(t, b.Bytes())
	checkCommon(t, f, "rss")
	if f.FeedVersion != "2.0" || f.Link != "https://news.example/" || f.Description != "Tested <daily> & nightly" {
		t.Errorf("channel: version %q link %q description %q", f.FeedVersion, f.Link, f.Description)
	}
	if f.UpdatedParsed == nil || !f.UpdatedParsed.Equal(upd) {
		t.Errorf("lastBuildDate = %v, want %v", f.UpdatedParsed, upd)
	}
	it := f.Items[0]
	if len(it.Enclosures) != 1 || it.Enclosures[0].Length != "1234" || it.Enclosures[0].Type != "image/jpeg" {
		t.Errorf("enclosures = %+v", it.Enclosures)
	}
	if m := it.Extensions["media"]["content"]; len(m) != 1 || m[0].Attrs["width"] != "1600" {
		t.Errorf("media:content = %+v", m)
	}
	// Required channel and item elements, read with encoding/xml.
	var doc struct {
		Channel struct {
			Title string `xml:"title"`
			// atom:link shares the local name; keep both and pick RSS's.
			Links []struct {
				XMLName xml.Name
				Value   string `xml:",chardata"`
			} `xml:"link"`
			Description string `xml:"description"`
			Items       []struct {
				Title       string `xml:"title"`
				Link        string `xml:"link"`
				Description string `xml:"description"`
				PubDate     string `xml:"pubDate"`
				GUID        string `xml:"guid"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	link := ""
	for _, l := range doc.Channel.Links {
		if l.XMLName.Space == "" {
			link = l.Value
		}
	}
	if doc.Channel.Title == "" || link != "https://news.example/" || doc.Channel.Description == "" {
		t.Errorf("channel misses a required element: %+v", doc.Channel)
	}
	for _, it := range doc.Channel.Items {
		if it.Title == "" || it.Link == "" || it.GUID == "" || it.PubDate == "" {
			t.Errorf("item misses an element: %+v", it)
		}
	}
	if !strings.Contains(b.String(), "<pubDate>Thu, 07 Oct 2021 09:12:00 +0000</pubDate>") {
		t.Errorf("pubDate is not RFC 822 with a four-digit year:\n%s", b.String())
	}
	if !strings.Contains(b.String(), `<guid isPermaLink="false">`) {
		t.Errorf("guid is not marked as a non-permalink")
	}
}

func TestAtom(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAtom(&b, sample()); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	f := parse(t, b.Bytes())
	checkCommon(t, f, "atom")
	if f.UpdatedParsed == nil || !f.UpdatedParsed.Equal(upd) {
		t.Errorf("feed updated = %v, want %v", f.UpdatedParsed, upd)
	}
	if f.Items[0].UpdatedParsed == nil || !f.Items[0].UpdatedParsed.Equal(upd) {
		t.Errorf("entry updated = %v, want %v", f.Items[0].UpdatedParsed, upd)
	}
	// The second item has no author; Atom requires one, so the feed's stands in.
	if len(f.Items[1].Authors) != 1 {
		t.Errorf("second entry authors = %+v, want the feed's name", f.Items[1].Authors)
	}
	if f.Items[1].Content != "" {
		t.Errorf("summary-only entry has content %q", f.Items[1].Content)
	}
	var doc struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Links   []struct {
				Rel    string `xml:"rel,attr"`
				Length string `xml:"length,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != "https://news.example/feed.xml" || doc.Lang != "en" {
		t.Errorf("feed id %q lang %q", doc.ID, doc.Lang)
	}
	if len(doc.Links) != 2 || doc.Links[1].Rel != "self" {
		t.Errorf("feed links = %+v", doc.Links)
	}
	if e := doc.Entries[0]; e.ID == "" || e.Updated == "" || len(e.Links) != 2 || e.Links[1].Rel != "enclosure" || e.Links[1].Length != "1234" {
		t.Errorf("entry = %+v", e)
	}
}

func TestJSONFeed(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	f := parse(t, b.Bytes())
	checkCommon(t, f, "json")
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["version"] != JSONFeedVersion || doc["feed_url"] != "https://news.example/feed.xml" {
		t.Errorf("version %v feed_url %v", doc["version"], doc["feed_url"])
	}
	items := doc["items"].([]any)
	second := items[1].(map[string]any)
	if second["content_text"] != "Only a summary." || second["id"] == "" {
		t.Errorf("second item = %v: every item needs an id and content", second)
	}
}

func TestSitemaps(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSitemapIndex(&b, []URL{{Loc: "https://news.example/sitemaps/articles-1.xml", LastMod: upd}}); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	var idx struct {
		XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []struct {
			Loc     string `xml:"loc"`
			Lastmod string `xml:"lastmod"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(b.Bytes(), &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Sitemaps) != 1 || idx.Sitemaps[0].Lastmod != "2021-10-07T11:40:00Z" {
		t.Errorf("index = %+v", idx)
	}

	b.Reset()
	if err := WriteNewsSitemap(&b, []NewsURL{{Loc: "https://news.example/world/a?x=1&y=2", Publication: "The Test Courier",
		Language: "en", Published: pub, Title: "Storm & ferry"}}); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	var ns struct {
		URLs []struct {
			Loc  string `xml:"loc"`
			News struct {
				Publication struct {
					Name     string `xml:"name"`
					Language string `xml:"language"`
				} `xml:"publication"`
				Date  string `xml:"publication_date"`
				Title string `xml:"title"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b.Bytes(), &ns); err != nil {
		t.Fatal(err)
	}
	u := ns.URLs[0]
	if u.Loc != "https://news.example/world/a?x=1&y=2" || u.News.Publication.Name != "The Test Courier" ||
		u.News.Publication.Language != "en" || u.News.Date != "2021-10-07T09:12:00Z" || u.News.Title != "Storm & ferry" {
		t.Errorf("news url = %+v", u)
	}

	if err := WriteSitemap(io.Discard, make([]URL, MaxSitemapURLs+1)); err == nil {
		t.Error("a sitemap of 50,001 URLs was written")
	}
	if err := WriteNewsSitemap(io.Discard, make([]NewsURL, MaxNewsURLs+1)); err == nil {
		t.Error("a news sitemap of 1,001 URLs was written")
	}
}
