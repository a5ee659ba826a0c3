package storetest

import (
	"sync"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

func testScheduling(t *testing.T, st Store) {
	f := newFixture(t, st)
	wantCode(t, "nothing scheduled", errOf(st.NextScheduled(ctx)), newsroom.NotFound, "")
	now := time.Now().UTC()
	sched := func(h string, at time.Time) *newsroom.Article {
		a := draft(h, f.world)
		a.Status, a.ScheduledAt = newsroom.Scheduled, at
		return mustCreateArticle(t, st, a)
	}
	soon := sched("Soon", now.Add(-time.Minute)) // came due while "down"
	later := sched("Later", now.Add(time.Hour))
	mustCreateArticle(t, st, draft("Just a draft", f.world))

	next, err := st.NextScheduled(ctx)
	if err != nil || next.ID != soon.ID || next.Revision != soon.Revision {
		t.Fatalf("NextScheduled = %+v, %v; want article %d", next, err, soon.ID)
	}
	due, err := st.DueScheduled(ctx, now)
	if err != nil || len(due) != 1 || due[0].ID != soon.ID {
		t.Fatalf("DueScheduled = %+v, %v", due, err)
	}

	// A stale revision publishes nothing.
	// The domain dates the publication (ScheduledArticle.Publish); the
	// store saves that date and refuses a zero one.
	wantCode(t, "publish without a time", errOf(st.PublishScheduled(ctx, due[0])), newsroom.Invalid, "published_at")
	due[0].Publish(now)
	if !due[0].PublishedAt.Equal(now) {
		t.Errorf("Publish(now) of a never published article: PublishedAt %v; want %v", due[0].PublishedAt, now)
	}
	if ok, err := st.PublishScheduled(ctx, newsroom.ScheduledArticle{ID: soon.ID, Revision: soon.Revision + 5, PublishedAt: now}); err != nil || ok {
		t.Errorf("PublishScheduled with a stale revision = %v, %v", ok, err)
	}
	// Two nodes at once: exactly one publishes.
	var wg sync.WaitGroup
	results := make([]bool, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := st.PublishScheduled(ctx, due[0])
			if err != nil {
				t.Errorf("PublishScheduled: %v", err)
			}
			results[i] = ok
		}()
	}
	wg.Wait()
	n := 0
	for _, ok := range results {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d of 4 concurrent publishes succeeded, want exactly 1", n)
	}
	got := mustGet(t, st, soon.ID)
	if got.Status != newsroom.Published || got.PublishedAt.IsZero() || !got.ScheduledAt.IsZero() || got.Revision != soon.Revision+1 {
		t.Errorf("published article = status %s, published %v, scheduled %v, revision %d", got.Status, got.PublishedAt, got.ScheduledAt, got.Revision)
	}
	if !got.IsPublic(time.Now().Add(time.Second)) {
		t.Errorf("published article is not public")
	}
	revs, err := st.Revisions(ctx, soon.ID)
	if err != nil || len(revs) < 1 || revs[0].Number != got.Revision || revs[0].Headline != "Soon" ||
		revs[0].Reason != newsroom.ReasonScheduler || revs[0].SavedBy != 0 || revs[0].Status != newsroom.Published {
		t.Errorf("revisions after scheduled publication = %+v, %v", revs, err)
	}
	next, err = st.NextScheduled(ctx)
	if err != nil || next.ID != later.ID {
		t.Errorf("NextScheduled after publishing = %+v, %v; want %d", next, err, later.ID)
	}
}
