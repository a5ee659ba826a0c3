package storetest

import (
	"sync"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

func testPendingEdits(t *testing.T, st Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, published("Live story", f.world, time.Now()))
	if _, err := st.Pending(ctx, a.ID, newsroom.PendingDraft); !newsroom.IsNotFound(err) {
		t.Fatalf("Pending of a story without one = %v, want NotFound", err)
	}
	wantCode(t, "unknown article", st.SavePending(ctx, &newsroom.PendingEdit{ArticleID: a.ID + 999, Kind: newsroom.PendingDraft, Form: "x"}), newsroom.NotFound, "")
	p := &newsroom.PendingEdit{ArticleID: a.ID, Kind: newsroom.PendingDraft, BaseRevision: a.Revision, Form: "headline=First+try"}
	if err := st.SavePending(ctx, p); err != nil || p.SavedAt.IsZero() {
		t.Fatalf("SavePending = %v, saved at %v", err, p.SavedAt)
	}
	// A second save replaces the first.
	p.Form = "headline=Second+try"
	if err := st.SavePending(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := st.Pending(ctx, a.ID, newsroom.PendingDraft)
	if err != nil || got.Form != "headline=Second+try" || got.BaseRevision != a.Revision || !got.ScheduledAt.IsZero() || got.SavedAt.IsZero() {
		t.Fatalf("Pending = %+v, %v", got, err)
	}
	// A scheduled update beside it; only it is due.
	at := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	up := &newsroom.PendingEdit{ArticleID: a.ID, Kind: newsroom.PendingUpdate, BaseRevision: a.Revision, Form: "headline=Later", ScheduledAt: at}
	if err := st.SavePending(ctx, up); err != nil {
		t.Fatal(err)
	}
	due, err := st.DuePending(ctx, newsroom.PendingUpdate, time.Now())
	if err != nil || len(due) != 1 || due[0].ArticleID != a.ID || !due[0].ScheduledAt.Equal(at) {
		t.Fatalf("DuePending = %+v, %v", due, err)
	}
	if due, _ := st.DuePending(ctx, newsroom.PendingUpdate, at.Add(-time.Second)); len(due) != 0 {
		t.Errorf("DuePending before its time = %+v", due)
	}
	// Exactly one of several concurrent claims wins.
	var wg sync.WaitGroup
	wins := make(chan bool, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := st.DeletePending(ctx, a.ID, newsroom.PendingUpdate)
			if err != nil {
				t.Error(err)
			}
			wins <- ok
		}()
	}
	wg.Wait()
	close(wins)
	n := 0
	for ok := range wins {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d of 4 claims won, want 1", n)
	}
	if _, err := st.Pending(ctx, a.ID, newsroom.PendingDraft); err != nil {
		t.Errorf("the draft went with the update: %v", err)
	}
}
