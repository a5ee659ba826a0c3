package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/desk"
	"newsdesk/internal/mail"
	"newsdesk/internal/mail/mailtest"
	"newsdesk/internal/newsroom"
)

func TestPeopleRolesAndInvites(t *testing.T) { bothDBs(t, testPeopleRolesAndInvites) }

func testPeopleRolesAndInvites(t *testing.T, e *env) {
	admin := e.as(newsroom.RoleAdmin)
	corr := e.users[newsroom.RoleCorrespondent]
	id := strconv.FormatInt(corr.ID, 10)

	// A role changes; the admin's own cannot.
	wantStatus(t, "role", admin.post("/desk/people/"+id+"/role", url.Values{"role": {"editor"}}), http.StatusSeeOther)
	if u, _ := e.store.UserByID(ctx, corr.ID); u.Role != newsroom.RoleEditor {
		t.Errorf("role = %s, want editor", u.Role)
	}
	me := strconv.FormatInt(e.users[newsroom.RoleAdmin].ID, 10)
	wantStatus(t, "own role", admin.post("/desk/people/"+me+"/role", url.Values{"role": {"moderator"}}), http.StatusUnprocessableEntity)
	wantStatus(t, "unknown role", admin.post("/desk/people/"+id+"/role", url.Values{"role": {"owner"}}), http.StatusUnprocessableEntity)
	if !strings.Contains(e.log.String(), "account role_changed") {
		t.Error("role change not logged")
	}

	// An existing user's address: a form error naming the field, not a raw page.
	r := admin.post("/desk/people/invites", url.Values{"email": {"Editor@Example.org"}, "role": {"editor"}})
	wantStatus(t, "invite a user", r, http.StatusUnprocessableEntity)
	if r.doc.Find(`#inv-email[aria-invalid="true"]`).Length() != 1 || !strings.Contains(r.doc.Find("#form-error").Text(), "E-mail") {
		t.Errorf("no field error on the e-mail: %q", r.doc.Find("#form-error").Text())
	}

	// A second invite to one address replaces the first, and says so.
	r = admin.post("/desk/people/invites", url.Values{"email": {"twice@example.org"}, "role": {"correspondent"}})
	wantStatus(t, "invite", r, http.StatusCreated)
	first, _ := r.doc.Find(".notice input").Attr("value")
	r = admin.post("/desk/people/invites", url.Values{"email": {"twice@example.org"}, "role": {"moderator"}})
	wantStatus(t, "invite again", r, http.StatusCreated)
	if !strings.Contains(r.doc.Find(".notice").Text(), "replaced") {
		t.Errorf("no word that the first invite was replaced: %q", r.doc.Find(".notice").Text())
	}
	second, _ := r.doc.Find(".notice input").Attr("value")
	if n := r.doc.Find("td.grow:contains('twice@example.org')").Length(); n != 1 {
		t.Errorf("%d pending invites for the address, want 1", n)
	}
	wantStatus(t, "first link", e.client().get(strings.TrimPrefix(first, "https://courier.example")), http.StatusNotFound)

	// Sent again: a new link; the previous one stops working.
	action, _ := r.doc.Find(`form[action$="/resend"]`).Attr("action")
	r = admin.post(action, url.Values{})
	wantStatus(t, "resend", r, http.StatusOK)
	third, _ := r.doc.Find(".notice input").Attr("value")
	if third == "" || third == second {
		t.Fatalf("resent link %q", third)
	}
	wantStatus(t, "second link after resend", e.client().get(strings.TrimPrefix(second, "https://courier.example")), http.StatusNotFound)
	wantStatus(t, "new link", e.client().get(strings.TrimPrefix(third, "https://courier.example")), http.StatusOK)

	// Revoked: the link is gone and the list is empty.
	action, _ = r.doc.Find(`form[action$="/revoke"][action*="invites"]`).Attr("action")
	wantStatus(t, "revoke", admin.post(action, url.Values{}), http.StatusSeeOther)
	wantStatus(t, "revoked link", e.client().get(strings.TrimPrefix(third, "https://courier.example")), http.StatusNotFound)
	if r := admin.get("/desk/people"); r.doc.Find("td.grow:contains('twice@example.org')").Length() != 0 {
		t.Error("a revoked invite is still listed")
	}
}

func TestInvitesByMail(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, func(c *desk.Config) {
		c.Mail = mail.NewSMTP(mail.Config{Host: smtp.Host, Port: smtp.Port, From: "Desk <desk@courier.example>"})
	})
	admin := e.as(newsroom.RoleAdmin)
	r := admin.post("/desk/people/invites", url.Values{"email": {"new@example.org"}, "role": {"correspondent"}})
	wantStatus(t, "invite", r, http.StatusCreated)
	if !strings.Contains(r.doc.Find(".notice").Text(), "sent to new@example.org") {
		t.Errorf("no word that the invitation was sent: %q", r.doc.Find(".notice").Text())
	}
	link, _ := r.doc.Find(".notice input").Attr("value")
	msgs := smtp.Wait(1, 10*time.Second)
	if len(msgs) != 1 || msgs[0].To[0] != "new@example.org" || !strings.Contains(msgs[0].Text, link) {
		t.Fatalf("mail = %+v, want one to new@example.org with %s", msgs, link)
	}
	// A role change is a notice to the person.
	corr := strconv.FormatInt(e.users[newsroom.RoleCorrespondent].ID, 10)
	admin.post("/desk/people/"+corr+"/role", url.Values{"role": {"editor"}})
	msgs = smtp.Wait(2, 10*time.Second)
	if len(msgs) != 2 || msgs[1].To[0] != "correspondent@example.org" || !strings.Contains(msgs[1].Text, "Editor") {
		t.Errorf("role notice = %+v", msgs)
	}
}

func TestAccountPage(t *testing.T) { bothDBs(t, testAccountPage) }

func testAccountPage(t *testing.T, e *env) {
	u := e.users[newsroom.RoleCorrespondent]
	id := strconv.FormatInt(u.ID, 10)
	phone := e.client()
	phone.signIn(u.Email, testPassword, http.StatusSeeOther)
	laptop := e.client()
	laptop.signIn(u.Email, testPassword, http.StatusSeeOther)
	tok, err := e.store.Tokens(ctx, u.ID)
	if err != nil || len(tok) != 0 {
		t.Fatal(tok, err)
	}
	issued := &newsroom.APIToken{UserID: u.ID, Hash: "hash-of-a-token", ExpiresAt: e.clock.Now().Add(time.Hour)}
	if err := e.store.IssueToken(ctx, issued); err != nil {
		t.Fatal(err)
	}

	r := laptop.get("/desk/me")
	wantStatus(t, "me", r, http.StatusSeeOther)
	r = laptop.get("/desk/people/" + id)
	wantStatus(t, "own page", r, http.StatusOK)
	if n := r.doc.Find("#sessions + table tbody tr").Length(); n != 2 {
		t.Errorf("%d sessions listed, want 2", n)
	}
	if r.doc.Find("dd:contains('Never')").Length() != 0 {
		t.Error("last sign-in not shown")
	}
	if r.doc.Find(`form[action="/desk/people/tokens/`+strconv.FormatInt(issued.ID, 10)+`/revoke"]`).Length() != 1 {
		t.Error("own token not offered to revoke")
	}
	// Sign the phone out from the laptop.
	hash, _ := r.doc.Find(`input[name="session"]`).Attr("value")
	wantStatus(t, "end the other session", laptop.post("/desk/people/"+id+"/sessions/end", url.Values{"session": {hash}}), http.StatusSeeOther)
	wantStatus(t, "phone signed out", phone.get("/desk/"), http.StatusSeeOther)
	wantStatus(t, "laptop still in", laptop.get("/desk/"), http.StatusOK)
	// Revoke the own token.
	wantStatus(t, "revoke own token", laptop.post("/desk/people/tokens/"+strconv.FormatInt(issued.ID, 10)+"/revoke", url.Values{"from": {"user:" + id}}), http.StatusSeeOther)
	if list, _ := e.store.Tokens(ctx, u.ID); len(list) != 0 {
		t.Errorf("tokens after revoking = %v", list)
	}
	// Someone else's page and token: not found.
	other := strconv.FormatInt(e.users[newsroom.RoleEditor].ID, 10)
	wantStatus(t, "another's page", laptop.get("/desk/people/"+other), http.StatusNotFound)
	theirs := &newsroom.APIToken{UserID: e.users[newsroom.RoleEditor].ID, Hash: "their-token", ExpiresAt: e.clock.Now().Add(time.Hour)}
	if err := e.store.IssueToken(ctx, theirs); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "another's token", laptop.post("/desk/people/tokens/"+strconv.FormatInt(theirs.ID, 10)+"/revoke", url.Values{}), http.StatusNotFound)
	// An admin sees and ends them all.
	admin := e.as(newsroom.RoleAdmin)
	r = admin.get("/desk/people/" + id)
	wantStatus(t, "admin sees the page", r, http.StatusOK)
	wantStatus(t, "admin ends all", admin.post("/desk/people/"+id+"/sessions/end", url.Values{"others": {"1"}}), http.StatusSeeOther)
	wantStatus(t, "laptop signed out", laptop.get("/desk/"), http.StatusSeeOther)
}

// TestInvitedCorrespondentIsHerOwnAuthor: an invited correspondent has an
// author profile from the moment she accepts; the new-story form credits
// her by default, and her page links the profile.
func TestInvitedCorrespondentIsHerOwnAuthor(t *testing.T) {
	bothDBs(t, testInvitedCorrespondentIsHerOwnAuthor)
}

func testInvitedCorrespondentIsHerOwnAuthor(t *testing.T, e *env) {
	admin := e.as(newsroom.RoleAdmin)
	r := admin.post("/desk/people/invites", url.Values{"email": {"mira@example.org"}, "role": {"correspondent"}})
	link, _ := r.doc.Find(".notice input").Attr("value")
	u, _ := url.Parse(link)
	mira := e.client()
	wantStatus(t, "accept", mira.do("POST", u.Path, url.Values{"name": {"Mira Solas"}, "password": {"a good long password"}, "again": {"a good long password"}}), http.StatusSeeOther)
	user, err := e.store.UserByEmail(ctx, "mira@example.org")
	if err != nil {
		t.Fatal(err)
	}
	profile, err := e.store.AuthorByUserID(ctx, user.ID)
	if err != nil || profile.Name != "Mira Solas" {
		t.Fatalf("profile = %+v, %v", profile, err)
	}
	r = mira.get("/desk/articles/new")
	wantStatus(t, "new story", r, http.StatusOK)
	if got := r.doc.Find("#author-0 option[selected]").AttrOr("value", ""); got != strconv.FormatInt(profile.ID, 10) {
		t.Errorf("default author = %q, want her profile %d", got, profile.ID)
	}
	r = mira.get("/desk/me")
	r = mira.get(r.header.Get("Location"))
	if r.doc.Find(`a[href="/author/`+profile.Slug+`"]`).Length() != 1 {
		t.Error("her page does not link her author profile")
	}
	r = admin.get("/desk/people/" + strconv.FormatInt(user.ID, 10))
	if r.doc.Find(`a[href="/desk/authors/`+strconv.FormatInt(profile.ID, 10)+`"]`).Length() != 1 {
		t.Error("an admin is not led to her author profile")
	}
}
