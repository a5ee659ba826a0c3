package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// testErrorReports checks newsroom.ErrorReportStore: merging by place,
// listing, resolving (and forgetting addresses), moving, blocking, the
// editors' digest and the readers' notices.
func testErrorReports(t *testing.T, st Store) {
	f := newFixture(t, st)
	a := mustCreateArticle(t, st, &newsroom.Article{Headline: "Ferry timetable changes", Body: "Teh ferry leaves at nine.",
		Status: newsroom.Published, PublishedAt: time.Now(), Categories: []newsroom.Category{f.world}})
	b := mustCreateArticle(t, st, &newsroom.Article{Headline: "Harbour dues rise", Body: "Dues rise by a thrid.",
		Status: newsroom.Published, PublishedAt: time.Now(), Categories: []newsroom.Category{f.world}})

	place := func(art *newsroom.Article, p string) *newsroom.ErrorReport {
		return &newsroom.ErrorReport{ArticleID: art.ID, Revision: art.Revision, Part: newsroom.PartBody, Place: p,
			Quote: newsroom.Quote{Exact: "Teh", Suffix: " ferry leaves"}, After: " ferry leaves at nine."}
	}
	file := func(r *newsroom.ErrorReport, sg newsroom.ReportSuggestion) bool {
		t.Helper()
		merged, err := st.FileErrorReport(ctx, r, &sg)
		if err != nil {
			t.Fatalf("FileErrorReport: %v", err)
		}
		if sg.ID == 0 || sg.CreatedAt.IsZero() {
			t.Errorf("suggestion not stamped: %+v", sg)
		}
		return merged
	}

	// The first report of a place is new; more readers merge into it.
	r1 := place(a, "body:0-3")
	if file(r1, newsroom.ReportSuggestion{Text: "The", Comment: "typo", Email: "one@example.com", IP: "192.0.2.1"}) {
		t.Error("first report says merged")
	}
	if r1.ID == 0 || r1.Status != newsroom.ReportOpen || r1.Count != 1 || r1.CreatedAt.IsZero() {
		t.Errorf("first report = %+v", r1)
	}
	r2 := place(a, "body:0-3")
	if !file(r2, newsroom.ReportSuggestion{Text: "The ", IP: "192.0.2.2"}) || r2.ID != r1.ID || r2.Count != 2 {
		t.Errorf("second reader: id %d count %d, want merged into %d with count 2", r2.ID, r2.Count, r1.ID)
	}
	r3 := place(a, "body:0-3")
	if !file(r3, newsroom.ReportSuggestion{Comment: "again", IP: "192.0.2.2"}) || r3.Count != 2 {
		t.Errorf("same reader again: count %d, want 2 (one reader counts once)", r3.Count)
	}
	other := place(a, "body:5-10")
	other.Exact = "ferry"
	if file(other, newsroom.ReportSuggestion{Text: "boat", IP: "192.0.2.3", Email: "three@example.com"}) || other.ID == r1.ID {
		t.Error("another place merged into the first")
	}
	onB := place(b, "body:0-3")
	if file(onB, newsroom.ReportSuggestion{Text: "x", IP: "192.0.2.9"}) {
		t.Error("same place key on another article merged")
	}
	if _, err := st.FileErrorReport(ctx, place(&newsroom.Article{ID: a.ID + 1000}, "body:0-3"), &newsroom.ReportSuggestion{}); !newsroom.IsNotFound(err) {
		t.Errorf("report on a missing article: %v, want not found", err)
	}

	got, err := st.ErrorReportByID(ctx, r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Suggestions) != 3 || got.Suggestions[0].Text != "The" || got.Suggestions[0].Email != "one@example.com" ||
		got.Suggestions[2].Comment != "again" || got.After != " ferry leaves at nine." || got.Exact != "Teh" {
		t.Errorf("report by id = %+v", got)
	}
	if _, err := st.ErrorReportByID(ctx, 999999); !newsroom.IsNotFound(err) {
		t.Errorf("missing report: %v", err)
	}

	// Listing: open first, then by the latest report; filters; counts.
	list, total, err := st.FindErrorReports(ctx, newsroom.ErrorReportFilter{ArticleID: a.ID})
	if err != nil || total != 2 || len(list) != 2 {
		t.Fatalf("find by article: %d reports (total %d), %v", len(list), total, err)
	}
	if n, _ := st.CountErrorReports(ctx, newsroom.ReportOpen); n != 3 {
		t.Errorf("open count = %d, want 3", n)
	}

	// Resolving forgets addresses: IPs always, e-mails unless fixed.
	if err := st.ResolveErrorReport(ctx, r1.ID, newsroom.ReportFixed, 0); err != nil {
		t.Fatal(err)
	}
	got, _ = st.ErrorReportByID(ctx, r1.ID)
	if got.Status != newsroom.ReportFixed || got.ResolvedAt.IsZero() || got.Suggestions[0].IP != "" || got.Suggestions[0].Email != "one@example.com" {
		t.Errorf("fixed report = %+v", got)
	}
	if err := st.ResolveErrorReport(ctx, other.ID, newsroom.ReportRejected, 0); err != nil {
		t.Fatal(err)
	}
	got, _ = st.ErrorReportByID(ctx, other.ID)
	if got.Suggestions[0].Email != "" || got.Suggestions[0].IP != "" {
		t.Errorf("rejected report keeps addresses: %+v", got.Suggestions[0])
	}
	if err := st.ResolveErrorReport(ctx, 999999, newsroom.ReportSpam, 0); !newsroom.IsNotFound(err) {
		t.Errorf("resolve missing: %v", err)
	}
	if err := st.ResolveErrorReport(ctx, r1.ID, "bogus", 0); newsroom.ErrorCode(err) != newsroom.Invalid {
		t.Errorf("resolve with a bad status: %v", err)
	}
	list, _, _ = st.FindErrorReports(ctx, newsroom.ErrorReportFilter{})
	if len(list) != 3 || list[0].Status != newsroom.ReportOpen {
		t.Errorf("open reports must come first: %v", statuses(list))
	}
	list, total, _ = st.FindErrorReports(ctx, newsroom.ErrorReportFilter{Status: newsroom.ReportFixed})
	if total != 1 || list[0].ID != r1.ID {
		t.Errorf("fixed filter: %d", total)
	}

	// A new report of a fixed place opens a new item; reopening the old
	// one would make two open reports of one place.
	again := place(a, "body:0-3")
	if file(again, newsroom.ReportSuggestion{Text: "The", IP: "192.0.2.1"}) || again.ID == r1.ID {
		t.Error("a report of a fixed place merged into it")
	}
	if err := st.ResolveErrorReport(ctx, r1.ID, newsroom.ReportOpen, 0); newsroom.ErrorCode(err) != newsroom.Conflict {
		t.Errorf("reopen onto an open place: %v, want conflict", err)
	}

	// Moving follows an edit; moving onto an open report merges the two.
	if err := st.MoveErrorReport(ctx, again.ID, a.Revision+1, "body:10-13"); err != nil {
		t.Fatal(err)
	}
	moved, _ := st.ErrorReportByID(ctx, again.ID)
	if moved.Place != "body:10-13" || moved.Revision != a.Revision+1 {
		t.Errorf("moved = %+v", moved)
	}
	late := place(a, "body:20-23")
	file(late, newsroom.ReportSuggestion{Comment: "late", IP: "192.0.2.7"})
	if err := st.MoveErrorReport(ctx, late.ID, a.Revision+1, "body:10-13"); err != nil {
		t.Fatal(err)
	}
	moved, _ = st.ErrorReportByID(ctx, again.ID)
	if moved.Count != 2 || len(moved.Suggestions) != 2 {
		t.Errorf("merged by move: count %d, %d suggestions", moved.Count, len(moved.Suggestions))
	}
	if _, err := st.ErrorReportByID(ctx, late.ID); !newsroom.IsNotFound(err) {
		t.Errorf("merged report still there: %v", err)
	}

	// Spam: block the senders, then resolve.
	if blocked, _ := st.IPBlocked(ctx, "192.0.2.9"); blocked {
		t.Error("blocked before blocking")
	}
	if n, err := st.BlockReporters(ctx, onB.ID); err != nil || n != 1 {
		t.Errorf("BlockReporters = %d, %v", n, err)
	}
	if n, _ := st.BlockReporters(ctx, onB.ID); n != 0 {
		t.Errorf("blocking twice added %d", n)
	}
	if blocked, err := st.IPBlocked(ctx, "192.0.2.9"); err != nil || !blocked {
		t.Errorf("IPBlocked = %v, %v", blocked, err)
	}

	// The digest sees every reader's report once.
	items, err := st.UndigestedReports(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 7 || items[0].Headline != a.Headline || items[0].Suggestion.Text != "The" || items[0].Report.Exact != "Teh" {
		t.Fatalf("undigested = %d items, first %+v", len(items), items[0])
	}
	var ids []int64
	for _, it := range items[:5] {
		ids = append(ids, it.SuggestionID)
	}
	if err := st.MarkDigested(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if items, _ = st.UndigestedReports(ctx, 100); len(items) != 2 {
		t.Errorf("after marking, %d undigested, want 2", len(items))
	}

	// Readers who left an address hear about fixed reports only.
	notices, err := st.ReaderNotices(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0].Email != "one@example.com" || notices[0].Headline != a.Headline || notices[0].Report.Exact != "Teh" {
		t.Fatalf("notices = %+v", notices)
	}
	if err := st.ForgetReporterEmail(ctx, notices[0].SuggestionID); err != nil {
		t.Fatal(err)
	}
	if notices, _ = st.ReaderNotices(ctx, 10); len(notices) != 0 {
		t.Errorf("notice after forgetting: %+v", notices)
	}

	t.Run("Concurrent", func(t *testing.T) { testErrorReportsConcurrent(t, st, f) })
}

// testErrorReportsConcurrent files reports of one place from many readers
// at once: they all merge into one report.
func testErrorReportsConcurrent(t *testing.T, st Store, f *fixture) {
	a := mustCreateArticle(t, st, &newsroom.Article{Headline: "Busy story", Body: "Teh end.",
		Status: newsroom.Published, PublishedAt: time.Now(), Categories: []newsroom.Category{f.world}})
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &newsroom.ErrorReport{ArticleID: a.ID, Revision: 1, Part: newsroom.PartBody, Place: "body:0-3",
				Quote: newsroom.Quote{Exact: "Teh"}}
			if _, err := st.FileErrorReport(ctx, r, &newsroom.ReportSuggestion{IP: fmt.Sprintf("198.51.100.%d", i)}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent FileErrorReport: %v", err)
	}
	list, total, err := st.FindErrorReports(ctx, newsroom.ErrorReportFilter{ArticleID: a.ID})
	if err != nil || total != 1 || list[0].Count != n || len(list[0].Suggestions) != n {
		t.Fatalf("after %d concurrent reports: total %d, %v", n, total, err)
	}
}

func statuses(list []*newsroom.ErrorReport) []newsroom.ReportStatus {
	var out []newsroom.ReportStatus
	for _, r := range list {
		out = append(out, r.Status)
	}
	return out
}
