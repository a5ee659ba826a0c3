package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

// TestAPIPrePublishCheck: a story without a body may not go live through
// the API (422 naming body, on create and on a PATCH), and GET
// /api/v1/articles/{id}/checks lists what is missing or risky, asking the
// real site whether links to our own pages lead anywhere.
func TestAPIPrePublishCheck(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		tokens, _ := roleTokens(t, ta)
		ed := tokens[newsroom.RoleEditor]
		for _, body := range []string{
			`{"headline":"Only a headline","status":"published"}`,
			`{"headline":"Only a headline","body":"  \n","status":"published"}`,
			`{"headline":"Only a headline","status":"scheduled","scheduled_at":"2099-01-01T10:00:00Z"}`,
		} {
			if res := doJSON(t, ta.srv, "POST", "/api/v1/articles", ed, body); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"body"`) {
				t.Errorf("POST %s: %d %s, want 422 naming body", body, res.status, res.body)
			}
		}
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", ed, `{"headline":"Only a headline"}`)
		var d api.ArticleJSON
		res.decode(t, &d)
		if res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", d.ID), ed, fmt.Sprintf(`{"revision":%d,"status":"published"}`, d.Revision)); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"body"`) {
			t.Errorf("PATCH to published without a body: %d %s", res.status, res.body)
		}
		var c api.ChecksJSON
		doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d/checks", d.ID), ed, "").decode(t, &c)
		if c.Ready || len(c.Findings) == 0 || c.Findings[0].Code != newsroom.CheckNoBody || c.Findings[0].Severity != newsroom.Blocker {
			t.Errorf("checks of an empty draft: %+v", c)
		}

		live := mustPublish(t, ta, ed, "Ferry returns", "The ferry is back.")
		body := fmt.Sprintf("See [the ferry](%s), [a story that is not there](/region/no-such-story) and [a site of theirs](https://elsewhere.example/).", live.URL)
		res = doJSON(t, ta.srv, "POST", "/api/v1/articles", ed, fmt.Sprintf(`{"headline":"Timetable","body":%q,"categories":["region"]}`, body))
		var a api.ArticleJSON
		res.decode(t, &a)
		doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d/checks", a.ID), ed, "").decode(t, &c)
		var got []string
		for _, f := range c.Findings {
			got = append(got, f.Code)
		}
		// No author is named, but the writer's own profile is credited
		// (staff are authors), so only the picture and the link remain.
		if !c.Ready || !slices.Equal(got, []string{newsroom.CheckNoLeadImage, newsroom.CheckBrokenLink}) ||
			c.Findings[1].Args[0] != "/region/no-such-story" {
			t.Errorf("checks: %+v", c)
		}
		for _, w := range []struct {
			token string
			want  int
		}{{"", 401}, {tokens[newsroom.RoleModerator], 403}, {tokens[newsroom.RoleCorrespondent], 404}} {
			if res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d/checks", a.ID), w.token, ""); res.status != w.want {
				t.Errorf("checks with %q: %d, want %d", w.token, res.status, w.want)
			}
		}
	})
}
