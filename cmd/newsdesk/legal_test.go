package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/api"
	"newsdesk/internal/legal/registry"
	"newsdesk/internal/newsroom"
)

func TestAPILegalEntities(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		editor, _ := mustToken(t, ta, newsroom.RoleEditor)
		corr, _ := mustToken(t, ta, newsroom.RoleCorrespondent)
		mustSection(t, ta, "region", "Region")

		// A story naming an organization that is not in the registry yet.
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", editor, `{"headline":"Tidewatch editor fined",
			"standfirst":"A court fined the editor of Tidewatch","body":"The court said [Tidewatch](https://tidewatch.example/) broke the law. Tidewatch will appeal.",
			"status":"published","categories":["region"],
			"lead_image":{"url":"/media/x.jpg","alt":"A court","caption":"Tidewatch offices"}}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create article: %d %s", res.status, res.body)
		}
		var art api.ArticleJSON
		res.decode(t, &art)
		if len(art.LegalMarks) != 0 {
			t.Fatalf("marked before registering: %v", art.LegalMarks)
		}

		for _, c := range []struct {
			name, token string
			status      int
		}{{"anonymous", "", 401}, {"correspondent", corr, 403}, {"editor", editor, 200}} {
			if res := doJSON(t, ta.srv, "GET", "/api/v1/legal-entities", c.token, ""); res.status != c.status {
				t.Errorf("GET as %s: %d %s; want %d", c.name, res.status, res.body, c.status)
			}
		}

		bad := []struct{ body, field string }{
			{`{"name":"Tidewatch","forms":["Tidewatch"],"notes":{"en":"x"},"list":"Foreign agents"}`, "listed_from"},
			{`{"name":"Tidewatch","forms":["Tidewatch"],"notes":{"en":"x"},"list":"Foreign agents","listed_from":"yesterday"}`, "listed_from"},
			{`{"name":"Tidewatch","forms":"Tidewatch","notes":{"en":"x"},"list":"Foreign agents","listed_from":"2020-01-01"}`, "forms"},
			{`{"name":"","forms":["Tidewatch"],"notes":{"en":"x"},"list":"Foreign agents","listed_from":"2020-01-01"}`, "name"},
			{`{"name":"Tidewatch","forms":["Tidewatch"],"notes":{"en":"x"},"list":"Foreign agents","listed_from":"2020-01-01","listed_until":"2019-01-01"}`, "listed_until"},
			{`{"name":"Tidewatch","forms":["Tidewatch"],"notes":{"en":"x"},"list":"Foreign agents","listed_from":"2020-01-01","colour":"red"}`, "colour"},
		}
		for _, b := range bad {
			res := doJSON(t, ta.srv, "POST", "/api/v1/legal-entities", editor, b.body)
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"`+b.field+`"`) {
				t.Errorf("POST %s: %d %s; want 422 naming %s", b.body, res.status, res.body, b.field)
			}
		}
		if res := doJSON(t, ta.srv, "POST", "/api/v1/legal-entities", corr, `{}`); res.status != http.StatusForbidden {
			t.Errorf("POST as correspondent: %d", res.status)
		}

		res = doJSON(t, ta.srv, "POST", "/api/v1/legal-entities", editor, `{"name":"Tidewatch","forms":["Tidewatch","Тайдвотч{|а|у}"],
			"marker":"**","notes":{"en":"registered as a foreign agent","ru":"внесён в реестр иностранных агентов"},
			"list":"Foreign agents","listed_from":"2020-01-01","listed_until":null}`)
		if res.status != http.StatusCreated {
			t.Fatalf("POST entity: %d %s", res.status, res.body)
		}
		var ent api.LegalEntityJSON
		res.decode(t, &ent)
		if ent.ID == 0 || ent.Marker != "**" || ent.List != "Foreign agents" || ent.ListedFrom != "2020-01-01" || ent.ListedUntil != nil || len(ent.Forms) != 2 {
			t.Errorf("created entity = %+v", ent)
		}
		ta.legal.Wait()

		// The stored article was re-rendered in the background, revision kept.
		path := fmt.Sprintf("/api/v1/articles/%d", art.ID)
		res = doJSON(t, ta.srv, "GET", path, editor, "")
		var got api.ArticleJSON
		res.decode(t, &got)
		wantMarks := []newsroom.LegalMark{
			{Entity: "Tidewatch", Marker: "**", Where: "headline"}, {Entity: "Tidewatch", Marker: "**", Where: "standfirst"},
			{Entity: "Tidewatch", Marker: "**", Where: "body"}, {Entity: "Tidewatch", Marker: "**", Where: "caption"},
		}
		if fmt.Sprint(got.LegalMarks) != fmt.Sprint(wantMarks) || got.Revision != art.Revision {
			t.Errorf("after registering: marks %v revision %d (was %d)", got.LegalMarks, got.Revision, art.Revision)
		}
		if want := `<a href="https://tidewatch.example/">Tidewatch<span class="legal-mark">` + "\u00a0**" + `</span></a><span class="legal-note"> (registered as a foreign agent)</span> broke the law. Tidewatch will appeal.`; !strings.Contains(got.BodyHTML, want) {
			t.Errorf("body_html = %q", got.BodyHTML)
		}

		// The reader's page carries the same marks: headline, standfirst,
		// caption, body, and the title used for sharing.
		doc := getDoc(t, ta, got.URL)
		for sel, want := range map[string]string{
			"h1":                        "Tidewatch\u00a0** editor fined",
			"p.standfirst":              "A court fined the editor of Tidewatch\u00a0**",
			".lead-figure figcaption":   "Tidewatch\u00a0** offices",
			".body span.legal-note":     "(registered as a foreign agent)",
			`meta[property="og:title"]`: "",
		} {
			s := doc.Find(sel)
			text := s.Text()
			if sel == `meta[property="og:title"]` {
				text, _ = s.Attr("content")
				want = "Tidewatch\u00a0** editor fined"
			}
			if !strings.Contains(text, want) {
				t.Errorf("page %s = %q; want it to contain %q", sel, text, want)
			}
		}
		if n := doc.Find(".body span.legal-note").Length(); n != 1 {
			t.Errorf("%d notes on the page; want 1", n)
		}
		// Structured data, the JSON feed and the news sitemap carry the
		// same marked headline; the feed's summary and image title too.
		var ld struct {
			Headline string `json:"headline"`
			Image    []struct {
				Caption string `json:"caption"`
			} `json:"image"`
		}
		if err := json.Unmarshal([]byte(doc.Find(`script[type="application/ld+json"]`).Text()), &ld); err != nil {
			t.Fatalf("JSON-LD: %v", err)
		}
		if ld.Headline != "Tidewatch\u00a0** editor fined" || len(ld.Image) == 0 || ld.Image[0].Caption != "Tidewatch\u00a0** offices" {
			t.Errorf("JSON-LD headline %q, images %+v", ld.Headline, ld.Image)
		}
		res = doJSON(t, ta.srv, "GET", "/feed.json", "", "")
		var jf struct {
			Items []struct {
				Title   string `json:"title"`
				Summary string `json:"summary"`
			} `json:"items"`
		}
		res.decode(t, &jf)
		if len(jf.Items) != 1 || jf.Items[0].Title != "Tidewatch\u00a0** editor fined" || jf.Items[0].Summary != "A court fined the editor of Tidewatch\u00a0**" {
			t.Errorf("JSON feed items = %+v", jf.Items)
		}
		if res := doJSON(t, ta.srv, "GET", "/news-sitemap.xml", "", ""); !strings.Contains(res.body, "<news:title>Tidewatch\u00a0** editor fined</news:title>") {
			t.Errorf("news sitemap:\n%s", res.body)
		}

		// The listing ended before the article was published: marks go.
		yesterday := ta.clock.Now().AddDate(0, 0, -1).Format("2006-01-02")
		res = doJSON(t, ta.srv, "PUT", fmt.Sprintf("/api/v1/legal-entities/%d", ent.ID), editor, `{"name":"Tidewatch","forms":["Tidewatch"],
			"marker":"**","notes":{"en":"registered as a foreign agent"},"list":"Foreign agents","listed_from":"2020-01-01","listed_until":"`+yesterday+`"}`)
		if res.status != http.StatusOK {
			t.Fatalf("PUT entity: %d %s", res.status, res.body)
		}
		ta.legal.Wait()
		res = doJSON(t, ta.srv, "GET", path, editor, "")
		res.decode(t, &got)
		if len(got.LegalMarks) != 0 || strings.Contains(got.BodyHTML, "**") {
			t.Errorf("marks after the listing ended: %v %q", got.LegalMarks, got.BodyHTML)
		}
		res = doJSON(t, ta.srv, "GET", "/api/v1/legal-entities/progress", editor, "")
		var p registry.Progress
		res.decode(t, &p)
		if p.Running || p.Updated != 1 || p.Scanned != 1 {
			t.Errorf("progress = %+v", p)
		}

		// CSV: a malformed row stops the import and nothing is stored.
		csv := "name,list,listed_from,forms_en,note_en\nSalt League,Liquidated,2018-01-01,Salt League,liquidated\nBroken,,2018-01-01,Broken,x\n"
		res = doJSON(t, ta.srv, "POST", "/api/v1/legal-entities/import", editor, csv)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"field":"line:3"`) {
			t.Errorf("malformed import: %d %s", res.status, res.body)
		}
		res = doJSON(t, ta.srv, "GET", "/api/v1/legal-entities", editor, "")
		var list struct {
			Entities []api.LegalEntityJSON `json:"legal_entities"`
			Policy   newsroom.LegalPolicy  `json:"policy"`
		}
		res.decode(t, &list)
		if len(list.Entities) != 1 || list.Policy.Marking != newsroom.MarkFirst || list.Policy.Notes != newsroom.NoteInline {
			t.Errorf("registry after a failed import: %+v", list)
		}
		res = doJSON(t, ta.srv, "POST", "/api/v1/legal-entities/import", editor, strings.Replace(csv, "Broken,,", "Broken,Liquidated,", 1))
		if res.status != http.StatusOK || !strings.Contains(res.body, `"created":2`) {
			t.Errorf("import: %d %s", res.status, res.body)
		}
		ta.legal.Wait()
		res = doJSON(t, ta.srv, "GET", "/api/v1/legal-entities.csv", editor, "")
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") || strings.Count(res.body, "\n") != 4 {
			t.Errorf("export: %d %q", res.status, res.body)
		}

		if res := doJSON(t, ta.srv, "DELETE", fmt.Sprintf("/api/v1/legal-entities/%d", ent.ID), editor, ""); res.status != http.StatusNoContent {
			t.Errorf("DELETE: %d %s", res.status, res.body)
		}
		if res := doJSON(t, ta.srv, "GET", fmt.Sprintf("/api/v1/legal-entities/%d", ent.ID), editor, ""); res.status != http.StatusNotFound {
			t.Errorf("GET removed: %d %s", res.status, res.body)
		}
		ta.legal.Wait()
	})
}

// TestDemoShowsLegalMarks checks the demo: its designated organization is
// in the registry, its articles carry the marks, and the engine alone
// marks them the same way the demo's authors did by hand.
func TestDemoShowsLegalMarks(t *testing.T) {
	ta := newTestApp(t, "", true)
	ctx := context.Background()
	list, err := ta.store.LegalEntities(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "Grey Strait Brotherhood" {
		t.Fatalf("registry after first start = %+v, %v", list, err)
	}
	for _, slug := range []string{"two-men-jailed-for-funding-grey-strait-brotherhood", "sud-v-port-oldere-bratstvo-serogo-proliva"} {
		a, err := ta.store.ArticleBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(a.LegalMarks) != "[{Grey Strait Brotherhood * standfirst} {Grey Strait Brotherhood * body}]" {
			t.Errorf("%s: legal marks %v", slug, a.LegalMarks)
		}
		doc := getDoc(t, ta, a.URL())
		if s := doc.Find("p.standfirst").Text(); !strings.Contains(s, " *") {
			t.Errorf("%s: standfirst %q not marked", slug, s)
		}

		// Strip the hand-written marks and notes and render again: the
		// engine puts them back, in the same places.
		org := demoLegalEntity()
		plain := *a
		note := org.Notes[a.Language]
		plain.Body = strings.Replace(a.Body, " * ("+note+")", "", 1)
		plain.Standfirst = strings.Replace(a.Standfirst, " *", "", 1)
		if plain.Body == a.Body || plain.Standfirst == a.Standfirst {
			t.Fatalf("%s: no hand marks found to strip", slug)
		}
		rendered := &plain
		if err := ta.legal.Render(rendered); err != nil {
			t.Fatal(err)
		}
		norm := func(s string) string {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
			if err != nil {
				t.Fatal(err)
			}
			return strings.ReplaceAll(doc.Text(), "\u00a0", " ")
		}
		if norm(rendered.BodyHTML) != norm(a.BodyHTML) || norm(rendered.StandfirstHTML) != norm(a.StandfirstHTML) {
			t.Errorf("%s: the engine marks differently from the hand marks:\n engine %q\n   hand %q", slug, norm(rendered.BodyHTML), norm(a.BodyHTML))
		}
	}
}

// TestLegalSwitchRunsTheEditorialHooks: main builds one editorial service
// with its hooks and gives it to the legal registry too, so a per-article
// switch made through the registry pokes the scheduler like any other
// save (the registry's own test checks both hooks run).
func TestLegalSwitchRunsTheEditorialHooks(t *testing.T) {
	ta := newTestApp(t, "", false)
	token, editor := mustToken(t, ta, newsroom.RoleEditor)
	mustSection(t, ta, "region", "Region")
	res := doJSON(t, ta.srv, "POST", "/api/v1/legal-entities", token, `{"name":"Tidewatch","forms":["Tidewatch"],"marker":"**",
		"notes":{"en":"registered as a foreign agent"},"list":"Foreign agents","listed_from":"2020-01-01"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("POST entity: %d %s", res.status, res.body)
	}
	var ent api.LegalEntityJSON
	res.decode(t, &ent)
	ta.legal.Wait()
	res = doJSON(t, ta.srv, "POST", "/api/v1/articles", token, `{"headline":"The Tidewatch sails","body":"The research ship Tidewatch left port.",
		"status":"published","categories":["region"]}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create article: %d %s", res.status, res.body)
	}
	var art api.ArticleJSON
	res.decode(t, &art)

	runs := make(chan error, 16)
	ta.desk.Scheduler.OnRun = func(err error) { runs <- err }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ta.desk.Scheduler.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	// The first check, and the one the article's save asked for, then quiet.
	<-runs
	for quiet := false; !quiet; {
		select {
		case <-runs:
		case <-time.After(300 * time.Millisecond):
			quiet = true
		}
	}
	if _, err := ta.legal.SwitchOff(ctx, editor, art.ID, art.Revision, ent.ID, "the research ship, not the outlet"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-runs:
		if err != nil {
			t.Errorf("scheduler check after the switch: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a save through the legal registry did not poke the scheduler: its editorial service lacks main's hooks")
	}
}
