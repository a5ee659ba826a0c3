package desk_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// entityForm is the registry's entity form as an editor fills it.
func entityForm() url.Values {
	return url.Values{
		"name":         {"Tidewatch"},
		"marker":       {"**"},
		"forms_en":     {"Tidewatch"},
		"forms_ru":     {"Тайдвотч{|а|у|ем|е}"},
		"note_en":      {"registered as a foreign agent"},
		"note_ru":      {"внесён в реестр иностранных агентов"},
		"list":         {"Foreign agents", ""},
		"listed_from":  {"2020-01-01", ""},
		"listed_until": {"", ""},
	}
}

func TestLegalRegistryPages(t *testing.T) { bothDBs(t, testLegalRegistryPages) }

func testLegalRegistryPages(t *testing.T, e *env) {
	ed := e.session(e.users[newsroom.RoleEditor])

	// A story that names the organization before it is registered.
	a := &newsroom.Article{Headline: "Tidewatch editor fined", Body: "The court fined Tidewatch on Monday.",
		Status: newsroom.Published, PublishedAt: e.clock.Now().Add(-time.Hour)}
	if err := e.ed.Create(ctx, e.users[newsroom.RoleEditor], a); err != nil {
		t.Fatal(err)
	}

	// A form without forms is refused, keeping what was typed.
	bad := entityForm()
	bad.Set("forms_en", "")
	bad.Set("forms_ru", "")
	r := ed.post("/desk/legal", bad)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("create without forms: %d", r.status)
	}
	if v, _ := r.doc.Find("#e-name").Attr("value"); v != "Tidewatch" {
		t.Errorf("typed name not kept: %q", v)
	}
	if r.doc.Find("#e-forms .field-error").Length() != 1 || r.doc.Find(`a[href="#e-forms"]`).Length() != 1 {
		t.Errorf("the error does not point at the forms:\n%.600s", r.doc.Find("main").Text())
	}
	bad = entityForm()
	bad["listed_from"] = []string{"someday", ""}
	if r := ed.post("/desk/legal", bad); r.status != http.StatusUnprocessableEntity || r.doc.Find("#e-list .field-error").Length() == 0 {
		t.Errorf("create with a bad date: %d", r.status)
	}

	r = ed.post("/desk/legal", entityForm())
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/desk/legal?saved=created" {
		t.Fatalf("create: %d %s", r.status, r.header.Get("Location"))
	}
	e.legal.Wait()
	got, err := e.store.ArticleByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.HeadlineHTML, `Tidewatch<span class="legal-mark">`+"\u00a0**</span>") || got.Revision != a.Revision {
		t.Errorf("story not re-rendered with the mark (revision %d->%d): %q", a.Revision, got.Revision, got.HeadlineHTML)
	}

	r = ed.get("/desk/legal?saved=created")
	if r.status != http.StatusOK {
		t.Fatalf("list: %d", r.status)
	}
	row := r.doc.Find("table.legal-list tbody tr")
	if row.Length() != 1 || row.Find("td.grow a").Text() != "Tidewatch" || !strings.Contains(row.Text(), "Foreign agents") ||
		row.Find(".badge.listed").Length() != 1 {
		t.Errorf("registry list:\n%s", row.Text())
	}
	if !strings.Contains(r.doc.Find(".legal-progress").Text(), "1 updated") {
		t.Errorf("re-render progress not shown: %q", r.doc.Find(".legal-progress").Text())
	}
	id, _ := row.Find("td.grow a").Attr("href")

	// Edit: the listing ended yesterday; the story loses its mark.
	r = ed.get(id)
	if v, _ := r.doc.Find("#e-forms_ru").Html(); !strings.Contains(v, "Тайдвотч{|а|у|ем|е}") {
		t.Errorf("edit form forms_ru = %q", v)
	}
	form := entityForm()
	form["listed_until"] = []string{"2020-06-01", ""}
	if r := ed.post(id, form); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%.500s", r.status, r.body)
	}
	e.legal.Wait()
	got, _ = e.store.ArticleByID(ctx, a.ID)
	if strings.Contains(got.HeadlineHTML, "**") {
		t.Errorf("mark kept after the listing ended: %q", got.HeadlineHTML)
	}

	// CSV: a malformed row stops the import and nothing is stored.
	csv := "name,list,listed_from,forms_en,note_en\nSalt League,Liquidated,2018-01-01,Salt League,liquidated\nBroken,Liquidated,2018-13-01,Broken,x\n"
	r = ed.post("/desk/legal/import", url.Values{"csv": {csv}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.doc.Find("#legal-error").Text(), "line 3") {
		t.Errorf("malformed import: %d %q", r.status, r.doc.Find("#legal-error").Text())
	}
	if got := r.doc.Find("#l-csv").Text(); got != csv {
		t.Errorf("pasted CSV not kept: %q", got)
	}
	if list, _ := e.store.LegalEntities(ctx); len(list) != 1 {
		t.Errorf("%d entities after a failed import; want 1", len(list))
	}
	r = ed.post("/desk/legal/import", url.Values{"csv": {strings.Replace(csv, "2018-13-01", "2018-12-01", 1)}})
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "created=2") {
		t.Errorf("import: %d %s", r.status, r.header.Get("Location"))
	}
	e.legal.Wait()
	r = ed.get("/desk/legal/export.csv")
	if r.status != http.StatusOK || !strings.HasPrefix(r.body, "name,list,listed_from") || strings.Count(r.body, "\n") != 4 {
		t.Errorf("export: %d %q", r.status, r.body)
	}
	if r := ed.get("/desk/legal?list=Liquidated"); r.doc.Find("table.legal-list tbody tr").Length() != 2 {
		t.Errorf("list filter shows %d rows", r.doc.Find("table.legal-list tbody tr").Length())
	}

	// Only admins set the policy; editors read it.
	if r := ed.get("/desk/legal"); r.doc.Find(`form[action="/desk/legal/policy"]`).Length() != 0 {
		t.Error("an editor sees the policy form")
	}
	admin := e.session(e.users[newsroom.RoleAdmin])
	if r := admin.post("/desk/legal/policy", url.Values{"marking": {"every"}, "notes": {"footnote"}}); r.status != http.StatusSeeOther {
		t.Errorf("policy: %d", r.status)
	}
	if r := admin.post("/desk/legal/policy", url.Values{"marking": {"sometimes"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("bad policy: %d", r.status)
	}
	e.legal.Wait()
	if r := admin.get("/desk/legal"); r.doc.Find(`input[name="notes"][value="footnote"][checked]`).Length() != 1 {
		t.Error("the saved policy is not shown")
	}

	if r := ed.post(id+"/delete", url.Values{}); r.status != http.StatusSeeOther {
		t.Errorf("delete: %d", r.status)
	}
	e.legal.Wait()
	if r := ed.get(id); r.status != http.StatusNotFound {
		t.Errorf("removed entity: %d", r.status)
	}
}

func TestLegalPanelInEditor(t *testing.T) { bothDBs(t, testLegalPanelInEditor) }

func testLegalPanelInEditor(t *testing.T, e *env) {
	ent := &newsroom.LegalEntity{Name: "Tidewatch", Marker: "**", Forms: map[string][]string{"en": {"Tidewatch"}},
		Notes:    map[string]string{"en": "registered as a foreign agent"},
		Listings: []newsroom.LegalListing{{List: "Foreign agents", From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	if err := e.legal.Create(ctx, e.users[newsroom.RoleEditor], ent); err != nil {
		t.Fatal(err)
	}
	e.legal.Wait()
	corr := e.session(e.users[newsroom.RoleCorrespondent])
	a := &newsroom.Article{Headline: "The Tidewatch sails", Body: "The research ship Tidewatch left port.", Status: newsroom.Draft,
		CreatedBy: e.users[newsroom.RoleCorrespondent].ID}
	if err := e.ed.Create(ctx, e.users[newsroom.RoleCorrespondent], a); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/desk/articles/%d", a.ID)

	// The correspondent sees what was found, before publishing, but no switch.
	r := corr.get(path)
	panel := r.doc.Find("#legal")
	if panel.Length() != 1 {
		t.Fatalf("no legal panel in the editor")
	}
	row := panel.Find("tbody tr")
	if row.Length() != 1 || !strings.Contains(row.Text(), "Tidewatch") || !strings.Contains(row.Text(), "headline, body") ||
		row.Find(".state-marked").Length() != 1 {
		t.Errorf("panel row: %q", row.Text())
	}
	if panel.Find("form").Length() != 0 {
		t.Error("a correspondent is offered the switch")
	}
	if r := corr.post(path+fmt.Sprintf("/legal/%d", ent.ID), url.Values{"action": {"off"}, "reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("correspondent switch: %d", r.status)
	}

	// An editor switches it off with a reason, then back on.
	ed := e.session(e.users[newsroom.RoleEditor])
	r = ed.get(path)
	action, _ := r.doc.Find("#legal form").Attr("action")
	if r := ed.post(action, url.Values{"action": {"off"}, "reason": {" "}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("switch off without a reason: %d", r.status)
	}
	r = ed.post(action, url.Values{"action": {"off"}, "reason": {"the research ship, not the outlet"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("switch off: %d %.300s", r.status, r.body)
	}
	r = ed.get(r.header.Get("Location"))
	row = r.doc.Find("#legal tbody tr")
	if row.Find(".state-excluded").Length() != 1 || !strings.Contains(row.Text(), "the research ship, not the outlet") {
		t.Errorf("after switching off: %q", row.Text())
	}
	got, _ := e.store.ArticleByID(ctx, a.ID)
	if strings.Contains(got.BodyHTML+got.HeadlineHTML, "**") || got.Revision != a.Revision+1 {
		t.Errorf("after switching off: revision %d, %q", got.Revision, got.BodyHTML)
	}
	if r := ed.post(action, url.Values{"action": {"on"}}); r.status != http.StatusSeeOther {
		t.Errorf("switch on: %d", r.status)
	}
	got, _ = e.store.ArticleByID(ctx, a.ID)
	if !strings.Contains(got.BodyHTML, "**") || len(got.LegalExclusions) != 0 {
		t.Errorf("after switching on: %q %v", got.BodyHTML, got.LegalExclusions)
	}

	// Published: the switch is recorded with the revision.
	if _, err := e.ed.Update(ctx, e.users[newsroom.RoleEditor], a.ID, got.Revision, func(x *newsroom.Article) error {
		x.Status = newsroom.Published
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if r := ed.post(action, url.Values{"action": {"off"}, "reason": {"a ship"}}); r.status != http.StatusSeeOther {
		t.Fatalf("switch off when published: %d", r.status)
	}
	r = ed.get(path + "/revisions")
	if !strings.Contains(r.doc.Text(), "Legal marker switched off for Tidewatch: a ship") {
		t.Errorf("revision history does not show the switch:\n%.1500s", r.doc.Find("main").Text())
	}
}
