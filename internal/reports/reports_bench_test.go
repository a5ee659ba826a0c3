package reports_test

import (
	"context"
	"testing"
	"time"

	"newsdesk/internal/demo"
	"newsdesk/internal/editorial"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/reports"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// BenchmarkSubmit files reports of one place of a demo article (each one
// a merge) on SQLite: the work behind POST /api/v1/error-reports.
func BenchmarkSubmit(b *testing.B) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, storetest.SQLitePath(b), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := render.New()
	// A demo story, as long as stories are, without its images.
	a := demo.Articles(time.Now())[0]
	a.ID, a.Status, a.Categories, a.Tags, a.Authors, a.LeadImage = 0, newsroom.Published, nil, nil, nil, nil
	a.PublishedAt, a.ScheduledAt = time.Now().Add(-time.Hour), time.Time{}
	if err := r.Article(a); err != nil {
		b.Fatal(err)
	}
	if err := st.CreateArticle(ctx, a); err != nil {
		b.Fatal(err)
	}
	svc := reports.New(reports.Config{Store: st, Render: r, Editorial: editorial.New(editorial.Config{Store: st, Render: r, Now: time.Now}), PerIP: -1, PerArticle: -1})
	sub := newsroom.ReportSubmission{ArticleID: a.ID, Revision: a.Revision, Quote: newsroom.Quote{Exact: a.Headline},
		Suggestion: a.Headline + "!", IP: "192.0.2.1"}
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Submit(ctx, sub); err != nil {
			b.Fatal(err)
		}
	}
}
