package api

import (
	"net/http"
	"time"

	"newsdesk/internal/newsroom"
)

// RevisionJSON is one saved state of an article: its number, when and by
// whom it was saved (saved_by null for the scheduler, imports and the
// demo), why (reason: created, saved, review, published, updated_live,
// scheduled, unpublished, draft, report, scheduler, restored, legal; ""
// for revisions older than the reasons), a note (the error report
// applied, the legal marker switched), the status after that save, and
// the text it held.
type RevisionJSON struct {
	Number     int             `json:"number"`
	SavedAt    time.Time       `json:"saved_at"`
	SavedBy    *RevisionAuthor `json:"saved_by"`
	Reason     string          `json:"reason"`
	Note       string          `json:"note"`
	Status     newsroom.Status `json:"status"`
	Headline   string          `json:"headline"`
	Standfirst string          `json:"standfirst"`
	Body       string          `json:"body"`
}

// RevisionAuthor is the member of staff who saved a revision.
type RevisionAuthor struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// listRevisions is GET /api/v1/articles/{id}/revisions: every revision of
// the article, newest first, for staff who write and may read the story
// (a correspondent: their own; another writer's draft is 404).
func (s *Server) listRevisions(w http.ResponseWriter, r *http.Request) error {
	if u := User(r.Context()); !u.Role.CanWrite() {
		return newsroom.Errorf(newsroom.Forbidden, "", "revisions are for writers, editors and admins")
	}
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	revs, err := s.Store.Revisions(r.Context(), a.ID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	out := struct {
		Revisions []RevisionJSON `json:"revisions"`
		Current   int            `json:"current"`
	}{Revisions: []RevisionJSON{}, Current: a.Revision}
	for _, rv := range revs {
		j := RevisionJSON{Number: rv.Number, SavedAt: rv.SavedAt.UTC(), Reason: rv.Reason, Note: rv.Note,
			Status: rv.Status, Headline: rv.Headline, Standfirst: rv.Standfirst, Body: rv.Body}
		if rv.SavedBy != 0 {
			name, ok := names[rv.SavedBy]
			if !ok {
				if u, err := s.Store.UserByID(r.Context(), rv.SavedBy); err == nil {
					name = u.Name
				}
				names[rv.SavedBy] = name
			}
			j.SavedBy = &RevisionAuthor{ID: rv.SavedBy, Name: name}
		}
		out.Revisions = append(out.Revisions, j)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
