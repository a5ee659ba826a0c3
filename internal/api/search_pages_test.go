package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

// TestSearchPagesStopAtTheRankedCandidates: a search with more matches
// than the store ranks says its total is an estimate, and its page count
// stops where the ranked candidates end, so every page it offers has
// results (the count used to follow the estimate: pages past the 2,000th
// result came back empty).
func TestSearchPagesStopAtTheRankedCandidates(t *testing.T) {
	e := newEnv(t)
	const n = newsroom.SearchCandidates + 500
	l, err := e.st.BeginAppend(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first, err := l.MaxID(ctx, "articles")
	if err != nil {
		t.Fatal(err)
	}
	num := func(n int64) any { return json.Number(strconv.FormatInt(n, 10)) }
	base := e.clock.Now().Add(-time.Hour)
	i := 0
	loaded, err := l.Load(ctx, "articles", []string{"id", "slug", "status", "headline", "body", "body_html", "headline_html",
		"language", "published_at", "created_at", "updated_at", "revision"}, func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		at := base.Add(-time.Duration(i) * time.Minute).UTC().Format("2006-01-02T15:04:05.000000Z")
		h := fmt.Sprintf("Kelp harvest report number %d", i)
		return []any{num(first + int64(i)), fmt.Sprintf("kelp-report-%d", i), "published", h, "The kelp came in.\n",
			"<p>The kelp came in.</p>\n", h, "en", at, at, at, num(1)}, nil
	})
	if err != nil || loaded != n {
		t.Fatalf("loaded %d of %d: %v", loaded, n, err)
	}
	if err := l.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.st.RebuildDerived(ctx); err != nil {
		t.Fatal(err)
	}

	type list struct {
		Articles       []api.ArticleJSON `json:"articles"`
		Total          int               `json:"total"`
		TotalEstimated bool              `json:"total_estimated"`
		Pages          int               `json:"pages"`
	}
	get := func(page int) list {
		t.Helper()
		res := e.do("GET", fmt.Sprintf("/api/v1/articles?q=kelp&page=%d", page), "", "")
		if res.status != http.StatusOK {
			t.Fatalf("page %d: %d %s", page, res.status, res.body)
		}
		return decode[list](t, res)
	}
	p1 := get(1)
	if p1.Total <= newsroom.SearchCandidates || !p1.TotalEstimated {
		t.Fatalf("total %d, estimated %v: want more than %d, marked as an estimate", p1.Total, p1.TotalEstimated, newsroom.SearchCandidates)
	}
	if want := newsroom.SearchCandidates / 20; p1.Pages != want {
		t.Fatalf("pages = %d for %d matches, want %d (the ranked candidates, 20 a page)", p1.Pages, p1.Total, want)
	}
	if last := get(p1.Pages); len(last.Articles) == 0 {
		t.Fatalf("the last page offered (%d) is empty", p1.Pages)
	}

	// Under the bound the total is exact and not marked.
	small := decode[list](t, e.do("GET", "/api/v1/articles?q=%22number+7%22", "", ""))
	if small.TotalEstimated || small.Total == 0 || small.Pages != (small.Total+19)/20 {
		t.Fatalf("a small search: total %d, estimated %v, pages %d", small.Total, small.TotalEstimated, small.Pages)
	}
}
