package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
)

// testTrash: a story moved to the trash keeps its time there, leaves every
// list but the trash's own, leaves public lists and search, and is deleted
// by PurgeTrash only once it is older than the cut-off.
func testTrash(t *testing.T, st Store) {
	f := newFixture(t, st)
	now := time.Now().UTC().Truncate(time.Microsecond)
	live := mustCreateArticle(t, st, published("Harbour crane story", f.world, now.Add(-time.Hour)))
	old := mustCreateArticle(t, st, draft("Old abandoned crane test", f.world))
	recent := mustCreateArticle(t, st, published("Recent trashed crane story", f.world, now.Add(-2*time.Hour)))

	old.Status, old.TrashedAt = newsroom.Trash, now.AddDate(0, 0, -40)
	mustUpdate(t, st, old)
	recent.Status, recent.TrashedAt = newsroom.Trash, now.Add(-time.Minute)
	mustUpdate(t, st, recent)

	got, err := st.ArticleByID(ctx, recent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != newsroom.Trash || !got.TrashedAt.Equal(recent.TrashedAt) {
		t.Errorf("trashed article reads back as %s at %v, want trash at %v", got.Status, got.TrashedAt, recent.TrashedAt)
	}
	if got.IsPublic(now) {
		t.Error("a trashed article is public")
	}

	trash := newsroom.Trash
	for _, tt := range []struct {
		name string
		f    newsroom.ArticleFilter
		want []int64
	}{
		{"no status leaves the trash out", newsroom.ArticleFilter{}, []int64{live.ID}},
		{"the trash", newsroom.ArticleFilter{Status: &trash}, []int64{recent.ID, old.ID}},
		{"everything", newsroom.ArticleFilter{IncludeTrash: true}, []int64{recent.ID, old.ID, live.ID}},
		{"public", newsroom.ArticleFilter{PublicAt: &now}, []int64{live.ID}},
		{"search leaves the trash out", newsroom.ArticleFilter{Query: "crane"}, []int64{live.ID}},
		{"search in the trash", newsroom.ArticleFilter{Query: "crane", Status: &trash}, nil},
	} {
		list, total := find(t, st, tt.f)
		gotIDs := ids(list)
		if tt.want == nil { // ranked: compare as sets
			if total != 2 || len(gotIDs) != 2 {
				t.Errorf("%s: got %v (total %d), want the two trashed stories", tt.name, gotIDs, total)
			}
			continue
		}
		if tt.f.Query != "" && len(gotIDs) > 1 {
			t.Fatalf("%s: test wants one result", tt.name)
		}
		if diff := cmp.Diff(tt.want, gotIDs); diff != "" || total != len(tt.want) {
			t.Errorf("%s: total %d, ids (-want +got):\n%s", tt.name, total, diff)
		}
	}
	hits, _, err := st.Search(ctx, newsroom.SearchQuery{Text: "crane", PublicAt: &now})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Article.ID != live.ID {
		t.Errorf("public search finds %d hits, want only the live story", len(hits))
	}

	n, err := st.PurgeTrash(ctx, now.AddDate(0, 0, -newsroom.ArticleTrashDays), 10)
	if err != nil || n != 1 {
		t.Fatalf("PurgeTrash = %d, %v; want 1 (only the story trashed 40 days ago)", n, err)
	}
	if _, err := st.ArticleByID(ctx, old.ID); !newsroom.IsNotFound(err) {
		t.Errorf("purged article: %v, want not found", err)
	}
	for _, id := range []int64{recent.ID, live.ID} {
		if _, err := st.ArticleByID(ctx, id); err != nil {
			t.Errorf("article %d after the purge: %v", id, err)
		}
	}
	if n, err := st.PurgeTrash(ctx, now.AddDate(0, 0, -newsroom.ArticleTrashDays), 10); err != nil || n != 0 {
		t.Errorf("second PurgeTrash = %d, %v; want 0", n, err)
	}

	// Restored (status back to draft, no trash time), it is listed again.
	recent.Status, recent.TrashedAt = newsroom.Draft, time.Time{}
	mustUpdate(t, st, recent)
	list, _ := find(t, st, newsroom.ArticleFilter{})
	if diff := cmp.Diff([]int64{recent.ID, live.ID}, ids(list)); diff != "" {
		t.Errorf("after restore (-want +got):\n%s", diff)
	}
	if got, _ := st.ArticleByID(ctx, recent.ID); !got.TrashedAt.IsZero() {
		t.Errorf("restored article keeps its trash time %v", got.TrashedAt)
	}
}

// testActivity: entries come back newest first, filtered, searched and
// paged by ID.
func testActivity(t *testing.T, st Store) {
	at := time.Now().UTC().Truncate(time.Second)
	entries := []newsroom.Activity{
		{At: at, UserID: 1, UserName: "Ana Editor", Action: newsroom.ActPublished, Kind: "article", TargetID: 5, Subject: "Harbour reopens"},
		{At: at.Add(time.Second), UserID: 2, UserName: "Boris Admin", Action: newsroom.ActRoleChanged, Kind: "user", TargetID: 9, Subject: "c@example.com", Detail: "correspondent → editor"},
		{At: at.Add(2 * time.Second), UserID: 1, UserName: "Ana Editor", Action: newsroom.ActTrashed, Kind: "article", TargetID: 6, Subject: "Test story, please ignore"},
		{At: at.Add(3 * time.Second), Action: newsroom.ActPurged, Kind: "article", Detail: "3 stories"},
	}
	for i := range entries {
		if err := st.RecordActivity(ctx, &entries[i]); err != nil {
			t.Fatalf("RecordActivity(%s): %v", entries[i].Action, err)
		}
		if entries[i].ID == 0 {
			t.Fatal("RecordActivity set no ID")
		}
	}
	if err := st.RecordActivity(ctx, &newsroom.Activity{At: at}); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("an entry without action: %v, want invalid", err)
	}
	idsOf := func(list []newsroom.Activity) []int64 {
		out := []int64{}
		for _, e := range list {
			out = append(out, e.ID)
		}
		return out
	}
	e := entries
	for _, tt := range []struct {
		name string
		f    newsroom.ActivityFilter
		want []int64
	}{
		{"all", newsroom.ActivityFilter{}, []int64{e[3].ID, e[2].ID, e[1].ID, e[0].ID}},
		{"action", newsroom.ActivityFilter{Action: newsroom.ActTrashed}, []int64{e[2].ID}},
		{"user", newsroom.ActivityFilter{UserID: 1}, []int64{e[2].ID, e[0].ID}},
		{"target", newsroom.ActivityFilter{Kind: "article", TargetID: 5}, []int64{e[0].ID}},
		{"search subject", newsroom.ActivityFilter{Query: "harbour"}, []int64{e[0].ID}},
		{"search detail", newsroom.ActivityFilter{Query: "EDITOR correspondent"}, []int64{e[1].ID}},
		{"search user name", newsroom.ActivityFilter{Query: "boris"}, []int64{e[1].ID}},
		{"search wildcard is literal", newsroom.ActivityFilter{Query: "%"}, []int64{}},
		{"page", newsroom.ActivityFilter{Limit: 2}, []int64{e[3].ID, e[2].ID}},
		{"next page", newsroom.ActivityFilter{Limit: 2, Before: e[2].ID}, []int64{e[1].ID, e[0].ID}},
	} {
		list, err := st.Activities(ctx, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, idsOf(list)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	list, _ := st.Activities(ctx, newsroom.ActivityFilter{Action: newsroom.ActRoleChanged})
	if len(list) != 1 {
		t.Fatal("role change not found")
	}
	got := list[0]
	if !got.At.Equal(e[1].At) || got.UserName != "Boris Admin" || got.Detail != "correspondent → editor" || got.Kind != "user" || got.TargetID != 9 {
		t.Errorf("entry reads back as %+v", got)
	}
}
