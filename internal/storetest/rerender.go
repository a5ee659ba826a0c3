package storetest

import (
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// testRerenderJobs: jobs are claimed oldest first, pending ones merged
// into the one claimed, a running job is handed out again with its
// progress (resumed), and the state reports the newest job and whether
// any is unfinished.
func testRerenderJobs(t *testing.T, st Store) {
	if j, unfinished, err := st.RerenderState(ctx); err != nil || j != nil || unfinished {
		t.Fatalf("empty state = %+v, %v, %v", j, unfinished, err)
	}
	if j, err := st.ClaimRerender(ctx, time.Now()); err != nil || j != nil {
		t.Fatalf("claim with no jobs = %+v, %v", j, err)
	}
	tide := newsroom.LegalEntity{Name: "Tidewatch", Marker: "*"}
	salt := newsroom.LegalEntity{Name: "Salt League", Marker: "**"}
	first := &newsroom.RerenderJob{Reason: "added Tidewatch", Entities: []newsroom.LegalEntity{tide}}
	second := &newsroom.RerenderJob{Reason: "policy changed", All: true}
	third := &newsroom.RerenderJob{Reason: "added Salt League", Entities: []newsroom.LegalEntity{salt}}
	for _, j := range []*newsroom.RerenderJob{first, second, third} {
		if err := st.EnqueueRerender(ctx, j); err != nil {
			t.Fatal(err)
		}
		if j.ID == 0 || j.Status != newsroom.RerenderPending || j.CreatedAt.IsZero() {
			t.Fatalf("enqueued %+v", j)
		}
	}
	if j, unfinished, err := st.RerenderState(ctx); err != nil || j == nil || j.ID != third.ID || !unfinished {
		t.Fatalf("state with three queued = %+v, %v, %v", j, unfinished, err)
	}
	at := time.Now().UTC().Truncate(time.Second)
	got, err := st.ClaimRerender(ctx, at)
	if err != nil || got == nil {
		t.Fatalf("claim = %+v, %v", got, err)
	}
	if got.ID != first.ID || got.Status != newsroom.RerenderRunning || !got.StartedAt.Equal(at) || !got.All ||
		got.Reason != "added Tidewatch; policy changed; added Salt League" || len(got.Entities) != 2 ||
		got.Entities[0].Name != "Tidewatch" || got.Entities[1].Name != "Salt League" || got.Entities[1].Marker != "**" {
		t.Fatalf("claimed %+v; want the first job with the later two merged in", got)
	}
	if j, unfinished, _ := st.RerenderState(ctx); j == nil || j.ID != first.ID || !unfinished {
		t.Errorf("after the claim the newest job is %+v (unfinished %v); the merged ones should be gone", j, unfinished)
	}
	// Progress saved midway; a queued job meanwhile waits its turn.
	got.LastID, got.Total, got.Scanned, got.Affected, got.Updated, got.Skipped = 41, 90, 40, 12, 10, 1
	if err := st.SaveRerender(ctx, got); err != nil {
		t.Fatal(err)
	}
	fourth := &newsroom.RerenderJob{Reason: "removed Tidewatch", Entities: []newsroom.LegalEntity{tide}}
	if err := st.EnqueueRerender(ctx, fourth); err != nil {
		t.Fatal(err)
	}
	// Claimed again (the node running it died): the same job, where it stopped.
	again, err := st.ClaimRerender(ctx, at.Add(time.Minute))
	if err != nil || again == nil || again.ID != first.ID || again.LastID != 41 || again.Total != 90 || again.Scanned != 40 ||
		again.Affected != 12 || again.Updated != 10 || again.Skipped != 1 || !again.StartedAt.Equal(at) || !again.All {
		t.Fatalf("claimed again = %+v, %v; want the running job with its progress", again, err)
	}
	again.Status, again.FinishedAt = newsroom.RerenderDone, at.Add(2*time.Minute)
	if err := st.SaveRerender(ctx, again); err != nil {
		t.Fatal(err)
	}
	next, err := st.ClaimRerender(ctx, at.Add(3*time.Minute))
	if err != nil || next == nil || next.ID != fourth.ID || next.LastID != 0 || next.Reason != "removed Tidewatch" {
		t.Fatalf("next claim = %+v, %v; want the fourth job", next, err)
	}
	next.Status, next.Error, next.FinishedAt = newsroom.RerenderFailed, "article 7: boom", at.Add(4*time.Minute)
	if err := st.SaveRerender(ctx, next); err != nil {
		t.Fatal(err)
	}
	j, unfinished, err := st.RerenderState(ctx)
	if err != nil || unfinished || j == nil || j.ID != fourth.ID || j.Status != newsroom.RerenderFailed || j.Error != "article 7: boom" ||
		!j.FinishedAt.Equal(at.Add(4*time.Minute)) {
		t.Errorf("final state = %+v, %v, %v", j, unfinished, err)
	}
	if j, err := st.ClaimRerender(ctx, time.Now()); err != nil || j != nil {
		t.Errorf("claim with every job finished = %+v, %v", j, err)
	}
	wantCode(t, "save unknown job", st.SaveRerender(ctx, &newsroom.RerenderJob{ID: fourth.ID + 100, Status: newsroom.RerenderDone}), newsroom.NotFound, "")
}
