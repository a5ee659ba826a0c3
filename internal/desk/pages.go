package desk

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"newsdesk/internal/newsroom"
)

// Static pages (About us, Contacts, policies) and the footer menu are
// managed by editors and admins under "Pages"; every change goes through
// Config.Pages, the one service that saves them.

// pageRow is a page in the list, indented by depth.
type pageRow struct {
	newsroom.Page
	Depth int
}

type pagesView struct {
	Page
	Pages []pageRow
	// The form: the page being created or edited, what was typed and
	// the error, if any.
	Edit    newsroom.Page
	Parents []pageRow // pages the edited page may sit under
	Error   string
	Field   string
	Saved   string
}

func (s *Server) pagesService() error {
	if s.cfg.Pages == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	return nil
}

// pageTree orders pages by path (a parent before what is below it) and
// gives each its depth.
func pageTree(list []newsroom.Page) []pageRow {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	out := make([]pageRow, len(list))
	for i, p := range list {
		out[i] = pageRow{Page: p, Depth: strings.Count(p.Path, "/") - 2}
	}
	return out
}

func (s *Server) pagesView(r *http.Request) (*pagesView, error) {
	if err := s.pagesService(); err != nil {
		return nil, err
	}
	list, err := s.cfg.Pages.List(r.Context(), CurrentUser(r.Context()))
	if err != nil {
		return nil, err
	}
	v := &pagesView{Page: s.page(r, "desk.nav.pages", "pages"), Pages: pageTree(list)}
	v.Edit.Status = newsroom.Draft
	switch r.URL.Query().Get("saved") {
	case "created":
		v.Saved = s.t("desk.pages.created")
	case "saved":
		v.Saved = s.t("desk.pages.saved")
	case "deleted":
		v.Saved = s.t("desk.pages.deleted")
	case "menu":
		v.Saved = s.t("desk.pages.menu_saved")
	}
	return v, nil
}

// parentsFor lists the pages p may sit under: not itself, nothing below it.
func parentsFor(rows []pageRow, p *newsroom.Page) []pageRow {
	var out []pageRow
	for _, o := range rows {
		if p.ID != 0 && (o.ID == p.ID || strings.HasPrefix(o.Path, p.Path)) {
			continue
		}
		if o.Depth+1 < newsroom.MaxPageDepth {
			out = append(out, o)
		}
	}
	return out
}

// pageFailed shows the form again with what was typed and the error, as
// 422 for a field and 409 for a conflict.
func (s *Server) pageFailed(w http.ResponseWriter, r *http.Request, v *pagesView, err error) error {
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal || e.Code == newsroom.NotFound && e.Field == "" {
		return err
	}
	v.Error, v.Field = e.Message, e.Field
	v.Parents = parentsFor(v.Pages, &v.Edit)
	st := http.StatusUnprocessableEntity
	if e.Code == newsroom.Conflict {
		st = http.StatusConflict
	}
	return s.render(w, r, st, "page.html", v)
}

func (s *Server) handlePages(w http.ResponseWriter, r *http.Request) error {
	v, err := s.pagesView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pages.html", v)
}

func (s *Server) handleNewPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.pagesView(r)
	if err != nil {
		return err
	}
	v.Title = s.t("desk.pages.new")
	v.Edit.ParentID, _ = strconv.ParseInt(r.URL.Query().Get("parent"), 10, 64)
	v.Parents = parentsFor(v.Pages, &v.Edit)
	return s.render(w, r, http.StatusOK, "page.html", v)
}

// pageFromForm reads the page form into p.
func pageFromForm(r *http.Request, p *newsroom.Page) {
	p.Title = r.PostFormValue("title")
	p.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	p.ParentID = formID(r, "parent_id")
	p.Body = r.PostFormValue("body")
	p.Status = newsroom.Draft
	if r.PostFormValue("status") == string(newsroom.Published) {
		p.Status = newsroom.Published
	}
	p.InMenu = r.PostFormValue("in_menu") == "1"
	p.MenuPosition = int(formID(r, "menu_position"))
}

func (s *Server) handleCreatePage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.pagesView(r)
	if err != nil {
		return err
	}
	v.Title = s.t("desk.pages.new")
	pageFromForm(r, &v.Edit)
	p := v.Edit
	if err := s.cfg.Pages.Create(r.Context(), CurrentUser(r.Context()), &p); err != nil {
		return s.pageFailed(w, r, v, err)
	}
	s.log.Info("desk: page created", "by", CurrentUser(r.Context()).ID, "path", p.Path)
	return s.redirect(w, r, "/desk/pages/"+strconv.FormatInt(p.ID, 10)+"?saved=created")
}

func (s *Server) handleEditPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.pagesView(r)
	if err != nil {
		return err
	}
	p, err := s.cfg.Pages.Get(r.Context(), CurrentUser(r.Context()), pathID(r))
	if err != nil {
		return err
	}
	v.Edit, v.Title = *p, p.Title
	v.Parents = parentsFor(v.Pages, p)
	return s.render(w, r, http.StatusOK, "page.html", v)
}

func (s *Server) handleSavePage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.pagesView(r)
	if err != nil {
		return err
	}
	u := CurrentUser(r.Context())
	cur, err := s.cfg.Pages.Get(r.Context(), u, pathID(r))
	if err != nil {
		return err
	}
	v.Title = cur.Title
	v.Edit = *cur
	pageFromForm(r, &v.Edit)
	p, err := s.cfg.Pages.Update(r.Context(), u, cur.ID, func(p *newsroom.Page) error {
		pageFromForm(r, p)
		return nil
	})
	if err != nil {
		if p != nil { // saved; only the old address's redirect failed
			s.log.Error("desk: page moved without a redirect", "id", cur.ID, "err", err)
		} else {
			return s.pageFailed(w, r, v, err)
		}
	}
	s.log.Info("desk: page saved", "by", u.ID, "path", p.Path)
	return s.redirect(w, r, "/desk/pages/"+strconv.FormatInt(p.ID, 10)+"?saved=saved")
}

func (s *Server) handleDeletePage(w http.ResponseWriter, r *http.Request) error {
	if err := s.pagesService(); err != nil {
		return err
	}
	u := CurrentUser(r.Context())
	if err := s.cfg.Pages.Delete(r.Context(), u, pathID(r)); err != nil {
		if newsroom.ErrorCode(err) == newsroom.Conflict {
			v, verr := s.pagesView(r)
			if verr != nil {
				return verr
			}
			v.Error = newsroom.AsError(err).Message
			return s.render(w, r, http.StatusConflict, "pages.html", v)
		}
		return err
	}
	s.log.Info("desk: page deleted", "by", u.ID, "id", pathID(r))
	return s.redirect(w, r, "/desk/pages?saved=deleted")
}

// handlePagesMenu saves the footer menu: the pages ticked "in menu", in
// the order of their position numbers (ties by the list's order).
func (s *Server) handlePagesMenu(w http.ResponseWriter, r *http.Request) error {
	v, err := s.pagesView(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return newsroom.Errorf(newsroom.Invalid, "", "%s", s.t("desk.pages.bad_form"))
	}
	type entry struct {
		id  int64
		pos int
	}
	var menu []entry
	for _, p := range v.Pages {
		id := strconv.FormatInt(p.ID, 10)
		if r.PostForm.Get("in_menu_"+id) != "1" {
			continue
		}
		pos, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("position_" + id)))
		if err != nil || pos < 0 || pos > 1_000_000 {
			v.Error, v.Field = s.t("desk.pages.position_bad", p.Title), "position_"+id
			return s.render(w, r, http.StatusUnprocessableEntity, "pages.html", v)
		}
		menu = append(menu, entry{p.ID, pos})
	}
	sort.SliceStable(menu, func(i, j int) bool { return menu[i].pos < menu[j].pos })
	order := make([]int64, len(menu))
	for i, m := range menu {
		order[i] = m.id
	}
	if err := s.cfg.Pages.SetMenu(r.Context(), CurrentUser(r.Context()), order); err != nil {
		return err
	}
	return s.redirect(w, r, "/desk/pages?saved=menu")
}
