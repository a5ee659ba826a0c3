package desk

import (
	"net/http"
	"net/url"
	"strconv"

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

// storiesView is the list of stories with filters and search.
type storiesView struct {
	Page
	Stories  []*newsroom.Article
	Total    int
	Status   string
	Query    string
	Mine     bool
	Statuses []newsroom.Status
	PageNo   int
	Prev     string
	Next     string
	Back     string // this list's address, for the row forms to return to
	Done     string // what the last action did
}

const storiesPerPage = 50

func (s *Server) handleStories(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	v := &storiesView{Page: s.page(r, "desk.nav.stories", "stories"), Status: q.Get("status"), Query: q.Get("q"),
		Mine:     q.Get("mine") == "1",
		Statuses: []newsroom.Status{newsroom.Draft, newsroom.Review, newsroom.Scheduled, newsroom.Published, newsroom.Unpublished, newsroom.Trash},
		Back:     r.URL.RequestURI()}
	if n, _ := strconv.Atoi(q.Get("n")); n > 0 {
		switch q.Get("done") {
		case "trashed":
			v.Done = s.n("desk.stories.trashed", n)
		case "restored":
			v.Done = s.n("desk.stories.restored", n)
		}
	}
	f := newsroom.ArticleFilter{Query: v.Query, Limit: storiesPerPage}
	if st := newsroom.Status(v.Status); st.Valid() {
		f.Status = &st
		switch st {
		case newsroom.Review:
			v.Active, v.Title = "review", s.t("desk.nav.review")
		case newsroom.Scheduled:
			v.Active, v.Title = "scheduled", s.t("desk.nav.scheduled")
		}
	} else {
		v.Status = ""
	}
	if v.Mine {
		f.CreatedBy = CurrentUser(ctx).ID
	}
	newsroom.ScopeFor(CurrentUser(ctx), s.now(), &f)
	v.PageNo, _ = strconv.Atoi(q.Get("page"))
	v.PageNo = max(v.PageNo, 1)
	f.Offset = (v.PageNo - 1) * storiesPerPage
	var err error
	if v.Stories, v.Total, err = s.store.FindArticles(ctx, f); err != nil {
		return err
	}
	if f.Status != nil && *f.Status == newsroom.Scheduled {
		sortByScheduled(v.Stories)
	}
	link := func(page int) string {
		p := url.Values{}
		for k, vals := range q {
			p[k] = vals
		}
		p.Set("page", strconv.Itoa(page))
		return "/desk/stories?" + p.Encode()
	}
	if v.PageNo > 1 {
		v.Prev = link(v.PageNo - 1)
	}
	if f.Offset+len(v.Stories) < v.Total {
		v.Next = link(v.PageNo + 1)
	}
	return s.render(w, r, http.StatusOK, "stories.html", v)
}
