package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// BenchmarkImportBatch writes what one imported post brings (its ledger
// record and three comments, one a reply, each with its record) in one
// ImportBatch (or, for comparison, one write at a time as before
// batches), and reports posts per second.
//
//	go test ./internal/sqlstore -run '^$' -bench ImportBatch -benchtime 500x
func BenchmarkImportBatch(b *testing.B) {
	dbs := []struct{ name, dsn string }{{"sqlite", storetest.SQLitePath(b)}}
	if os.Getenv(storetest.PostgresEnv) != "" {
		dbs = append(dbs, struct{ name, dsn string }{"postgres", storetest.PostgresDSN(b)})
	}
	for _, db := range dbs {
		for _, oneByOne := range []bool{false, true} {
			n := 0
			name := db.name + "/batch"
			if oneByOne {
				name = db.name + "/one-by-one"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				st, err := sqlstore.Open(ctx, db.dsn, sqlstore.Options{})
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				a := &newsroom.Article{Headline: "Imported", Slug: fmt.Sprintf("imported-%d", time.Now().UnixNano()), Status: newsroom.Published,
					PublishedAt: time.Now().Add(-time.Hour), Body: "x", BodyHTML: "<p>x</p>"}
				if err := st.CreateArticle(ctx, a); err != nil {
					b.Fatal(err)
				}
				at := time.Date(2024, 3, 14, 10, 0, 0, 0, time.UTC)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					n++
					c := func(k int) *newsroom.Comment {
						return &newsroom.Comment{ArticleID: a.ID, Status: newsroom.CommentApproved, Name: "Reader", Body: "A comment.", BodyHTML: "<p>A comment.</p>", CreatedAt: at}
					}
					batch := &newsroom.ImportBatch{Site: "https://old.example",
						Records: []newsroom.ImportedItem{{Kind: "post", SourceID: fmt.Sprint(name, n), LocalID: a.ID, Digest: "d"}},
						Comments: []newsroom.CommentImport{
							{Comment: c(0), SourceID: fmt.Sprint(name, n, "a"), Digest: "d"},
							{Comment: c(1), Parent: 1, SourceID: fmt.Sprint(name, n, "b"), Digest: "d"},
							{Comment: c(2), SourceID: fmt.Sprint(name, n, "c"), Digest: "d"},
						}}
					if !oneByOne {
						if err := st.ImportBatch(ctx, batch); err != nil {
							b.Fatal(err)
						}
						continue
					}
					// As the import wrote before batches: a lookup, a write and a
					// ledger record per comment, each its own transaction.
					for _, ci := range batch.Comments {
						if _, err := st.ImportedItem(ctx, batch.Site, "comment", ci.SourceID); !newsroom.IsNotFound(err) {
							b.Fatal(err)
						}
						if ci.Parent > 0 {
							ci.Comment.ParentID = batch.Comments[ci.Parent-1].Comment.ID
						}
						if err := st.ImportComment(ctx, ci.Comment); err != nil {
							b.Fatal(err)
						}
						if err := st.RecordImport(ctx, &newsroom.ImportedItem{Site: batch.Site, Kind: "comment", SourceID: ci.SourceID, LocalID: ci.Comment.ID, Digest: ci.Digest}); err != nil {
							b.Fatal(err)
						}
					}
					rec := batch.Records[0]
					rec.Site = batch.Site
					if err := st.RecordImport(ctx, &rec); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
			})
		}
	}
}
