package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// BenchmarkAddRedirects stores old links in batches of 5,000, as the
// WordPress import does, and reports redirects per second.
//
//	go test ./internal/sqlstore -run '^$' -bench AddRedirects -benchtime 4x
func BenchmarkAddRedirects(b *testing.B) {
	dbs := []struct{ name, dsn string }{{"sqlite", storetest.SQLitePath(b)}}
	if os.Getenv(storetest.PostgresEnv) != "" {
		dbs = append(dbs, struct{ name, dsn string }{"postgres", storetest.PostgresDSN(b)})
	}
	for _, db := range dbs {
		n := 0 // the benchmark function runs more than once on one database
		b.Run(db.name, func(b *testing.B) {
			ctx := context.Background()
			st, err := sqlstore.Open(ctx, db.dsn, sqlstore.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			const batch = 5000
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rs := make([]newsroom.Redirect, batch)
				for j := range rs {
					n++
					rs[j] = newsroom.Redirect{From: fmt.Sprintf("/2024/03/%02d/story-%d/", n%28+1, n), To: fmt.Sprintf("/harbour/story-%d", n),
						Status: 301, Source: "wordpress"}
				}
				if added, err := st.AddRedirects(ctx, rs); err != nil || added != batch {
					b.Fatalf("AddRedirects = %d, %v", added, err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "redirects/s")
		})
	}
}
