package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
)

func mustCreateUser(t *testing.T, st Store, email string, role newsroom.Role) *newsroom.User {
	t.Helper()
	u := &newsroom.User{Email: email, Name: "User " + email, Role: role, PasswordHash: "$argon2id$fake"}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatalf("CreateUser(%q): %v", email, err)
	}
	return u
}

func testUsers(t *testing.T, st Store) {
	if n, err := st.CountUsers(ctx); err != nil || n != 0 {
		t.Errorf("CountUsers of empty store = %d, %v", n, err)
	}
	ed := mustCreateUser(t, st, " Editor@Example.org ", newsroom.RoleEditor)
	if ed.ID == 0 || ed.CreatedAt.IsZero() || ed.Email != "editor@example.org" {
		t.Errorf("created user = %+v", ed)
	}
	ad := mustCreateUser(t, st, "admin@example.org", newsroom.RoleAdmin)
	wantCode(t, "taken e-mail", st.CreateUser(ctx, &newsroom.User{Email: "EDITOR@example.org", Name: "Twin", Role: newsroom.RoleEditor}), newsroom.Conflict, "email")
	wantCode(t, "bad e-mail", st.CreateUser(ctx, &newsroom.User{Email: "not-an-address", Name: "X", Role: newsroom.RoleEditor}), newsroom.Invalid, "email")
	wantCode(t, "bad role", st.CreateUser(ctx, &newsroom.User{Email: "x@example.org", Name: "X", Role: "owner"}), newsroom.Invalid, "role")

	got, err := st.UserByEmail(ctx, "EDITOR@example.org")
	if err != nil {
		t.Fatalf("UserByEmail: %v", err)
	}
	if diff := cmp.Diff(ed, got, sameTime); diff != "" {
		t.Errorf("UserByEmail (-created +read):\n%s", diff)
	}
	if got, err := st.UserByID(ctx, ad.ID); err != nil || got.Role != newsroom.RoleAdmin || got.PasswordHash != "$argon2id$fake" {
		t.Errorf("UserByID = %+v, %v", got, err)
	}
	users, err := st.ListUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("ListUsers = %v, %v; want 2 users", users, err)
	}
	if n, err := st.CountUsers(ctx); err != nil || n != 2 {
		t.Errorf("CountUsers = %d, %v; want 2", n, err)
	}

	a := mustCreateArticle(t, st, &newsroom.Article{Headline: "By a user", CreatedBy: ed.ID})
	if got := mustGet(t, st, a.ID); got.CreatedBy != ed.ID {
		t.Errorf("CreatedBy = %d; want %d", got.CreatedBy, ed.ID)
	}
	wantCode(t, "unknown creator", st.CreateArticle(ctx, &newsroom.Article{Headline: "By a ghost", CreatedBy: 9999}), newsroom.Invalid, "created_by")
}

func testTokens(t *testing.T, st Store) {
	u := mustCreateUser(t, st, "bot@example.org", newsroom.RoleEditor)
	if err := st.CreateToken(ctx, u.ID, "hash-one"); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if err := st.CreateToken(ctx, u.ID, "hash-two"); err != nil {
		t.Fatalf("CreateToken (second): %v", err)
	}
	for _, h := range []string{"hash-one", "hash-two"} {
		got, err := st.UserByToken(ctx, h)
		if err != nil || got.ID != u.ID {
			t.Errorf("UserByToken(%q) = %+v, %v; want user %d", h, got, err, u.ID)
		}
	}
	_, err := st.UserByToken(ctx, "hash-three")
	wantCode(t, "unknown token", err, newsroom.Unauthorized, "")
	_, err = st.UserByToken(ctx, "")
	wantCode(t, "empty token", err, newsroom.Unauthorized, "")

	off := &newsroom.User{Email: "gone@example.org", Name: "Gone", Role: newsroom.RoleEditor, Disabled: true}
	if err := st.CreateUser(ctx, off); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateToken(ctx, off.ID, "hash-gone"); err != nil {
		t.Fatal(err)
	}
	_, err = st.UserByToken(ctx, "hash-gone")
	wantCode(t, "disabled user's token", err, newsroom.Unauthorized, "")
}

func testSessions(t *testing.T, st Store) {
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

func testInvites(t *testing.T, st Store) {
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
