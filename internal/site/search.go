package site

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// searchPerPage is how many results one search page shows.
const searchPerPage = 10

type searchView struct {
	Page
	Query    string
	Section  string // selected section slug
	From, To string // YYYY-MM-DD as typed, if valid
	Sections []navItem
	Results  []searchResult
	Total    int
	PageNo   int
	Pages    int
	PrevURL  string
	NextURL  string
	Searched bool   // a query with words was run, or a period listed
	Period   bool   // no words, dates: the period's stories
	Heading  string // the period's name, over its list
}

// periodTitle names the period listed: "Stories from 1 March 2024 to 31
// March 2024", or one day.
func (v *searchView) periodTitle(lang string) string {
	day := func(s string) string {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return s
		}
		return i18n.LongDate(lang, t)
	}
	switch {
	case v.From != "" && v.From == v.To:
		return i18n.T(lang, "discovery.period_day", day(v.From))
	case v.From != "" && v.To != "":
		return i18n.T(lang, "discovery.period", day(v.From), day(v.To))
	case v.From != "":
		return i18n.T(lang, "discovery.period_since", day(v.From))
	}
	return i18n.T(lang, "discovery.period_until", day(v.To))
}

type searchResult struct {
	card
	HeadlineHTML template.HTML
	SnippetHTML  template.HTML
}

// parseDay reads a YYYY-MM-DD date in loc; anything else is zero.
func parseDay(s string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
	if err != nil || t.Year() < 1900 || t.Year() > 9999 {
		return time.Time{}
	}
	return t
}

// handleSearch shows ranked full-text results with marked snippets,
// filtered by section and publication date (From and To inclusive, in the
// site's time zone), ten to a page. Odd input never fails: a query without
// words shows the form, an unknown section or a bad date is ignored.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	text := searchText(q.Get("q"))
	v := searchView{Page: s.page(ctx, r, i18n.T(s.lang, "site.search")), Query: text, PageNo: 1}
	v.Robots = "noindex, follow"
	v.Canonical = ""
	for _, c := range v.cats {
		v.Sections = append(v.Sections, navItem{Name: c.NameIn(s.lang), Slug: c.Slug})
	}
	sq := newsroom.SearchQuery{Text: text, Limit: searchPerPage}
	now := s.now()
	sq.PublicAt = &now
	if slug := q.Get("section"); slug != "" && v.category(slug) != nil {
		sq.Category, v.Section = slug, slug
	}
	if from := parseDay(q.Get("from"), s.loc()); !from.IsZero() {
		sq.From, v.From = from, from.Format(time.DateOnly)
	}
	if to := parseDay(q.Get("to"), s.loc()); !to.IsZero() {
		sq.To, v.To = to.AddDate(0, 0, 1), to.Format(time.DateOnly)
	}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 && p < 10_000 {
		v.PageNo = p
	}
	sq.Offset = (v.PageNo - 1) * searchPerPage
	tag(w, keyFeeds, keyNav)
	switch {
	case text != "":
		hits, total, err := s.store.Search(ctx, sq)
		if err != nil {
			return err
		}
		v.Searched = true
		v.Total = total
		for i, h := range hits {
			res := searchResult{card: s.newCard(h.Article, sizesThumb, i >= 2),
				HeadlineHTML: template.HTML(h.HeadlineHTML), // escaped and marked by textsearch
				SnippetHTML:  template.HTML(h.SnippetHTML)}
			v.Results = append(v.Results, res)
		}
		v.Title = i18n.T(s.lang, "discovery.search_title", text)
	case !sq.From.IsZero() || !sq.To.IsZero():
		// No words but dates: the stories of that period, newest first
		// (where an old site's date archives lead).
		list, total, err := s.store.FindArticles(ctx, newsroom.ArticleFilter{PublicAt: &now, Category: sq.Category,
			PublishedFrom: sq.From, PublishedBefore: sq.To, Limit: searchPerPage, Offset: sq.Offset})
		if err != nil {
			return err
		}
		v.Searched, v.Period, v.Total = true, true, total
		for i, a := range list {
			v.Results = append(v.Results, searchResult{card: s.newCard(a, sizesThumb, i >= 2),
				HeadlineHTML: template.HTML(a.HeadlineHTML), SnippetHTML: template.HTML(a.StandfirstHTML)}) // rendered on save
		}
		v.Title = v.periodTitle(s.lang)
	}
	if v.Searched {
		// Beyond the ranked candidates a total is an estimate, and
		// only the candidates can be paged to.
		pageable := v.Total
		if !v.Period {
			pageable = min(pageable, newsroom.SearchCandidates)
		}
		v.Pages = max(1, (pageable+searchPerPage-1)/searchPerPage)
		title := v.Title
		link := func(page int) string {
			u := url.Values{}
			if text != "" {
				u.Set("q", text)
			}
			if v.Section != "" {
				u.Set("section", v.Section)
			}
			if v.From != "" {
				u.Set("from", v.From)
			}
			if v.To != "" {
				u.Set("to", v.To)
			}
			if page > 1 {
				u.Set("page", strconv.Itoa(page))
			}
			return s.path("/search") + "?" + u.Encode()
		}
		if v.PageNo > 1 {
			v.PrevURL = link(v.PageNo - 1)
		}
		if v.PageNo < v.Pages {
			v.NextURL = link(v.PageNo + 1)
		}
		if v.PageNo > 1 {
			v.Title = i18n.T(s.lang, "site.title_page", title, v.PageNo)
		}
		v.Heading = title
	}
	status := http.StatusOK
	if v.Searched && len(v.Results) == 0 && v.PageNo > 1 {
		status = http.StatusNotFound
	}
	return s.render(w, status, "search.html", &v)
}

// searchSummary is the line above the results.
func (v *searchView) Summary(lang string) string {
	if v.Period {
		if v.Total == 0 {
			return i18n.T(lang, "discovery.period_empty")
		}
		return fmt.Sprintf("%s · %s", i18n.N(lang, "discovery.stories", v.Total), i18n.T(lang, "site.page_n", v.PageNo, v.Pages))
	}
	if v.Total == 0 {
		return i18n.T(lang, "discovery.no_results", v.Query)
	}
	results := i18n.N(lang, "discovery.results", v.Total)
	if v.Total > newsroom.SearchCandidates {
		results = i18n.N(lang, "discovery.results_about", v.Total, i18n.Number(lang, v.Total))
	}
	return fmt.Sprintf("%s · %s", results, i18n.T(lang, "site.page_n", v.PageNo, v.Pages))
}
