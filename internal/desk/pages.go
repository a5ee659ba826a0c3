package desk

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"newsdesk/internal/i18n"
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

	// Languages are the editions a page may belong to; Others the pages
	// in another language it may be the translation of.
	Languages []editionText
	Others    []pageRow
}

// setChoices fills the form's choices for the edited page: its parents,
// languages and the pages it may translate.
func (s *Server) setChoices(v *pagesView) {
	if v.Edit.Language == "" {
		v.Edit.Language = s.lang
	}
	v.Parents = nil
	for _, o := range parentsFor(v.Pages, &v.Edit) {
		if o.Language == v.Edit.Language {
			v.Parents = append(v.Parents, o)
		}
	}
	v.Languages, v.Others = nil, nil
	for _, l := range newsroom.Languages {
		v.Languages = append(v.Languages, editionText{Lang: l, LangName: i18n.T(l, "site.language_name")})
	}
	for _, o := range v.Pages {
		if o.ID != v.Edit.ID && o.Language != v.Edit.Language {
			v.Others = append(v.Others, o)
		}
	}
}

func (s *Server) pagesService() error {
	if s.cfg.Pages == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	return nil
}

// pageTree orders pages by path (a parent before what is below it) and
// gives each its depth.
func pageTree(list []newsroom.Page, def string) []pageRow {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	out := make([]pageRow, len(list))
	for i, p := range list {
		lang := p.Language // the edition's prefix counts for nothing
		if lang == def {
			lang = ""
		}
		out[i] = pageRow{Page: p, Depth: newsroom.PageDepth(p.Path, lang) - 1}
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
	v := &pagesView{Page: s.page(r, "desk.nav.pages", "pages"), Pages: pageTree(list, s.lang)}
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
	s.setChoices(v)
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
	// "Translate" on a page: a new page in the other language, linked.
	if of, _ := strconv.ParseInt(r.URL.Query().Get("translation_of"), 10, 64); of > 0 {
		v.Edit.TranslationOf = of
		for _, o := range v.Pages {
			if o.ID == of {
				v.Edit.Language = newsroom.OtherLanguage(o.Language)
			}
		}
	}
	if l := r.URL.Query().Get("language"); newsroom.ValidLanguage(l) {
		v.Edit.Language = l
	}
	s.setChoices(v)
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
	if r.PostForm.Has("language") {
		p.Language = r.PostFormValue("language")
	}
	if r.PostForm.Has("translation_of") {
		p.TranslationOf = formID(r, "translation_of")
	}
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
	s.setChoices(v)
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
