package desk

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/mail"
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
	Email, Role string
	Err         *newsroom.Error
	Link        string
	// Mailed names the address the invitation was sent to ("": not sent).
	Mailed string
	// Replaced says the invite took the place of an unused one.
	Replaced bool
	now      time.Time
}

// Expired reports whether an unused invite's link no longer works.
func (v *peopleView) Expired(inv newsroom.Invite) bool { return !inv.Usable(v.now) }

var allRoles = []newsroom.Role{newsroom.RoleCorrespondent, newsroom.RoleEditor, newsroom.RoleModerator, newsroom.RoleAdmin}

func (s *Server) peopleView(r *http.Request) (*peopleView, error) {
	v := &peopleView{Page: s.page(r, "desk.nav.people", "people"), Roles: allRoles, Role: string(newsroom.RoleCorrespondent), now: s.now()}
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
	switch d := r.URL.Query().Get("done"); d {
	case "disabled", "enabled", "revoked", "role", "invite_revoked":
		v.Done = s.t("desk.people.done_" + d)
	}
	return v, nil
}

// pathID is the {name} path value as an id, or a NotFound error.
func (s *Server) pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	return id, nil
}

// accountAction records a change to someone's account: in the log and,
// when act is one the activity log keeps, there too.
func (s *Server) accountAction(ctx context.Context, act newsroom.Action, target *newsroom.User, detail string) {
	s.log.Info("desk: account "+string(act), "user", target.ID, "detail", detail, "by", CurrentUser(ctx).ID)
	if act != "" {
		s.ed.Record(ctx, CurrentUser(ctx), newsroom.Activity{Action: act, Kind: "user", TargetID: target.ID,
			Subject: target.Name + " <" + target.Email + ">", Detail: detail})
	}
}

// handleSetDisabled disables or enables an account (admins, never their
// own). Disabling ends the user's sessions and API tokens at once.
func (s *Server) handleSetDisabled(disable bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := s.pathID(r, "id")
		if err != nil {
			return err
		}
		target, err := s.store.UserByID(r.Context(), id)
		if err != nil {
			return err
		}
		if err := newsroom.CheckDisable(CurrentUser(r.Context()), target); err != nil {
			return err
		}
		if err := s.store.SetUserDisabled(r.Context(), target.ID, disable); err != nil {
			return err
		}
		if disable {
			s.accountAction(r.Context(), newsroom.ActUserDisabled, target, "")
			return s.redirect(w, r, s.back(r, "/desk/people?done=disabled"))
		}
		s.accountAction(r.Context(), newsroom.ActUserEnabled, target, "")
		return s.redirect(w, r, s.back(r, "/desk/people?done=enabled"))
	}
}

// back is where an account action returns: the user's own page when it
// was sent from there, else fallback.
func (s *Server) back(r *http.Request, fallback string) string {
	if r.PostFormValue("from") == "user" {
		return "/desk/people/" + r.PathValue("id") + "?done=1"
	}
	return fallback
}

// handleSetRole gives a user another role (admins, never their own).
func (s *Server) handleSetRole(w http.ResponseWriter, r *http.Request) error {
	id, err := s.pathID(r, "id")
	if err != nil {
		return err
	}
	target, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	role := newsroom.Role(r.PostFormValue("role"))
	if err := newsroom.CheckRoleChange(CurrentUser(r.Context()), target, role); err != nil {
		return err
	}
	if role == target.Role {
		return s.redirect(w, r, s.back(r, "/desk/people"))
	}
	if err := s.store.SetUserRole(r.Context(), target.ID, role); err != nil {
		return err
	}
	s.accountAction(r.Context(), newsroom.ActRoleChanged, target, string(target.Role)+" → "+string(role))
	s.notify(r.Context(), target.Email, s.t("desk.mail.role_subject", s.cfg.SiteName),
		s.t("desk.mail.role_text", target.Name, s.t("desk.role."+string(role)), s.absolute("/desk/")))
	return s.redirect(w, r, s.back(r, "/desk/people?done=role"))
}

// handleRevokeToken deletes one API token: an admin's, or its owner's.
func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := s.pathID(r, "id")
	if err != nil {
		return err
	}
	me := CurrentUser(r.Context())
	if me.Role != newsroom.RoleAdmin {
		mine, err := s.store.Tokens(r.Context(), me.ID)
		if err != nil {
			return err
		}
		if !ownsToken(mine, id) {
			return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
		}
	}
	if err := s.store.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	s.log.Info("desk: API token revoked", "token", id, "by", me.ID)
	if to := r.PostFormValue("from"); strings.HasPrefix(to, "user:") {
		return s.redirect(w, r, "/desk/people/"+strings.TrimPrefix(to, "user:")+"?done=1#tokens")
	}
	return s.redirect(w, r, "/desk/people?done=revoked#tokens")
}

func ownsToken(list []newsroom.APIToken, id int64) bool {
	for _, t := range list {
		if t.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) handlePeople(w http.ResponseWriter, r *http.Request) error {
	v, err := s.peopleView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "people.html", v)
}

// handleCreateInvite makes a single-use invite link for an e-mail and a
// role, valid for a week: e-mailed when the desk can send mail, and shown
// once to copy. A pending invite for the same address is replaced (and
// said so); an address that already has an account is a form error on
// the e-mail field.
func (s *Server) handleCreateInvite(w http.ResponseWriter, r *http.Request) error {
	u := CurrentUser(r.Context())
	token := auth.RandomString(32)
	inv := &newsroom.Invite{TokenHash: auth.HashToken(token), Email: strings.TrimSpace(r.PostFormValue("email")),
		Role: newsroom.Role(r.PostFormValue("role")), CreatedBy: u.ID, ExpiresAt: s.now().Add(inviteLifetime)}
	err := s.store.CreateInvite(r.Context(), inv)
	if e := newsroom.AsError(err); e != nil && e.Code != newsroom.Internal {
		v, verr := s.peopleView(r)
		if verr != nil {
			return verr
		}
		v.Email, v.Role, v.Err = inv.Email, string(inv.Role), e
		if e.Code == newsroom.Conflict && e.Field == "email" {
			v.Err = newsroom.Errorf(newsroom.Conflict, "email", "%s", s.t("desk.people.err_exists", inv.Email))
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "people.html", v)
	} else if err != nil {
		return err
	}
	s.log.Info("desk: invite created", "by", u.ID, "email", inv.Email, "role", inv.Role, "replaced", inv.Replaced)
	s.ed.Record(r.Context(), u, newsroom.Activity{Action: newsroom.ActInvited, Kind: "invite", TargetID: inv.ID,
		Subject: inv.Email, Detail: string(inv.Role)})
	return s.showInvite(w, r, inv, token, http.StatusCreated)
}

// showInvite sends the invite's link by e-mail (when the desk can) and
// shows it once on the People page.
func (s *Server) showInvite(w http.ResponseWriter, r *http.Request, inv *newsroom.Invite, token string, status int) error {
	v, err := s.peopleView(r)
	if err != nil {
		return err
	}
	v.Link, v.Replaced = s.absolute("/desk/invite/"+token), inv.Replaced
	if s.notify(r.Context(), inv.Email, s.t("desk.mail.invite_subject", s.cfg.SiteName),
		s.t("desk.mail.invite_text", s.cfg.SiteName, s.t("desk.role."+string(inv.Role)), v.Link)) {
		v.Mailed = inv.Email
	}
	return s.render(w, r, status, "people.html", v)
}

// handleRevokeInvite deletes an unused invite: its link stops working.
func (s *Server) handleRevokeInvite(w http.ResponseWriter, r *http.Request) error {
	id, err := s.pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeInvite(r.Context(), id); err != nil {
		return err
	}
	s.log.Info("desk: invite revoked", "invite", id, "by", CurrentUser(r.Context()).ID)
	return s.redirect(w, r, "/desk/people?done=invite_revoked#invite")
}

// handleResendInvite gives an unused invite a new link and a new week,
// and sends or shows it again (the old link stops working).
func (s *Server) handleResendInvite(w http.ResponseWriter, r *http.Request) error {
	id, err := s.pathID(r, "id")
	if err != nil {
		return err
	}
	token := auth.RandomString(32)
	inv, err := s.store.RenewInvite(r.Context(), id, auth.HashToken(token), s.now().Add(inviteLifetime))
	if err != nil {
		return err
	}
	s.log.Info("desk: invite sent again", "invite", id, "by", CurrentUser(r.Context()).ID)
	return s.showInvite(w, r, inv, token, http.StatusOK)
}

// notify e-mails one person when the desk can send mail, and reports
// whether it did. A failure is logged: the action it follows stands.
func (s *Server) notify(ctx context.Context, to, subject, text string) bool {
	if s.cfg.Mail == nil || to == "" {
		return false
	}
	if err := s.cfg.Mail.Send(ctx, mail.Message{To: []string{to}, Subject: subject, Text: text}); err != nil {
		s.log.Warn("desk: e-mail not sent", "to", to, "subject", subject, "err", err)
		return false
	}
	return true
}

// absolute makes an absolute URL of a desk path for links given to
// people, from the configured public address (--base-url), never from
// the request's Host header, which the sender chooses.
func (s *Server) absolute(p string) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + p
}
