package site

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
)

// Image sizes hints, matching the CSS grid.
const (
	sizesLead    = "(min-width: 64em) 760px, 100vw"
	sizesCard    = "(min-width: 64em) 300px, (min-width: 40em) 45vw, 100vw"
	sizesThumb   = "112px"
	sizesFull    = "(min-width: 48em) 720px, 100vw"
	sizesRelated = "(min-width: 40em) 340px, 100vw"
)

type homeView struct {
	Page
	Lead     *card
	Latest   []card
	Sections []sectionBlock
	MostRead *mostReadView
}

type sectionBlock struct {
	Section navItem
	Cards   []card
}

// handleHome shows the lead story, the latest stream and a block per
// top-level section.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now()
	// Old links by query ("/?p=123") are stored redirects of the home page.
	if r.URL.RawQuery != "" {
		if handled, err := s.storedRedirect(w, r, true); handled || err != nil {
			return err
		}
	}
	v := homeView{Page: s.page(ctx, r, "")}
	v.IsHome = true
	s.setAlternates(r, &v.Page, "/")
	v.Description = v.Tagline
	v.OG = &openGraph{Type: "website", Title: v.SiteName, Description: v.Tagline, URL: v.Canonical}
	conf := s.conf(ctx)
	// The stream and every section's block in one call (two queries), read
	// without their bylines, sections and tags: the page shows about a
	// third of the stories it reads, and only those are completed (one
	// more query) before they become cards.
	lists := []newsroom.ArticleFilter{{PublicAt: &now, Limit: 31, NoTotal: true, NoRelations: true}}
	if conf.HomeSections {
		for _, n := range v.Nav {
			lists = append(lists, newsroom.ArticleFilter{PublicAt: &now, Category: n.Slug, Limit: 12, NoTotal: true, NoRelations: true})
		}
	}
	found, err := s.store.FindArticleLists(ctx, lists)
	if err != nil {
		return err
	}
	recent := found[0]
	seen := map[int64]bool{}
	var (
		lead   *newsroom.Article
		latest []*newsroom.Article
		blocks [][]*newsroom.Article
		shown  []*newsroom.Article // read without relations
	)
	// A pinned lead is read whole; the first story with an image is not.
	if lead = s.pinnedLead(ctx, now); lead == nil {
		for _, a := range recent {
			if a.LeadImage != nil && a.LeadImage.URL != "" {
				lead = a
				shown = append(shown, a)
				break
			}
		}
	}
	var leadID int64
	if lead != nil {
		leadID = lead.ID
		seen[lead.ID] = true
	}
	for _, a := range recent {
		if len(latest) == conf.HomeLatest {
			break
		}
		if !seen[a.ID] {
			latest = append(latest, a)
			seen[a.ID] = true
		}
	}
	shown = append(shown, latest...)
	if conf.HomeSections {
		blocks = make([][]*newsroom.Article, len(v.Nav))
		for i := range v.Nav {
			blocks[i] = pickArticles(found[i+1], seen, leadID, 4)
			shown = append(shown, blocks[i]...)
		}
	}
	if err := s.store.ArticleRelations(ctx, shown); err != nil {
		return err
	}
	if lead != nil {
		c := s.newCard(lead, sizesLead, false)
		if c.Image != nil {
			c.Image.High = true
		}
		v.Lead = &c
	}
	for _, a := range latest {
		v.Latest = append(v.Latest, s.newCard(a, sizesThumb, len(v.Latest) >= 4))
	}
	for i, list := range blocks {
		if len(list) == 0 {
			continue
		}
		b := sectionBlock{Section: v.Nav[i]}
		for _, a := range list {
			b.Cards = append(b.Cards, s.newCard(a, sizesCard, true))
		}
		v.Sections = append(v.Sections, b)
	}
	if conf.HomeMostRead {
		v.MostRead = s.mostRead(ctx)
	}
	if r.URL.RawQuery != "" {
		// A redirect added for this query must replace the cached page.
		tag(w, "home", keyNav, keyMostRead, keyRedirects)
	} else {
		tag(w, "home", keyNav, keyMostRead)
	}
	return s.render(w, http.StatusOK, "home.html", &v)
}

// pinnedLead returns the article the home page is set to lead with
// (newsroom.SettingHomeLead: WordPress's sticky post), while it is public.
func (s *Server) pinnedLead(ctx context.Context, now time.Time) *newsroom.Article {
	v, err := s.setting(ctx, newsroom.SettingHomeLead)
	if err != nil || v == "" {
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil
	}
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil || !a.IsPublic(now) {
		return nil
	}
	return a
}

// pickArticles takes up to max articles, preferring ones not yet on the
// page and filling up to three with ones already in the stream when a
// section is short (never the lead), in the order the store gave (newest
// first).
func pickArticles(list []*newsroom.Article, seen map[int64]bool, lead int64, max int) []*newsroom.Article {
	chosen := map[int64]bool{}
	for _, a := range list {
		if len(chosen) < max && !seen[a.ID] {
			chosen[a.ID] = true
		}
	}
	for _, a := range list {
		if len(chosen) < max && len(chosen) < 3 && a.ID != lead {
			chosen[a.ID] = true
		}
	}
	var out []*newsroom.Article
	for _, a := range list {
		if chosen[a.ID] {
			out = append(out, a)
			seen[a.ID] = true
		}
	}
	return out
}
