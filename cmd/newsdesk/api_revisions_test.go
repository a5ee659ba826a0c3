package main

import (
	"fmt"
	"net/http"
	"testing"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

type revisionList struct {
	Revisions []api.RevisionJSON `json:"revisions"`
	Current   int                `json:"current"`
}

func getRevisions(t *testing.T, ta *testApp, token string, id int64) revisionList {
	t.Helper()
	res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d/revisions", id), token, "")
	if res.status != http.StatusOK {
		t.Fatalf("revisions of %d: %d %s", id, res.status, res.body)
	}
	var l revisionList
	res.decode(t, &l)
	return l
}

// TestAPIRevisionsFromTheFirstDraft follows one story from a
// correspondent's first draft through an editor's publication to a
// reader's error report applied: GET /api/v1/articles/{id}/revisions
// lists every save, newest first, with who saved it and why.
func TestAPIRevisionsFromTheFirstDraft(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		tokens, users := roleTokens(t, ta)
		corr, ed := tokens[newsroom.RoleCorrespondent], tokens[newsroom.RoleEditor]
		mustSectionOnce(t, ta)
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", corr, `{"headline":"Ferry timetable","body":"The ferry leaves at nine. Teh harbour is calm.","categories":["region"]}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var a api.ArticleJSON
		res.decode(t, &a)
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), corr, fmt.Sprintf(`{"revision":%d,"standfirst":"New times from Monday."}`, a.Revision))
		res.decode(t, &a)
		res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), ed, fmt.Sprintf(`{"revision":%d,"status":"published"}`, a.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		res.decode(t, &a)
		// A reader reports "Teh"; the editor applies the suggestion.
		res = doJSON(t, ta.srv, "POST", "/api/v1/error-reports", "", reportJSON(a, "Teh", "at nine. ", " harbour is calm", "The"))
		if res.status != http.StatusAccepted {
			t.Fatalf("report: %d %s", res.status, res.body)
		}
		var ack accepted
		res.decode(t, &ack)
		if res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/error-reports/%d", ack.ID), ed, `{"apply":true}`); res.status != http.StatusOK {
			t.Fatalf("apply: %d %s", res.status, res.body)
		}

		l := getRevisions(t, ta, ed, a.ID)
		type row struct {
			n      int
			by     int64
			reason string
			status newsroom.Status
		}
		want := []row{
			{4, users[newsroom.RoleEditor].ID, newsroom.ReasonReport, newsroom.Published},
			{3, users[newsroom.RoleEditor].ID, newsroom.ReasonPublished, newsroom.Published},
			{2, users[newsroom.RoleCorrespondent].ID, newsroom.ReasonSaved, newsroom.Draft},
			{1, users[newsroom.RoleCorrespondent].ID, newsroom.ReasonCreated, newsroom.Draft},
		}
		if len(l.Revisions) != len(want) || l.Current != 4 {
			t.Fatalf("revisions = %+v, want %d, current 4", l, len(want))
		}
		for i, w := range want {
			g := l.Revisions[i]
			if g.Number != w.n || g.SavedBy == nil || g.SavedBy.ID != w.by || g.SavedBy.Name == "" || g.Reason != w.reason || g.Status != w.status {
				t.Errorf("revision %d = %+v saved by %+v, want %+v", i, g, g.SavedBy, w)
			}
		}
		if l.Revisions[0].Note != fmt.Sprintf("Applied a reader's error report (#%d)", ack.ID) || l.Revisions[0].Body != "The ferry leaves at nine. The harbour is calm." {
			t.Errorf("report revision = %+v", l.Revisions[0])
		}
		if l.Revisions[3].Body != "The ferry leaves at nine. Teh harbour is calm." || l.Revisions[1].Standfirst != "New times from Monday." {
			t.Errorf("revision texts = %+v", l.Revisions)
		}

		// Who may list: writers who may read the story.
		other := doJSON(t, ta.srv, "POST", "/api/v1/articles", ed, `{"headline":"Editor's own draft","body":"Not yet."}`)
		var od api.ArticleJSON
		other.decode(t, &od)
		for _, c := range []struct {
			token string
			id    int64
			want  int
		}{
			{"", a.ID, http.StatusUnauthorized},
			{tokens[newsroom.RoleModerator], a.ID, http.StatusForbidden},
			{corr, od.ID, http.StatusNotFound}, // another writer's draft does not exist for her
			{corr, a.ID, http.StatusOK},
			{tokens[newsroom.RoleAdmin], od.ID, http.StatusOK},
			{ed, 987654, http.StatusNotFound},
		} {
			if res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d/revisions", c.id), c.token, ""); res.status != c.want {
				t.Errorf("revisions of %d with %q: %d %s, want %d", c.id, c.token, res.status, res.body, c.want)
			}
		}
	})
}
