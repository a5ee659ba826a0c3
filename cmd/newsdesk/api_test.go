package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

func mustSection(t *testing.T, ta *testApp, slug, name string) {
	t.Helper()
	must(t, ta.store.CreateCategory(context.Background(), &newsroom.Category{Slug: slug, Name: name}))
}

func mustAuthor(t *testing.T, ta *testApp, slug, name, label string) *newsroom.Author {
	t.Helper()
	a := &newsroom.Author{Slug: slug, Name: name, Label: label}
	must(t, ta.store.CreateAuthor(context.Background(), a))
	return a
}

func TestAPIArticles(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		au := mustAuthor(t, ta, "mara-velk", "Mara Velk", newsroom.LabelOwnCorr)

		body := fmt.Sprintf(`{"headline":"Ferry line to Skerra reopens","standfirst":"Boats run \"daily\" again","body":"The line reopens.\n\n> “We are ready.”\n>\n> — Ada Rist, captain","status":"published","categories":["region"],"tags":["Ferries","Skerra"],"authors":[{"id":%d}],"sources":[{"name":"Coast Wire","url":"https://coastwire.example/ferry"}],"lead_image":{"url":"/media/x.jpg","caption":"The ferry at dawn","credit":"Ola Brenn","source_name":"Coast Wire","source_url":"https://coastwire.example","alt":"A white ferry at a pier"}}`, au.ID)
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, body)
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var a api.ArticleJSON
		res.decode(t, &a)
		if a.URL != "/region/ferry-line-to-skerra-reopens" || a.Revision != 1 || a.Status != newsroom.Published || a.PublishedAt == nil {
			t.Errorf("created: url %q revision %d status %q published %v", a.URL, a.Revision, a.Status, a.PublishedAt)
		}
		if !strings.Contains(a.BodyHTML, `<p class="attribution">— Ada Rist, captain</p>`) {
			t.Errorf("body_html = %q", a.BodyHTML)
		}
		if strings.Join(a.Tags, ",") != "ferries,skerra" || strings.Join(a.Categories, ",") != "region" {
			t.Errorf("tags %v categories %v", a.Tags, a.Categories)
		}
		if len(a.Authors) != 1 || a.Authors[0].Label != newsroom.LabelOwnCorr || a.Authors[0].Name != "Mara Velk" {
			t.Errorf("authors = %+v", a.Authors)
		}
		if res.header.Get("Location") != fmt.Sprintf("/api/v1/articles/%d", a.ID) {
			t.Errorf("Location = %q", res.header.Get("Location"))
		}

		// A stale revision is refused and changes nothing.
		path := fmt.Sprintf("/api/v1/articles/%d", a.ID)
		res = doJSON(t, ta.srv, "PATCH", path, editor, `{"revision":1,"headline":"Ferry line to Skerra reopens on Monday"}`)
		if res.status != http.StatusOK {
			t.Fatalf("patch: %d %s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "PATCH", path, editor, `{"revision":1,"headline":"Overwritten"}`)
		if res.status != http.StatusConflict || !strings.Contains(res.body, `"code":"conflict"`) {
			t.Errorf("stale patch: %d %s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "GET", path, "", "")
		var got api.ArticleJSON
		res.decode(t, &got)
		if got.Headline != "Ferry line to Skerra reopens on Monday" || got.Revision != 2 {
			t.Errorf("after stale patch: headline %q revision %d", got.Headline, got.Revision)
		}

		// Corrections are appended, dated and shown in the JSON.
		ta.clock.Add(time.Hour)
		res = doJSON(t, ta.srv, "POST", path+"/corrections", editor, `{"kind":"correction","text":"The line reopens on Monday, not Sunday."}`)
		if res.status != http.StatusCreated {
			t.Fatalf("correction: %d %s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "GET", path, "", "")
		res.decode(t, &got)
		if len(got.Corrections) != 1 || got.Corrections[0].Kind != newsroom.KindCorrection || !got.UpdatedAt.Equal(ta.clock.Now()) {
			t.Errorf("corrections %+v updated %v, want one at %v", got.Corrections, got.UpdatedAt, ta.clock.Now())
		}

		// Listing: anonymous readers see only what is public.
		res = doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, `{"headline":"A draft about tolls","body":"Not yet."}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create draft: %d %s", res.status, res.body)
		}
		var draft api.ArticleJSON
		res.decode(t, &draft)
		var list struct {
			Articles []api.ArticleJSON `json:"articles"`
			Total    int               `json:"total"`
		}
		doJSON(t, ta.srv, "GET", "/api/v1/articles", "", "").decode(t, &list)
		if list.Total != 1 || list.Articles[0].ID != a.ID {
			t.Errorf("anonymous list: total %d", list.Total)
		}
		doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", editor, "").decode(t, &list)
		if list.Total != 1 || list.Articles[0].ID != draft.ID {
			t.Errorf("editor's draft list: total %d", list.Total)
		}
		if res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", draft.ID), "", ""); res.status != http.StatusNotFound {
			t.Errorf("anonymous GET of a draft: %d", res.status)
		}
		if res := doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", "", ""); res.status != http.StatusUnauthorized {
			t.Errorf("anonymous draft listing: %d", res.status)
		}
	})
}

func TestAPIBadInput(t *testing.T) {
	ta := newTestApp(t, "", false)
	editor, _ := mustToken(t, ta, newsroom.RoleEditor)
	moderator, _ := mustToken(t, ta, newsroom.RoleModerator)
	correspondent, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code, field                     string
	}{
		{"no token", "POST", "/api/v1/articles", "", `{"headline":"x"}`, 401, "unauthorized", ""},
		{"bad token", "POST", "/api/v1/articles", "nd_wrong", `{"headline":"x"}`, 401, "unauthorized", ""},
		{"moderator may not write", "POST", "/api/v1/articles", moderator, `{"headline":"x"}`, 403, "forbidden", ""},
		{"correspondent may not publish", "POST", "/api/v1/articles", correspondent, `{"headline":"x","body":"Text of the story.","status":"published"}`, 403, "forbidden", "status"},
		{"missing headline", "POST", "/api/v1/articles", editor, `{"body":"x"}`, 422, "invalid", "headline"},
		{"unknown field", "POST", "/api/v1/articles", editor, `{"headline":"x","colour":"red"}`, 422, "invalid", "colour"},
		{"wrong type", "POST", "/api/v1/articles", editor, `{"headline":7}`, 422, "invalid", "headline"},
		{"bad status", "POST", "/api/v1/articles", editor, `{"headline":"x","status":"gone"}`, 422, "invalid", "status"},
		{"unknown section", "POST", "/api/v1/articles", editor, `{"headline":"x","categories":["nowhere"]}`, 422, "invalid", "categories"},
		{"unknown author", "POST", "/api/v1/articles", editor, `{"headline":"x","authors":[{"id":999}]}`, 422, "invalid", "authors"},
		{"script source link", "POST", "/api/v1/articles", editor, `{"headline":"x","sources":[{"name":"n","url":"javascript:alert(1)"}]}`, 422, "invalid", "sources"},
		{"malformed JSON", "POST", "/api/v1/articles", editor, `{"headline":`, 400, "invalid", ""},
		{"empty body", "POST", "/api/v1/articles", editor, ``, 400, "invalid", ""},
		{"too large", "POST", "/api/v1/articles", editor, `{"headline":"x","body":"` + strings.Repeat("a", 2<<20) + `"}`, 413, "too_large", ""},
		{"patch without revision", "PATCH", "/api/v1/articles/1", editor, `{"headline":"y"}`, 422, "invalid", "revision"},
		{"patch of no article", "PATCH", "/api/v1/articles/999", editor, `{"revision":1}`, 404, "not_found", ""},
		{"bad page", "GET", "/api/v1/articles?page=0", "", "", 422, "invalid", "page"},
		{"unknown endpoint", "GET", "/api/v1/nothing", "", "", 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := doJSON(t, ta.srv, tt.method, tt.path, tt.token, tt.body)
			var e struct {
				Error struct{ Code, Message, Field string } `json:"error"`
			}
			res.decode(t, &e)
			if res.status != tt.status || e.Error.Code != tt.code || e.Error.Field != tt.field {
				t.Errorf("got %d %+v, want %d code %q field %q", res.status, e.Error, tt.status, tt.code, tt.field)
			}
			if e.Error.Message == "" {
				t.Error("error has no message")
			}
		})
	}
	var list struct{ Total int }
	doJSON(t, ta.srv, "GET", "/api/v1/articles?status=draft", editor, "").decode(t, &list)
	if list.Total != 0 {
		t.Errorf("bad requests stored %d articles", list.Total)
	}
}

// TestAPICorrespondentDraftWithoutStatus: a correspondent may create an
// article without naming a status; it is saved as a draft.
func TestAPICorrespondentDraftWithoutStatus(t *testing.T) {
	ta := newTestApp(t, "", false)
	token, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, `{"headline":"Night ferry notes"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var a api.ArticleJSON
	res.decode(t, &a)
	if a.Status != newsroom.Draft {
		t.Errorf("status = %q, want draft", a.Status)
	}
}

// TestRevisionsRecordWhoSaved: each save of a published article keeps a
// revision that names the user who made it.
func TestRevisionsRecordWhoSaved(t *testing.T) {
	ta := newTestApp(t, "", false)
	token, editor := mustToken(t, ta, newsroom.RoleEditor)
	res := doJSON(t, ta.srv, "POST", "/api/v1/articles", token, `{"headline":"Quay lights return","body":"Text of the story.","status":"published"}`)
	var a api.ArticleJSON
	res.decode(t, &a)
	res = doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), token, `{"revision":1,"standfirst":"All twelve lamps are lit again."}`)
	if res.status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.status, res.body)
	}
	revs, err := ta.store.Revisions(context.Background(), a.ID)
	must(t, err)
	if len(revs) != 2 {
		t.Fatalf("%d revisions, want 2", len(revs))
	}
	for _, rv := range revs {
		if rv.SavedBy != editor.ID {
			t.Errorf("revision %d saved by %d, want %d", rv.Number, rv.SavedBy, editor.ID)
		}
	}
}

// TestRefusedSaveCreatesNoTag: tag names (and authors and sections) are
// resolved by the editorial service after its checks, so a refused save
// leaves no tag behind: a moderator's POST, a correspondent's attempt to
// publish, an editor's save that fails validation, a stale PATCH.
func TestRefusedSaveCreatesNoTag(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		corr, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		moderator, _ := mustToken(t, ta, newsroom.RoleModerator)
		mustSection(t, ta, "region", "Region")
		tagPage := func(slug string) int {
			res, err := http.Get(ta.srv.URL + "/tag/" + slug)
			must(t, err)
			res.Body.Close()
			return res.StatusCode
		}
		for _, c := range []struct {
			name, token, body, tag string
			status                 int
		}{
			{"moderator", moderator, `{"headline":"Harbour dredging","status":"draft","tags":["Moderator Tag"]}`, "moderator-tag", 403},
			{"correspondent publishing", corr, `{"headline":"Harbour dredging","body":"Text of the story.","status":"published","categories":["region"],"tags":["Correspondent Tag"]}`, "correspondent-tag", 403},
			{"editor, no headline", editor, `{"headline":"","body":"Text of the story.","status":"published","categories":["region"],"tags":["Headless Tag"]}`, "headless-tag", 422},
			{"editor, unknown section", editor, `{"headline":"Harbour dredging","body":"Text of the story.","status":"published","categories":["nowhere"],"tags":["Nowhere Tag"]}`, "nowhere-tag", 422},
			{"editor, unknown author", editor, `{"headline":"Harbour dredging","body":"Text of the story.","status":"published","authors":[{"id":999}],"tags":["Ghost Tag"]}`, "ghost-tag", 422},
		} {
			res := doJSON(t, ta.srv, "POST", "/api/v1/articles", c.token, c.body)
			if res.status != c.status {
				t.Errorf("%s: POST %d %s; want %d", c.name, res.status, res.body, c.status)
			}
			if _, err := ta.store.TagBySlug(context.Background(), c.tag); !newsroom.IsNotFound(err) {
				t.Errorf("%s: tag %s after the refused save: %v; want not found", c.name, c.tag, err)
			}
			if st := tagPage(c.tag); st != http.StatusNotFound {
				t.Errorf("%s: GET /tag/%s = %d; want 404", c.name, c.tag, st)
			}
		}
		// A stale PATCH creates no tag either; the same tag on a good save
		// is made and its page answers.
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, `{"headline":"Harbour dredging","body":"Text of the story.","status":"published","categories":["region"],"tags":["Dredging"]}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var a api.ArticleJSON
		res.decode(t, &a)
		path := fmt.Sprintf("/api/v1/articles/%d", a.ID)
		if res := doJSON(t, ta.srv, "PATCH", path, editor, `{"revision":7,"tags":["Stale Tag"]}`); res.status != http.StatusConflict {
			t.Errorf("stale PATCH: %d %s; want 409", res.status, res.body)
		}
		if res := doJSON(t, ta.srv, "PATCH", path, moderator, `{"revision":1,"tags":["Stale Tag"]}`); res.status != http.StatusForbidden {
			t.Errorf("moderator's PATCH: %d %s; want 403", res.status, res.body)
		}
		if st := tagPage("stale-tag"); st != http.StatusNotFound {
			t.Errorf("GET /tag/stale-tag after refused PATCHes = %d; want 404", st)
		}
		if res := doJSON(t, ta.srv, "PATCH", path, editor, `{"revision":1,"tags":["Dredging","Stale Tag"]}`); res.status != http.StatusOK {
			t.Fatalf("PATCH: %d %s", res.status, res.body)
		}
		for _, slug := range []string{"dredging", "stale-tag"} {
			if st := tagPage(slug); st != http.StatusOK {
				t.Errorf("GET /tag/%s after a good save = %d; want 200", slug, st)
			}
		}
	})
}

// TestAPIScheduleLikeGhost: a story posted as Ghost's Admin API schedules
// one (status "scheduled", a future published_at) waits unseen and is
// published by the scheduler at that time.
func TestAPIScheduleLikeGhost(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		when := ta.clock.Now().Add(2 * time.Hour).UTC()
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, `{"headline":"Lighthouse opens to visitors","body":"From noon.",
			"status":"scheduled","categories":["region"],"published_at":"`+when.Format(time.RFC3339)+`"}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var a api.ArticleJSON
		res.decode(t, &a)
		if a.Status != newsroom.Scheduled || a.ScheduledAt == nil || !a.ScheduledAt.Equal(when) {
			t.Fatalf("created: status %s scheduled_at %v; want scheduled at %v", a.Status, a.ScheduledAt, when)
		}
		page := func() int {
			r, err := http.Get(ta.srv.URL + a.URL)
			must(t, err)
			r.Body.Close()
			return r.StatusCode
		}
		if st := page(); st != http.StatusNotFound {
			t.Errorf("the page before its time: %d; want 404", st)
		}
		ta.clock.Add(2*time.Hour + time.Minute)
		published, _, err := ta.desk.Scheduler.Check(context.Background())
		must(t, err)
		if len(published) != 1 || published[0] != a.ID {
			t.Fatalf("scheduler published %v; want [%d]", published, a.ID)
		}
		res = doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), "", "")
		var got api.ArticleJSON
		res.decode(t, &got)
		if got.Status != newsroom.Published || got.PublishedAt == nil || !got.PublishedAt.Equal(ta.clock.Now().UTC()) {
			t.Errorf("after its time: status %s published_at %v; want published at %v", got.Status, got.PublishedAt, ta.clock.Now())
		}
		if st := page(); st != http.StatusOK {
			t.Errorf("the page after its time: %d; want 200", st)
		}
	})
}
