package desk_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
)

func TestTwoFactor(t *testing.T) { bothDBs(t, testTwoFactor) }

func testTwoFactor(t *testing.T, e *env) {
	ed := e.users[newsroom.RoleEditor]
	c := e.as(newsroom.RoleEditor)
	r := c.get("/desk/twofactor")
	wantStatus(t, "enrol page", r, http.StatusOK)
	secret := r.doc.Find("#tf-secret").Text()
	if secret == "" || r.doc.Find(`img.qr[src^="data:image/svg+xml;base64,"][alt]`).Length() != 1 {
		t.Fatalf("no secret or QR code:\n%s", r.body)
	}
	wantStatus(t, "wrong code", c.post("/desk/twofactor/enable", url.Values{"secret": {secret}, "code": {"000000"}}), http.StatusUnprocessableEntity)
	code, _ := auth.TOTPCode(secret, e.clock.Now())
	r = c.post("/desk/twofactor/enable", url.Values{"secret": {secret}, "code": {code}})
	wantStatus(t, "enable", r, http.StatusOK)
	codes := r.doc.Find(".codes li").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	if got := c.get("/desk/twofactor"); got.doc.Find("#tf-secret").Length() != 0 {
		t.Error("the secret is shown again after enrolment")
	}

	// Sign in: the password is not enough.
	b := e.client()
	r = b.signIn(ed.Email, testPassword, http.StatusOK)
	if r.doc.Find(`form[action="/desk/signin/code"]`).Length() != 1 {
		t.Fatalf("no code asked for:\n%s", r.body)
	}
	wantStatus(t, "not signed in yet", b.get("/desk/"), http.StatusSeeOther)
	// The code of enrolment was used: it does not work again.
	wantStatus(t, "replayed code", b.do("POST", "/desk/signin/code", url.Values{"code": {code}}), http.StatusUnauthorized)
	e.clock.Add(30 * time.Second)
	next, _ := auth.TOTPCode(secret, e.clock.Now())
	wantStatus(t, "right code", b.do("POST", "/desk/signin/code", url.Values{"code": {next}}), http.StatusSeeOther)
	wantStatus(t, "signed in", b.get("/desk/"), http.StatusOK)

	// A recovery code works once.
	r2 := e.client()
	r2.signIn(ed.Email, testPassword, http.StatusOK)
	wantStatus(t, "recovery code", r2.do("POST", "/desk/signin/code", url.Values{"code": {codes[0]}}), http.StatusSeeOther)
	r3 := e.client()
	r3.signIn(ed.Email, testPassword, http.StatusOK)
	wantStatus(t, "recovery code again", r3.do("POST", "/desk/signin/code", url.Values{"code": {codes[0]}}), http.StatusUnauthorized)

	// Wrong codes count against the sign-in limits (one since the last good
	// sign-in): four
	// more lock the (account, address) pair, the password as well.
	f := e.client()
	f.signIn(ed.Email, testPassword, http.StatusOK)
	for i := 0; i < 4; i++ {
		wantStatus(t, "wrong code", f.do("POST", "/desk/signin/code", url.Values{"code": {"123456"}}), http.StatusUnauthorized)
	}
	last := f.do("POST", "/desk/signin", url.Values{"email": {ed.Email}, "password": {testPassword}, "next": {"/desk/"}})
	wantStatus(t, "after five wrong codes", last, http.StatusTooManyRequests)
	if last.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

func TestTwoFactorRequired(t *testing.T) { bothDBs(t, testTwoFactorRequired) }

func testTwoFactorRequired(t *testing.T, e *env) {
	admin := e.as(newsroom.RoleAdmin)
	r := admin.get("/desk/settings")
	wantStatus(t, "require", admin.post("/desk/settings", settingsForm(r, map[string]string{"require_two_factor": "true"})), http.StatusSeeOther)
	// Admins and editors without a second factor are sent to enrol.
	ed := e.as(newsroom.RoleEditor)
	r = ed.get("/desk/stories")
	wantStatus(t, "editor", r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/desk/twofactor" {
		t.Errorf("editor sent to %q", loc)
	}
	wantStatus(t, "editor's POST", ed.post("/desk/articles", url.Values{"headline": {"x"}}), http.StatusForbidden)
	wantStatus(t, "enrolment page", ed.get("/desk/twofactor"), http.StatusOK)
	// Correspondents are not.
	wantStatus(t, "correspondent", e.as(newsroom.RoleCorrespondent).get("/desk/stories"), http.StatusOK)
}
