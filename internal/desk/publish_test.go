package desk_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

func TestScheduleOnALiveStory(t *testing.T) { bothDBs(t, testScheduleOnALiveStory) }

// testScheduleOnALiveStory: "Schedule" on a published story asks whether
// to take it down until then or to schedule an update; the update waits
// as a pending edit while the live version stays up, and the scheduler
// applies it once, attributed to the scheduler.
func testScheduleOnALiveStory(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	ed := e.as(newsroom.RoleEditor)
	r := ed.post("/desk/articles", storyForm(sec, au, "publish", 0))
	wantStatus(t, "publish", r, 303)
	id := idFromLocation(t, r)
	path := "/desk/articles/" + strconv.FormatInt(id, 10)
	at := e.clock.Now().Add(2 * time.Hour).UTC().Format("2006-01-02T15:04")

	f := storyForm(sec, au, "schedule", 1)
	f.Set("headline", "Aurora's new timetable")
	f.Set("scheduled_at", at)
	f.Set("confirmed", "1") // even a confirmed Schedule asks which one
	r = ed.post(path, f)
	wantStatus(t, "schedule a live story", r, 200)
	if r.doc.Find("#schedule-update").Length() != 1 || r.doc.Find("#schedule-takedown").Length() != 1 {
		t.Fatalf("no choice between an update and taking it down")
	}
	// The answer: keep it live, update it then.
	f.Set("action", "schedule_update")
	wantStatus(t, "schedule an update", ed.post(path, f), 303)
	a, _ := e.store.ArticleByID(ctx, id)
	if a.Status != newsroom.Published || a.Revision != 1 || a.Headline == "Aurora's new timetable" {
		t.Fatalf("the live story changed at once: %s rev %d %q", a.Status, a.Revision, a.Headline)
	}
	if p, err := e.store.Pending(ctx, id, newsroom.PendingUpdate); err != nil || p.ScheduledAt.IsZero() {
		t.Fatalf("no scheduled update: %+v %v", p, err)
	}
	page := ed.get(path)
	if !strings.Contains(page.doc.Find(".pending-edit").Text(), "scheduled for") {
		t.Errorf("the editor does not say an update is scheduled: %q", page.doc.Find(".pending-edit").Text())
	}
	// Not yet due: nothing happens. Then its time comes, twice (two nodes).
	if done, _, err := e.desk.Scheduler.Check(ctx); err != nil || len(done) != 0 {
		t.Fatalf("early check = %v, %v", done, err)
	}
	e.clock.Add(3 * time.Hour)
	done, _, err := e.desk.Scheduler.Check(ctx)
	if err != nil || len(done) != 1 || done[0] != id {
		t.Fatalf("check at its time = %v, %v", done, err)
	}
	if again, _, _ := e.desk.Scheduler.Check(ctx); len(again) != 0 {
		t.Errorf("second check applied it again: %v", again)
	}
	a, _ = e.store.ArticleByID(ctx, id)
	if a.Status != newsroom.Published || a.Headline != "Aurora's new timetable" || a.Revision != 2 {
		t.Errorf("after the scheduled update: %s rev %d %q", a.Status, a.Revision, a.Headline)
	}
	revs, _ := e.store.Revisions(ctx, id)
	if len(revs) == 0 || revs[0].Reason != newsroom.ReasonScheduler || !strings.Contains(revs[0].Note, "Scheduled update") {
		t.Errorf("latest revision = %+v", revs)
	}

	// Taking it down until then instead.
	f = storyForm(sec, au, "schedule_takedown", 2)
	f.Set("headline", "Aurora's new timetable")
	f.Set("scheduled_at", e.clock.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04"))
	f.Set("confirmed", "1")
	wantStatus(t, "take down until then", ed.post(path, f), 303)
	if a, _ := e.store.ArticleByID(ctx, id); a.Status != newsroom.Scheduled {
		t.Errorf("taken down until then: status %s", a.Status)
	}
}

// TestSectionsPageWithoutInlineStyles: the sections page shows nesting
// with classes, so it works under the CSP (no style attributes).
func TestSectionsPageWithoutInlineStyles(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		sec, _ := e.taxonomy()
		child := newsroom.Category{Slug: "quays", Name: "Quays", ParentID: sec.ID}
		if err := e.store.CreateCategory(ctx, &child); err != nil {
			t.Fatal(err)
		}
		r := e.as(newsroom.RoleEditor).get("/desk/sections")
		wantStatus(t, "sections", r, 200)
		if n := r.doc.Find("[style]").Length(); n != 0 {
			t.Errorf("%d elements with a style attribute", n)
		}
		if r.doc.Find(`.depth.depth-1 a[href$="/desk/sections/`+strconv.FormatInt(child.ID, 10)+`"]`).Length() != 1 {
			t.Errorf("the nested section is not indented by its class")
		}
	})
}

func TestConflictNamesTheOtherEditorAndMergesPerField(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		sec, au := e.taxonomy()
		ed1, ed2 := e.as(newsroom.RoleEditor), e.as(newsroom.RoleAdmin)
		r := ed1.post("/desk/articles", storyForm(sec, au, "save", 0))
		id := strconv.FormatInt(idFromLocation(t, r), 10)
		first := storyForm(sec, au, "save", 1)
		first.Set("body", strings.Replace(first.Get("body"), "Monday", "Tuesday", 1))
		wantStatus(t, "first save", ed1.post("/desk/articles/"+id, first), 303)

		second := storyForm(sec, au, "save", 1)
		second.Set("standfirst", "The repaired ferry is back.")
		r = ed2.post("/desk/articles/"+id, second)
		wantStatus(t, "second save", r, 409)
		if by := r.doc.Find(".conflict-by").Text(); !strings.Contains(by, e.users[newsroom.RoleEditor].Name) {
			t.Errorf("the conflict does not name the other editor: %q", by)
		}
		if r.doc.Find(`input[name=merge_body][value=theirs]`).Length() != 1 || r.doc.Find(`input[name=merge_standfirst]`).Length() != 2 ||
			r.doc.Find(`input[name=merge_headline]`).Length() != 0 {
			t.Errorf("merge choices: body %d, standfirst %d, headline %d", r.doc.Find(`input[name=merge_body]`).Length(),
				r.doc.Find(`input[name=merge_standfirst]`).Length(), r.doc.Find(`input[name=merge_headline]`).Length())
		}
		// Theirs for the body, mine for the standfirst.
		rev, _ := r.doc.Find("#revision").Attr("value")
		second.Set("revision", rev)
		second.Set("merge_body", "theirs")
		second.Set("merge_standfirst", "mine")
		wantStatus(t, "merged save", ed2.post("/desk/articles/"+id, second), 303)
		n, _ := strconv.ParseInt(id, 10, 64)
		a, _ := e.store.ArticleByID(ctx, n)
		if !strings.Contains(a.Body, "Tuesday") || a.Standfirst != "The repaired ferry is back." {
			t.Errorf("merged: body %q, standfirst %q", a.Body, a.Standfirst)
		}
	})
}
