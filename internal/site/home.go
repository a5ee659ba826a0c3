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
	// The stream and every section's block in one call (two queries).
	lists := []newsroom.ArticleFilter{{PublicAt: &now, Limit: 31, NoTotal: true}}
	if conf.HomeSections {
		for _, n := range v.Nav {
			lists = append(lists, newsroom.ArticleFilter{PublicAt: &now, Category: n.Slug, Limit: 12, NoTotal: true})
		}
	}
	found, err := s.store.FindArticleLists(ctx, lists)
	if err != nil {
		return err
	}
	recent := found[0]
	seen := map[int64]bool{}
	var lead int64
	if a := s.pinnedLead(ctx, now); a != nil {
		lead = a.ID
		c := s.newCard(a, sizesLead, false)
		if c.Image != nil {
			c.Image.High = true
		}
		v.Lead = &c
		seen[a.ID] = true
	}
	for _, a := range recent {
		if v.Lead != nil {
			break
		}
		if a.LeadImage != nil && a.LeadImage.URL != "" {
			lead = a.ID
			c := s.newCard(a, sizesLead, false)
			c.Image.High = true
			v.Lead = &c
			seen[a.ID] = true
			break
		}
	}
	for _, a := range recent {
		if len(v.Latest) == conf.HomeLatest {
			break
		}
		if !seen[a.ID] {
			v.Latest = append(v.Latest, s.newCard(a, sizesThumb, len(v.Latest) >= 4))
			seen[a.ID] = true
		}
	}
	for i, n := range v.Nav {
		if !conf.HomeSections {
			break
		}
		b := sectionBlock{Section: n, Cards: s.pickCards(found[i+1], seen, lead, 4)}
		if len(b.Cards) > 0 {
			v.Sections = append(v.Sections, b)
		}
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

// pickCards takes up to max articles, preferring ones not yet on the page
// and filling up to three with ones already in the stream when a section
// is short (never the lead), in the order the store gave (newest first).
func (s *Server) pickCards(list []*newsroom.Article, seen map[int64]bool, lead int64, max int) []card {
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
	var out []card
	for _, a := range list {
		if chosen[a.ID] {
			out = append(out, s.newCard(a, sizesCard, true))
			seen[a.ID] = true
		}
	}
	return out
}
