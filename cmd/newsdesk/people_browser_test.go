package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/auth"
	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// TestBrowserPeople: at desktop and phone sizes an admin disables an
// editor on the People page and the editor's API token is refused at once;
// invites someone and revokes the invitation (its link stops working); the
// People page, a person's page, Settings and "Forgot your password?" have
// no axe violation and fit the screen, nor has the two-factor enrolment
// (whose QR code, an SVG data: image, loads under the CSP).
func TestBrowserPeople(t *testing.T) {
	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Phone} {
		t.Run(vp.Name, func(t *testing.T) {
			ta := newTestApp(t, "", false)
			ctx := browsertest.New(t)
			browsertest.SetViewport(t, ctx, vp)
			audit := auditor(t, ctx, "people-"+vp.Name+"-")
			fits := func(page string) {
				t.Helper()
				if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > int(vp.Width) {
					t.Errorf("%s at %s: %d px wide in a %d px viewport", page, vp.Name, w, int(vp.Width))
				}
			}
			bg := context.Background()
			addStaff(t, ta, "chief@example.org", "Chief Admin", newsroom.RoleAdmin)
			ilse := addStaff(t, ta, "ilse@example.org", "Ilse Varn", newsroom.RoleEditor)
			token := auth.NewToken()
			must(t, ta.store.CreateToken(bg, ilse.ID, auth.HashToken(token)))
			if res := doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", token, ""); res.status != http.StatusOK {
				t.Fatalf("token before disabling: %d", res.status)
			}
			u := ta.srv.URL

			browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/forgot"), chromedp.WaitVisible(chromedp.CSS(`#email`)))
			audit("forgot")
			fits("forgot")
			browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/signin"))
			signIn(t, ctx, "chief@example.org")
			browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/people"), chromedp.WaitVisible(chromedp.CSS(`#inv-email`)))
			audit("people")
			fits("people")

			// Disable the editor: her token is refused on the next request.
			id := strconv.FormatInt(ilse.ID, 10)
			browsertest.Run(t, ctx,
				chromedp.Click(chromedp.CSS(`form[action="/desk/people/`+id+`/disable"] button`)),
				chromedp.WaitVisible(chromedp.CSS(`form[action="/desk/people/`+id+`/enable"]`)),
			)
			if res := doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", token, ""); res.status != http.StatusUnauthorized {
				t.Errorf("a disabled user's token: %d, want 401", res.status)
			}

			// Invite, then revoke: the link stops working.
			browsertest.Run(t, ctx,
				chromedp.SendKeys(chromedp.CSS(`#inv-email`), "new.hire@example.org"),
				chromedp.Click(chromedp.CSS(`form[action="/desk/people/invites"] button`)),
				chromedp.WaitVisible(chromedp.CSS(`.notice input`)),
			)
			link := browsertest.Eval[string](t, ctx, `document.querySelector(".notice input").value`)
			path := link[strings.Index(link, "/desk/invite/"):]
			if res := fetchStatus(t, ta, path); res != http.StatusOK {
				t.Fatalf("invite link before revoking: %d", res)
			}
			audit("people-invited")
			fits("people-invited")
			browsertest.Run(t, ctx,
				chromedp.Click(chromedp.CSS(`form[action$="/revoke"][action*="/invites/"] button`)),
				chromedp.WaitVisible(chromedp.CSS(`p.notice`)),
			)
			if res := fetchStatus(t, ta, path); res != http.StatusNotFound {
				t.Errorf("revoked invite link: %d, want 404", res)
			}
			if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('form[action*="/invites/"]').length`); n != 0 {
				t.Errorf("%d invitation forms left after revoking", n)
			}

			browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/people/"+id), chromedp.WaitVisible(chromedp.CSS(`#sessions`)))
			audit("account")
			fits("account")
			browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/me"), chromedp.WaitVisible(chromedp.CSS(`#sessions`)))
			audit("me")
			fits("me")
			browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/twofactor"), chromedp.WaitVisible(chromedp.CSS(`img.qr`)))
			if w := browsertest.Eval[int](t, ctx, `document.querySelector("img.qr").naturalWidth`); w == 0 {
				t.Error("the QR code does not load (CSP or SVG)")
			}
			audit("twofactor")
			fits("twofactor")
			browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/settings"), chromedp.WaitVisible(chromedp.CSS(`#s-site_name`)))
			audit("settings")
			fits("settings")
		})
	}
}

// fetchStatus GETs path without following redirects and returns the status.
func fetchStatus(t *testing.T, ta *testApp, path string) int {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(ta.srv.URL + path)
	must(t, err)
	res.Body.Close()
	return res.StatusCode
}
