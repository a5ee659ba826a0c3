// Package feed writes syndication feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1)
// and sitemaps (sitemap index, URL sets, Google News sitemaps) from plain
// values. It knows nothing about articles or HTTP: the site turns its
// articles into a Feed and serves the bytes. Everything is written with
// encoding/xml and encoding/json, which escape text and replace characters
// XML cannot carry.
package feed

import (
	"time"
)

// Feed is one channel: the whole site, a section, a tag or an author.
type Feed struct {
	Title       string
	Description string
	Language    string // "en", "ru"
	Link        string // absolute URL of the HTML page the feed mirrors
	Self        string // absolute URL of the feed itself
	ID          string // Atom feed id; Self when empty
	Updated     time.Time
	Icon        string // absolute URL of a small square icon (optional)
	Logo        string // absolute URL of a logo (optional)
	Generator   string
	Items       []Item
}

// Item is one entry of a feed.
type Item struct {
	ID         string // stable GUID (not a URL: URLs change with slugs)
	Title      string // plain text
	Link       string // absolute URL
	Summary    string // plain text
	Content    string // sanitized HTML; empty for summary-only feeds
	Published  time.Time
	Updated    time.Time // at least Published
	Authors    []Person
	Categories []string
	Image      *Image
}

// Person is an author with an optional profile URL.
type Person struct {
	Name string
	URL  string
}

// Image is an item's lead picture, written as an enclosure or media element.
type Image struct {
	URL    string // absolute
	Type   string // MIME type, e.g. image/jpeg
	Length int64  // bytes, 0 if unknown
	Width  int
	Height int
	Title  string // caption or alt text
}

// updated returns the item's update time, never before its publication.
func (it *Item) updated() time.Time {
	if it.Updated.Before(it.Published) {
		return it.Published
	}
	return it.Updated
}

// LastModified is the newest update time of the feed and its items, which is
// what a conditional GET compares.
func (f *Feed) LastModified() time.Time {
	t := f.Updated
	for i := range f.Items {
		if u := f.Items[i].updated(); u.After(t) {
			t = u
		}
	}
	return t
}
