package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// TestAPIRoleMatrix walks every write endpoint of the JSON API (and the
// staff-only reads) with every role and with no token. The desk's own
// routes have their matrix in internal/desk (TestRoleMatrix). Endpoints
// added to internal/api/routes.go get a row here.
func TestAPIRoleMatrix(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		ctx := context.Background()
		tokens, users := roleTokens(t, ta)
		// A correspondent's draft and an editor's published story.
		draft := &newsroom.Article{Headline: "Draft by a correspondent", Status: newsroom.Draft, CreatedBy: users[newsroom.RoleCorrespondent].ID}
		must(t, ta.store.CreateArticle(ctx, draft))
		public := &newsroom.Article{Headline: "Published by an editor", Body: "Text of the story.", Status: newsroom.Published, PublishedAt: ta.clock.Now(), CommentsOpen: true, CreatedBy: users[newsroom.RoleEditor].ID}
		must(t, ta.store.CreateArticle(ctx, public))
		revision := func(id int64) int {
			a, err := ta.store.ArticleByID(ctx, id)
			must(t, err)
			return a.Revision
		}
		// Readers' comments to moderate, one per request; the public
		// endpoint refuses a flood, so the clock moves between them.
		var comments []int64
		postComment := func() (int, string) {
			ta.clock.Add(time.Minute)
			res := doJSON(t, ta.srv, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", public.ID), "",
				fmt.Sprintf(`{"name":"Reader","email":"reader@example.org","body":"A fair report, number %d."}`, len(comments)))
			return res.status, res.body
		}
		for i := 0; i < 5; i++ {
			st, body := postComment()
			if st != http.StatusCreated && st != http.StatusAccepted {
				t.Fatalf("post comment: %d %s", st, body)
			}
			var c struct{ ID int64 }
			must(t, json.Unmarshal([]byte(body), &c))
			comments = append(comments, c.ID)
		}
		seq := 0
		unique := func(s string) string { seq++; return fmt.Sprintf("%s %d", s, seq) }
		type row struct {
			name, method string
			path, body   func() (string, string)
			// want per role; "" is no token.
			want map[newsroom.Role]int
		}
		allStaff := func(staff, none int) map[newsroom.Role]int {
			return map[newsroom.Role]int{newsroom.RoleAdmin: staff, newsroom.RoleEditor: staff, newsroom.RoleCorrespondent: staff, newsroom.RoleModerator: staff, "": none}
		}
		rows := []row{
			{"create article", "POST", func() (string, string) {
				return "/api/v1/articles", `{"headline":"` + unique("A new story") + `","status":"draft"}`
			}, nil,
				map[newsroom.Role]int{newsroom.RoleAdmin: 201, newsroom.RoleEditor: 201, newsroom.RoleCorrespondent: 201, newsroom.RoleModerator: 403, "": 401}},
			{"publish article", "POST", func() (string, string) {
				return "/api/v1/articles", `{"headline":"` + unique("A story to publish") + `","body":"Text of the story.","status":"published"}`
			}, nil,
				map[newsroom.Role]int{newsroom.RoleAdmin: 201, newsroom.RoleEditor: 201, newsroom.RoleCorrespondent: 403, newsroom.RoleModerator: 403, "": 401}},
			{"patch own draft", "PATCH", func() (string, string) {
				return fmt.Sprintf("/api/v1/articles/%d", draft.ID), fmt.Sprintf(`{"revision":%d,"standfirst":"Changed"}`, revision(draft.ID))
			}, nil, map[newsroom.Role]int{newsroom.RoleAdmin: 200, newsroom.RoleEditor: 200, newsroom.RoleCorrespondent: 200, newsroom.RoleModerator: 403, "": 401}},
			{"patch someone else's published story", "PATCH", func() (string, string) {
				return fmt.Sprintf("/api/v1/articles/%d", public.ID), fmt.Sprintf(`{"revision":%d,"standfirst":"Changed"}`, revision(public.ID))
			}, nil, map[newsroom.Role]int{newsroom.RoleAdmin: 200, newsroom.RoleEditor: 200, newsroom.RoleCorrespondent: 403, newsroom.RoleModerator: 403, "": 401}},
			{"add correction", "POST", func() (string, string) {
				return fmt.Sprintf("/api/v1/articles/%d/corrections", public.ID), `{"kind":"correction","text":"A name was misspelt."}`
			}, nil, map[newsroom.Role]int{newsroom.RoleAdmin: 201, newsroom.RoleEditor: 201, newsroom.RoleCorrespondent: 403, newsroom.RoleModerator: 403, "": 401}},
			{"list comments", "GET", func() (string, string) { return "/api/v1/comments?status=pending", "" }, nil,
				map[newsroom.Role]int{newsroom.RoleAdmin: 200, newsroom.RoleEditor: 200, newsroom.RoleCorrespondent: 403, newsroom.RoleModerator: 200, "": 401}},
			{"moderate comment", "PATCH", func() (string, string) {
				id := comments[0]
				comments = comments[1:]
				return fmt.Sprintf("/api/v1/comments/%d", id), `{"status":"approved"}`
			}, nil, map[newsroom.Role]int{newsroom.RoleAdmin: 200, newsroom.RoleEditor: 200, newsroom.RoleCorrespondent: 403, newsroom.RoleModerator: 200, "": 401}},
			{"list error reports", "GET", func() (string, string) { return "/api/v1/error-reports?status=open", "" }, nil,
				map[newsroom.Role]int{newsroom.RoleAdmin: 200, newsroom.RoleEditor: 200, newsroom.RoleCorrespondent: 403, newsroom.RoleModerator: 200, "": 401}},
			// The role is checked before the report is looked up: those who
			// may resolve reports learn that this one does not exist.
			{"resolve error report", "PATCH", func() (string, string) { return "/api/v1/error-reports/999999", `{"status":"rejected"}` }, nil,
				map[newsroom.Role]int{newsroom.RoleAdmin: 404, newsroom.RoleEditor: 404, newsroom.RoleCorrespondent: 403, newsroom.RoleModerator: 404, "": 401}},
			{"reader's comment (public)", "POST", func() (string, string) {
				ta.clock.Add(time.Minute)
				return fmt.Sprintf("/api/v1/articles/%d/comments", public.ID), `{"name":"Reader","email":"r@example.org","body":"Thanks for this."}`
			}, nil, allStaff(http.StatusAccepted, http.StatusAccepted)},
		}
		for _, rw := range rows {
			for _, role := range []newsroom.Role{"", newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
				name := string(role)
				if name == "" {
					name = "none"
				}
				t.Run(rw.name+"/"+name, func(t *testing.T) {
					path, body := rw.path()
					res := doJSON(t, ta.srv, rw.method, path, tokens[role], body)
					want := rw.want[role]
					if rw.name == "reader's comment (public)" && (res.status == 201 || res.status == 202) {
						return // held for moderation or published at once: both are the reader's success
					}
					if res.status != want {
						t.Errorf("%s %s as %s: %d, want %d: %s", rw.method, path, name, res.status, want, res.body)
					}
					if res.status >= 400 {
						var e struct {
							Error struct{ Code string } `json:"error"`
						}
						if json.Unmarshal([]byte(res.body), &e) != nil || e.Error.Code == "" {
							t.Errorf("error body is not the API's JSON error: %s", res.body)
						}
					}
				})
			}
		}
	})
}

// TestAPIReadMatrix reads every kind of story through every API read
// (get by id, the listing with each status and none, search) with every
// role and with no token: a correspondent reads their own and co-authored
// stories and what is public, never another writer's draft or review, a
// scheduled or an embargoed story (404, and absent from lists and
// search); editors and admins read everything; moderators and readers
// only what is public. A correspondent's published_at is refused with 422
// naming the field, on create and on patch.
func TestAPIReadMatrix(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		ctx := context.Background()
		tokens, users := roleTokens(t, ta)
		corr, ed := users[newsroom.RoleCorrespondent], users[newsroom.RoleEditor]
		other := &newsroom.User{Email: "other-writer@example.com", Name: "Other Writer", Role: newsroom.RoleCorrespondent, PasswordHash: "x"}
		must(t, ta.store.CreateUser(ctx, other))
		profile := &newsroom.Author{Name: "Corr Profile", UserID: corr.ID}
		must(t, ta.store.CreateAuthor(ctx, profile))
		now := ta.clock.Now()
		type story struct {
			name, word string
			status     newsroom.Status
			id         int64
			editors    bool // only editors and admins (and, for own, the correspondent)
			own        bool // the correspondent reads it
		}
		mk := func(name, word string, by *newsroom.User, st newsroom.Status, editors, own bool, set func(*newsroom.Article)) story {
			a := &newsroom.Article{Headline: "Read matrix " + word, Body: "The " + word + " paragraph.", Status: st, CreatedBy: by.ID}
			if set != nil {
				set(a)
			}
			must(t, ta.store.CreateArticle(ctx, a))
			return story{name: name, word: word, status: st, id: a.ID, editors: editors, own: own}
		}
		stories := []story{
			mk("own draft", "quillwort", corr, newsroom.Draft, true, true, nil),
			mk("co-authored draft", "samphire", ed, newsroom.Draft, true, true, func(a *newsroom.Article) {
				a.Authors = []newsroom.Byline{{AuthorID: profile.ID}}
			}),
			mk("editor's draft", "bladderwrack", ed, newsroom.Draft, true, false, nil),
			mk("other writer's review", "eelgrass", other, newsroom.Review, true, false, nil),
			mk("scheduled", "kittiwake", ed, newsroom.Scheduled, true, false, func(a *newsroom.Article) { a.ScheduledAt = now.Add(48 * time.Hour) }),
			mk("embargoed", "guillemot", ed, newsroom.Published, true, false, func(a *newsroom.Article) { a.PublishedAt = now.Add(24 * time.Hour) }),
			mk("public", "sandwort", ed, newsroom.Published, false, false, func(a *newsroom.Article) { a.PublishedAt = now.Add(-time.Hour) }),
		}
		ta.clock.Add(time.Second)
		for _, role := range []newsroom.Role{"", newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
			name := string(role)
			if name == "" {
				name = "none"
			}
			token := tokens[role]
			listed := func(path string) string {
				res := doJSON(t, ta.srv, "GET", path, token, "")
				if res.status != http.StatusOK && res.status != http.StatusUnauthorized {
					t.Errorf("%s: GET %s = %d %s", name, path, res.status, res.body)
				}
				return res.body
			}
			all := listed("/api/v1/articles")
			for _, st := range stories {
				want := !st.editors || role == newsroom.RoleAdmin || role == newsroom.RoleEditor ||
					role == newsroom.RoleCorrespondent && st.own
				res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", st.id), token, "")
				if want && res.status != http.StatusOK || !want && res.status != http.StatusNotFound {
					t.Errorf("%s, %s: GET by id = %d, want visible %v", name, st.name, res.status, want)
				}
				if got := strings.Contains(all, st.word); got != want {
					t.Errorf("%s, %s: in the listing = %v, want %v", name, st.name, got, want)
				}
				byStatus := listed("/api/v1/articles?status=" + string(st.status))
				if !want && strings.Contains(byStatus, st.word) {
					t.Errorf("%s, %s: in ?status=%s", name, st.name, st.status)
				}
				if got := strings.Contains(listed("/api/v1/articles?q="+st.word), st.word); got != want {
					t.Errorf("%s, %s: found by search = %v, want %v", name, st.name, got, want)
				}
			}
		}
		// Another writer's draft cannot be patched, nor even found.
		res := doJSON(t, ta.srv, "PATCH", fmt.Sprintf("/api/v1/articles/%d", stories[2].id), tokens[newsroom.RoleCorrespondent], `{"revision":1,"standfirst":"x"}`)
		if res.status != http.StatusNotFound {
			t.Errorf("correspondent patches the editor's draft: %d, want 404", res.status)
		}
		// Only editors set publication times.
		for _, c := range []struct{ method, path, body string }{
			{"POST", "/api/v1/articles", `{"headline":"Backdated by a correspondent","published_at":"2020-01-02T08:00:00Z"}`},
			{"PATCH", fmt.Sprintf("/api/v1/articles/%d", stories[0].id), `{"revision":1,"published_at":"2031-01-02T08:00:00Z"}`},
		} {
			res := doJSON(t, ta.srv, c.method, c.path, tokens[newsroom.RoleCorrespondent], c.body)
			var e struct {
				Error struct{ Code, Field string } `json:"error"`
			}
			_ = json.Unmarshal([]byte(res.body), &e)
			if res.status != http.StatusUnprocessableEntity || e.Error.Field != "published_at" {
				t.Errorf("correspondent's %s with published_at: %d %s, want 422 naming published_at", c.method, res.status, res.body)
			}
		}
		res = doJSON(t, ta.srv, "POST", "/api/v1/articles", tokens[newsroom.RoleEditor], `{"headline":"Backdated by an editor","body":"Text of the story.","status":"published","published_at":"2020-01-02T08:00:00Z"}`)
		if res.status != http.StatusCreated || !strings.Contains(res.body, `"published_at":"2020-01-02T08:00:00Z"`) {
			t.Errorf("editor's backdated story: %d %s", res.status, res.body)
		}
	})
}
