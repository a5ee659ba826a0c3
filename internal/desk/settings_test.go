package desk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/newsroom"
)

// settingsForm is the Settings form as the page sends it, with changes.
func settingsForm(r resp, changes map[string]string) url.Values {
	form := url.Values{}
	r.doc.Find(`form[action="/desk/settings"] input, form[action="/desk/settings"] select, form[action="/desk/settings"] textarea`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		switch {
		case name == "" || name == "_csrf":
		case typ == "checkbox" || typ == "radio":
			if _, on := s.Attr("checked"); on {
				form.Add(name, s.AttrOr("value", ""))
			}
		case s.Is("select"):
			form.Set(name, s.Find("option[selected]").AttrOr("value", ""))
		case s.Is("textarea"):
			form.Set(name, s.Text())
		default:
			form.Set(name, s.AttrOr("value", ""))
		}
	})
	for k, v := range changes {
		if v == "" {
			form.Del(k)
		} else {
			form.Set(k, v)
		}
	}
	return form
}

func TestSettingsPage(t *testing.T) { bothDBs(t, testSettingsPage) }

func testSettingsPage(t *testing.T, e *env) {
	admin := e.as(newsroom.RoleAdmin)
	r := admin.get("/desk/settings")
	wantStatus(t, "settings", r, http.StatusOK)
	if got := r.doc.Find("#s-site_name").AttrOr("value", ""); got != "The Test Courier" {
		t.Errorf("site name field = %q", got)
	}
	for _, key := range []string{"search", "ai_training", "ai_search", "ai_user"} {
		if r.doc.Find(`input[name="`+key+`"][checked]`).Length() != 1 {
			t.Errorf("crawler purpose %s not shown as allowed", key)
		}
	}

	// A wrong field: 422, the field marked and named, nothing saved.
	bad := admin.post("/desk/settings", settingsForm(r, map[string]string{"home_latest": "99", "site_name": "Renamed"}))
	wantStatus(t, "bad settings", bad, http.StatusUnprocessableEntity)
	if bad.doc.Find(`#s-home_latest[aria-invalid="true"]`).Length() != 1 || bad.doc.Find("#form-error").Length() != 1 {
		t.Errorf("the wrong field is not marked:\n%s", bad.body)
	}
	if got := bad.doc.Find("#s-site_name").AttrOr("value", ""); got != "Renamed" {
		t.Errorf("what was typed is lost: site name %q", got)
	}
	if v, _ := e.store.Setting(ctx, newsroom.SettingSite); v != "" {
		t.Errorf("a refused save stored %s", v)
	}
	bad = admin.post("/desk/settings", settingsForm(r, map[string]string{"time_zone": "Nowhere/Atlantis"}))
	wantStatus(t, "bad zone", bad, http.StatusUnprocessableEntity)
	if bad.doc.Find(`#s-time_zone[aria-invalid="true"]`).Length() != 1 {
		t.Errorf("time zone not marked")
	}

	ok := admin.post("/desk/settings", settingsForm(r, map[string]string{"site_name": "The Evening Courier", "ai_training": "",
		"time_zone": "Europe/Berlin", "home_latest": "4", "feed_content": "summary"}))
	wantStatus(t, "save", ok, http.StatusSeeOther)
	r = admin.get("/desk/settings?saved=1")
	if r.doc.Find(`input[name="ai_training"][checked]`).Length() != 0 || r.doc.Find(`input[name="search"][checked]`).Length() != 1 {
		t.Error("crawler choices not kept")
	}
	if got := r.doc.Find("#s-home_latest").AttrOr("value", ""); got != "4" {
		t.Errorf("home_latest = %q", got)
	}
	if v, _ := e.store.Setting(ctx, newsroom.SettingFeedFullText); v != "false" {
		t.Errorf("feed setting = %q", v)
	}
	// The public site reads them at once (robots.txt names GPTBot now).
	pub := e.client().get("/robots.txt")
	if !strings.Contains(pub.body, "User-agent: GPTBot\n") || !strings.Contains(pub.body, "Disallow: /\n") {
		t.Errorf("robots.txt after refusing training:\n%s", pub.body)
	}

	// Only admins.
	wantStatus(t, "editor", e.as(newsroom.RoleEditor).get("/desk/settings"), http.StatusForbidden)
}
