package storetest

import (
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

func testPresence(t *testing.T, st Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, published("Open twice", f.world, time.Now()))
	b := mustCreateArticle(t, st, published("Open elsewhere", f.world, time.Now()))
	ana := mustCreateUser(t, st, "ana.presence@example.org", newsroom.RoleEditor)
	ben := mustCreateUser(t, st, "ben.presence@example.org", newsroom.RoleCorrespondent)
	now := time.Now().UTC().Truncate(time.Millisecond)

	wantCode(t, "unknown article", st.TouchPresence(ctx, a.ID+b.ID+999, ana.ID, now), newsroom.NotFound, "")
	if err := st.TouchPresence(ctx, a.ID, ana.ID, now.Add(-30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := st.TouchPresence(ctx, a.ID, ben.ID, now.Add(-10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := st.TouchPresence(ctx, b.ID, ben.ID, now); err != nil {
		t.Fatal(err)
	}
	// A second heartbeat moves the time on, never adds a row.
	if err := st.TouchPresence(ctx, a.ID, ana.ID, now.Add(-20*time.Second)); err != nil {
		t.Fatal(err)
	}
	got, err := st.Present(ctx, a.ID, 0, now)
	if err != nil || len(got) != 2 || got[0].UserID != ben.ID || got[0].Name != ben.Name ||
		!got[0].SeenAt.Equal(now.Add(-10*time.Second)) || got[1].UserID != ana.ID || !got[1].SeenAt.Equal(now.Add(-20*time.Second)) {
		t.Fatalf("Present = %+v, %v; want ben then ana", got, err)
	}
	// Each sees the other, not themselves.
	if got, _ := st.Present(ctx, a.ID, ana.ID, now); len(got) != 1 || got[0].UserID != ben.ID {
		t.Errorf("Present except ana = %+v", got)
	}
	// Past the TTL a heartbeat no longer counts, and a later heartbeat
	// removes the stale row.
	later := now.Add(newsroom.PresenceTTL - 15*time.Second)
	if got, _ := st.Present(ctx, a.ID, 0, later); len(got) != 1 || got[0].UserID != ben.ID {
		t.Errorf("Present after ana's TTL = %+v; want ben only", got)
	}
	if err := st.TouchPresence(ctx, b.ID, ben.ID, later); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Present(ctx, a.ID, 0, now); len(got) != 1 || got[0].UserID != ben.ID {
		t.Errorf("Present after the sweep (at the old time) = %+v; ana's stale row should be gone", got)
	}
	if err := st.LeavePresence(ctx, b.ID, ben.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Present(ctx, b.ID, 0, later); err != nil || len(got) != 0 {
		t.Errorf("Present after leaving = %+v, %v", got, err)
	}
}
