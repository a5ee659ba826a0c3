package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdesk/internal/newsroom"
)

// testComments runs the comment store's conformance tests; it is one entry
// in Run's list.
func testComments(t *testing.T, st Store) {
	f := newFixture(t, st)
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, st Store, f *fixture)
	}{
		{"CreateAndRead", testCommentCreateAndRead},
		{"Counts", testCommentCounts},
		{"Find", testCommentFind},
		{"Update", testCommentUpdate},
		{"Purge", testCommentPurge},
		{"AuthorLookups", testCommentAuthorLookups},
		{"ConcurrentPosts", testCommentConcurrent},
		{"ImportBatch", testImportBatch},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, st, f) })
	}
}

func mustComment(t *testing.T, st Store, c *newsroom.Comment) *newsroom.Comment {
	t.Helper()
	if c.Name == "" {
		c.Name = "Reader"
	}
	if c.Body == "" {
		c.Body = "A comment."
		c.BodyHTML = "<p>A comment.</p>\n"
	}
	if c.Status == "" {
		c.Status = newsroom.CommentApproved
	}
	if err := st.CreateComment(ctx, c); err != nil {
		t.Fatalf("CreateComment(%q): %v", c.Body, err)
	}
	if c.ID == 0 {
		t.Fatal("CreateComment left ID zero")
	}
	return c
}

func wantCount(t *testing.T, st Store, articleID int64, want int) {
	t.Helper()
	if got := mustGet(t, st, articleID).CommentCount; got != want {
		t.Errorf("article %d comment_count = %d; want %d", articleID, got, want)
	}
	list, _ := find(t, st, newsroom.ArticleFilter{})
	for _, a := range list {
		if a.ID == articleID && a.CommentCount != want {
			t.Errorf("listing: article %d comment_count = %d; want %d", articleID, a.CommentCount, want)
		}
	}
}

var commentOpts = []cmp.Option{sameTime, cmpopts.EquateEmpty()}

func testCommentCreateAndRead(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, published("Harbour ferry returns", f.world, time.Now().Add(-time.Hour)))
	user := mustCreateUser(t, st, "desk-reply@example.com", newsroom.RoleModerator)
	before := time.Now().Add(-time.Second)
	c := mustComment(t, st, &newsroom.Comment{
		ArticleID: a.ID, Status: newsroom.CommentPending, Name: "Ása Lind", Email: "asa@example.org",
		Website: "https://asa.example/blog", Body: "First line\nsecond <b>line</b>", BodyHTML: "<p>First line<br>\nsecond &lt;b&gt;line&lt;/b&gt;</p>\n",
		IP: "192.0.2.7", UserAgent: "Mozilla/5.0 (test)", AuthorKey: "abc123",
	})
	if c.CreatedAt.Before(before) || !c.CreatedAt.Equal(c.UpdatedAt) || !c.CreatedAt.Equal(c.StatusAt) {
		t.Errorf("times: created %v updated %v status %v", c.CreatedAt, c.UpdatedAt, c.StatusAt)
	}
	got, err := st.CommentByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, got, commentOpts...); diff != "" {
		t.Errorf("CommentByID differs from what was stored (-want +got):\n%s", diff)
	}
	reply := mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, ParentID: c.ID, Depth: 1, Name: "Desk", UserID: user.ID, Staff: true})
	got, err = st.CommentByID(ctx, reply.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ParentID != c.ID || got.Depth != 1 || !got.Staff || got.UserID != user.ID {
		t.Errorf("reply read back as parent %d depth %d staff %v user %d", got.ParentID, got.Depth, got.Staff, got.UserID)
	}
	many, err := st.CommentsByID(ctx, []int64{c.ID, reply.ID, 999999})
	if err != nil || len(many) != 2 {
		t.Errorf("CommentsByID = %d comments, %v; want 2", len(many), err)
	}
	if none, err := st.CommentsByID(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("CommentsByID(nil) = %v, %v", none, err)
	}

	_, err = st.CommentByID(ctx, 999999)
	wantCode(t, "CommentByID(unknown)", err, newsroom.NotFound, "")
	err = st.CreateComment(ctx, &newsroom.Comment{ArticleID: 999999, Status: newsroom.CommentApproved, Name: "x", Body: "x"})
	wantCode(t, "CreateComment(unknown article)", err, newsroom.NotFound, "")
	err = st.CreateComment(ctx, &newsroom.Comment{ArticleID: a.ID, ParentID: 999999, Status: newsroom.CommentApproved, Name: "x", Body: "x"})
	wantCode(t, "CreateComment(unknown parent)", err, newsroom.Invalid, "parent_id")
	err = st.CreateComment(ctx, &newsroom.Comment{ArticleID: a.ID, Status: "published", Name: "x", Body: "x"})
	wantCode(t, "CreateComment(bad status)", err, newsroom.Invalid, "status")
	if list, total, _ := st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID}); total != 2 || len(list) != 2 {
		t.Errorf("after refused creates: %d comments; want 2 (nothing stored on error)", total)
	}
}

func testCommentCounts(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, published("Counting comments", f.sport, time.Now().Add(-time.Hour)))
	b := mustCreateArticle(t, st, published("Other story", f.sport, time.Now().Add(-time.Hour)))
	wantCount(t, st, a.ID, 0)
	c1 := mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, Status: newsroom.CommentApproved})
	c2 := mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, Status: newsroom.CommentPending})
	c3 := mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, Status: newsroom.CommentSpam})
	mustComment(t, st, &newsroom.Comment{ArticleID: b.ID, Status: newsroom.CommentApproved})
	wantCount(t, st, a.ID, 1)
	wantCount(t, st, b.ID, 1)

	n, err := st.SetCommentStatus(ctx, []int64{c2.ID, c3.ID, 999999}, newsroom.CommentApproved)
	if err != nil || n != 2 {
		t.Errorf("approve two (and an unknown id) = %d, %v; want 2", n, err)
	}
	wantCount(t, st, a.ID, 3)
	if n, _ := st.SetCommentStatus(ctx, []int64{c2.ID}, newsroom.CommentApproved); n != 0 {
		t.Errorf("approving an approved comment changed %d; want 0", n)
	}
	if _, err := st.SetCommentStatus(ctx, []int64{c1.ID}, newsroom.CommentTrash); err != nil {
		t.Fatal(err)
	}
	wantCount(t, st, a.ID, 2)
	got, _ := st.CommentByID(ctx, c1.ID)
	if got.Status != newsroom.CommentTrash || !got.StatusAt.After(c1.StatusAt) && !got.StatusAt.Equal(c1.StatusAt) {
		t.Errorf("trashed comment: status %s, status_at %v (was %v)", got.Status, got.StatusAt, c1.StatusAt)
	}
	if _, err := st.SetCommentStatus(ctx, []int64{c2.ID}, newsroom.CommentPending); err != nil {
		t.Fatal(err)
	}
	wantCount(t, st, a.ID, 1)
	_, err = st.SetCommentStatus(ctx, []int64{c2.ID}, "deleted")
	wantCode(t, "SetCommentStatus(bad)", err, newsroom.Invalid, "status")
	wantCount(t, st, b.ID, 1)

	counts, err := st.CountComments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range newsroom.CommentStatuses {
		if _, ok := counts[s]; !ok {
			t.Errorf("CountComments has no %s", s)
		}
	}
	if counts[newsroom.CommentTrash] < 1 || counts[newsroom.CommentPending] < 1 {
		t.Errorf("CountComments = %v", counts)
	}
	for _, s := range newsroom.CommentStatuses {
		if n, err := st.CountCommentsWith(ctx, s); err != nil || n != counts[s] {
			t.Errorf("CountCommentsWith(%s) = %d, %v; CountComments says %d", s, n, err, counts[s])
		}
	}
	_, err = st.CountCommentsWith(ctx, "deleted")
	wantCode(t, "CountCommentsWith(bad)", err, newsroom.Invalid, "status")
	// Saving the article keeps the count.
	art := mustGet(t, st, a.ID)
	art.Headline = "Counting comments, again"
	mustUpdate(t, st, art)
	wantCount(t, st, a.ID, 1)
}

func testCommentFind(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, published("Finding comments", f.europe, time.Now().Add(-time.Hour)))
	var made []*newsroom.Comment
	for i := range 7 {
		status := newsroom.CommentApproved
		if i%3 == 2 {
			status = newsroom.CommentPending
		}
		made = append(made, mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, Status: status,
			Name: fmt.Sprintf("Reader %d", i), Body: fmt.Sprintf("Comment number %d about the pier_%%", i)}))
	}
	list, total, err := st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID, Status: newsroom.CommentApproved, OldestFirst: true, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if total != 5 || len(list) != 3 || list[0].ID != made[0].ID || list[1].ID != made[1].ID || list[2].ID != made[3].ID {
		t.Errorf("approved, oldest first, 3 of them: total %d, ids %v", total, commentIDs(list))
	}
	list, total, _ = st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID, Limit: 2, Offset: 6})
	if total != 7 || len(list) != 1 || list[0].ID != made[0].ID {
		t.Errorf("newest first, last page: total %d, ids %v; want [%d]", total, commentIDs(list), made[0].ID)
	}
	list, total, _ = st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID, Offset: 100})
	if total != 7 || len(list) != 0 {
		t.Errorf("past the end: total %d, %d comments", total, len(list))
	}
	list, _, _ = st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID, Query: "number 4"})
	if len(list) != 1 || list[0].ID != made[4].ID {
		t.Errorf("query 'number 4' = %v", commentIDs(list))
	}
	if list, _, _ = st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID, Query: "pier_%"}); len(list) != 7 {
		t.Errorf("query with LIKE wildcards found %d; want 7", len(list))
	}
	if list, _, _ = st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID, Query: "p_er"}); len(list) != 0 {
		t.Errorf("'_' matched as a wildcard: %d", len(list))
	}
	mid := made[3].CreatedAt
	list, _, _ = st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID, Since: mid, OldestFirst: true})
	for _, c := range list {
		if !c.CreatedAt.After(mid) {
			t.Errorf("Since %v returned comment made at %v", mid, c.CreatedAt)
		}
	}
	list, _, _ = st.FindComments(ctx, newsroom.CommentFilter{ArticleID: a.ID, Until: mid})
	for _, c := range list {
		if c.CreatedAt.After(mid) {
			t.Errorf("Until %v returned comment made at %v", mid, c.CreatedAt)
		}
	}
	if len(list) < 4 {
		t.Errorf("Until the fourth comment found %d; want at least 4", len(list))
	}
}

func commentIDs(list []*newsroom.Comment) []int64 {
	out := []int64{}
	for _, c := range list {
		out = append(out, c.ID)
	}
	return out
}

func testCommentUpdate(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, published("Editing comments", f.world, time.Now().Add(-time.Hour)))
	c := mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, Name: "Typo Nmae", Email: "t@example.org"})
	c.Name, c.Body, c.BodyHTML, c.Website = "Typo Name", "Fixed text.", "<p>Fixed text.</p>\n", "https://t.example"
	if err := st.UpdateComment(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, _ := st.CommentByID(ctx, c.ID)
	if got.Name != "Typo Name" || got.Body != "Fixed text." || got.BodyHTML != "<p>Fixed text.</p>\n" || got.Website != "https://t.example" {
		t.Errorf("after UpdateComment: %+v", got)
	}
	if got.UpdatedAt.Before(got.CreatedAt) || got.Status != newsroom.CommentApproved {
		t.Errorf("after UpdateComment: updated %v created %v status %s", got.UpdatedAt, got.CreatedAt, got.Status)
	}
	wantCount(t, st, a.ID, 1)
	err := st.UpdateComment(ctx, &newsroom.Comment{ID: 999999, Name: "x", Body: "x"})
	wantCode(t, "UpdateComment(unknown)", err, newsroom.NotFound, "")
}

func testCommentPurge(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, published("Emptying the trash", f.world, time.Now().Add(-time.Hour)))
	parent := mustComment(t, st, &newsroom.Comment{ArticleID: a.ID})
	reply := mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, ParentID: parent.ID, Depth: 1})
	keep := mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, Status: newsroom.CommentSpam})
	if _, err := st.SetCommentStatus(ctx, []int64{parent.ID}, newsroom.CommentTrash); err != nil {
		t.Fatal(err)
	}
	counts, err := st.CountComments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := st.PurgeComments(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("purge before an hour ago = %d, %v; want 0", n, err)
	}
	if n, err := st.PurgeComments(ctx, time.Now().Add(time.Hour)); err != nil || n != counts[newsroom.CommentTrash] {
		t.Errorf("purge all trash = %d, %v; want %d", n, err, counts[newsroom.CommentTrash])
	}
	if after, _ := st.CountComments(ctx); after[newsroom.CommentTrash] != 0 {
		t.Errorf("trash after purge: %d", after[newsroom.CommentTrash])
	}
	_, err = st.CommentByID(ctx, parent.ID)
	wantCode(t, "purged comment", err, newsroom.NotFound, "")
	got, err := st.CommentByID(ctx, reply.ID)
	if err != nil || got.ParentID != 0 {
		t.Errorf("reply to a purged comment: %+v, %v; want kept without parent", got, err)
	}
	if _, err := st.CommentByID(ctx, keep.ID); err != nil {
		t.Errorf("spam was purged with the trash: %v", err)
	}
	wantCount(t, st, a.ID, 1)
}

func testCommentAuthorLookups(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, published("Known readers", f.world, time.Now().Add(-time.Hour)))
	if ok, err := st.HasApprovedComment(ctx, "known@example.org"); err != nil || ok {
		t.Errorf("HasApprovedComment before any = %v, %v", ok, err)
	}
	mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, Email: "held@example.org", Status: newsroom.CommentPending, IP: "198.51.100.9"})
	mustComment(t, st, &newsroom.Comment{ArticleID: a.ID, Email: "known@example.org", IP: "198.51.100.9"})
	if ok, _ := st.HasApprovedComment(ctx, "Known@Example.org"); !ok {
		t.Error("HasApprovedComment is false for an approved author (any case)")
	}
	if ok, _ := st.HasApprovedComment(ctx, "held@example.org"); ok {
		t.Error("HasApprovedComment is true for an author with only a pending comment")
	}
	if ok, _ := st.HasApprovedComment(ctx, ""); ok {
		t.Error("HasApprovedComment is true for an empty address")
	}
	last, err := st.LastCommentAt(ctx, "198.51.100.9")
	if err != nil || last.IsZero() || time.Since(last) > time.Minute {
		t.Errorf("LastCommentAt = %v, %v", last, err)
	}
	if last, err := st.LastCommentAt(ctx, "203.0.113.1"); err != nil || !last.IsZero() {
		t.Errorf("LastCommentAt(new ip) = %v, %v; want zero", last, err)
	}
}

func testCommentConcurrent(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, published("Busy thread", f.world, time.Now().Add(-time.Hour)))
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &newsroom.Comment{ArticleID: a.ID, Status: newsroom.CommentApproved, Name: "R", Body: fmt.Sprint(i), BodyHTML: "x"}
			if err := st.CreateComment(ctx, c); err != nil {
				t.Errorf("concurrent CreateComment: %v", err)
				return
			}
			if i%2 == 0 {
				if _, err := st.SetCommentStatus(ctx, []int64{c.ID}, newsroom.CommentPending); err != nil {
					t.Errorf("concurrent SetCommentStatus: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	wantCount(t, st, a.ID, n/2)
}
