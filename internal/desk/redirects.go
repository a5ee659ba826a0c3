package desk

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// Stored redirects (old addresses and where they lead now, many of them
// brought in by a WordPress import) are listed, searched, added, edited
// and deleted by editors and admins under "Redirects", through
// Config.Redirects.

const redirectsPerPage = 50

type redirectsView struct {
	Page
	Redirects []newsroom.Redirect
	Total     int
	Query     string
	Source    string
	Sources   []string
	PageNo    int
	PrevURL   string
	NextURL   string
	// The form: a redirect being added or edited.
	Edit     newsroom.Redirect
	Statuses []int
	Error    string
	Field    string
	Saved    string
}

func (s *Server) redirectsView(r *http.Request) (*redirectsView, error) {
	if s.cfg.Redirects == nil {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	q := r.URL.Query()
	v := &redirectsView{Page: s.page(r, "desk.nav.redirects", "redirects"), Query: strings.TrimSpace(q.Get("q")),
		Source: q.Get("source"), PageNo: 1, Statuses: []int{301, 302, 307, 308},
		Sources: []string{newsroom.RedirectManual, newsroom.RedirectWordPress, newsroom.RedirectPage}}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		v.PageNo = n
	}
	v.Edit.Status = 301
	switch q.Get("saved") {
	case "created":
		v.Saved = s.t("desk.redirects.created")
	case "saved":
		v.Saved = s.t("desk.redirects.saved")
	case "deleted":
		v.Saved = s.t("desk.redirects.deleted")
	}
	list, total, err := s.cfg.Redirects.List(r.Context(), CurrentUser(r.Context()), newsroom.RedirectFilter{
		Query: v.Query, Source: v.Source, Limit: redirectsPerPage, Offset: (v.PageNo - 1) * redirectsPerPage})
	if err != nil {
		return nil, err
	}
	v.Redirects, v.Total = list, total
	link := func(page int) string {
		u := url.Values{}
		if v.Query != "" {
			u.Set("q", v.Query)
		}
		if v.Source != "" {
			u.Set("source", v.Source)
		}
		if page > 1 {
			u.Set("page", strconv.Itoa(page))
		}
		if len(u) == 0 {
			return "/desk/redirects"
		}
		return "/desk/redirects?" + u.Encode()
	}
	if v.PageNo > 1 {
		v.PrevURL = link(v.PageNo - 1)
	}
	if v.PageNo*redirectsPerPage < total {
		v.NextURL = link(v.PageNo + 1)
	}
	return v, nil
}

// SourceLabel names a redirect's source for people; a source the desk
// does not know (one a script chose) is shown as it is.
func (v *redirectsView) SourceLabel(source string) string {
	switch source {
	case newsroom.RedirectManual, newsroom.RedirectWordPress, newsroom.RedirectPage:
		return i18n.T(v.Lang, "desk.redirects.source_"+source)
	}
	return source
}

func redirectFromForm(r *http.Request, x *newsroom.Redirect) {
	x.From = r.PostFormValue("from")
	x.To = r.PostFormValue("to")
	x.Status, _ = strconv.Atoi(r.PostFormValue("status"))
	if x.Source == "" {
		x.Source = newsroom.RedirectManual
	}
}

// redirectFailed shows the form again with what was typed and the error.
func (s *Server) redirectFailed(w http.ResponseWriter, r *http.Request, page string, v *redirectsView, typed newsroom.Redirect, err error) error {
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal || e.Code == newsroom.NotFound {
		return err
	}
	v.Edit = typed
	v.Error, v.Field = e.Message, e.Field
	st := http.StatusUnprocessableEntity
	if e.Code == newsroom.Conflict {
		st = http.StatusConflict
	}
	return s.render(w, r, st, page, v)
}

func (s *Server) handleRedirects(w http.ResponseWriter, r *http.Request) error {
	v, err := s.redirectsView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "redirects.html", v)
}

func (s *Server) handleCreateRedirect(w http.ResponseWriter, r *http.Request) error {
	v, err := s.redirectsView(r)
	if err != nil {
		return err
	}
	var x newsroom.Redirect
	redirectFromForm(r, &x)
	typed := x
	if err := s.cfg.Redirects.Create(r.Context(), CurrentUser(r.Context()), &x); err != nil {
		return s.redirectFailed(w, r, "redirects.html", v, typed, err)
	}
	s.log.Info("desk: redirect added", "by", CurrentUser(r.Context()).ID, "from", x.From, "to", x.To)
	return s.redirect(w, r, "/desk/redirects?saved=created&q="+url.QueryEscape(x.From))
}

func (s *Server) handleEditRedirect(w http.ResponseWriter, r *http.Request) error {
	v, err := s.redirectsView(r)
	if err != nil {
		return err
	}
	x, err := s.cfg.Redirects.Get(r.Context(), CurrentUser(r.Context()), pathID(r))
	if err != nil {
		return err
	}
	v.Edit, v.Title = *x, x.From
	return s.render(w, r, http.StatusOK, "redirect.html", v)
}

func (s *Server) handleSaveRedirect(w http.ResponseWriter, r *http.Request) error {
	v, err := s.redirectsView(r)
	if err != nil {
		return err
	}
	u := CurrentUser(r.Context())
	x, err := s.cfg.Redirects.Get(r.Context(), u, pathID(r))
	if err != nil {
		return err
	}
	v.Title = x.From
	redirectFromForm(r, x)
	typed := *x
	if err := s.cfg.Redirects.Update(r.Context(), u, x); err != nil {
		return s.redirectFailed(w, r, "redirect.html", v, typed, err)
	}
	s.log.Info("desk: redirect changed", "by", u.ID, "id", x.ID, "from", x.From, "to", x.To)
	return s.redirect(w, r, "/desk/redirects?saved=saved&q="+url.QueryEscape(x.From))
}

func (s *Server) handleDeleteRedirect(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Redirects == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	u := CurrentUser(r.Context())
	if err := s.cfg.Redirects.Delete(r.Context(), u, pathID(r)); err != nil {
		return err
	}
	s.log.Info("desk: redirect deleted", "by", u.ID, "id", pathID(r))
	return s.redirect(w, r, "/desk/redirects?saved=deleted")
}
