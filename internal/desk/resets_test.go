package desk_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/desk"
	"newsdesk/internal/mail"
	"newsdesk/internal/mail/mailtest"
	"newsdesk/internal/newsroom"
)

func TestForgotPassword(t *testing.T) {
	smtp := mailtest.Start(t)
	e := newEnv(t, func(c *desk.Config) {
		c.Mail = mail.NewSMTP(mail.Config{Host: smtp.Host, Port: smtp.Port, From: "Desk <desk@courier.example>"})
	})
	r := e.client().get("/desk/signin")
	if r.doc.Find(`a[href="/desk/forgot"]`).Length() != 1 {
		t.Error("the sign-in page has no forgot-password link")
	}
	// Signed in elsewhere: the reset ends that session.
	other := e.as(newsroom.RoleEditor)

	// The same answer for a known and an unknown address.
	known := e.client().post("/desk/forgot", url.Values{"email": {"Editor@example.org"}})
	unknown := e.client().post("/desk/forgot", url.Values{"email": {"nobody@example.org"}})
	wantStatus(t, "known", known, http.StatusOK)
	wantStatus(t, "unknown", unknown, http.StatusOK)
	strip := func(s string) string {
		s = strings.ReplaceAll(s, "nobody@example.org", "X")
		return regexp.MustCompile(`content="[^"]*"|value="[^"]*"`).ReplaceAllString(strings.ReplaceAll(s, "editor@example.org", "X"), "")
	}
	if strip(known.body) != strip(unknown.body) {
		t.Errorf("the answers differ:\n%s\n---\n%s", known.body, unknown.body)
	}
	smtp.Wait(1, 10*time.Second)
	time.Sleep(200 * time.Millisecond)
	msgs := smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "editor@example.org" {
		t.Fatalf("mail = %+v, want one to the editor", msgs)
	}
	link := regexp.MustCompile(`https://courier\.example(/desk/reset/\S+)`).FindStringSubmatch(msgs[0].Text)
	if link == nil {
		t.Fatalf("no link in %q", msgs[0].Text)
	}
	if !strings.Contains(e.log.String(), "without an active account") {
		t.Error("the unknown address was not logged")
	}
	// The stored token is a hash: the link's token is nowhere in the database.
	path := link[1]
	c := e.client()
	wantStatus(t, "open the link", c.get(path), http.StatusOK)
	wantStatus(t, "short", c.do("POST", path, url.Values{"password": {"short"}, "again": {"short"}}), http.StatusUnprocessableEntity)
	r = c.do("POST", path, url.Values{"password": {"a brand new password"}, "again": {"a brand new password"}})
	wantStatus(t, "reset", r, http.StatusSeeOther)
	wantStatus(t, "other session ended", other.get("/desk/"), http.StatusSeeOther)
	e.client().signIn("editor@example.org", "a brand new password", http.StatusSeeOther)
	e.client().signIn("editor@example.org", testPassword, http.StatusUnauthorized)
	// Single use.
	wantStatus(t, "reuse", c.do("POST", path, url.Values{"password": {"another new password"}, "again": {"another new password"}}), http.StatusNotFound)
	// Short-lived: a new link, an hour and a minute later, no longer works.
	e.client().post("/desk/forgot", url.Values{"email": {"editor@example.org"}})
	msgs = smtp.Wait(2, 10*time.Second)
	late := regexp.MustCompile(`https://courier\.example(/desk/reset/\S+)`).FindStringSubmatch(msgs[len(msgs)-1].Text)
	e.clock.Add(61 * time.Minute)
	wantStatus(t, "expired", e.client().do("POST", late[1], url.Values{"password": {"another new password"}, "again": {"another new password"}}), http.StatusNotFound)

	// Rate-limited per address (3 an hour), with the real Retry-After.
	flood := e.client()
	var last resp
	for i := 0; i < 4; i++ {
		last = flood.do("POST", "/desk/forgot", url.Values{"email": {"moderator@example.org"}}, "X-Forwarded-For", "198.51.100.1")
	}
	wantStatus(t, "fourth request for one address", last, http.StatusTooManyRequests)
	if ra := last.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q", ra)
	}
	// And per client (10 an hour), whatever the address.
	for i := 0; i < 11; i++ {
		last = flood.do("POST", "/desk/forgot", url.Values{"email": {"x" + strings.Repeat("y", i) + "@example.org"}})
	}
	wantStatus(t, "eleventh request from one client", last, http.StatusTooManyRequests)
}
