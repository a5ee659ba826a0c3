package site

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"newsdesk/internal/i18n"

	"newsdesk/internal/newsroom"
)

// keyMostRead tags pages that show the most-read lists; the view counter
// announces it when the ranking moves (at most every few minutes).
const keyMostRead = "most-read"

// Most read on article pages. Rendered into every article page, the
// lists tied every cached article to the ranking: each move (views
// announces "most-read") dropped them all. An article page now carries a
// placeholder (a heading and a link to pathMostRead, the lists as a page
// of their own, so it reads and crawls without a script) and site.js
// puts the block from pathMostReadBlock in its place: one small cached
// fragment per edition, tagged most-read, is all a ranking move drops.
// The home page, one page, keeps the lists inline.
const (
	pathMostRead      = "/most-read"
	pathMostReadBlock = "/most-read/block"
)

type mostReadPage struct {
	Page
	MostRead *mostReadView
}

// handleMostRead shows today's and this week's most-read lists as a page.
func (s *Server) handleMostRead(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := mostReadPage{Page: s.page(ctx, r, i18n.T(s.lang, "discovery.most_read")), MostRead: s.mostRead(ctx)}
	s.setAlternates(r, &v.Page, pathMostRead)
	tag(w, keyMostRead, keyNav)
	return s.render(w, http.StatusOK, "mostread.html", &v)
}

// handleMostReadBlock answers the block an article page loads: the
// lists' HTML alone (no layout), empty while nothing has been read.
func (s *Server) handleMostReadBlock(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if v := s.mostRead(r.Context()); v != nil {
		if err := s.pages["mostread.html"].ExecuteTemplate(&buf, "mostread", v); err != nil {
			return fmt.Errorf("site: execute most-read block: %w", err)
		}
	}
	tag(w, keyMostRead)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Robots-Tag", "noindex")
	setSecurityHeaders(h, s.mediaCSP)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		s.log.Debug("site: write most-read block", "err", err)
	}
	return nil
}

// mostReadSize is how many articles each most-read list shows.
const mostReadSize = 5

type mostReadView struct {
	Today, Week []mostReadItem
}

type mostReadItem struct {
	URL      string
	Lang     string
	Headline template.HTML
}

// mostRead reads today's and this week's (the last seven days in the
// site's time zone) most-read lists, from memory between the changes
// that move them (memo.go). A failure is logged and the block left out:
// it is not worth an error page.
func (s *Server) mostRead(ctx context.Context) *mostReadView {
	now := s.now()
	today := newsroom.ViewDay(now, s.loc())
	read := func() (*mostReadLists, error) {
		var l mostReadLists
		var err error
		if l.today, err = s.store.MostRead(ctx, today, now, mostReadSize); err != nil {
			return nil, err
		}
		if l.week, err = s.store.MostRead(ctx, today.AddDate(0, 0, -6), now, mostReadSize); err != nil {
			return nil, err
		}
		return &l, nil
	}
	var lists *mostReadLists
	var err error
	if s.memo.on {
		lists, err = s.memo.mostReadIn(s.lang).get(now, today.Format(time.DateOnly), read)
	} else {
		lists, err = read()
	}
	if err != nil {
		s.log.Error("site: most read", "err", err)
		return nil
	}
	v := &mostReadView{}
	for _, l := range []struct {
		src []*newsroom.Article
		dst *[]mostReadItem
	}{{lists.today, &v.Today}, {lists.week, &v.Week}} {
		for _, a := range l.src {
			it := mostReadItem{URL: s.articlePath(a), Headline: headlineHTML(a)}
			if a.Language != "" && a.Language != s.lang {
				it.Lang = a.Language
			}
			*l.dst = append(*l.dst, it)
		}
	}
	if len(v.Today) == 0 && len(v.Week) == 0 {
		return nil
	}
	return v
}
