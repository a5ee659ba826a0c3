package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

// get fetches path anonymously and returns its status and body.
func get(t *testing.T, ta *testApp, path string) (int, string) {
	t.Helper()
	res, err := ta.srv.Client().Get(ta.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestAPITrash: DELETE moves a live story to the trash; its page (cached
// before) answers 404 and it leaves the home page, the feed, the sitemap
// and search; PATCH to draft restores it; after 30 days the purge job's
// pass deletes what is still in the trash; the activity log has it all.
func TestAPITrash(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		corr, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		mustSection(t, ta, "region", "Region")
		create := func(headline string) api.ArticleJSON {
			res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor,
				fmt.Sprintf(`{"headline":%q,"body":"The quayside crane is %s.","status":"published","categories":["region"]}`, headline, headline))
			if res.status != http.StatusCreated {
				t.Fatalf("create: %d %s", res.status, res.body)
			}
			var a api.ArticleJSON
			res.decode(t, &a)
			return a
		}
		a := create("Quayside crane moved")
		keep := create("Quayside crane painted")
		ta.clock.Add(time.Minute)
		for _, p := range []string{a.URL, "/", "/feed.xml", "/news-sitemap.xml"} {
			if st, body := get(t, ta, p); st != http.StatusOK || p != a.URL && !strings.Contains(body, a.Slug) {
				t.Fatalf("before: GET %s = %d (has the story: %v)", p, st, strings.Contains(body, a.Slug))
			}
		}
		path := fmt.Sprintf("/api/v1/articles/%d", a.ID)
		if res := doJSON(t, ta.srv, "DELETE", path, corr, ""); res.status != http.StatusForbidden {
			t.Errorf("correspondent deletes an editor's live story: %d %s", res.status, res.body)
		}
		res := doJSON(t, ta.srv, "DELETE", path, editor, "")
		if res.status != http.StatusOK {
			t.Fatalf("delete: %d %s", res.status, res.body)
		}
		var trashed api.ArticleJSON
		res.decode(t, &trashed)
		if trashed.Status != newsroom.Trash || trashed.TrashedAt == nil {
			t.Errorf("deleted: status %q trashed_at %v", trashed.Status, trashed.TrashedAt)
		}
		if st, _ := get(t, ta, a.URL); st != http.StatusNotFound {
			t.Errorf("trashed story's page: %d, want 404", st)
		}
		for _, p := range []string{"/", "/feed.xml", "/news-sitemap.xml", "/search?q=crane", "/region"} {
			st, body := get(t, ta, p)
			if st != http.StatusOK || strings.Contains(body, a.Slug) || !strings.Contains(body, keep.Slug) {
				t.Errorf("after trash: GET %s = %d, still has the trashed story: %v", p, st, strings.Contains(body, a.Slug))
			}
		}
		if res := doJSON(t, ta.srv, "GET", path, "", ""); res.status != http.StatusNotFound {
			t.Errorf("anonymous API GET of a trashed story: %d", res.status)
		}
		var list struct {
			Articles []api.ArticleJSON `json:"articles"`
			Total    int               `json:"total"`
		}
		doJSON(t, ta.srv, "GET", "/api/v1/articles", editor, "").decode(t, &list)
		if list.Total != 1 {
			t.Errorf("editor's list without status has %d stories, want 1 (not the trashed one)", list.Total)
		}
		doJSON(t, ta.srv, "GET", "/api/v1/articles?status=trash", editor, "").decode(t, &list)
		if list.Total != 1 || list.Articles[0].ID != a.ID {
			t.Errorf("trash list: total %d", list.Total)
		}
		if res := doJSON(t, ta.srv, "DELETE", path, editor, ""); res.status != http.StatusUnprocessableEntity {
			t.Errorf("second delete: %d %s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "PATCH", path, editor, fmt.Sprintf(`{"revision":%d,"status":"published"}`, trashed.Revision))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"status"`) {
			t.Errorf("publish from the trash: %d %s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "PATCH", path, editor, fmt.Sprintf(`{"revision":%d,"status":"draft"}`, trashed.Revision))
		if res.status != http.StatusOK {
			t.Fatalf("restore: %d %s", res.status, res.body)
		}
		var restored api.ArticleJSON
		res.decode(t, &restored)
		if restored.Status != newsroom.Draft || restored.TrashedAt != nil {
			t.Errorf("restored: %q %v", restored.Status, restored.TrashedAt)
		}

		// Trashed again, it is purged once 30 days have passed.
		if res := doJSON(t, ta.srv, "DELETE", path, editor, ""); res.status != http.StatusOK {
			t.Fatalf("delete again: %d %s", res.status, res.body)
		}
		ta.clock.Add(31 * 24 * time.Hour)
		if n, err := ta.editorial.PurgeTrash(t.Context()); err != nil || n != 1 {
			t.Fatalf("purge = %d, %v", n, err)
		}
		if res := doJSON(t, ta.srv, "GET", path, editor, ""); res.status != http.StatusNotFound {
			t.Errorf("purged story: %d", res.status)
		}
		log, err := ta.store.Activities(t.Context(), newsroom.ActivityFilter{Kind: "article"})
		must(t, err)
		var acts []string
		for i := len(log) - 1; i >= 0; i-- {
			acts = append(acts, string(log[i].Action))
		}
		if got, want := strings.Join(acts, " "), "published published trashed restored trashed purged"; got != want {
			t.Errorf("activity log: %q, want %q", got, want)
		}
	})
}
