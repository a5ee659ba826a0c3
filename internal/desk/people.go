package desk

import (
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
)

// peopleView lists staff and pending invites, with the form to invite.
type peopleView struct {
	Page
	Users   []newsroom.User
	Invites []newsroom.Invite
	// Tokens are everyone's API tokens with their last use.
	Tokens []newsroom.APIToken
	Me     int64 // the signed-in admin, who cannot disable themselves
	Done   string
	Roles  []newsroom.Role
	// The invite form: what was typed, and the link made (shown once).
	Email, Role  string
	Error, Field string
	Link         string
}

var allRoles = []newsroom.Role{newsroom.RoleCorrespondent, newsroom.RoleEditor, newsroom.RoleModerator, newsroom.RoleAdmin}

func (s *Server) peopleView(r *http.Request) (*peopleView, error) {
	v := &peopleView{Page: s.page(r, "desk.nav.people", "people"), Roles: allRoles, Role: string(newsroom.RoleCorrespondent)}
	var err error
	if v.Users, err = s.store.ListUsers(r.Context()); err != nil {
		return nil, err
	}
	if v.Invites, err = s.store.Invites(r.Context()); err != nil {
		return nil, err
	}
	if v.Tokens, err = s.store.Tokens(r.Context(), 0); err != nil {
		return nil, err
	}
	v.Me = CurrentUser(r.Context()).ID
	switch r.URL.Query().Get("done") {
	case "disabled":
		v.Done = s.t("desk.people.done_disabled")
	case "enabled":
		v.Done = s.t("desk.people.done_enabled")
	case "revoked":
		v.Done = s.t("desk.people.done_revoked")
	}
	return v, nil
}

// handleSetDisabled disables or enables an account (admins, never their
// own). Disabling ends the user's sessions and API tokens at once.
func (s *Server) handleSetDisabled(disable bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
		}
		target, err := s.store.UserByID(r.Context(), id)
		if err != nil {
			return err
		}
		me := CurrentUser(r.Context())
		if err := newsroom.CheckDisable(me, target); err != nil {
			return err
		}
		if err := s.store.SetUserDisabled(r.Context(), target.ID, disable); err != nil {
			return err
		}
		s.log.Info("desk: account disabled or enabled", "user", target.ID, "disabled", disable, "by", me.ID)
		if disable {
			return s.redirect(w, r, "/desk/people?done=disabled")
		}
		return s.redirect(w, r, "/desk/people?done=enabled")
	}
}

// handleRevokeToken deletes one API token.
func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	if err := s.store.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	s.log.Info("desk: API token revoked", "token", id, "by", CurrentUser(r.Context()).ID)
	return s.redirect(w, r, "/desk/people?done=revoked#tokens")
}

func (s *Server) handlePeople(w http.ResponseWriter, r *http.Request) error {
	v, err := s.peopleView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "people.html", v)
}

// handleCreateInvite makes a single-use invite link for an e-mail and a
// role, valid for a week, and shows it once.
func (s *Server) handleCreateInvite(w http.ResponseWriter, r *http.Request) error {
	u := CurrentUser(r.Context())
	token := auth.RandomString(32)
	inv := &newsroom.Invite{TokenHash: auth.HashToken(token), Email: strings.TrimSpace(r.PostFormValue("email")),
		Role: newsroom.Role(r.PostFormValue("role")), CreatedBy: u.ID, ExpiresAt: s.now().Add(inviteLifetime)}
	err := s.store.CreateInvite(r.Context(), inv)
	v, verr := s.peopleView(r)
	if verr != nil {
		return verr
	}
	if e := newsroom.AsError(err); e != nil && e.Code != newsroom.Internal {
		v.Email, v.Role, v.Field, v.Error = inv.Email, string(inv.Role), e.Field, e.Message
		return s.render(w, r, http.StatusUnprocessableEntity, "people.html", v)
	} else if err != nil {
		return err
	}
	s.log.Info("desk: invite created", "by", u.ID, "email", inv.Email, "role", inv.Role)
	v.Link = s.absolute("/desk/invite/" + token)
	return s.render(w, r, http.StatusCreated, "people.html", v)
}

// absolute makes an absolute URL of a desk path for links given to
// people, from the configured public address (--base-url), never from
// the request's Host header, which the sender chooses.
func (s *Server) absolute(p string) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + p
}
