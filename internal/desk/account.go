package desk

import (
	"net/http"
	"strconv"

	"newsdesk/internal/newsroom"
)

// accountView is one person's page: who they are, their author profile,
// when they last signed in, the sessions and API tokens they hold (which
// they, or an admin, can end), and an admin's controls.
type accountView struct {
	Page
	U        *newsroom.User
	Author   *newsroom.Author
	Sessions []sessionRow
	Tokens   []newsroom.APIToken
	Self     bool // the page of the signed-in user
	Admin    bool // the signed-in user is an admin (and may change role, disable)
	Roles    []newsroom.Role
	Done     bool
	// EditAuthors: the signed-in user edits author profiles (editors).
	EditAuthors bool
}

// sessionRow is one session on the page; Current marks the one the page
// was asked from.
type sessionRow struct {
	newsroom.Session
	Current bool
}

// accountTarget returns the user of the {id} in the path if the signed-in
// user may manage them (themselves, or an admin); anyone else gets a 404,
// as for an unknown id.
func (s *Server) accountTarget(r *http.Request) (*newsroom.User, error) {
	id, err := s.pathID(r, "id")
	if err != nil {
		return nil, err
	}
	target, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !newsroom.CanManageSessions(CurrentUser(r.Context()), target) {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	return target, nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	return s.redirect(w, r, "/desk/people/"+strconv.FormatInt(CurrentUser(r.Context()).ID, 10))
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) error {
	target, err := s.accountTarget(r)
	if err != nil {
		return err
	}
	me := CurrentUser(r.Context())
	v := &accountView{Page: s.page(r, "desk.account.title", "people"), U: target, Self: me.ID == target.ID,
		Admin: me.Role == newsroom.RoleAdmin, Roles: allRoles, Done: r.URL.Query().Get("done") == "1",
		EditAuthors: me.Role.CanPublish()}
	v.Title = target.Name
	if v.Self && !v.Admin {
		v.Active = ""
	}
	sessions, err := s.store.UserSessions(r.Context(), target.ID)
	if err != nil {
		return err
	}
	cur := currentSession(r.Context())
	now := s.now()
	for _, ss := range sessions {
		if now.Before(ss.ExpiresAt) {
			v.Sessions = append(v.Sessions, sessionRow{Session: ss, Current: cur != nil && cur.IDHash == ss.IDHash})
		}
	}
	if v.Tokens, err = s.store.Tokens(r.Context(), target.ID); err != nil {
		return err
	}
	if v.Author, err = s.staffAuthor(r, target.ID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "account.html", v)
}

// staffAuthor returns the author profile that belongs to the user, or nil.
func (s *Server) staffAuthor(r *http.Request, userID int64) (*newsroom.Author, error) {
	authors, err := s.store.Authors(r.Context())
	if err != nil {
		return nil, err
	}
	for i := range authors {
		if authors[i].UserID == userID {
			return &authors[i], nil
		}
	}
	return nil, nil
}

// handleEndSessions ends one session of the user (the form's "session",
// the stored hash of its id: the hash lets no one sign in) or, with
// "others", every session but the one the request came with.
func (s *Server) handleEndSessions(w http.ResponseWriter, r *http.Request) error {
	target, err := s.accountTarget(r)
	if err != nil {
		return err
	}
	keep := ""
	if cur := currentSession(r.Context()); cur != nil && cur.UserID == target.ID {
		keep = cur.IDHash
	}
	if r.PostFormValue("others") == "1" {
		if err := s.store.DeleteUserSessions(r.Context(), target.ID, keep); err != nil {
			return err
		}
	} else {
		hash := r.PostFormValue("session")
		ss, err := s.store.SessionByHash(r.Context(), hash)
		if err != nil || ss.UserID != target.ID {
			return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
		}
		if err := s.store.DeleteSession(r.Context(), hash); err != nil {
			return err
		}
	}
	s.accountAction(r.Context(), "", target, "sessions ended")
	return s.redirect(w, r, "/desk/people/"+strconv.FormatInt(target.ID, 10)+"?done=1#sessions")
}
