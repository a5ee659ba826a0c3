package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
)

// TestPeopleDisableEndsSessionsAndTokens: an admin disables a
// correspondent on the People page; the correspondent's open session and
// API token end at once. The page lists tokens with their last use and
// revokes one; an admin cannot disable themselves.
func TestPeopleDisableEndsSessionsAndTokens(t *testing.T) { bothDBs(t, testPeopleDisable) }

func testPeopleDisable(t *testing.T, e *env) {
	corr := e.users[newsroom.RoleCorrespondent]
	tok := &newsroom.APIToken{UserID: corr.ID, Hash: auth.HashToken("nd_people_test"), ExpiresAt: e.clock.Now().Add(newsroom.DefaultTokenTTL)}
	if err := e.store.IssueToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := e.store.TouchToken(ctx, tok.ID, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	victim := e.session(corr)
	wantStatus(t, "correspondent before", victim.get("/desk/stories"), http.StatusOK)

	admin := e.session(e.users[newsroom.RoleAdmin])
	page := admin.get("/desk/people")
	wantStatus(t, "people", page, http.StatusOK)
	row := page.doc.Find("#tokens ~ table tbody tr").First()
	if !strings.Contains(row.Text(), corr.Email) || strings.Contains(row.Text(), "never") {
		t.Errorf("token row = %q, want the owner and a last use", row.Text())
	}
	if page.doc.Find(`form[action="/desk/people/`+strconv.FormatInt(e.users[newsroom.RoleAdmin].ID, 10)+`/disable"]`).Length() != 0 {
		t.Errorf("the admin is offered to disable themselves")
	}
	r := admin.post("/desk/people/"+strconv.FormatInt(corr.ID, 10)+"/disable", url.Values{})
	wantStatus(t, "disable", r, http.StatusSeeOther)

	if r := victim.get("/desk/stories"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/desk/signin") {
		t.Errorf("disabled correspondent's session: %d %s, want sign-in", r.status, r.header.Get("Location"))
	}
	if _, err := e.store.TokenByHash(ctx, tok.Hash); !newsroom.IsNotFound(err) {
		t.Errorf("the disabled user's token is still stored: %v", err)
	}
	page = admin.get("/desk/people?done=disabled")
	if !strings.Contains(page.doc.Find(".notice").Text(), "disabled") {
		t.Errorf("no notice after disabling: %q", page.doc.Find(".notice").Text())
	}
	// Signing in again is refused while disabled.
	e.client().signIn(corr.Email, testPassword, http.StatusUnauthorized)
	wantStatus(t, "enable", admin.post("/desk/people/"+strconv.FormatInt(corr.ID, 10)+"/enable", url.Values{}), http.StatusSeeOther)
	e.client().signIn(corr.Email, testPassword, http.StatusSeeOther)

	// Revoke from the page.
	tok2 := &newsroom.APIToken{UserID: corr.ID, Hash: auth.HashToken("nd_people_test_2")}
	if err := e.store.IssueToken(ctx, tok2); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "revoke", admin.post("/desk/people/tokens/"+strconv.FormatInt(tok2.ID, 10)+"/revoke", url.Values{}), http.StatusSeeOther)
	if _, err := e.store.TokenByHash(ctx, tok2.Hash); !newsroom.IsNotFound(err) {
		t.Errorf("revoked token still stored: %v", err)
	}
	// Not oneself.
	self := admin.post("/desk/people/"+strconv.FormatInt(e.users[newsroom.RoleAdmin].ID, 10)+"/disable", url.Values{})
	if self.status < 400 {
		t.Errorf("an admin disabled themselves: %d", self.status)
	}
}
