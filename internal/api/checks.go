package api

import (
	"net/http"

	"newsdesk/internal/newsroom"
)

// ChecksJSON is the pre-publish check of a story: what is missing or
// risky before it goes live. Ready is false while any finding is a
// blocker (publishing or scheduling is then refused with 422).
type ChecksJSON struct {
	Findings []newsroom.Finding `json:"findings"`
	Ready    bool               `json:"ready"`
}

// getChecks is GET /api/v1/articles/{id}/checks: the pre-publish check of
// the story as stored, for writers who may read it.
func (s *Server) getChecks(w http.ResponseWriter, r *http.Request) error {
	u := User(r.Context())
	if !u.Role.CanWrite() {
		return newsroom.Errorf(newsroom.Forbidden, "", "the pre-publish check is for writers, editors and admins")
	}
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	fs, err := s.Editorial.Check(r.Context(), u, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ChecksJSON{Findings: fs, Ready: !newsroom.HasBlocker(fs)})
	return nil
}
