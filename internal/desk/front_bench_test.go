package desk_test

import (
	"fmt"
	"testing"
	"time"

	"newsdesk/internal/desk"
	"newsdesk/internal/newsroom"
)

// yearOfData fills e's SQLite store with a year of a small newsroom: 100
// stories published over the year, their daily views for every day since
// (36,500 rows), the hourly counts the counter keeps (8 days of every
// story: 19,200 rows), arrivals by source, 30 comments and 4 error
// reports a day.
func yearOfData(b *testing.B, e *env) {
	b.Helper()
	if err := e.store.CreateCategory(ctx, &newsroom.Category{Slug: "harbour", Name: "Harbour"}); err != nil {
		b.Fatal(err)
	}
	now := e.clock.Now()
	editor := e.users[newsroom.RoleEditor]
	var ids []int64
	for i := range 100 {
		a := &newsroom.Article{Headline: fmt.Sprintf("Harbour story number %d", i), Body: "Text.", Status: newsroom.Published,
			PublishedAt: now.AddDate(0, 0, -365+i*365/100).Add(-time.Hour), Categories: []newsroom.Category{{Slug: "harbour"}}}
		if err := e.ed.Create(ctx, editor, a); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	db := e.store.DB()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	exec := func(q string, args ...any) {
		if _, err := tx.Exec(q, args...); err != nil {
			b.Fatal(err)
		}
	}
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
	for d := range 365 {
		day := now.AddDate(0, 0, -d)
		for j, id := range ids {
			exec("INSERT INTO article_views (article_id, day, count) VALUES ($1, $2, $3)", id, day.Format(time.DateOnly), 10+j)
		}
		for k, src := range newsroom.Sources {
			exec("INSERT INTO view_sources (day, source, count) VALUES ($1, $2, $3)", day.Format(time.DateOnly), src, 100*(k+1))
		}
		for c := range 30 {
			st := []string{"pending", "approved", "approved", "spam"}[c%4]
			at := ts(day.Add(-time.Duration(c) * time.Minute))
			exec(`INSERT INTO comments (article_id, status, name, body, body_html, created_at, updated_at, status_at)
				VALUES ($1, $2, 'Reader', 'A comment.', '<p>A comment.</p>', $3, $3, $3)`, ids[c%len(ids)], st, at)
		}
		for r := range 4 {
			created := day.Add(-time.Duration(r+1) * time.Hour)
			var resolved any
			status := "open"
			if r%2 == 0 {
				status, resolved = "fixed", ts(created.Add(90*time.Minute))
			}
			exec(`INSERT INTO error_reports (article_id, revision, part, place, exact, status, created_at, updated_at, resolved_at)
				VALUES ($1, 1, 'body', $2, 'Text', $3, $4, $4, $5)`, ids[(d+r)%len(ids)], fmt.Sprintf("p%d-%d", d, r), status, ts(created), resolved)
		}
	}
	hour := now.UTC().Truncate(time.Hour)
	for h := range 8 * 24 {
		n := 0
		for j, id := range ids {
			exec("INSERT INTO article_views_hourly (article_id, hour, count) VALUES ($1, $2, $3)", id, ts(hour.Add(-time.Duration(h)*time.Hour)), 1+(j+h)%7)
			n += 1 + (j+h)%7
		}
		exec("INSERT INTO view_hour_totals (hour, count) VALUES ($1, $2)", ts(hour.Add(-time.Duration(h)*time.Hour)), n)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkFrontPage renders the desk's front page for an editor over
// loopback HTTP on a year of data: "computed" drops the one-minute chart
// cache before every request (every query, every chart drawn), "cached"
// is every other request within the minute.
func BenchmarkFrontPage(b *testing.B) {
	e := newEnv(b)
	yearOfData(b, e)
	c := e.as(newsroom.RoleEditor)
	if r := c.get("/desk/"); r.doc.Find("figure.chart svg").Length() != 5 {
		b.Fatalf("front page: %d charts", r.doc.Find("figure.chart svg").Length())
	}
	b.Run("computed", func(b *testing.B) {
		benchHTTP(b, func(int) int {
			desk.DropFrontCache(e.desk)
			return c.get("/desk/").status
		})
	})
	b.Run("cached", func(b *testing.B) {
		benchHTTP(b, func(int) int { return c.get("/desk/").status })
	})
}
