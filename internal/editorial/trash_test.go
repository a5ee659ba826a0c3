package editorial_test

import (
	"testing"
	"time"

	"newsdesk/internal/editorial"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// withLog gives e's service the store as its activity log and trash.
func (e *env) withLog() {
	e.ed = editorial.New(editorial.Config{Store: e.st, Render: render.New(), Now: e.clock.Now, Activity: e.st, Trash: e.st})
}

func (e *env) actions() []string {
	e.t.Helper()
	list, err := e.ed.Activities(ctx, e.users[newsroom.RoleEditor], newsroom.ActivityFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, string(list[i].Action)+" by "+list[i].UserName)
	}
	return out
}

func TestTrashAndRestore(t *testing.T) {
	e := newEnv(t)
	e.withLog()
	editor, corr := e.users[newsroom.RoleEditor], e.users[newsroom.RoleCorrespondent]
	live := &newsroom.Article{Headline: "Ferry timetable changes", Body: "Text.", Status: newsroom.Published}
	if err := e.ed.Create(ctx, editor, live); err != nil {
		t.Fatal(err)
	}
	own := &newsroom.Article{Headline: "Correspondent's test story"}
	if err := e.ed.Create(ctx, corr, own); err != nil {
		t.Fatal(err)
	}

	_, err := e.ed.Trash(ctx, corr, live.ID)
	wantErr(t, "correspondent trashes a published story", err, newsroom.Forbidden, "")
	_, err = e.ed.Trash(ctx, e.users[newsroom.RoleModerator], own.ID)
	wantErr(t, "moderator trashes", err, newsroom.Forbidden, "")
	if _, err := e.ed.Trash(ctx, corr, own.ID); err != nil {
		t.Errorf("correspondent trashes her own draft: %v", err)
	}

	trashed, err := e.ed.Trash(ctx, editor, live.ID)
	if err != nil {
		t.Fatal(err)
	}
	if trashed.Status != newsroom.Trash || !trashed.TrashedAt.Equal(e.clock.Now()) || trashed.IsPublic(e.clock.Now()) {
		t.Errorf("trashed: status %s at %v, public %v", trashed.Status, trashed.TrashedAt, trashed.IsPublic(e.clock.Now()))
	}
	_, err = e.ed.Trash(ctx, editor, live.ID)
	wantErr(t, "trash twice", err, newsroom.Unprocessable, "status")
	_, err = e.ed.Update(ctx, editor, live.ID, trashed.Revision, func(a *newsroom.Article) error { a.Headline = "Edited in the trash"; return nil })
	wantErr(t, "edit in the trash", err, newsroom.Unprocessable, "status")
	_, err = e.ed.Update(ctx, editor, live.ID, trashed.Revision, func(a *newsroom.Article) error { a.Status = newsroom.Published; return nil })
	wantErr(t, "publish straight from the trash", err, newsroom.Invalid, "status")

	e.clock.Add(time.Hour)
	restored, err := e.ed.Restore(ctx, editor, live.ID)
	if err != nil {
		t.Fatal(err)
	}
	if restored.Status != newsroom.Draft || !restored.TrashedAt.IsZero() || !restored.PublishedAt.Equal(live.PublishedAt) {
		t.Errorf("restored: status %s, trashed at %v, published at %v (want draft, none, %v)",
			restored.Status, restored.TrashedAt, restored.PublishedAt, live.PublishedAt)
	}
	_, err = e.ed.Restore(ctx, editor, live.ID)
	wantErr(t, "restore a draft", err, newsroom.Unprocessable, "status")

	// The purge leaves what is younger than 30 days, then deletes it.
	e.clock.Add(29 * 24 * time.Hour)
	if n, err := e.ed.PurgeTrash(ctx); err != nil || n != 0 {
		t.Errorf("purge after 29 days = %d, %v; want 0", n, err)
	}
	e.clock.Add(2 * 24 * time.Hour)
	if n, err := e.ed.PurgeTrash(ctx); err != nil || n != 1 {
		t.Errorf("purge after 31 days = %d, %v; want 1", n, err)
	}
	if _, err := e.st.ArticleByID(ctx, own.ID); !newsroom.IsNotFound(err) {
		t.Errorf("purged story: %v", err)
	}
	if _, err := e.st.ArticleByID(ctx, live.ID); err != nil {
		t.Errorf("restored story after the purge: %v", err)
	}

	want := []string{"published by Test editor", "trashed by Test correspondent", "trashed by Test editor",
		"restored by Test editor", "purged by "}
	got := e.actions()
	if len(got) != len(want) {
		t.Fatalf("activity log %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("activity %d = %q, want %q", i, got[i], want[i])
		}
	}
	_, err = e.ed.Activities(ctx, corr, newsroom.ActivityFilter{})
	wantErr(t, "correspondent reads the log", err, newsroom.Forbidden, "")
}
