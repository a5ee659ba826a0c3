package desk

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// Two-factor sign-in: after the password, an account with a second factor
// is asked for a code from its authenticator app (TOTP) or one of its
// recovery codes. Between the two steps the password's success is kept
// in the database (so any node can take the code) for a few minutes, under
// the hash of a random id in a cookie of its own; it is used once, and
// wrong codes count against the same sign-in limits as wrong passwords
// (per account and address, per address) and against the step itself.
const (
	secondStepFor    = 5 * time.Minute
	secondStepTries  = 5 // wrong codes before the step must start again with the password
	secondStepCookie = "nd_2fa"
	recoveryCodes    = 10
)

type codeView struct {
	Page
	Error string
}

// askSecondFactor keeps the password's success and asks for the code.
func (s *Server) askSecondFactor(w http.ResponseWriter, r *http.Request, u *newsroom.User, pair, next string) error {
	id := auth.RandomString(32)
	st := &newsroom.SignInStep{IDHash: auth.HashToken(id), UserID: u.ID, Pair: base64.RawURLEncoding.EncodeToString([]byte(pair)), Next: next, ExpiresAt: s.now().Add(secondStepFor)}
	if err := s.store.CreateSignInStep(r.Context(), st); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: secondStepCookie, Value: id, Path: "/desk/signin", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: int(secondStepFor / time.Second)})
	v := &codeView{Page: s.page(r, "desk.twofactor.signin_title", "")}
	return s.render(w, r, http.StatusOK, "code.html", v)
}

// handleSignInCode checks the second factor and signs in.
func (s *Server) handleSignInCode(w http.ResponseWriter, r *http.Request) error {
	v := &codeView{Page: s.page(r, "desk.twofactor.signin_title", "")}
	c, err := r.Cookie(secondStepCookie)
	now := s.now()
	var st *newsroom.SignInStep
	if err == nil && c.Value != "" {
		st, err = s.store.SignInStep(r.Context(), auth.HashToken(c.Value), now)
		if err != nil && !newsroom.IsNotFound(err) {
			return err
		}
	}
	var pair string
	if st != nil {
		b, derr := base64.RawURLEncoding.DecodeString(st.Pair)
		if derr != nil {
			st = nil
		}
		pair = string(b) // the limits' key holds a NUL: stored as base64 text
	}
	if st == nil {
		// No password step pending (none, expired, used or out of
		// tries): the sign-in starts again with the password.
		return s.redirect(w, r, "/desk/signin")
	}
	ip, key := web.ClientAddr(r, s.cfg.TrustProxy), web.ClientKey(r, s.cfg.TrustProxy)
	if wait, locked := s.ipLimit.locked(key, now); locked {
		return s.codeLocked(w, r, v, wait)
	}
	if wait, locked := s.pairLimit.locked(pair, now); locked {
		return s.codeLocked(w, r, v, wait)
	}
	u, err := s.store.UserByID(r.Context(), st.UserID)
	if err != nil {
		return err
	}
	ok := false
	code := strings.TrimSpace(r.PostFormValue("code"))
	if step, good := auth.CheckTOTP(u.TOTPSecret, code, now); good && u.TwoFactor() && !u.Disabled {
		if ok, err = s.store.UseTOTPStep(r.Context(), u.ID, step); err != nil {
			return err
		}
	} else if len(code) > 6 && u.TwoFactor() && !u.Disabled {
		if ok, err = s.store.UseRecoveryCode(r.Context(), u.ID, auth.HashToken(auth.NormalizeRecoveryCode(code))); err != nil {
			return err
		}
		if ok {
			s.log.Info("desk: signed in with a recovery code", "user", u.ID)
		}
	}
	if !ok {
		s.ipLimit.fail(key, now)
		locked := s.pairLimit.fail(pair, now)
		if _, err := s.store.FailSignInStep(r.Context(), st.IDHash, secondStepTries); err != nil {
			return err
		}
		s.log.Warn("desk: second factor failed", "user", u.ID, "ip", ip, "locked", locked)
		v.Error = s.t("desk.twofactor.wrong")
		return s.render(w, r, http.StatusUnauthorized, "code.html", v)
	}
	// Single use: of two requests with the same step, one signs in.
	if won, err := s.store.DeleteSignInStep(r.Context(), st.IDHash); err != nil {
		return err
	} else if !won {
		return s.redirect(w, r, "/desk/signin")
	}
	s.pairLimit.reset(pair)
	http.SetCookie(w, &http.Cookie{Name: secondStepCookie, Value: "", Path: "/desk/signin", HttpOnly: true, MaxAge: -1})
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	if err := s.store.RecordSignIn(r.Context(), u.ID, now); err != nil {
		s.log.Warn("desk: record sign-in", "user", u.ID, "err", err)
	}
	s.log.Info("desk: signed in with a second factor", "user", u.ID, "ip", ip)
	return s.redirect(w, r, st.Next)
}

func (s *Server) codeLocked(w http.ResponseWriter, r *http.Request, v *codeView, wait time.Duration) error {
	web.SetRetryAfter(w, wait)
	v.Error = s.n("desk.signin.locked", int((wait+time.Minute-1)/time.Minute))
	return s.render(w, r, http.StatusTooManyRequests, "code.html", v)
}

// twoFactorView is the user's own second-factor page.
type twoFactorView struct {
	Page
	Enabled  bool
	Left     int
	Required bool
	// Enrolling: a new secret, its QR code and the form to confirm it.
	Secret string
	QR     template.URL
	Codes  []string // shown once, right after enrolling
	Error  string
}

func (s *Server) twoFactorView(r *http.Request) (*twoFactorView, error) {
	u := CurrentUser(r.Context())
	v := &twoFactorView{Page: s.page(r, "desk.twofactor.title", ""), Enabled: u.TwoFactor(),
		Required: u.NeedsTwoFactor(s.settings.Must(r.Context()).RequireTwoFactor)}
	if v.Enabled {
		n, err := s.store.RecoveryCodesLeft(r.Context(), u.ID)
		v.Left = n
		return v, err
	}
	return v, s.enrolling(v, u, auth.NewTOTPSecret())
}

// enrolling puts secret and its QR code (an SVG drawn here, as a data:
// address) in v.
func (s *Server) enrolling(v *twoFactorView, u *newsroom.User, secret string) error {
	v.Secret = secret
	q, err := qrcode.New(auth.TOTPURL(secret, s.cfg.SiteName, u.Email), qrcode.Medium)
	if err != nil {
		return err
	}
	bits := q.Bitmap()
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(bits), len(bits))
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	v.QR = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(b.Bytes()))
	return nil
}

func (s *Server) handleTwoFactor(w http.ResponseWriter, r *http.Request) error {
	v, err := s.twoFactorView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "twofactor.html", v)
}

// handleEnableTwoFactor confirms the new secret with a code from the app,
// stores it with fresh recovery codes and shows the codes once.
func (s *Server) handleEnableTwoFactor(w http.ResponseWriter, r *http.Request) error {
	u := CurrentUser(r.Context())
	secret := strings.TrimSpace(r.PostFormValue("secret"))
	step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), s.now())
	if !ok || u.TwoFactor() {
		v, err := s.twoFactorView(r)
		if err != nil {
			return err
		}
		if !u.TwoFactor() && secret != "" {
			if err := s.enrolling(v, u, secret); err != nil {
				return err
			}
		}
		v.Error = s.t("desk.twofactor.wrong")
		return s.render(w, r, http.StatusUnprocessableEntity, "twofactor.html", v)
	}
	codes := auth.NewRecoveryCodes(recoveryCodes)
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = auth.HashToken(auth.NormalizeRecoveryCode(c))
	}
	if err := s.store.EnableTwoFactor(r.Context(), u.ID, secret, hashes); err != nil {
		return err
	}
	if _, err := s.store.UseTOTPStep(r.Context(), u.ID, step); err != nil {
		return err
	}
	s.log.Info("desk: second factor enabled", "user", u.ID)
	u.TOTPSecret = secret
	v := &twoFactorView{Page: s.page(r, "desk.twofactor.title", ""), Enabled: true, Left: len(codes), Codes: codes}
	return s.render(w, r, http.StatusOK, "twofactor.html", v)
}

// handleDisableTwoFactor removes the user's second factor after checking
// their password.
func (s *Server) handleDisableTwoFactor(w http.ResponseWriter, r *http.Request) error {
	u := CurrentUser(r.Context())
	ok, err := s.passwords.Check(r.Context(), u.PasswordHash, r.PostFormValue("password"))
	if err != nil {
		return err
	}
	if !ok {
		v, err := s.twoFactorView(r)
		if err != nil {
			return err
		}
		v.Error = s.t("desk.password.wrong_current")
		return s.render(w, r, http.StatusUnprocessableEntity, "twofactor.html", v)
	}
	if err := s.store.DisableTwoFactor(r.Context(), u.ID); err != nil {
		return err
	}
	s.log.Info("desk: second factor disabled", "user", u.ID)
	return s.redirect(w, r, "/desk/twofactor")
}

// mustEnrol reports whether u has to enrol a second factor before using
// the desk (the site requires it of admins and editors): every page but
// the enrolment, signing out and the assets sends them there.
func (s *Server) mustEnrol(r *http.Request, u *newsroom.User) bool {
	if u == nil || !u.NeedsTwoFactor(s.settings.Must(r.Context()).RequireTwoFactor) {
		return false
	}
	p := r.URL.Path
	return !strings.HasPrefix(p, "/desk/twofactor") && p != "/desk/signout" && !strings.HasPrefix(p, "/desk/assets/")
}
