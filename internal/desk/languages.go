package desk

import (
	"net/http"
	"strconv"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// Translations and the glossary of names (internal/translate, through
// Config.Translate): the editor's Translations panel lists a story's other
// language versions and starts one ("Translate": a draft from the
// original's fields; "Machine translation": a draft the configured
// service wrote, only when one is configured), with the glossary's
// warnings on a translation; the Glossary page lists, adds, edits and
// deletes names.

// langsPanel is the editor's Translations panel.
type langsPanel struct {
	ArticleID int64
	CSRF      string
	Members   []langsMember
	Missing   []langsMissing
	Checks    []newsroom.TranslationCheck
	Machine   bool
	Original  bool
}

type langsMember struct {
	ID       int64
	Lang     string
	Name     string
	Status   newsroom.Status
	Original bool
}

type langsMissing struct {
	Lang, Name string
}

func langName(l string) string { return i18n.T(l, "site.language_name") }

// langsPanelFor builds the panel of a stored story; nil without the
// service or for a new one.
func (s *Server) langsPanelFor(r *http.Request, a *newsroom.Article) *langsPanel {
	if s.cfg.Translate == nil || a.ID == 0 {
		return nil
	}
	p := &langsPanel{ArticleID: a.ID, Machine: s.cfg.Translate.MachineOn(), Original: a.IsOriginal()}
	if ss := currentSession(r.Context()); ss != nil {
		p.CSRF = ss.CSRFToken
	}
	have := map[string]bool{a.Language: true}
	for _, t := range a.Translations {
		have[t.Language] = true
		p.Members = append(p.Members, langsMember{ID: t.ID, Lang: t.Language, Name: langName(t.Language), Status: t.Status, Original: t.Original})
	}
	for _, l := range newsroom.Languages {
		if !have[l] {
			p.Missing = append(p.Missing, langsMissing{Lang: l, Name: langName(l)})
		}
	}
	checks, err := s.cfg.Translate.Checks(r.Context(), a)
	if err != nil {
		s.log.Warn("desk: translation checks", "article", a.ID, "err", err)
	}
	p.Checks = checks
	return p
}

// handleTranslate starts a translation of the story into the form's
// language: a draft from the original's fields, then its editor.
func (s *Server) handleTranslate(w http.ResponseWriter, r *http.Request) error {
	return s.startTranslation(w, r, false)
}

// handleMachineTranslate has the configured service translate the story
// into a draft, then opens its editor.
func (s *Server) handleMachineTranslate(w http.ResponseWriter, r *http.Request) error {
	return s.startTranslation(w, r, true)
}

func (s *Server) startTranslation(w http.ResponseWriter, r *http.Request, machine bool) error {
	if s.cfg.Translate == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	orig, err := s.articleParam(r)
	if err != nil {
		return err
	}
	ctx, u, lang := r.Context(), CurrentUser(r.Context()), r.PostFormValue("language")
	var a *newsroom.Article
	if machine {
		a, err = s.cfg.Translate.Machine(ctx, u, orig.ID, lang)
	} else {
		a, err = s.cfg.Translate.Draft(ctx, u, orig.ID, lang)
		if err == nil {
			a.Slug = orig.Slug + "-" + lang
			err = s.cfg.Editorial.Create(ctx, u, a)
		}
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/articles/"+strconv.FormatInt(a.ID, 10)+"?done=translation", http.StatusSeeOther)
	return nil
}

type glossaryView struct {
	Page
	Entries []newsroom.GlossaryEntry
	CanEdit bool
	Langs   []langsMissing
	Edit    newsroom.GlossaryEntry
	Error   string
	Field   string
	Saved   string
}

func (s *Server) glossaryView(r *http.Request) (*glossaryView, error) {
	if s.cfg.Translate == nil {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	u := CurrentUser(r.Context())
	v := &glossaryView{Page: s.page(r, "desk.nav.glossary", "glossary"), CanEdit: u.Role.CanPublish(),
		Edit: newsroom.GlossaryEntry{Forms: map[string]string{}}}
	for _, l := range newsroom.Languages {
		v.Langs = append(v.Langs, langsMissing{Lang: l, Name: langName(l)})
	}
	switch r.URL.Query().Get("saved") {
	case "created":
		v.Saved = s.t("desk.glossary.created")
	case "saved":
		v.Saved = s.t("desk.glossary.saved")
	case "deleted":
		v.Saved = s.t("desk.glossary.deleted")
	}
	list, err := s.cfg.Translate.Glossary(r.Context(), u)
	if err != nil {
		return nil, err
	}
	v.Entries = list
	return v, nil
}

func (s *Server) handleGlossary(w http.ResponseWriter, r *http.Request) error {
	v, err := s.glossaryView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "glossary.html", v)
}

func glossaryFromForm(r *http.Request) newsroom.GlossaryEntry {
	e := newsroom.GlossaryEntry{Forms: map[string]string{}, Note: r.PostFormValue("note")}
	for _, l := range newsroom.Languages {
		e.Forms[l] = r.PostFormValue("form_" + l)
	}
	return e
}

// handleSaveGlossary adds an entry (no id) or replaces one.
func (s *Server) handleSaveGlossary(w http.ResponseWriter, r *http.Request) error {
	v, err := s.glossaryView(r)
	if err != nil {
		return err
	}
	e := glossaryFromForm(r)
	typed := glossaryFromForm(r)
	done := "created"
	if id := r.PathValue("id"); id != "" {
		if e.ID, err = strconv.ParseInt(id, 10, 64); err != nil {
			return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
		}
		err, done = s.cfg.Translate.Update(r.Context(), CurrentUser(r.Context()), &e), "saved"
	} else {
		err = s.cfg.Translate.Create(r.Context(), CurrentUser(r.Context()), &e)
	}
	if err != nil {
		x := newsroom.AsError(err)
		if x == nil || x.Code != newsroom.Invalid {
			return err
		}
		v.Edit, v.Error, v.Field = typed, x.Message, x.Field
		return s.render(w, r, http.StatusUnprocessableEntity, "glossary.html", v)
	}
	http.Redirect(w, r, "/desk/glossary?saved="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) handleDeleteGlossary(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Translate == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	if err := s.cfg.Translate.Delete(r.Context(), CurrentUser(r.Context()), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/glossary?saved=deleted", http.StatusSeeOther)
	return nil
}
