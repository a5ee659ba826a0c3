package desk

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/throttle"
	"newsdesk/internal/web"
)

// "Forgot your password?": a request is answered at once with the same
// page whether or not the address has an account; the lookup, the link
// and the e-mail happen afterwards in one background worker, so neither the
// answer nor its timing says whether the address is known. Requests are
// limited per address asked about and per client.
const (
	resetsPerAddress = 3  // an hour, in bursts of as many
	resetsPerClient  = 10 // an hour, in bursts of as many
	resetQueue       = 64 // requests waiting for the worker; more are dropped (and logged)
)

// resets runs the "forgot your password" requests.
type resets struct {
	perAddress, perClient throttle.Allower
	queue                 chan string
	stop                  chan struct{}
	once                  sync.Once
	wg                    sync.WaitGroup
}

func newResets() *resets {
	return &resets{perAddress: throttle.NewLimiter(resetsPerAddress/3600.0, resetsPerAddress, 10_000),
		perClient: throttle.NewLimiter(resetsPerClient/3600.0, resetsPerClient, 10_000),
		queue:     make(chan string, resetQueue), stop: make(chan struct{})}
}

// run sends the links until close.
func (s *Server) runResets() {
	s.resets.wg.Add(1)
	go func() {
		defer s.resets.wg.Done()
		for {
			select {
			case <-s.resets.stop:
				return
			case email := <-s.resets.queue:
				s.sendReset(email)
			}
		}
	}()
}

func (s *Server) closeResets() {
	s.resets.once.Do(func() { close(s.resets.stop) })
	s.resets.wg.Wait()
}

// sendReset makes a reset link for the active account with that address,
// if there is one, and e-mails it.
func (s *Server) sendReset(email string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	u, err := s.store.UserByEmail(ctx, email)
	if newsroom.IsNotFound(err) || err == nil && u.Disabled {
		s.log.Info("desk: password reset asked for an address without an active account", "email", email)
		return
	}
	if err != nil {
		s.log.Error("desk: password reset", "email", email, "err", err)
		return
	}
	token := auth.RandomString(32)
	r := &newsroom.PasswordReset{TokenHash: auth.HashToken(token), UserID: u.ID, ExpiresAt: s.now().Add(newsroom.PasswordResetLifetime)}
	if err := s.store.CreatePasswordReset(ctx, r); err != nil {
		s.log.Error("desk: password reset", "user", u.ID, "err", err)
		return
	}
	link := s.absolute("/desk/reset/" + token)
	if !s.notify(ctx, u.Email, s.t("desk.mail.reset_subject", s.cfg.SiteName), s.t("desk.mail.reset_text", u.Name, s.cfg.SiteName, link)) {
		s.log.Warn("desk: password reset link made but not e-mailed (no SMTP?)", "user", u.ID)
		return
	}
	s.log.Info("desk: password reset link sent", "user", u.ID)
}

type forgotView struct {
	Page
	Email string
	Sent  bool
	Error string
}

func (s *Server) handleForgotForm(w http.ResponseWriter, r *http.Request) error {
	v := &forgotView{Page: s.page(r, "desk.forgot.title", "")}
	return s.render(w, r, http.StatusOK, "forgot.html", v)
}

// handleForgot queues a reset link for the address and answers the same
// either way; a flood gets 429 with the time to wait.
func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request) error {
	email := newsroom.NormalizeEmail(r.PostFormValue("email"))
	v := &forgotView{Page: s.page(r, "desk.forgot.title", ""), Email: email}
	if email == "" || len(email) > 320 || !strings.Contains(email, "@") {
		v.Error = s.t("desk.forgot.missing")
		return s.render(w, r, http.StatusUnprocessableEntity, "forgot.html", v)
	}
	now := s.now()
	key := web.ClientKey(r, s.cfg.TrustProxy)
	wait := s.resets.perClient.Allow(key, now)
	if wait == 0 {
		wait = s.resets.perAddress.Allow(email, now)
	}
	if wait > 0 {
		s.log.Warn("desk: password resets refused, too many", "email", email, "ip", web.ClientAddr(r, s.cfg.TrustProxy))
		web.SetRetryAfter(w, wait)
		v.Error = s.n("desk.forgot.too_many", int((wait+time.Minute-1)/time.Minute))
		return s.render(w, r, http.StatusTooManyRequests, "forgot.html", v)
	}
	select {
	case s.resets.queue <- email:
	default:
		s.log.Warn("desk: password reset dropped, the queue is full", "email", email)
	}
	v.Sent = true
	return s.render(w, r, http.StatusOK, "forgot.html", v)
}

type resetView struct {
	Page
	Error, Field string
}

// resetFor checks the link's token without using it.
func (s *Server) handleResetForm(w http.ResponseWriter, r *http.Request) error {
	v := &resetView{Page: s.page(r, "desk.reset.title", "")}
	return s.render(w, r, http.StatusOK, "reset.html", v)
}

// handleReset sets the new password through the link, once: the link is
// used up, and every session of the account ends (the person signs in
// again, with the second factor if they have one).
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) error {
	v := &resetView{Page: s.page(r, "desk.reset.title", "")}
	password := r.PostFormValue("password")
	switch {
	case utf8.RuneCountInString(password) < auth.MinPasswordLen:
		v.Field, v.Error = "password", s.t("desk.password.too_short", auth.MinPasswordLen)
	case utf8.RuneCountInString(password) > 1000:
		v.Field, v.Error = "password", s.t("desk.signin.missing")
	case password != r.PostFormValue("again"):
		v.Field, v.Error = "again", s.t("desk.password.mismatch")
	}
	if v.Error != "" {
		return s.render(w, r, http.StatusUnprocessableEntity, "reset.html", v)
	}
	hash, err := s.passwords.Hash(r.Context(), password)
	if err != nil {
		return err // a full pool: 503 with Retry-After
	}
	u, err := s.store.UsePasswordReset(r.Context(), auth.HashToken(r.PathValue("token")), hash, s.now())
	if newsroom.IsNotFound(err) {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.reset.gone"))
	}
	if err != nil {
		return err
	}
	s.log.Info("desk: password reset through a link", "user", u.ID)
	s.clearCookie(w, r)
	return s.redirect(w, r, "/desk/signin?reset=1")
}
