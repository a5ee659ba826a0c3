package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/api"
	"newsdesk/internal/auth"
	"newsdesk/internal/clocktest"
	"newsdesk/internal/editorial"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/reports"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

var ctx = context.Background()

// env is the API's real handler on a real SQLite file, behind a loopback
// HTTP server, with a token for staff of every role.
type env struct {
	t      *testing.T
	st     *sqlstore.Store
	srv    *httptest.Server
	clock  *clocktest.Clock
	tokens map[newsroom.Role]string
}

// maxBody is the body limit the tests configure, small enough to cross.
const maxBody = 16 << 10

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	st, err := sqlstore.Open(ctx, storetest.SQLitePath(t), sqlstore.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := render.New()
	log := slog.New(slog.DiscardHandler)
	var rep *reports.Service // the editorial hook calls it, as in main
	ed := editorial.New(editorial.Config{Store: st, Render: r, Now: clock.Now,
		OnUpdate: []func(ctx context.Context, prev, next *newsroom.Article){
			func(ctx context.Context, prev, next *newsroom.Article) { rep.ArticleUpdated(ctx, prev, next) },
		}})
	rep = reports.New(reports.Config{Store: st, Render: r, Editorial: ed, Now: clock.Now, Logger: log, PerIP: -1, PerArticle: -1})
	srv := httptest.NewServer(api.New(api.Config{Store: st, Editorial: ed, Now: clock.Now, Logger: log, MaxBody: maxBody, Reports: rep}).Handler())
	t.Cleanup(srv.Close)
	e := &env{t: t, st: st, srv: srv, clock: clock, tokens: map[newsroom.Role]string{}}
	for _, role := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
		u := &newsroom.User{Email: string(role) + "@courier.example", Name: "Test " + string(role), Role: role, PasswordHash: "x"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		tok := auth.NewToken()
		if err := st.CreateToken(ctx, u.ID, auth.HashToken(tok)); err != nil {
			t.Fatal(err)
		}
		e.tokens[role] = tok
	}
	return e
}

type response struct {
	status int
	header http.Header
	body   string
}

// errorJSON is the API's one error shape.
type errorJSON struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

func (e *env) do(method, path string, role newsroom.Role, body string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
	return v
}

// create posts an article as an editor and returns it.
func (e *env) create(body string) api.ArticleJSON {
	e.t.Helper()
	res := e.do("POST", "/api/v1/articles", newsroom.RoleEditor, body)
	if res.status != http.StatusCreated {
		e.t.Fatalf("create %s: %d %s", body, res.status, res.body)
	}
	return decode[api.ArticleJSON](e.t, res)
}

func TestErrorResponses(t *testing.T) {
	e := newEnv(t)
	pub := e.create(`{"headline":"Harbour reopens","body":"The harbour reopened.","status":"published"}`)
	articlePath := fmt.Sprintf("/api/v1/articles/%d", pub.ID)
	tests := []struct {
		name         string
		method, path string
		role         newsroom.Role
		header       [2]string // an Authorization header instead of role's token
		body         string
		status       int
		code, field  string
	}{
		{"unknown endpoint", "GET", "/api/v1/nothing", "", [2]string{}, "", 404, "not_found", ""},
		{"write without a token", "POST", "/api/v1/articles", "", [2]string{}, `{"headline":"x"}`, 401, "unauthorized", ""},
		{"not a bearer token", "GET", "/api/v1/articles", "", [2]string{"Authorization", "Basic YTpi"}, "", 401, "unauthorized", ""},
		{"unknown token", "GET", "/api/v1/articles", "", [2]string{"Authorization", "Bearer not-a-token"}, "", 401, "unauthorized", ""},
		{"malformed JSON", "POST", "/api/v1/articles", newsroom.RoleEditor, [2]string{}, `{"headline":`, 400, "invalid", ""},
		{"a field is wrong", "POST", "/api/v1/articles", newsroom.RoleEditor, [2]string{}, `{"headline":""}`, 422, "invalid", "headline"},
		{"role may not", "POST", "/api/v1/articles", newsroom.RoleModerator, [2]string{}, `{"headline":"A moderator's story"}`, 403, "forbidden", ""},
		{"no such article", "GET", "/api/v1/articles/9999", "", [2]string{}, "", 404, "not_found", ""},
		{"stale revision", "PATCH", articlePath, newsroom.RoleEditor, [2]string{}, `{"revision":99,"headline":"Harbour reopens at dawn"}`, 409, "conflict", "revision"},
		{"body over the limit", "POST", "/api/v1/articles", newsroom.RoleEditor, [2]string{},
			`{"headline":"Long","body":"` + strings.Repeat("a", maxBody) + `"}`, 413, "too_large", ""},
		{"reports need a moderator", "GET", "/api/v1/error-reports", newsroom.RoleCorrespondent, [2]string{}, "", 403, "forbidden", ""},
		{"comments not configured", "POST", articlePath + "/comments", "", [2]string{}, `{"name":"Ann","body":"Hi"}`, 404, "not_found", ""},
		{"legal registry not configured", "GET", "/api/v1/legal-entities", newsroom.RoleEditor, [2]string{}, "", 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, e.srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.role != "" {
				req.Header.Set("Authorization", "Bearer "+e.tokens[tt.role])
			}
			if tt.header[0] != "" {
				req.Header.Set(tt.header[0], tt.header[1])
			}
			res, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s: %d %s, want %d", tt.method, tt.path, res.StatusCode, b, tt.status)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			got := decode[errorJSON](t, response{body: string(b)})
			if got.Error.Code != tt.code || got.Error.Field != tt.field || got.Error.Message == "" {
				t.Errorf("error %+v, want code %q field %q and a message", got.Error, tt.code, tt.field)
			}
			if tt.status == 401 && res.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestArticles(t *testing.T) {
	e := newEnv(t)
	draft := e.create(`{"headline":"Ferry timetable changes","standfirst":"New times from May.","body":"The *first* ferry leaves at six."}`)
	if draft.ID == 0 || draft.Status != "draft" || draft.Revision != 1 || draft.URL == "" || !strings.Contains(draft.BodyHTML, "<em>first</em>") {
		t.Fatalf("created %+v", draft)
	}
	path := fmt.Sprintf("/api/v1/articles/%d", draft.ID)

	// Readers see only what is public.
	if res := e.do("GET", path, "", ""); res.status != http.StatusNotFound {
		t.Errorf("anonymous GET of a draft: %d, want 404", res.status)
	}
	if res := e.do("GET", path, newsroom.RoleEditor, ""); res.status != http.StatusOK {
		t.Errorf("editor GET of a draft: %d %s", res.status, res.body)
	}

	// A partial update names the revision it started from.
	res := e.do("PATCH", path, newsroom.RoleEditor, `{"revision":1,"status":"published"}`)
	if res.status != http.StatusOK {
		t.Fatalf("publish: %d %s", res.status, res.body)
	}
	pub := decode[api.ArticleJSON](t, res)
	if pub.Status != "published" || pub.Revision != 2 || pub.Headline != draft.Headline || pub.Standfirst != draft.Standfirst {
		t.Errorf("after publishing: %+v", pub)
	}
	if res := e.do("PATCH", path, newsroom.RoleEditor, `{"revision":1,"headline":"Stale"}`); res.status != http.StatusConflict {
		t.Errorf("stale PATCH: %d %s, want 409", res.status, res.body)
	}
	if res := e.do("GET", path, "", ""); res.status != http.StatusOK {
		t.Errorf("anonymous GET once published: %d", res.status)
	}

	// Listing: anonymous readers get the published story only.
	e.create(`{"headline":"Another draft","body":"Not yet."}`)
	type list struct {
		Articles []api.ArticleJSON `json:"articles"`
		Total    int               `json:"total"`
	}
	anon := decode[list](t, e.do("GET", "/api/v1/articles", "", ""))
	if anon.Total != 1 || len(anon.Articles) != 1 || anon.Articles[0].ID != draft.ID {
		t.Errorf("anonymous list: %d of %d, want the published story", len(anon.Articles), anon.Total)
	}
	staff := decode[list](t, e.do("GET", "/api/v1/articles?status=draft", newsroom.RoleEditor, ""))
	if staff.Total != 1 || staff.Articles[0].Headline != "Another draft" {
		t.Errorf("editor's drafts: %+v", staff)
	}

	// Corrections are dated by the clock and kept.
	e.clock.Add(time.Hour)
	res = e.do("POST", path+"/corrections", newsroom.RoleEditor, `{"kind":"correction","text":"The first ferry leaves at half past six."}`)
	if res.status != http.StatusCreated {
		t.Fatalf("correction: %d %s", res.status, res.body)
	}
	got := decode[api.ArticleJSON](t, e.do("GET", path, "", ""))
	if len(got.Corrections) != 1 || !got.Corrections[0].At.Equal(e.clock.Now()) {
		t.Errorf("corrections %+v, want one at %v", got.Corrections, e.clock.Now())
	}
	if res := e.do("POST", path+"/corrections", newsroom.RoleCorrespondent, `{"kind":"correction","text":"Mine."}`); res.status != http.StatusForbidden {
		t.Errorf("correspondent's correction: %d, want 403", res.status)
	}
}

func TestErrorReports(t *testing.T) {
	e := newEnv(t)
	a := e.create(`{"headline":"Ferry back on time","body":"By noon teh ferry reached Kelby.","status":"published"}`)
	submit := func(ip, body string) response {
		t.Helper()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/error-reports", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", ip) // not trusted: every report comes from the test's address
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return response{status: res.StatusCode, body: string(b)}
	}
	body := fmt.Sprintf(`{"article_id":%d,"revision":%d,"exact":"teh","prefix":"By noon ","suffix":" ferry","suggestion":"the"}`, a.ID, a.Revision)
	res := submit("198.51.100.1", body)
	if res.status != http.StatusAccepted {
		t.Fatalf("report: %d %s", res.status, res.body)
	}
	type filed struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Count  int    `json:"count"`
	}
	f := decode[filed](t, res)
	if f.ID == 0 || f.Status != "open" || f.Count != 1 {
		t.Errorf("filed %+v", f)
	}
	if res := submit("198.51.100.1", fmt.Sprintf(`{"article_id":%d,"exact":"submarine"}`, a.ID)); res.status != http.StatusUnprocessableEntity ||
		decode[errorJSON](t, res).Error.Field != "exact" {
		t.Errorf("quote not in the story: %d %s, want 422 on exact", res.status, res.body)
	}

	// The queue is for editors and moderators.
	if res := e.do("GET", "/api/v1/error-reports", "", ""); res.status != http.StatusUnauthorized {
		t.Errorf("anonymous queue: %d", res.status)
	}
	res = e.do("GET", "/api/v1/error-reports", newsroom.RoleModerator, "")
	if res.status != http.StatusOK || !strings.Contains(res.body, `"exact":"teh"`) {
		t.Errorf("moderator's queue: %d %s", res.status, res.body)
	}

	// An editor applies it: the story changes, the report is fixed.
	res = e.do("PATCH", fmt.Sprintf("/api/v1/error-reports/%d", f.ID), newsroom.RoleEditor, `{"apply":true}`)
	if res.status != http.StatusOK {
		t.Fatalf("apply: %d %s", res.status, res.body)
	}
	got := decode[api.ArticleJSON](t, e.do("GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), "", ""))
	if got.Body != "By noon the ferry reached Kelby." {
		t.Errorf("body after apply: %q", got.Body)
	}
	res = e.do("GET", fmt.Sprintf("/api/v1/error-reports/%d", f.ID), newsroom.RoleModerator, "")
	if !strings.Contains(res.body, `"status":"fixed"`) {
		t.Errorf("report after apply: %s", res.body)
	}
}

// TestScheduleByPublishedAt: as with Ghost's Admin API, status "scheduled"
// with a future published_at schedules the story for that time;
// scheduled_at stays as an alias (and wins when both are sent). A past
// time, or a writer who may not schedule, is refused naming the field the
// client sent.
func TestScheduleByPublishedAt(t *testing.T) {
	e := newEnv(t)
	at := func(d time.Duration) string { return e.clock.At(d).UTC().Format(time.RFC3339) }
	for _, c := range []struct {
		name      string
		role      newsroom.Role
		body      string
		status    int
		field     string        // of the error
		scheduled time.Duration // from now, of the story created
	}{
		{"published_at", newsroom.RoleEditor, `{"headline":"Regatta on Saturday","body":"Text of the story.","status":"scheduled","published_at":"` + at(3*time.Hour) + `"}`, 201, "", 3 * time.Hour},
		{"scheduled_at", newsroom.RoleEditor, `{"headline":"Regatta on Sunday","body":"Text of the story.","status":"scheduled","scheduled_at":"` + at(4*time.Hour) + `"}`, 201, "", 4 * time.Hour},
		{"both", newsroom.RoleEditor, `{"headline":"Regatta on Monday","body":"Text of the story.","status":"scheduled","scheduled_at":"` + at(5*time.Hour) + `","published_at":"` + at(5*time.Hour) + `"}`, 201, "", 5 * time.Hour},
		{"published_at in the past", newsroom.RoleEditor, `{"headline":"Regatta last week","body":"Text of the story.","status":"scheduled","published_at":"` + at(-time.Hour) + `"}`, 422, "published_at", 0},
		{"scheduled_at in the past", newsroom.RoleEditor, `{"headline":"Regatta last month","body":"Text of the story.","status":"scheduled","scheduled_at":"` + at(-time.Hour) + `"}`, 422, "scheduled_at", 0},
		{"no time", newsroom.RoleEditor, `{"headline":"Regatta some day","body":"Text of the story.","status":"scheduled"}`, 422, "scheduled_at", 0},
		{"correspondent by published_at", newsroom.RoleCorrespondent, `{"headline":"My regatta","body":"Text of the story.","status":"scheduled","published_at":"` + at(3*time.Hour) + `"}`, 422, "published_at", 0},
		{"correspondent by scheduled_at", newsroom.RoleCorrespondent, `{"headline":"My regatta too","body":"Text of the story.","status":"scheduled","scheduled_at":"` + at(3*time.Hour) + `"}`, 422, "scheduled_at", 0},
		{"moderator", newsroom.RoleModerator, `{"headline":"Their regatta","body":"Text of the story.","status":"scheduled","published_at":"` + at(3*time.Hour) + `"}`, 403, "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.do("POST", "/api/v1/articles", c.role, c.body)
			if res.status != c.status {
				t.Fatalf("POST: %d %s; want %d", res.status, res.body, c.status)
			}
			if c.status != http.StatusCreated {
				if got := decode[errorJSON](t, res).Error.Field; got != c.field {
					t.Errorf("error names %q (%s); want %q", got, res.body, c.field)
				}
				return
			}
			a := decode[api.ArticleJSON](t, res)
			// With both, published_at is the editor's publication time,
			// as before.
			wantPublished := c.name == "both"
			if a.Status != newsroom.Scheduled || a.ScheduledAt == nil || !a.ScheduledAt.Equal(e.clock.At(c.scheduled)) || (a.PublishedAt != nil) != wantPublished {
				t.Errorf("created: status %s scheduled_at %v published_at %v; want scheduled at %v, no publication time yet",
					a.Status, a.ScheduledAt, a.PublishedAt, e.clock.At(c.scheduled))
			}
			if res := e.do("GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), "", ""); res.status != http.StatusNotFound {
				t.Errorf("anonymous GET of a scheduled story: %d; want 404", res.status)
			}
		})
	}

	// A PATCH moves a scheduled story by its published_at, and refuses a
	// past one, naming published_at; the stored time stays.
	a := e.create(`{"headline":"Lifeboat day","body":"Text of the story.","status":"scheduled","published_at":"` + at(time.Hour) + `"}`)
	path := fmt.Sprintf("/api/v1/articles/%d", a.ID)
	res := e.do("PATCH", path, newsroom.RoleEditor, fmt.Sprintf(`{"revision":%d,"published_at":"%s"}`, a.Revision, at(2*time.Hour)))
	if res.status != http.StatusOK {
		t.Fatalf("reschedule: %d %s", res.status, res.body)
	}
	moved := decode[api.ArticleJSON](t, res)
	if moved.Status != newsroom.Scheduled || !moved.ScheduledAt.Equal(e.clock.At(2*time.Hour)) || moved.PublishedAt != nil {
		t.Errorf("rescheduled: status %s scheduled_at %v published_at %v", moved.Status, moved.ScheduledAt, moved.PublishedAt)
	}
	res = e.do("PATCH", path, newsroom.RoleEditor, fmt.Sprintf(`{"revision":%d,"published_at":"%s"}`, moved.Revision, at(-time.Minute)))
	if res.status != http.StatusUnprocessableEntity || decode[errorJSON](t, res).Error.Field != "published_at" {
		t.Errorf("reschedule into the past: %d %s; want 422 naming published_at", res.status, res.body)
	}
	if got := decode[api.ArticleJSON](t, e.do("GET", path, newsroom.RoleEditor, "")); !got.ScheduledAt.Equal(e.clock.At(2 * time.Hour)) {
		t.Errorf("after the refused PATCH: scheduled_at %v", got.ScheduledAt)
	}
	// On a published story published_at is still its publication time.
	pub := e.create(`{"headline":"Lifeboat day, the report","body":"Text of the story.","status":"published","published_at":"` + at(-2*time.Hour) + `"}`)
	if pub.Status != newsroom.Published || !pub.PublishedAt.Equal(e.clock.At(-2*time.Hour)) || pub.ScheduledAt != nil {
		t.Errorf("backdated story: status %s published_at %v scheduled_at %v", pub.Status, pub.PublishedAt, pub.ScheduledAt)
	}
}
