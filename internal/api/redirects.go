package api

import (
	"net/http"
	"strconv"

	"newsdesk/internal/newsroom"
)

// Stored redirects, for editors and admins: GET /api/v1/redirects?q=&source=&page=
// (50 a page, newest first), POST /api/v1/redirects {from, to, status?,
// source?}, PATCH and DELETE /api/v1/redirects/{id}. A redirect in JSON is
// newsroom.Redirect: id, from (canonical), to, status, source, created_at.

const redirectsPerPage = 50

func (s *Server) redirectsEnabled() error {
	if s.Redirects == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "redirects are not enabled")
	}
	return nil
}

func redirectParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, newsroom.Errorf(newsroom.NotFound, "", "no redirect with that id")
	}
	return id, nil
}

type redirectInput struct {
	From   *string `json:"from"`
	To     *string `json:"to"`
	Status *int    `json:"status"`
	Source *string `json:"source"`
}

func (in *redirectInput) apply(x *newsroom.Redirect) {
	if in.From != nil {
		x.From = *in.From
	}
	if in.To != nil {
		x.To = *in.To
	}
	if in.Status != nil {
		x.Status = *in.Status
	}
	if in.Source != nil {
		x.Source = *in.Source
	}
}

func (s *Server) listRedirects(w http.ResponseWriter, r *http.Request) error {
	if err := s.redirectsEnabled(); err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := pageParam(q)
	if err != nil {
		return err
	}
	list, total, err := s.Redirects.List(r.Context(), User(r.Context()), newsroom.RedirectFilter{
		Query: q.Get("q"), Source: q.Get("source"), Limit: redirectsPerPage, Offset: (page - 1) * redirectsPerPage})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Redirects []newsroom.Redirect `json:"redirects"`
		Total     int                 `json:"total"`
		Page      int                 `json:"page"`
	}{list, total, page})
	return nil
}

func (s *Server) createRedirect(w http.ResponseWriter, r *http.Request) error {
	if err := s.redirectsEnabled(); err != nil {
		return err
	}
	var in redirectInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	x := &newsroom.Redirect{}
	in.apply(x)
	if err := s.Redirects.Create(r.Context(), User(r.Context()), x); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, x)
	return nil
}

func (s *Server) patchRedirect(w http.ResponseWriter, r *http.Request) error {
	if err := s.redirectsEnabled(); err != nil {
		return err
	}
	id, err := redirectParam(r)
	if err != nil {
		return err
	}
	var in redirectInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	x, err := s.Redirects.Get(r.Context(), User(r.Context()), id)
	if err != nil {
		return err
	}
	in.apply(x)
	if err := s.Redirects.Update(r.Context(), User(r.Context()), x); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, x)
	return nil
}

func (s *Server) deleteRedirect(w http.ResponseWriter, r *http.Request) error {
	if err := s.redirectsEnabled(); err != nil {
		return err
	}
	id, err := redirectParam(r)
	if err != nil {
		return err
	}
	if err := s.Redirects.Delete(r.Context(), User(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
