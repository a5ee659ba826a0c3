package desk

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// CookieName is the desk's session cookie. The page cache bypasses any
// request that carries it.
const CookieName = web.SessionCookie

// Session lifetimes: a session ends after a day without a request, and
// after two weeks in any case. Activity is written at most every few
// minutes, so reading pages does not write to the database each time.
const (
	sessionIdle    = 24 * time.Hour
	sessionMax     = 14 * 24 * time.Hour
	touchEvery     = 5 * time.Minute
	inviteLifetime = 7 * 24 * time.Hour
)

// loadSession puts the signed-in user and session (if any) in the request
// context. A missing, unknown or expired session is no error: the request
// simply has no user.
func (s *Server) loadSession(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return r, nil
	}
	ctx := r.Context()
	hash := auth.HashToken(c.Value)
	ss, err := s.store.SessionByHash(ctx, hash)
	if newsroom.IsNotFound(err) {
		s.clearCookie(w, r)
		return r, nil
	}
	if err != nil {
		return r, err
	}
	now := s.now()
	if !now.Before(ss.ExpiresAt) {
		if err := s.store.DeleteSession(ctx, hash); err != nil {
			s.log.Warn("desk: delete expired session", "err", err)
		}
		s.clearCookie(w, r)
		return r, nil
	}
	u, err := s.store.UserByID(ctx, ss.UserID)
	if newsroom.IsNotFound(err) || (err == nil && u.Disabled) {
		s.clearCookie(w, r)
		return r, nil
	}
	if err != nil {
		return r, err
	}
	if now.Sub(ss.LastSeen) >= touchEvery {
		exp := now.Add(sessionIdle)
		if limit := ss.CreatedAt.Add(sessionMax); exp.After(limit) {
			exp = limit
		}
		if err := s.store.TouchSession(ctx, hash, now, exp); err != nil {
			s.log.Warn("desk: touch session", "err", err)
		}
		ss.LastSeen, ss.ExpiresAt = now, exp
	}
	ctx = context.WithValue(ctx, userKey, u)
	ctx = context.WithValue(ctx, sessionKey, ss)
	return r.WithContext(ctx), nil
}

// startSession creates a new session for u (a new id: the id is rotated
// on every sign-in), ending the one the request came with, and sets the
// cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *newsroom.User) error {
	ctx := r.Context()
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		if err := s.store.DeleteSession(ctx, auth.HashToken(c.Value)); err != nil {
			return err
		}
	}
	id := auth.RandomString(32)
	now := s.now()
	ss := &newsroom.Session{IDHash: auth.HashToken(id), UserID: u.ID, CSRFToken: auth.RandomString(24),
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(sessionIdle)}
	if err := s.store.CreateSession(ctx, ss); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: int(sessionMax / time.Second),
	})
	return nil
}

func (s *Server) secure(r *http.Request) bool {
	return s.cfg.SecureCookies || web.OverHTTPS(r, s.cfg.TrustProxy)
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
}

type signInView struct {
	Page
	Email string
	Next  string
	Error string
	Reset bool // just set a new password through a reset link
}

func safeNext(next string) string {
	if strings.HasPrefix(next, "/desk/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/desk/"
}

func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if CurrentUser(r.Context()) != nil {
		return s.redirect(w, r, next)
	}
	v := &signInView{Page: s.page(r, "desk.signin.title", ""), Next: next, Reset: r.URL.Query().Get("reset") == "1"}
	return s.render(w, r, http.StatusOK, "signin.html", v)
}

var (
	dummyOnce sync.Once
	dummyHash string
)

// checkNobody spends the time a password check takes (in the pool, like
// a real one), so that an unknown e-mail cannot be told from a wrong
// password by the response time.
func (s *Server) checkNobody(ctx context.Context, password string) error {
	dummyOnce.Do(func() { dummyHash, _ = auth.HashPassword("newsdesk timing equaliser") })
	_, err := s.passwords.Check(ctx, dummyHash, password)
	return err
}

// handleSignIn checks e-mail and password under the per-address and
// per-(account, address) limits (limit.go): an attack on an account from
// one address does not lock its owner out at another. Failures are logged with the e-mail and address,
// never the password.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip, key := web.ClientAddr(r, s.cfg.TrustProxy), web.ClientKey(r, s.cfg.TrustProxy)
	now := s.now()
	v := &signInView{Page: s.page(r, "desk.signin.title", ""), Email: email, Next: next}

	if wait, locked := s.ipLimit.locked(key, now); locked {
		return s.tooMany(w, r, v, wait, "ip", email, ip)
	}
	// The address key folds an IPv6 /64 into one (web.ClientKey).
	pair := email + "\x00" + key
	if wait, locked := s.pairLimit.locked(pair, now); locked {
		return s.tooMany(w, r, v, wait, "account", email, ip)
	}
	if email == "" || password == "" || len(email) > 320 || utf8.RuneCountInString(password) > 1000 {
		v.Error = s.t("desk.signin.missing")
		return s.render(w, r, http.StatusUnprocessableEntity, "signin.html", v)
	}
	if !s.signingIn.take(key) {
		// This address already has its share of the password checks
		// running or queued: it cannot fill the queue for everyone.
		retry := s.passwords.RetryAfter()
		s.log.Warn("desk: sign-in refused, address has its share of password checks", "email", email, "ip", ip, "retry_after", retry)
		web.SetRetryAfter(w, retry)
		v.Error = s.n("desk.signin.busy", web.RetrySeconds(retry))
		return s.render(w, r, http.StatusTooManyRequests, "signin.html", v)
	}
	defer s.signingIn.done(key)
	u, err := s.store.UserByEmail(r.Context(), email)
	ok := false
	var herr error
	switch {
	case err == nil:
		ok, herr = s.passwords.Check(r.Context(), u.PasswordHash, password)
		ok = ok && !u.Disabled
	case newsroom.IsNotFound(err):
		herr = s.checkNobody(r.Context(), password)
	default:
		return err
	}
	if herr != nil {
		return s.hashBusy(w, r, v, herr, email, ip)
	}
	if !ok {
		s.ipLimit.fail(key, now)
		locked := s.pairLimit.fail(pair, now)
		s.log.Warn("desk: sign-in failed", "email", email, "ip", ip, "known", err == nil, "locked", locked)
		v.Error = s.t("desk.signin.wrong")
		return s.render(w, r, http.StatusUnauthorized, "signin.html", v)
	}
	if u.TwoFactor() {
		return s.askSecondFactor(w, r, u, pair, next)
	}
	s.pairLimit.reset(pair)
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	if err := s.store.RecordSignIn(r.Context(), u.ID, now); err != nil {
		s.log.Warn("desk: record sign-in", "user", u.ID, "err", err)
	}
	s.log.Info("desk: signed in", "user", u.ID, "ip", ip)
	return s.redirect(w, r, next)
}

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, v *signInView, wait time.Duration, what, email, ip string) error {
	s.log.Warn("desk: sign-in refused, too many failures", "limit", what, "email", email, "ip", ip)
	mins := int((wait + time.Minute - 1) / time.Minute)
	web.SetRetryAfter(w, wait)
	v.Error = s.n("desk.signin.locked", mins)
	return s.render(w, r, http.StatusTooManyRequests, "signin.html", v)
}

// hashBusy answers a sign-in that found the password pool full: 503 with
// the time to come back, counting nothing against the account.
func (s *Server) hashBusy(w http.ResponseWriter, r *http.Request, v *signInView, err error, email, ip string) error {
	var busy *auth.BusyError
	if !errors.As(err, &busy) {
		return err // the request was cancelled
	}
	s.log.Warn("desk: sign-in refused, password checks busy", "email", email, "ip", ip, "retry_after", busy.RetryAfter)
	web.SetRetryAfter(w, busy.RetryAfter)
	v.Error = s.n("desk.signin.busy", web.RetrySeconds(busy.RetryAfter))
	return s.render(w, r, http.StatusServiceUnavailable, "signin.html", v)
}

// handleSignOut ends the session on the server and clears the cookie.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if ss := currentSession(r.Context()); ss != nil {
		if err := s.store.DeleteSession(r.Context(), ss.IDHash); err != nil {
			return err
		}
	}
	s.clearCookie(w, r)
	return s.redirect(w, r, "/desk/signin")
}

type passwordView struct {
	Page
	Error, Field string
	Done         bool
}

func (s *Server) handlePasswordForm(w http.ResponseWriter, r *http.Request) error {
	v := &passwordView{Page: s.page(r, "desk.password.title", ""), Done: r.URL.Query().Get("done") == "1"}
	return s.render(w, r, http.StatusOK, "password.html", v)
}

// handlePassword changes the signed-in user's password after checking the
// current one, and ends the user's other sessions.
func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request) error {
	u := CurrentUser(r.Context())
	v := &passwordView{Page: s.page(r, "desk.password.title", "")}
	current, next, again := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("again")
	ok, err := s.passwords.Check(r.Context(), u.PasswordHash, current)
	if err != nil {
		return err // a full pool: fail answers 503 with Retry-After
	}
	switch {
	case !ok:
		v.Field, v.Error = "current", s.t("desk.password.wrong_current")
	case utf8.RuneCountInString(next) < auth.MinPasswordLen:
		v.Field, v.Error = "new", s.t("desk.password.too_short", auth.MinPasswordLen)
	case next != again:
		v.Field, v.Error = "again", s.t("desk.password.mismatch")
	}
	if v.Error != "" {
		return s.render(w, r, http.StatusUnprocessableEntity, "password.html", v)
	}
	hash, err := s.passwords.Hash(r.Context(), next)
	if err != nil {
		return err // a full pool: fail answers 503 with Retry-After
	}
	if err := s.store.SetPassword(r.Context(), u.ID, hash); err != nil {
		return err
	}
	if err := s.store.DeleteUserSessions(r.Context(), u.ID, currentSession(r.Context()).IDHash); err != nil {
		return err
	}
	s.log.Info("desk: password changed", "user", u.ID)
	return s.redirect(w, r, "/desk/password?done=1")
}

type inviteView struct {
	Page
	Invite *newsroom.Invite
	Name   string
	Error  string
	Field  string
}

// inviteFor returns the usable invite for the token in the path.
func (s *Server) inviteFor(r *http.Request) (*newsroom.Invite, error) {
	inv, err := s.store.InviteByHash(r.Context(), auth.HashToken(r.PathValue("token")))
	if err != nil {
		return nil, err
	}
	if !inv.Usable(s.now()) {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.invite.gone"))
	}
	return inv, nil
}

func (s *Server) handleInviteForm(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.inviteFor(r)
	if err != nil {
		return err
	}
	v := &inviteView{Page: s.page(r, "desk.invite.title", ""), Invite: inv}
	return s.render(w, r, http.StatusOK, "invite.html", v)
}

// handleInviteAccept creates the invited user with the name and password
// they chose, uses up the invite and signs them in.
func (s *Server) handleInviteAccept(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.inviteFor(r)
	if err != nil {
		return err
	}
	v := &inviteView{Page: s.page(r, "desk.invite.title", ""), Invite: inv, Name: strings.TrimSpace(r.PostFormValue("name"))}
	password := r.PostFormValue("password")
	switch {
	case v.Name == "" || utf8.RuneCountInString(v.Name) > 200:
		v.Field, v.Error = "name", s.t("desk.invite.name_required")
	case utf8.RuneCountInString(password) < auth.MinPasswordLen:
		v.Field, v.Error = "password", s.t("desk.password.too_short", auth.MinPasswordLen)
	case password != r.PostFormValue("again"):
		v.Field, v.Error = "again", s.t("desk.password.mismatch")
	}
	if v.Error != "" {
		return s.render(w, r, http.StatusUnprocessableEntity, "invite.html", v)
	}
	hash, err := s.passwords.Hash(r.Context(), password)
	if err != nil {
		return err // a full pool: fail answers 503 with Retry-After
	}
	u := &newsroom.User{Name: v.Name, PasswordHash: hash}
	if err := s.store.AcceptInvite(r.Context(), inv.TokenHash, u, s.now()); err != nil {
		return err
	}
	s.log.Info("desk: invite accepted", "user", u.ID, "role", u.Role)
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	return s.redirect(w, r, "/desk/")
}

// SignedIn reports whether r carries the session cookie of a live session
// of an active user. The page cache asks this before letting the cookie
// bypass it: a made-up cookie value gets the shared page. Nothing is
// written (the session is not touched, the cookie not cleared).
func (s *Server) SignedIn(r *http.Request) bool {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return false
	}
	ctx := r.Context()
	ss, err := s.store.SessionByHash(ctx, auth.HashToken(c.Value))
	if err != nil {
		if !newsroom.IsNotFound(err) {
			s.log.Warn("desk: check session for the page cache", "err", err)
		}
		return false
	}
	if !s.now().Before(ss.ExpiresAt) {
		return false
	}
	u, err := s.store.UserByID(ctx, ss.UserID)
	return err == nil && !u.Disabled
}
