package storetest

import (
	"sync"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// deskStore is what the desk needs beyond newsroom.Store.
type deskStore interface {
	newsroom.Store
	newsroom.SessionStore
	newsroom.Scheduling
}

// testDesk checks sessions, invites, passwords and scheduled publishing.
func testDesk(t *testing.T, st newsroom.Store) {
	ds, ok := st.(deskStore)
	if !ok {
		t.Skip("store does not implement the desk's interfaces")
	}
	t.Run("Sessions", func(t *testing.T) { testSessions(t, ds) })
	t.Run("Invites", func(t *testing.T) { testInvites(t, ds) })
	t.Run("Scheduling", func(t *testing.T) { testScheduling(t, ds) })
}

func testSessions(t *testing.T, st deskStore) {
	u := mustCreateUser(t, st, "desk@example.org", newsroom.RoleEditor)
	other := mustCreateUser(t, st, "other@example.org", newsroom.RoleEditor)
	now := time.Now().UTC().Truncate(time.Microsecond)
	mk := func(hash string, user int64, expires time.Time) {
		t.Helper()
		if err := st.CreateSession(ctx, &newsroom.Session{IDHash: hash, UserID: user, CSRFToken: "csrf-" + hash,
			CreatedAt: now, LastSeen: now, ExpiresAt: expires}); err != nil {
			t.Fatalf("CreateSession(%s): %v", hash, err)
		}
	}
	mk("s1", u.ID, now.Add(time.Hour))
	mk("s2", u.ID, now.Add(time.Hour))
	mk("s3", other.ID, now.Add(-time.Minute))
	wantCode(t, "session for unknown user", st.CreateSession(ctx, &newsroom.Session{IDHash: "x", UserID: 9999,
		CreatedAt: now, LastSeen: now, ExpiresAt: now}), newsroom.NotFound, "")

	got, err := st.SessionByHash(ctx, "s1")
	if err != nil || got.UserID != u.ID || got.CSRFToken != "csrf-s1" || !got.ExpiresAt.Equal(now.Add(time.Hour)) || !got.CreatedAt.Equal(now) {
		t.Fatalf("SessionByHash = %+v, %v", got, err)
	}
	wantCode(t, "unknown session", errOf(st.SessionByHash(ctx, "nope")), newsroom.NotFound, "")

	later := now.Add(10 * time.Minute)
	if err := st.TouchSession(ctx, "s1", later, later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.SessionByHash(ctx, "s1"); !got.LastSeen.Equal(later) || !got.ExpiresAt.Equal(later.Add(time.Hour)) {
		t.Errorf("after TouchSession: %+v", got)
	}

	if n, err := st.DeleteExpiredSessions(ctx, now); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	if err := st.DeleteUserSessions(ctx, u.ID, "s2"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "s1 after DeleteUserSessions", errOf(st.SessionByHash(ctx, "s1")), newsroom.NotFound, "")
	if _, err := st.SessionByHash(ctx, "s2"); err != nil {
		t.Errorf("kept session gone: %v", err)
	}
	if err := st.DeleteSession(ctx, "s2"); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSession(ctx, "s2"); err != nil {
		t.Errorf("deleting an absent session: %v", err)
	}
	wantCode(t, "s2 after DeleteSession", errOf(st.SessionByHash(ctx, "s2")), newsroom.NotFound, "")

	// Deleting a user ends their sessions; SetPassword replaces the hash.
	if err := st.SetPassword(ctx, u.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.UserByID(ctx, u.ID); got.PasswordHash != "$argon2id$new" {
		t.Errorf("password hash = %q", got.PasswordHash)
	}
	wantCode(t, "SetPassword of unknown user", st.SetPassword(ctx, 9999, "x"), newsroom.NotFound, "")
}

func errOf[T any](_ T, err error) error { return err }

func testInvites(t *testing.T, st deskStore) {
	admin := mustCreateUser(t, st, "chief@example.org", newsroom.RoleAdmin)
	now := time.Now().UTC()
	inv := &newsroom.Invite{TokenHash: "tok1", Email: " New@Example.org ", Role: newsroom.RoleCorrespondent,
		CreatedBy: admin.ID, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if inv.ID == 0 || inv.Email != "new@example.org" || inv.CreatedAt.IsZero() {
		t.Errorf("created invite = %+v", inv)
	}
	wantCode(t, "invite for an existing user", st.CreateInvite(ctx, &newsroom.Invite{TokenHash: "tok2",
		Email: "CHIEF@example.org", Role: newsroom.RoleEditor, ExpiresAt: now.Add(time.Hour)}), newsroom.Conflict, "email")
	wantCode(t, "invite with a bad role", st.CreateInvite(ctx, &newsroom.Invite{TokenHash: "tok3",
		Email: "x@example.org", Role: "owner", ExpiresAt: now.Add(time.Hour)}), newsroom.Invalid, "role")
	expired := &newsroom.Invite{TokenHash: "tok4", Email: "late@example.org", Role: newsroom.RoleModerator, ExpiresAt: now.Add(-time.Second)}
	if err := st.CreateInvite(ctx, expired); err != nil {
		t.Fatal(err)
	}

	got, err := st.InviteByHash(ctx, "tok1")
	if err != nil || got.Email != "new@example.org" || got.Role != newsroom.RoleCorrespondent || got.CreatedBy != admin.ID || !got.Usable(now) {
		t.Fatalf("InviteByHash = %+v, %v", got, err)
	}
	if list, err := st.Invites(ctx); err != nil || len(list) != 2 {
		t.Errorf("Invites = %v, %v; want 2", list, err)
	}

	// Two people accepting at once: one user, one conflict.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.AcceptInvite(ctx, "tok1", &newsroom.User{Name: "Nia Hale", PasswordHash: "$argon2id$x"}, now)
		}()
	}
	wg.Wait()
	okN := 0
	for _, err := range errs {
		if err == nil {
			okN++
		} else if c := newsroom.ErrorCode(err); c != newsroom.Conflict {
			t.Errorf("second accept: %v, want a conflict", err)
		}
	}
	if okN != 1 {
		t.Fatalf("%d accepts succeeded, want 1 (%v)", okN, errs)
	}
	u, err := st.UserByEmail(ctx, "new@example.org")
	if err != nil || u.Name != "Nia Hale" || u.Role != newsroom.RoleCorrespondent {
		t.Errorf("accepted user = %+v, %v", u, err)
	}
	if got, _ := st.InviteByHash(ctx, "tok1"); got.UsedAt.IsZero() || got.Usable(now) {
		t.Errorf("used invite = %+v", got)
	}
	wantCode(t, "expired invite", st.AcceptInvite(ctx, "tok4", &newsroom.User{Name: "Late"}, now), newsroom.Conflict, "invite")
	wantCode(t, "unknown invite", st.AcceptInvite(ctx, "nope", &newsroom.User{Name: "X"}, now), newsroom.NotFound, "")
	if list, _ := st.Invites(ctx); len(list) != 1 {
		t.Errorf("Invites after use = %v; want only the expired one", list)
	}
}

func testScheduling(t *testing.T, st deskStore) {
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
	if ok, err := st.PublishScheduled(ctx, newsroom.ScheduledArticle{ID: soon.ID, Revision: soon.Revision + 5}); err != nil || ok {
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
	if err != nil || len(revs) != 1 || revs[0].Number != got.Revision || revs[0].Headline != "Soon" {
		t.Errorf("revisions after scheduled publication = %+v, %v", revs, err)
	}
	next, err = st.NextScheduled(ctx)
	if err != nil || next.ID != later.ID {
		t.Errorf("NextScheduled after publishing = %+v, %v; want %d", next, err, later.ID)
	}
}
