package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"newsdesk/internal/api"
	"newsdesk/internal/newsroom"
)

// publicUpdated is what readers are told about when a story last changed:
// the article page's "updated" time, its JSON-LD dateModified, the JSON
// Feed's date_modified and the API's edited_at.
type publicUpdated struct {
	page, ld, feed, api string
}

func readUpdated(t *testing.T, ta *testApp, id int64) publicUpdated {
	t.Helper()
	var a api.ArticleJSON
	doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/articles/%d", id), "", "").decode(t, &a)
	var u publicUpdated
	if a.EditedAt != nil {
		u.api = a.EditedAt.UTC().Format(time.RFC3339)
	}
	doc := getDoc(t, ta, a.URL)
	u.page = doc.Find(".dateline time.updated").AttrOr("datetime", "")
	var ld struct {
		DateModified string `json:"dateModified"`
	}
	if err := json.Unmarshal([]byte(doc.Find(`script[type="application/ld+json"]`).First().Text()), &ld); err != nil {
		t.Fatalf("JSON-LD of %s: %v", a.URL, err)
	}
	u.ld = ld.DateModified
	res := doJSON(t, ta.srv, "GET", "/feed.json", "", "")
	var feed struct {
		Items []struct {
			URL          string `json:"url"`
			DateModified string `json:"date_modified"`
		} `json:"items"`
	}
	res.decode(t, &feed)
	for _, it := range feed.Items {
		if it.URL == ta.srv.URL+a.URL || len(it.URL) > len(a.URL) && it.URL[len(it.URL)-len(a.URL):] == a.URL {
			u.feed = it.DateModified
		}
	}
	if u.feed == "" {
		t.Fatalf("%s is not in /feed.json: %s", a.URL, res.body)
	}
	return u
}

// sameInstant reports whether two RFC 3339 times (any zone) are one instant.
func sameInstant(t *testing.T, a string, b time.Time) bool {
	t.Helper()
	at, err := time.Parse(time.RFC3339, a)
	if err != nil {
		t.Errorf("time %q: %v", a, err)
		return false
	}
	return at.Equal(b)
}

// TestPublicUpdatedTime: through the real server, a published story's
// public "updated" time (page, JSON-LD, feed, API edited_at) stays when
// an editor changes only its tags or sections, and moves to the time of
// the save when its headline, standfirst, body, lead image or corrections
// change.
func TestPublicUpdatedTime(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSection(t, ta, "region", "Region")
		mustSection(t, ta, "coast", "Coast")
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, `{"headline":"Quay repairs start","standfirst":"The north quay closes.",
			"body":"Divers went down first.","status":"published","categories":["region"],"tags":["quays"],
			"lead_image":{"url":"/media/quay.jpg","caption":"The north quay","alt":"A stone quay"}}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var a api.ArticleJSON
		res.decode(t, &a)
		published := *a.PublishedAt
		path := fmt.Sprintf("/api/v1/articles/%d", a.ID)
		first := readUpdated(t, ta, a.ID)
		if first.page != "" || first.api != "" || !sameInstant(t, first.ld, published) || !sameInstant(t, first.feed, published) {
			t.Fatalf("never edited: %+v; want no updated time and the publication time %v", first, published)
		}

		revision := a.Revision
		patch := func(t *testing.T, fields string) {
			t.Helper()
			ta.clock.Add(time.Hour)
			res := doJSON(t, ta.srv, "PATCH", path, editor, fmt.Sprintf(`{"revision":%d,%s}`, revision, fields))
			if res.status != http.StatusOK {
				t.Fatalf("PATCH %s: %d %s", fields, res.status, res.body)
			}
			var got api.ArticleJSON
			res.decode(t, &got)
			revision = got.Revision
		}
		for _, fields := range []string{`"tags":["quays","harbour-works"]`, `"categories":["region","coast"]`} {
			patch(t, fields)
			if got := readUpdated(t, ta, a.ID); got != first {
				t.Errorf("after %s: %+v; want unchanged %+v", fields, got, first)
			}
		}
		var last publicUpdated
		for _, fields := range []string{
			`"headline":"Quay repairs start on Monday"`,
			`"standfirst":"The north quay closes for a month."`,
			`"body":"Divers inspected the piles first."`,
			`"lead_image":{"url":"/media/quay-2.jpg","caption":"The north quay","alt":"A stone quay"}`,
		} {
			patch(t, fields)
			now := ta.clock.Now()
			got := readUpdated(t, ta, a.ID)
			if !sameInstant(t, got.page, now) || !sameInstant(t, got.ld, now) || !sameInstant(t, got.feed, now) || !sameInstant(t, got.api, now) {
				t.Errorf("after %s: %+v; want every updated time at %v", fields, got, now)
			}
			last = got
		}
		ta.clock.Add(time.Hour)
		res = doJSON(t, ta.srv, "POST", path+"/corrections", editor, `{"kind":"correction","text":"Repairs start on Monday, not Sunday."}`)
		if res.status != http.StatusCreated {
			t.Fatalf("correction: %d %s", res.status, res.body)
		}
		corrected := readUpdated(t, ta, a.ID)
		if now := ta.clock.Now(); !sameInstant(t, corrected.page, now) || !sameInstant(t, corrected.ld, now) || !sameInstant(t, corrected.feed, now) || !sameInstant(t, corrected.api, now) {
			t.Errorf("after a correction: %+v; want every updated time at %v (was %+v)", corrected, now, last)
		}
		// A section-only edit after all that still leaves the time.
		patch(t, `"categories":["region"]`)
		if got := readUpdated(t, ta, a.ID); got != corrected {
			t.Errorf("section-only edit after a correction: %+v; want %+v", got, corrected)
		}
		var got api.ArticleJSON
		doJSON(t, ta.srv, "GET", path, "", "").decode(t, &got)
		if !got.PublishedAt.Equal(published) {
			t.Errorf("PublishedAt moved: %v -> %v", published, got.PublishedAt)
		}
		// The page shows a readable updated line once edited.
		if doc := getDoc(t, ta, got.URL); doc.Find(".dateline time.updated").Length() != 1 {
			t.Errorf("no updated line on the page")
		}
	})
}
