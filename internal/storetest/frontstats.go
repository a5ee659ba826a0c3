package storetest

import (
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// testFrontStats: hourly and source counts add up, old hours are trimmed,
// deleted articles are skipped; daily views, report and comment days read
// back per day.
func testFrontStats(t *testing.T, st Store) {
	f := newFixture(t, st)
	now := time.Now().UTC().Truncate(time.Hour)
	a := mustCreateArticle(t, st, published("Counted story", f.world, now.Add(-48*time.Hour)))
	day := newsroom.ViewDay(now, time.UTC)
	hourly := map[newsroom.HourKey]int{
		{ArticleID: a.ID, Hour: now}:                          3,
		{ArticleID: a.ID, Hour: now.Add(-time.Hour)}:          2,
		{ArticleID: a.ID, Hour: now.Add(-9 * 24 * time.Hour)}: 7, // older than kept
		{ArticleID: 999999, Hour: now}:                        5, // no such article
	}
	sources := map[newsroom.SourceKey]int{{Day: day, Source: newsroom.SourceSearch}: 4, {Day: day, Source: newsroom.SourceDirect}: 1}
	for range 2 {
		if err := st.AddViewDetail(ctx, hourly, sources); err != nil {
			t.Fatal(err)
		}
	}
	// The old hour stays until the trim (one node's job), which drops it
	// and its total and nothing newer.
	got, err := st.HourlyViews(ctx, now.Add(-10*24*time.Hour), now.Add(time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Count != 14 {
		t.Errorf("hourly views before the trim: %+v", got)
	}
	if n, err := st.TrimViewHours(ctx, now.Add(-newsroom.HourlyViewsKept)); err != nil || n != 2 {
		t.Errorf("TrimViewHours = %d, %v; want 2 rows (the old hour's count and its total)", n, err)
	}
	if n, err := st.TrimViewHours(ctx, now.Add(-newsroom.HourlyViewsKept)); err != nil || n != 0 {
		t.Errorf("second TrimViewHours = %d, %v; want nothing left to drop", n, err)
	}
	got, err = st.HourlyViews(ctx, now.Add(-10*24*time.Hour), now.Add(time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Count != 4 || got[1].Count != 6 || !got[1].Hour.Equal(now) || got[0].ArticleID != a.ID {
		t.Errorf("hourly views: %+v", got)
	}
	if old, err := st.HourlyTotals(ctx, now.Add(-10*24*time.Hour), now.Add(-8*24*time.Hour)); err != nil || len(old) != 0 {
		t.Errorf("hour totals of the trimmed hour: %+v %v", old, err)
	}
	if only, err := st.HourlyViews(ctx, now.Add(-time.Hour), now.Add(time.Hour), []int64{a.ID + 1}); err != nil || len(only) != 0 {
		t.Errorf("hourly views of another article: %v %v", only, err)
	}
	totals, err := st.HourlyTotals(ctx, now.Add(-2*time.Hour), now.Add(time.Hour))
	if err != nil || len(totals) != 2 || totals[1].Count != 6 || !totals[1].Hour.Equal(now) {
		t.Errorf("hourly totals: %+v %v", totals, err)
	}
	sums, err := st.HourlySums(ctx, now.Add(-2*time.Hour), nil, 5)
	if err != nil || len(sums) != 1 || sums[0].ArticleID != a.ID || sums[0].Count != 10 {
		t.Errorf("hourly sums: %+v %v", sums, err)
	}
	src, err := st.ViewSources(ctx, day.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	if len(src) != 2 || src[0].Key != newsroom.SourceDirect || src[0].Count != 2 || src[1].Count != 8 || !src[1].Day.Equal(day) {
		t.Errorf("sources: %+v", src)
	}
	if err := st.AddViews(ctx, day, map[int64]int{a.ID: 9}); err != nil {
		t.Fatal(err)
	}
	daily, err := st.DailyViews(ctx, a.ID, day.AddDate(0, 0, -7))
	if err != nil || len(daily) != 1 || daily[0].Count != 9 || !daily[0].Day.Equal(day) {
		t.Errorf("daily views: %+v %v", daily, err)
	}
	reports, took, err := st.ReportDays(ctx, now.Add(-24*time.Hour))
	if err != nil || len(reports) != 0 || len(took) != 0 {
		t.Errorf("report days of none: %v %v %v", reports, took, err)
	}
	comments, err := st.CommentDays(ctx, now.Add(-24*time.Hour))
	if err != nil || len(comments) != 0 {
		t.Errorf("comment days of none: %v %v", comments, err)
	}
}
