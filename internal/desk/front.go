package desk

import (
	"net/http"

	"newsdesk/internal/newsroom"
)

// frontView is the desk's front page: what waits for review, what is
// scheduled, what went out lately and the user's own stories.
type frontView struct {
	Page
	CanWrite   bool
	Review     []*newsroom.Article
	Scheduled  []*newsroom.Article
	Published  []*newsroom.Article
	Mine       []*newsroom.Article
	ReviewN    int
	ScheduledN int
	Moderation []NavLink // moderation queues for roles that moderate
	Charts     *frontCharts
}

func (s *Server) handleFront(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := CurrentUser(ctx)
	v := &frontView{Page: s.page(r, "desk.front.title", ""), CanWrite: u.Role.CanWrite()}
	if v.CanWrite {
		review, scheduled, now := newsroom.Review, newsroom.Scheduled, s.now()
		rf := newsroom.ArticleFilter{Status: &review, Limit: 10}
		sf := newsroom.ArticleFilter{Status: &scheduled, Limit: 50}
		newsroom.ScopeFor(u, now, &rf)
		newsroom.ScopeFor(u, now, &sf)
		var err error
		if v.Review, v.ReviewN, err = s.store.FindArticles(ctx, rf); err != nil {
			return err
		}
		if v.Scheduled, v.ScheduledN, err = s.store.FindArticles(ctx, sf); err != nil {
			return err
		}
		sortByScheduled(v.Scheduled)
		if v.Published, _, err = s.store.FindArticles(ctx, newsroom.ArticleFilter{PublicAt: &now, Limit: 10}); err != nil {
			return err
		}
		if v.Mine, _, err = s.store.FindArticles(ctx, newsroom.ArticleFilter{CreatedBy: u.ID, Limit: 10}); err != nil {
			return err
		}
	}
	var err error
	if v.Charts, err = s.frontCharts(ctx); err != nil {
		return err
	}
	for _, l := range s.nav(r, u, "") {
		if l.Key == "comments" || l.Key == "error-reports" {
			v.Moderation = append(v.Moderation, l)
		}
	}
	return s.render(w, r, http.StatusOK, "front.html", v)
}

func sortByScheduled(list []*newsroom.Article) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].ScheduledAt.Before(list[j-1].ScheduledAt); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}
