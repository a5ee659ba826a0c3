package storetest

import (
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

func testPeople(t *testing.T, st Store) {
	u := mustCreateUser(t, st, "role@example.org", newsroom.RoleCorrespondent)
	if err := st.SetUserRole(ctx, u.ID, newsroom.RoleEditor); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.UserByID(ctx, u.ID); got.Role != newsroom.RoleEditor || !got.LastSignInAt.IsZero() {
		t.Errorf("after role change: %+v", got)
	}
	wantCode(t, "unknown role", st.SetUserRole(ctx, u.ID, "owner"), newsroom.Invalid, "role")
	wantCode(t, "unknown user", st.SetUserRole(ctx, 99999, newsroom.RoleEditor), newsroom.NotFound, "")

	at := time.Date(2026, 5, 1, 8, 30, 0, 0, time.UTC)
	if err := st.RecordSignIn(ctx, u.ID, at); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.UserByEmail(ctx, u.Email); !got.LastSignInAt.Equal(at) {
		t.Errorf("last sign-in = %v, want %v", got.LastSignInAt, at)
	}

	now := time.Now().UTC().Truncate(time.Second)
	for i, h := range []string{"sess-a", "sess-b"} {
		seen := now.Add(time.Duration(i) * time.Minute)
		if err := st.CreateSession(ctx, &newsroom.Session{IDHash: h, UserID: u.ID, CSRFToken: "c", CreatedAt: now, LastSeen: seen, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := st.UserSessions(ctx, u.ID)
	if err != nil || len(list) != 2 || list[0].IDHash != "sess-b" {
		t.Fatalf("UserSessions = %+v, %v; want sess-b first", list, err)
	}
	if other, _ := st.UserSessions(ctx, 99999); len(other) != 0 {
		t.Errorf("sessions of nobody = %v", other)
	}

	// One pending invite per address: the second replaces the first.
	first := &newsroom.Invite{TokenHash: "inv-1", Email: "twice@example.org", Role: newsroom.RoleCorrespondent, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreateInvite(ctx, first); err != nil || first.Replaced {
		t.Fatalf("first invite: %v (replaced %v)", err, first.Replaced)
	}
	second := &newsroom.Invite{TokenHash: "inv-2", Email: "Twice@example.org", Role: newsroom.RoleEditor, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreateInvite(ctx, second); err != nil || !second.Replaced {
		t.Fatalf("second invite: %v (replaced %v), want replaced", err, second.Replaced)
	}
	if _, err := st.InviteByHash(ctx, "inv-1"); !newsroom.IsNotFound(err) {
		t.Errorf("the replaced invite still works: %v", err)
	}
	if list, _ := st.Invites(ctx); len(list) != 1 || list[0].Role != newsroom.RoleEditor {
		t.Errorf("pending invites = %+v, want the second only", list)
	}
	// Sent again: a new token, a new expiry; the old link stops working.
	renewed, err := st.RenewInvite(ctx, second.ID, "inv-3", now.Add(48*time.Hour))
	if err != nil || renewed.TokenHash != "inv-3" || !renewed.ExpiresAt.Equal(now.Add(48*time.Hour)) || renewed.Email != "twice@example.org" {
		t.Fatalf("RenewInvite = %+v, %v", renewed, err)
	}
	if _, err := st.InviteByHash(ctx, "inv-2"); !newsroom.IsNotFound(err) {
		t.Errorf("the old link of a renewed invite still works: %v", err)
	}
	if err := st.RevokeInvite(ctx, second.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := st.Invites(ctx); len(list) != 0 {
		t.Errorf("invites after revoking = %+v", list)
	}
	wantCode(t, "revoke again", st.RevokeInvite(ctx, second.ID), newsroom.NotFound, "")
	if _, err := st.RenewInvite(ctx, second.ID, "inv-4", now.Add(time.Hour)); !newsroom.IsNotFound(err) {
		t.Errorf("renew a revoked invite: %v", err)
	}
	// A used invite is neither revoked nor renewed.
	used := &newsroom.Invite{TokenHash: "inv-5", Email: "used@example.org", Role: newsroom.RoleModerator, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreateInvite(ctx, used); err != nil {
		t.Fatal(err)
	}
	if err := st.AcceptInvite(ctx, "inv-5", &newsroom.User{Name: "Used", PasswordHash: "x"}, now); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "revoke a used invite", st.RevokeInvite(ctx, used.ID), newsroom.NotFound, "")
}

func testPasswordResets(t *testing.T, st Store) {
	u := mustCreateUser(t, st, "forgot@example.org", newsroom.RoleEditor)
	now := time.Now().UTC()
	if err := st.CreateSession(ctx, &newsroom.Session{IDHash: "s1", UserID: u.ID, CSRFToken: "c", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	old := &newsroom.PasswordReset{TokenHash: "r-old", UserID: u.ID, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreatePasswordReset(ctx, old); err != nil || old.CreatedAt.IsZero() {
		t.Fatalf("CreatePasswordReset: %v", err)
	}
	r := &newsroom.PasswordReset{TokenHash: "r-new", UserID: u.ID, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreatePasswordReset(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UsePasswordReset(ctx, "r-old", "$new", now); newsroom.ErrorCode(err) != newsroom.NotFound {
		t.Errorf("an older link still works: %v", err)
	}
	wantCode(t, "reset for nobody", st.CreatePasswordReset(ctx, &newsroom.PasswordReset{TokenHash: "r-x", UserID: 99999, ExpiresAt: now.Add(time.Hour)}), newsroom.NotFound, "")
	if _, err := st.UsePasswordReset(ctx, "r-new", "$new", now.Add(2*time.Hour)); newsroom.ErrorCode(err) != newsroom.NotFound {
		t.Errorf("an expired link works: %v", err)
	}
	got, err := st.UsePasswordReset(ctx, "r-new", "$new", now)
	if err != nil || got.ID != u.ID || got.PasswordHash != "$new" {
		t.Fatalf("UsePasswordReset = %+v, %v", got, err)
	}
	if _, err := st.SessionByHash(ctx, "s1"); !newsroom.IsNotFound(err) {
		t.Errorf("a session outlived the reset: %v", err)
	}
	if _, err := st.UsePasswordReset(ctx, "r-new", "$again", now); newsroom.ErrorCode(err) != newsroom.NotFound {
		t.Errorf("a link works twice: %v", err)
	}
	if u2, _ := st.UserByID(ctx, u.ID); u2.PasswordHash != "$new" {
		t.Errorf("password hash = %q", u2.PasswordHash)
	}
}

func testStaffAuthors(t *testing.T, st Store) {
	a := mustCreateUser(t, st, "ana@example.org", newsroom.RoleCorrespondent)
	b := &newsroom.User{Email: "ana2@example.org", Name: a.Name, Role: newsroom.RoleEditor, PasswordHash: "x"}
	if err := st.CreateUser(ctx, b); err != nil {
		t.Fatal(err)
	}
	pa, err := st.AuthorByUserID(ctx, a.ID)
	if err != nil || pa.Name != a.Name || pa.Label != newsroom.LabelStaff || pa.UserID != a.ID || pa.Slug == "" {
		t.Fatalf("profile of a new account = %+v, %v", pa, err)
	}
	pb, err := st.AuthorByUserID(ctx, b.ID)
	if err != nil || pb.Slug == pa.Slug {
		t.Errorf("two accounts of one name: slugs %q and %q (%v)", pa.Slug, pb.Slug, err)
	}
	if _, err := st.AuthorByUserID(ctx, 99999); !newsroom.IsNotFound(err) {
		t.Errorf("profile of nobody: %v", err)
	}
	inv := &newsroom.Invite{TokenHash: "staff-inv", Email: "invited@example.org", Role: newsroom.RoleCorrespondent, ExpiresAt: time.Now().Add(time.Hour)}
	if err := st.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	u := &newsroom.User{Name: "Ines Invited", PasswordHash: "x"}
	if err := st.AcceptInvite(ctx, "staff-inv", u, time.Now()); err != nil {
		t.Fatal(err)
	}
	if p, err := st.AuthorByUserID(ctx, u.ID); err != nil || p.Name != "Ines Invited" || p.Slug != "ines-invited" {
		t.Errorf("profile of an invited account = %+v, %v", p, err)
	}
}

func testTwoFactor(t *testing.T, st Store) {
	u := mustCreateUser(t, st, "second@example.org", newsroom.RoleEditor)
	if got, _ := st.UserByID(ctx, u.ID); got.TwoFactor() {
		t.Fatal("a new account has a second factor")
	}
	if err := st.EnableTwoFactor(ctx, u.ID, "SECRET", []string{"h1", "h2"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.UserByEmail(ctx, u.Email); got.TOTPSecret != "SECRET" || !got.TwoFactor() {
		t.Errorf("after enabling: %+v", got)
	}
	for i, want := range []bool{true, false, true} {
		step := []int64{100, 100, 101}[i]
		if ok, err := st.UseTOTPStep(ctx, u.ID, step); err != nil || ok != want {
			t.Errorf("step %d: %v, %v; want %v", step, ok, err, want)
		}
	}
	if ok, _ := st.UseTOTPStep(ctx, u.ID, 99); ok {
		t.Error("an older step is accepted")
	}
	if ok, err := st.UseRecoveryCode(ctx, u.ID, "h1"); err != nil || !ok {
		t.Errorf("recovery code: %v, %v", ok, err)
	}
	if ok, _ := st.UseRecoveryCode(ctx, u.ID, "h1"); ok {
		t.Error("a recovery code works twice")
	}
	if ok, _ := st.UseRecoveryCode(ctx, u.ID, "nope"); ok {
		t.Error("an unknown code works")
	}
	if n, _ := st.RecoveryCodesLeft(ctx, u.ID); n != 1 {
		t.Errorf("codes left = %d, want 1", n)
	}
	if err := st.DisableTwoFactor(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.UserByID(ctx, u.ID); got.TwoFactor() {
		t.Error("still a second factor after disabling")
	}
	if n, _ := st.RecoveryCodesLeft(ctx, u.ID); n != 0 {
		t.Errorf("codes left after disabling = %d", n)
	}
	wantCode(t, "unknown user", st.EnableTwoFactor(ctx, 99999, "S", nil), newsroom.NotFound, "")
}

func testSignInSteps(t *testing.T, st Store) {
	u := mustCreateUser(t, st, "steps@example.org", newsroom.RoleEditor)
	now := time.Now().UTC()
	mk := func(id string, exp time.Time) {
		t.Helper()
		if err := st.CreateSignInStep(ctx, &newsroom.SignInStep{IDHash: id, UserID: u.ID, Pair: "pair-key", Next: "/desk/x", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
	}
	mk("step-a", now.Add(5*time.Minute))
	got, err := st.SignInStep(ctx, "step-a", now)
	if err != nil || got.UserID != u.ID || got.Pair != "pair-key" || got.Next != "/desk/x" || got.Tries != 0 ||
		!got.ExpiresAt.Equal(now.Add(5*time.Minute).Truncate(time.Microsecond)) {
		t.Fatalf("step = %+v, %v", got, err)
	}
	_, err = st.SignInStep(ctx, "step-a", now.Add(6*time.Minute))
	wantCode(t, "expired step", err, newsroom.NotFound, "")
	_, err = st.SignInStep(ctx, "nope", now)
	wantCode(t, "unknown step", err, newsroom.NotFound, "")
	wantCode(t, "unknown user", st.CreateSignInStep(ctx, &newsroom.SignInStep{IDHash: "step-z", UserID: 99999, ExpiresAt: now.Add(time.Minute)}), newsroom.NotFound, "")
	wantCode(t, "empty id", st.CreateSignInStep(ctx, &newsroom.SignInStep{UserID: u.ID, ExpiresAt: now.Add(time.Minute)}), newsroom.Invalid, "")

	// Wrong codes are counted; the step goes at the limit.
	for i, wantGone := range []bool{false, false, true} {
		gone, err := st.FailSignInStep(ctx, "step-a", 3)
		if err != nil || gone != wantGone {
			t.Errorf("fail %d: gone %v, %v; want %v", i+1, gone, err, wantGone)
		}
		if i == 1 {
			if got, _ := st.SignInStep(ctx, "step-a", now); got == nil || got.Tries != 2 {
				t.Errorf("after two wrong codes: %+v", got)
			}
		}
	}
	if _, err := st.SignInStep(ctx, "step-a", now); !newsroom.IsNotFound(err) {
		t.Errorf("a step after its last try: %v", err)
	}
	if gone, err := st.FailSignInStep(ctx, "step-a", 3); err != nil || !gone {
		t.Errorf("failing a gone step: %v, %v", gone, err)
	}

	// Single use: one delete wins.
	mk("step-b", now.Add(5*time.Minute))
	if ok, err := st.DeleteSignInStep(ctx, "step-b"); err != nil || !ok {
		t.Errorf("delete: %v, %v", ok, err)
	}
	if ok, _ := st.DeleteSignInStep(ctx, "step-b"); ok {
		t.Error("a step is deleted twice")
	}
	if _, err := st.SignInStep(ctx, "step-b", now); !newsroom.IsNotFound(err) {
		t.Errorf("a used step: %v", err)
	}

	// Expired steps are cleaned when a new one is made.
	mk("step-old", time.Now().Add(-time.Minute))
	mk("step-c", now.Add(5*time.Minute))
	if ok, _ := st.DeleteSignInStep(ctx, "step-old"); ok {
		t.Error("an expired step was kept")
	}
}
