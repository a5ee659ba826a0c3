package api

import (
	"net/http"
	"strconv"

	"newsdesk/internal/newsroom"
)

// The glossary of names and machine translation (internal/translate).

func (s *Server) translateOn() error {
	if s.Translate == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "no such endpoint")
	}
	return nil
}

type glossaryInput struct {
	Forms map[string]string `json:"forms"`
	Note  *string           `json:"note"`
}

func glossaryID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, newsroom.Errorf(newsroom.NotFound, "id", "no glossary entry with that id")
	}
	return id, nil
}

func (s *Server) listGlossary(w http.ResponseWriter, r *http.Request) error {
	if err := s.translateOn(); err != nil {
		return err
	}
	list, err := s.Translate.Glossary(r.Context(), User(r.Context()))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": list})
	return nil
}

func (s *Server) getGlossary(w http.ResponseWriter, r *http.Request) error {
	if err := s.translateOn(); err != nil {
		return err
	}
	id, err := glossaryID(r)
	if err != nil {
		return err
	}
	e, err := s.Translate.Entry(r.Context(), User(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) createGlossary(w http.ResponseWriter, r *http.Request) error {
	if err := s.translateOn(); err != nil {
		return err
	}
	var in glossaryInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	e := &newsroom.GlossaryEntry{Forms: in.Forms}
	if in.Note != nil {
		e.Note = *in.Note
	}
	if e.Forms == nil {
		e.Forms = map[string]string{}
	}
	if err := s.Translate.Create(r.Context(), User(r.Context()), e); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/glossary/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, e)
	return nil
}

// patchGlossary changes the forms it names (an empty form removes that
// language) and the note if sent.
func (s *Server) patchGlossary(w http.ResponseWriter, r *http.Request) error {
	if err := s.translateOn(); err != nil {
		return err
	}
	id, err := glossaryID(r)
	if err != nil {
		return err
	}
	var in glossaryInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.Translate.Entry(r.Context(), User(r.Context()), id)
	if err != nil {
		return err
	}
	for l, f := range in.Forms {
		e.Forms[l] = f
	}
	if in.Note != nil {
		e.Note = *in.Note
	}
	if err := s.Translate.Update(r.Context(), User(r.Context()), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) deleteGlossary(w http.ResponseWriter, r *http.Request) error {
	if err := s.translateOn(); err != nil {
		return err
	}
	id, err := glossaryID(r)
	if err != nil {
		return err
	}
	if err := s.Translate.Delete(r.Context(), User(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// translateArticle makes a machine-translated draft: 201 with the draft,
// 404 when no translation service is configured.
func (s *Server) translateArticle(w http.ResponseWriter, r *http.Request) error {
	if err := s.translateOn(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return newsroom.Errorf(newsroom.NotFound, "id", "no article with that id")
	}
	var in struct {
		Language string `json:"language"`
	}
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	a, err := s.Translate.Machine(r.Context(), User(r.Context()), id, in.Language)
	if err != nil {
		return err
	}
	saved, err := s.Store.ArticleByID(r.Context(), a.ID)
	if err != nil {
		return err
	}
	j, err := s.fullJSON(r, saved)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/articles/"+strconv.FormatInt(a.ID, 10))
	writeJSON(w, http.StatusCreated, j)
	return nil
}

// fullJSON is articleJSON with the translation checks (one article's
// answer; listings do without).
func (s *Server) fullJSON(r *http.Request, a *newsroom.Article) (ArticleJSON, error) {
	j := s.articleJSON(r, a)
	if s.Translate == nil || User(r.Context()) == nil {
		return j, nil
	}
	checks, err := s.Translate.Checks(r.Context(), a)
	if err != nil {
		return j, err
	}
	j.TranslationChecks = checks
	return j, nil
}
