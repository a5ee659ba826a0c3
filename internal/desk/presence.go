package desk

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// Editing together (issue 14): the editor shows who else has the story
// open and who saved it last. Nothing is locked; each open editor sends a
// heartbeat (POST .../presence, desk.js every 20 s while the tab is
// visible), kept in the database so every node sees it. Opening the
// editor counts as one, so the notice works without JS too.

// presenceView is the editor's "also open / last saved" lines, in the
// desk's language, as the page shows them and the heartbeat answers.
type presenceView struct {
	URL    string           `json:"-"`
	Others []presencePerson `json:"others"`
	Saved  *lastSaved       `json:"last_saved,omitempty"`
	// OthersText and SavedText are the two lines as shown ("" hides one).
	OthersText string `json:"others_text"`
	SavedText  string `json:"saved_text"`
}

type presencePerson struct {
	Name   string    `json:"name"`
	SeenAt time.Time `json:"seen_at"`
}

type lastSaved struct {
	Revision int       `json:"revision"`
	By       string    `json:"by,omitempty"`
	At       time.Time `json:"at"`
}

// clockOrDate is the clock for today in the desk's zone, else date and time.
func (s *Server) clockOrDate(t time.Time) string {
	t, now := t.In(s.loc()), s.now().In(s.loc())
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return i18n.Clock(t)
	}
	return i18n.DateTime(s.lang, t)
}

// presence records the user's heartbeat on a and returns who else has it
// open and its last save.
func (s *Server) presence(ctx context.Context, a *newsroom.Article) (*presenceView, error) {
	u := CurrentUser(ctx)
	now := s.now()
	if err := s.store.TouchPresence(ctx, a.ID, u.ID, now); err != nil {
		return nil, err
	}
	others, err := s.store.Present(ctx, a.ID, u.ID, now)
	if err != nil {
		return nil, err
	}
	v := &presenceView{URL: "/desk/articles/" + strconv.FormatInt(a.ID, 10) + "/presence", Others: []presencePerson{}}
	var names []string
	for _, p := range others {
		v.Others = append(v.Others, presencePerson{Name: p.Name, SeenAt: p.SeenAt})
		names = append(names, s.t("presence.person", p.Name, s.clockOrDate(p.SeenAt)))
	}
	if len(names) > 0 {
		v.OthersText = s.t("presence.also_open", strings.Join(names, ", "))
	}
	r, err := s.store.LatestRevision(ctx, a.ID)
	if err != nil && !newsroom.IsNotFound(err) {
		return nil, err
	}
	if r != nil {
		v.Saved = &lastSaved{Revision: r.Number, At: r.SavedAt}
		if r.SavedBy != 0 {
			if by, err := s.store.UserByID(ctx, r.SavedBy); err == nil {
				v.Saved.By = by.Name
			}
		}
		if v.Saved.By != "" {
			v.SavedText = s.t("presence.last_saved", v.Saved.By, s.clockOrDate(r.SavedAt))
		} else {
			v.SavedText = s.t("presence.last_saved_at", s.clockOrDate(r.SavedAt))
		}
	}
	return v, nil
}

// handlePresence is the editor's heartbeat: it answers who else has the
// story open and its last save, as JSON. A closed tab simply stops
// beating and drops out after newsroom.PresenceTTL.
func (s *Server) handlePresence(w http.ResponseWriter, r *http.Request) error {
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	v, err := s.presence(r.Context(), a)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, v)
}
