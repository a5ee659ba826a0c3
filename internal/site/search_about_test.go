package site

import (
	"testing"

	"newsdesk/internal/newsroom"
)

// Beyond the ranked candidates the store's total is an estimate: the
// summary says "about", in both languages, and the page count stops at the
// candidates.
func TestSearchSummaryEstimate(t *testing.T) {
	v := searchView{Searched: true, Total: 47000, PageNo: 1, Pages: newsroom.SearchCandidates / searchPerPage, Query: "harbour"}
	if got, want := v.Summary("en"), "about 47,000 results · Page 1 of 200"; got != want {
		t.Errorf("en summary = %q, want %q", got, want)
	}
	if got, want := v.Summary("ru"), "около 47\u00a0000 результатов"; len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("ru summary = %q, want it to start %q", got, want)
	}
	v.Total = newsroom.SearchCandidates
	if got, want := v.Summary("en"), "2000 results · Page 1 of 200"; got != want {
		t.Errorf("exact summary = %q, want %q", got, want)
	}
}
