package site

import (
	"fmt"
	"net/http"
	"strconv"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// perPage is how many articles an archive page lists.
const perPage = 20

type listView struct {
	Page
	Kind     string // "section", "tag" or "author"
	Heading  string
	Kicker   *navItem // parent section of a child section
	Intro    string   // section description or author bio
	Label    string   // author's byline label
	Photo    string   // author's photo URL
	Children []navItem
	Cards    []card
	Total    int
	PageNo   int
	Pages    int
	PrevURL  string
	NextURL  string
}

// pageNumber reads ?page=N. A missing parameter is page 1; anything that
// is not a whole number of at least 1 is not found.
func pageNumber(r *http.Request) (int, error) {
	q := r.URL.Query()
	if !q.Has("page") {
		return 1, nil
	}
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 0, errNotFound
	}
	return n, nil
}

// list fills v with page pageNo of the articles f selects, newest first.
// A page past the end is not found; page 1 of an empty archive is shown.
func (s *Server) list(r *http.Request, v *listView, f newsroom.ArticleFilter) error {
	n, err := pageNumber(r)
	if err != nil {
		return err
	}
	now := s.now()
	f.PublicAt = &now
	f.Limit = perPage
	f.Offset = (n - 1) * perPage
	arts, total, err := s.store.FindArticles(r.Context(), f)
	if err != nil {
		return err
	}
	if n > 1 && len(arts) == 0 {
		return errNotFound
	}
	v.Total, v.PageNo = total, n
	v.Pages = (total + perPage - 1) / perPage
	if v.Pages < 1 {
		v.Pages = 1
	}
	for i, a := range arts {
		v.Cards = append(v.Cards, s.newCard(a, sizesCard, i >= 3))
	}
	path := s.path(r.URL.Path)
	switch {
	case n == 2:
		v.PrevURL = path
	case n > 2:
		v.PrevURL = fmt.Sprintf("%s?page=%d", path, n-1)
	}
	if n < v.Pages {
		v.NextURL = fmt.Sprintf("%s?page=%d", path, n+1)
	}
	v.Canonical = s.absURL(r, path)
	if n > 1 {
		v.Canonical = s.absURL(r, fmt.Sprintf("%s?page=%d", path, n))
		v.Title = i18n.T(s.lang, "site.title_page", v.Title, n)
	}
	return nil
}

// handleSection lists a section's articles, its child sections' included.
func (s *Server) handleSection(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.store.CategoryBySlug(ctx, r.PathValue("section"))
	if err != nil {
		return err
	}
	name, desc := c.NameIn(s.lang), c.DescriptionIn(s.lang)
	v := listView{Page: s.page(ctx, r, name), Kind: "section", Heading: name, Intro: desc}
	v.Description = desc
	v.Current = c.Slug
	all, err := s.categories(ctx)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.ParentID == c.ID {
			v.Children = append(v.Children, *s.sectionLink(&o))
		}
		if c.ParentID != 0 && o.ID == c.ParentID {
			v.Kicker = s.sectionLink(&o)
			if o.ParentID == 0 {
				v.Current = o.Slug
			}
		}
	}
	v.Feeds = append(v.Feeds, s.scopedFeedLinks("section", c.Slug, s.siteName(r.Context())+" — "+name)...)
	if err := s.list(r, &v, newsroom.ArticleFilter{Category: c.Slug}); err != nil {
		return err
	}
	if v.PageNo == 1 {
		// Every edition has the section: hreflang links between them.
		s.setAlternates(r, &v.Page, "/"+c.Slug+"/")
	}
	keys := append(v.sectionKeys(c.Slug), keyNav)
	if v.Kicker != nil {
		keys = append(keys, "category:"+v.Kicker.Slug)
	}
	tag(w, keys...)
	return s.render(w, http.StatusOK, "list.html", &v)
}

// handleTag lists the articles with a tag.
func (s *Server) handleTag(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := s.store.TagBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if t.Slug != r.PathValue("slug") { // the tag was merged or renamed
		tag(w, "tag:"+t.Slug, "tag:"+r.PathValue("slug"))
		http.Redirect(w, r, s.path("/tag/"+t.Slug), http.StatusMovedPermanently)
		return nil
	}
	v := listView{Page: s.page(ctx, r, t.Name), Kind: "tag", Heading: t.Name}
	v.Feeds = append(v.Feeds, s.scopedFeedLinks("tag", t.Slug, s.siteName(r.Context())+" — "+t.Name)...)
	if err := s.list(r, &v, newsroom.ArticleFilter{Tag: t.Slug}); err != nil {
		return err
	}
	tag(w, "tag:"+t.Slug, keyNav)
	return s.render(w, http.StatusOK, "list.html", &v)
}

// handleAuthor shows an author's bio and articles.
func (s *Server) handleAuthor(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.store.AuthorBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v := listView{Page: s.page(ctx, r, a.Name), Kind: "author", Heading: a.Name,
		Intro: a.Bio, Label: a.Label, Photo: a.PhotoURL}
	v.Description = a.Bio
	v.Feeds = append(v.Feeds, s.scopedFeedLinks("author", a.Slug, s.siteName(r.Context())+" — "+a.Name)...)
	if err := s.list(r, &v, newsroom.ArticleFilter{AuthorID: a.ID}); err != nil {
		return err
	}
	tag(w, authorKey(a.ID), keyNav)
	return s.render(w, http.StatusOK, "list.html", &v)
}
