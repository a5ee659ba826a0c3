package site

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

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
	Total    int // -1: not counted
	PageNo   int
	Until    time.Time // the day of an "?until=" page
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

// An archive's pages. Page 1 is the newest perPage stories. Older pages
// are named by a day and a multiple of perPage, "?until=2025-11-03" or
// "?until=2025-11-03&skip=40": the stories published on that day (UTC)
// or before, newest first, from the skip-th. The store finds such a page
// by seeking its date in an index and reading at most a day's stories
// of the list before it, so a deep page costs what page 1 costs however
// long the archive (no OFFSET over every newer story, no count of the
// whole list). The links stay put as stories are published: each page's
// "Older" link is computed from that page's own stories (rounded to a day
// and a multiple of perPage), so the chain from any page is the same
// tomorrow, and page 1's link moves on only when its last story's day
// does. A page may repeat up to perPage-1 stories of the day it starts
// with; none is ever skipped. "?page=N", which the pages printed before,
// is still served (by offset, its cost growing with N) and links on with
// the same day links.

// maxSkip bounds ?skip=: past this many stories of one day a list links
// no further (no list publishes that much in a day).
const maxSkip = 10_000

// untilParams reads ?until=YYYY-MM-DD&skip=K; ok is false without until.
// A malformed day, or a skip that is not a multiple of perPage below
// maxSkip, is not found.
func untilParams(r *http.Request) (day time.Time, skip int, ok bool, err error) {
	q := r.URL.Query()
	if !q.Has("until") {
		return time.Time{}, 0, false, nil
	}
	day, err = time.Parse(time.DateOnly, q.Get("until"))
	if err != nil {
		return time.Time{}, 0, false, errNotFound
	}
	if q.Has("skip") {
		skip, err = strconv.Atoi(q.Get("skip"))
		if err != nil || skip <= 0 || skip%perPage != 0 || skip >= maxSkip {
			return time.Time{}, 0, false, errNotFound
		}
	}
	return day, skip, true, nil
}

// untilURL is the archive page of day and skip.
func untilURL(path string, day time.Time, skip int) string {
	u := path + "?until=" + day.Format(time.DateOnly)
	if skip > 0 {
		u += "&skip=" + strconv.Itoa(skip)
	}
	return u
}

// utcDay is the start of t's day in UTC.
func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// list fills v with a page of the articles f selects, newest first (see
// above). A page past the end is not found; page 1 of an empty archive
// is shown.
func (s *Server) list(r *http.Request, v *listView, f newsroom.ArticleFilter) error {
	n, err := pageNumber(r)
	if err != nil {
		return err
	}
	day, skip, byDay, err := untilParams(r)
	if err != nil {
		return err
	}
	if byDay && r.URL.Query().Has("page") {
		return errNotFound
	}
	now := s.now()
	f.PublicAt, f.Limit, f.Offset, f.NoTotal = &now, perPage+1, (n-1)*perPage, true
	if byDay {
		f.PublishedBefore, f.Offset = day.AddDate(0, 0, 1), skip
	}
	arts, _, err := s.store.FindArticles(r.Context(), f)
	if err != nil {
		return err
	}
	if (n > 1 || byDay) && len(arts) == 0 {
		return errNotFound
	}
	more := len(arts) > perPage
	if more {
		arts = arts[:perPage]
	}
	v.Total, v.PageNo = -1, n
	for i, a := range arts {
		v.Cards = append(v.Cards, s.newCard(a, sizesCard, i >= 3))
	}
	path := s.path(r.URL.Path)
	switch {
	case byDay && skip > 0:
		v.PrevURL = untilURL(path, day, skip-perPage)
	case byDay && !day.AddDate(0, 0, 1).Before(utcDay(now)):
		v.PrevURL = path
	case byDay:
		v.PrevURL = untilURL(path, day.AddDate(0, 0, 1), 0)
	case n == 2:
		v.PrevURL = path
	case n > 2:
		v.PrevURL = fmt.Sprintf("%s?page=%d", path, n-1)
	}
	if more {
		// The day of the page's last story, and how far into it the page
		// went (whole pages only: the rest is shown again, never lost).
		last := utcDay(arts[len(arts)-1].PublishedAt)
		start, in := skip, 0
		if !byDay || !last.Equal(day) {
			start = 0
		}
		for _, a := range arts {
			if utcDay(a.PublishedAt).Equal(last) {
				in++
			}
		}
		next := start + in
		if byDay && last.Equal(day) {
			next = skip + perPage
		}
		next -= next % perPage
		if next < maxSkip {
			v.NextURL = untilURL(path, last, next)
		}
	}
	v.Canonical = s.absURL(r, path)
	switch {
	case byDay:
		v.Until = day
		v.Canonical = s.absURL(r, untilURL(path, day, skip))
		v.Title = i18n.T(s.lang, "site.title_until", v.Title, i18n.Date(s.lang, day))
	case n > 1:
		v.Canonical = s.absURL(r, fmt.Sprintf("%s?page=%d", path, n))
		v.Title = i18n.T(s.lang, "site.title_page", v.Title, n)
	}
	return nil
}

// handleSection lists a section's articles, its child sections' included.
func (s *Server) handleSection(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	all, err := s.categories(ctx)
	if err != nil {
		return err
	}
	// The section from the list kept in memory (memo.go); the store is
	// asked only for a slug the list does not have (a section made on
	// another node a moment ago, not yet heard of).
	var c *newsroom.Category
	for i := range all {
		if all[i].Slug == r.PathValue("section") {
			c = &all[i]
			break
		}
	}
	if c == nil {
		if c, err = s.store.CategoryBySlug(ctx, r.PathValue("section")); err != nil {
			return err
		}
	}
	name, desc := c.NameIn(s.lang), c.DescriptionIn(s.lang)
	v := listView{Page: s.page(ctx, r, name), Kind: "section", Heading: name, Intro: desc}
	v.Description = desc
	v.Current = c.Slug
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
