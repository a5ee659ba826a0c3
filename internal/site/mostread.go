package site

import (
	"context"
	"html/template"
	"time"

	"newsdesk/internal/newsroom"
)

// keyMostRead tags pages that show the most-read lists; the view counter
// announces it when the ranking moves (at most every few minutes).
const keyMostRead = "most-read"

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
// site's time zone) most-read lists. A failure is logged and the block
// left out: it is not worth an error page.
func (s *Server) mostRead(ctx context.Context) *mostReadView {
	now := s.now()
	today := newsroom.ViewDay(now, s.loc())
	v := &mostReadView{}
	for _, l := range []struct {
		since time.Time
		dst   *[]mostReadItem
	}{{today, &v.Today}, {today.AddDate(0, 0, -6), &v.Week}} {
		list, err := s.store.MostRead(ctx, l.since, now, mostReadSize)
		if err != nil {
			s.log.Error("site: most read", "err", err)
			return nil
		}
		for _, a := range list {
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
