package site

import (
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// Change keys the site's pages carry in web.HeaderKeys.
const (
	// keyNav tags every page with the section navigation.
	keyNav = "nav"
	// keyNotFound tags not-found pages; every change drops them.
	keyNotFound = "notfound"
)

// tag marks the response as depending on keys (duplicates are dropped).
func tag(w http.ResponseWriter, keys ...string) {
	seen := make(map[string]bool, len(keys)+1)
	out := append(keys[:0:0], keySettings)
	for _, k := range keys {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	w.Header().Set(web.HeaderKeys, strings.Join(out, " "))
}

func articleKey(id int64) string { return "article:" + strconv.FormatInt(id, 10) }

func authorKey(id int64) string { return "author:" + strconv.FormatInt(id, 10) }

// sectionKeys returns the keys of the section slug and of every section
// below it: a section's listing shows its child sections' articles too.
func (p *Page) sectionKeys(slug string) []string {
	keys := []string{"category:" + slug}
	var root int64
	for _, c := range p.cats {
		if c.Slug == slug {
			root = c.ID
		}
	}
	if root == 0 {
		return keys
	}
	in := map[int64]bool{root: true}
	for grew := true; grew; {
		grew = false
		for _, c := range p.cats {
			if c.ParentID != 0 && in[c.ParentID] && !in[c.ID] {
				in[c.ID] = true
				keys = append(keys, "category:"+c.Slug)
				grew = true
			}
		}
	}
	return keys
}

// articlePageKeys are the keys of an article page: the article, its
// sections (with everything below its kicker section, whose latest
// articles it lists), tags, authors and the related articles it shows.
func articlePageKeys(p *Page, a *newsroom.Article, related []card) []string {
	keys := []string{articleKey(a.ID), keyNav}
	if k := a.PrimaryCategory(); k != nil {
		keys = append(keys, p.sectionKeys(k.Slug)...)
	}
	for _, c := range a.Categories {
		keys = append(keys, "category:"+c.Slug)
	}
	for _, t := range a.Tags {
		keys = append(keys, "tag:"+t.Slug)
	}
	for _, b := range a.Authors {
		keys = append(keys, authorKey(b.AuthorID))
	}
	for _, c := range related {
		keys = append(keys, articleKey(c.ID))
	}
	return keys
}
