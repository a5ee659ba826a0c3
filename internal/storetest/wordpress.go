package storetest

import (
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// testImportBatch: one imported post's comments (a thread, kept dates,
// every status) and ledger records are stored together, and a batch that
// fails stores nothing.
func testImportBatch(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, published("Imported with its comments", f.sport, time.Now().Add(-time.Hour)))
	at := time.Date(2024, 3, 14, 10, 0, 0, 0, time.UTC)
	c := func(name string, status newsroom.CommentStatus, min int) *newsroom.Comment {
		return &newsroom.Comment{ArticleID: a.ID, Status: status, Name: name, Body: "Text of " + name, BodyHTML: "<p>Text</p>", CreatedAt: at.Add(time.Duration(min) * time.Minute)}
	}
	b := &newsroom.ImportBatch{Site: "https://old.example", Records: []newsroom.ImportedItem{{Kind: "post", SourceID: "10", LocalID: a.ID, Digest: "d-post"}},
		Comments: []newsroom.CommentImport{
			{Comment: c("first", newsroom.CommentApproved, 0), SourceID: "200", Digest: "d200"},
			{Comment: c("reply", newsroom.CommentApproved, 5), Parent: 1, SourceID: "201", Digest: "d201"},
			{Comment: c("reply to reply", newsroom.CommentPending, 9), Parent: 2, SourceID: "202", Digest: "d202"},
			{Comment: c("spam", newsroom.CommentSpam, 12), SourceID: "203", Digest: "d203"},
		}}
	if err := st.ImportBatch(ctx, b); err != nil {
		t.Fatalf("ImportBatch: %v", err)
	}
	wantCount(t, st, a.ID, 2)
	for i, ci := range b.Comments {
		got, err := st.CommentByID(ctx, ci.Comment.ID)
		if err != nil {
			t.Fatalf("comment %d: %v", i, err)
		}
		var parent int64
		if ci.Parent > 0 {
			parent = b.Comments[ci.Parent-1].Comment.ID
		}
		if got.ParentID != parent || got.Depth != []int{0, 1, 2, 0}[i] || !got.CreatedAt.Equal(ci.Comment.CreatedAt) || got.Status != ci.Comment.Status {
			t.Errorf("comment %d: parent %d depth %d at %v status %s; want parent %d", i, got.ParentID, got.Depth, got.CreatedAt, got.Status, parent)
		}
	}
	recs, err := st.ImportedItemsOf(ctx, "https://old.example", "comment", []string{"200", "201", "202", "203", "999"})
	if err != nil || len(recs) != 4 || recs["201"].LocalID != b.Comments[1].Comment.ID || recs["203"].Digest != "d203" {
		t.Errorf("ImportedItemsOf: %+v %v", recs, err)
	}
	if p, err := st.ImportedItem(ctx, "https://old.example", "post", "10"); err != nil || p.LocalID != a.ID || p.Digest != "d-post" || p.ImportedAt.IsZero() {
		t.Errorf("the post's record: %+v %v", p, err)
	}

	// A reply to a comment that is not there fails the whole batch.
	bad := &newsroom.ImportBatch{Site: "https://old.example", Records: []newsroom.ImportedItem{{Kind: "post", SourceID: "11", LocalID: a.ID, Digest: "x"}},
		Comments: []newsroom.CommentImport{
			{Comment: c("fine", newsroom.CommentApproved, 20), SourceID: "300", Digest: "d300"},
			{Comment: &newsroom.Comment{ArticleID: a.ID, ParentID: 987654, Status: newsroom.CommentApproved, Name: "orphan", Body: "x", BodyHTML: "x", CreatedAt: at}, SourceID: "301", Digest: "d301"},
		}}
	if err := st.ImportBatch(ctx, bad); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("batch with an unknown parent: %v, want Invalid", err)
	}
	wantCount(t, st, a.ID, 2)
	if _, err := st.ImportedItem(ctx, "https://old.example", "post", "11"); !newsroom.IsNotFound(err) {
		t.Errorf("the failed batch's record was kept: %v", err)
	}
	if recs, _ := st.ImportedItemsOf(ctx, "https://old.example", "comment", []string{"300"}); len(recs) != 0 {
		t.Errorf("the failed batch's comment was kept: %+v", recs)
	}
}
