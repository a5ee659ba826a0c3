package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
)

func testCorrections(t *testing.T, st Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, published("Council budget", f.world, time.Now().Add(-time.Hour)))
	wantCode(t, "bad kind", st.AddCorrection(ctx, &newsroom.Correction{ArticleID: a.ID, Kind: "erratum", Text: "x"}), newsroom.Invalid, "kind")
	wantCode(t, "empty text", st.AddCorrection(ctx, &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindCorrection, Text: "  "}), newsroom.Invalid, "text")

	// The domain dates a correction and moves the article's "updated"
	// time to it (Article.Correct); the store saves that date.
	wantCode(t, "no date", st.AddCorrection(ctx, &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindCorrection, Text: "x"}), newsroom.Invalid, "at")
	c1 := &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindCorrection, Text: " The budget is 4 million, not 40. "}
	if err := a.Correct(c1, time.Now()); err != nil {
		t.Fatalf("Correct: %v", err)
	}
	if err := st.AddCorrection(ctx, c1); err != nil {
		t.Fatalf("AddCorrection: %v", err)
	}
	if c1.ID == 0 || c1.At.IsZero() {
		t.Errorf("correction ID %d, At %v; want both set", c1.ID, c1.At)
	}
	got := mustGet(t, st, a.ID)
	if !got.UpdatedAt.Equal(c1.At) || !got.EditedAt.Equal(c1.At) {
		t.Errorf("article UpdatedAt %v, EditedAt %v; want correction time %v", got.UpdatedAt, got.EditedAt, c1.At)
	}
	if got.Revision != a.Revision {
		t.Errorf("a correction changed Revision %d -> %d", a.Revision, got.Revision)
	}
	time.Sleep(2 * time.Millisecond)
	c2 := &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindUpdate, Text: "The council confirmed the figure."}
	if err := a.Correct(c2, time.Now()); err != nil {
		t.Fatalf("Correct: %v", err)
	}
	if err := st.AddCorrection(ctx, c2); err != nil {
		t.Fatalf("AddCorrection: %v", err)
	}
	got = mustGet(t, st, a.ID)
	if diff := cmp.Diff([]newsroom.Correction{*c1, *c2}, got.Corrections, sameTime); diff != "" {
		t.Errorf("Corrections, oldest first (-want +got):\n%s", diff)
	}
}
