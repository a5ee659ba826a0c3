package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdesk/internal/newsroom"
)

func date(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func legalEntity(name string) newsroom.LegalEntity {
	return newsroom.LegalEntity{
		Name:     name,
		Forms:    map[string][]string{"en": {name}, "ru": {"Орден{|а|у}"}},
		Notes:    map[string]string{"en": "the organization is banned", "ru": "организация запрещена"},
		Listings: []newsroom.LegalListing{{List: "Banned", From: date("2019-03-14")}, {List: "Terrorist", From: date("2020-01-01"), Until: date("2025-04-17")}},
	}
}

var ignoreLegalTimes = cmpopts.IgnoreFields(newsroom.LegalEntity{}, "CreatedAt", "UpdatedAt")

func mustCreateLegal(t *testing.T, st Store, e newsroom.LegalEntity) newsroom.LegalEntity {
	t.Helper()
	if err := st.CreateLegalEntity(ctx, &e); err != nil {
		t.Fatalf("CreateLegalEntity(%q): %v", e.Name, err)
	}
	return e
}

func testLegalCRUD(t *testing.T, st Store) {
	v0, err := st.LegalRegistryVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	order := mustCreateLegal(t, st, legalEntity("Order of the Tide"))
	if order.ID == 0 || order.Marker != "*" || order.CreatedAt.IsZero() {
		t.Fatalf("created %+v; want an ID, the default marker and times", order)
	}
	agent := legalEntity("Coast Watch")
	agent.Marker, agent.IgnoreCase = "**", true
	agent = mustCreateLegal(t, st, agent)

	got, err := st.LegalEntity(ctx, order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(order, *got, ignoreLegalTimes); diff != "" {
		t.Errorf("LegalEntity (-created +read):\n%s", diff)
	}
	list, err := st.LegalEntities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "Coast Watch" || list[1].Name != "Order of the Tide" || !list[0].IgnoreCase {
		t.Errorf("LegalEntities = %+v; want both, by name", list)
	}

	order.Listings[0].Until = date("2026-01-01")
	order.Notes["en"] = "the organization is liquidated"
	if err := st.UpdateLegalEntity(ctx, &order); err != nil {
		t.Fatal(err)
	}
	got, _ = st.LegalEntity(ctx, order.ID)
	if !got.Listings[0].Until.Equal(date("2026-01-01")) || got.Notes["en"] != "the organization is liquidated" {
		t.Errorf("after update: %+v", got)
	}
	dup := agent
	dup.Name = "Order of the Tide"
	wantCode(t, "rename onto another name", st.UpdateLegalEntity(ctx, &dup), newsroom.Conflict, "name")

	removed, err := st.DeleteLegalEntity(ctx, agent.ID)
	if err != nil || removed.Name != "Coast Watch" {
		t.Fatalf("DeleteLegalEntity = %+v, %v", removed, err)
	}
	_, err = st.LegalEntity(ctx, agent.ID)
	wantCode(t, "read removed", err, newsroom.NotFound, "")
	_, err = st.DeleteLegalEntity(ctx, agent.ID)
	wantCode(t, "delete twice", err, newsroom.NotFound, "")
	ghost := order
	ghost.ID = 99999
	wantCode(t, "update unknown", st.UpdateLegalEntity(ctx, &ghost), newsroom.NotFound, "")

	v1, err := st.LegalRegistryVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 != v0+4 { // two creates, an update, a delete
		t.Errorf("version went from %d to %d; want +4", v0, v1)
	}
}

func testLegalRejects(t *testing.T, st Store) {
	mustCreateLegal(t, st, legalEntity("Order of the Tide"))
	tests := []struct {
		name  string
		edit  func(e *newsroom.LegalEntity)
		code  newsroom.Code
		field string
	}{
		{"no name", func(e *newsroom.LegalEntity) { e.Name = "  " }, newsroom.Invalid, "name"},
		{"taken name", func(e *newsroom.LegalEntity) {}, newsroom.Conflict, "name"},
		{"no forms", func(e *newsroom.LegalEntity) { e.Name = "X"; e.Forms = map[string][]string{"en": {" "}} }, newsroom.Invalid, "forms"},
		{"unbalanced braces", func(e *newsroom.LegalEntity) { e.Name = "X"; e.Forms = map[string][]string{"ru": {"Орден{а|у"}} }, newsroom.Invalid, "forms"},
		{"letter marker", func(e *newsroom.LegalEntity) { e.Name = "X"; e.Marker = "x" }, newsroom.Invalid, "marker"},
		{"no note", func(e *newsroom.LegalEntity) { e.Name = "X"; e.Notes = nil }, newsroom.Invalid, "notes"},
		{"no list", func(e *newsroom.LegalEntity) { e.Name = "X"; e.Listings = nil }, newsroom.Invalid, "list"},
		{"no listing date", func(e *newsroom.LegalEntity) { e.Name = "X"; e.Listings[0].From = time.Time{} }, newsroom.Invalid, "listed_from"},
		{"removed before listed", func(e *newsroom.LegalEntity) { e.Name = "X"; e.Listings[0].Until = date("2019-01-01") }, newsroom.Invalid, "listed_until"},
	}
	for _, tt := range tests {
		e := legalEntity("Order of the Tide")
		tt.edit(&e)
		wantCode(t, tt.name, st.CreateLegalEntity(ctx, &e), tt.code, tt.field)
	}
	if list, _ := st.LegalEntities(ctx); len(list) != 1 {
		t.Errorf("rejected entities were stored: %d in the registry", len(list))
	}
}

func testLegalImport(t *testing.T, st Store) {
	old := mustCreateLegal(t, st, legalEntity("Order of the Tide"))
	changed := legalEntity("Order of the Tide")
	changed.Marker = "**"
	ch, err := st.ImportLegalEntities(ctx, []newsroom.LegalEntity{changed, legalEntity("Salt League")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Before) != 1 || ch.Before[0].Marker != "*" || len(ch.After) != 2 || ch.After[0].ID != old.ID || ch.After[1].ID == 0 {
		t.Errorf("change = %+v; want the replaced entity before, both after with IDs", ch)
	}
	list, _ := st.LegalEntities(ctx)
	if len(list) != 2 || list[0].Name != "Order of the Tide" || list[0].Marker != "**" || list[0].ID != old.ID {
		t.Errorf("after import: %+v", list)
	}
}

func testLegalImportBadRow(t *testing.T, st Store) {
	mustCreateLegal(t, st, legalEntity("Order of the Tide"))
	v0, _ := st.LegalRegistryVersion(ctx)
	bad := legalEntity("Broken")
	bad.Listings[0].From = time.Time{}
	good := legalEntity("Salt League")
	changed := legalEntity("Order of the Tide")
	changed.Marker = "**"
	_, err := st.ImportLegalEntities(ctx, []newsroom.LegalEntity{good, changed, bad})
	wantCode(t, "import with a bad third row", err, newsroom.Invalid, "row:3")
	if e := newsroom.AsError(err); e == nil || !strings.Contains(e.Message, "listed_from") {
		t.Errorf("error %v does not name the field", err)
	}
	_, err = st.ImportLegalEntities(ctx, []newsroom.LegalEntity{good, legalEntity("Salt League")})
	wantCode(t, "import with a name twice", err, newsroom.Invalid, "row:2")
	list, _ := st.LegalEntities(ctx)
	if len(list) != 1 || list[0].Marker != "*" {
		t.Errorf("a failed import stored something: %+v", list)
	}
	if v1, _ := st.LegalRegistryVersion(ctx); v1 != v0 {
		t.Errorf("a failed import moved the version from %d to %d", v0, v1)
	}
}

func testLegalExclusions(t *testing.T, st Store) {
	f := newFixture(t, st)
	order := mustCreateLegal(t, st, legalEntity("Order of the Tide"))
	salt := mustCreateLegal(t, st, legalEntity("Salt League"))
	a := published("Order of the Tide fined", f.world, time.Now().Add(-time.Hour))
	a.LegalExclusions = []newsroom.LegalExclusion{{EntityID: salt.ID, Reason: "a football club of that name"}}
	mustCreateArticle(t, st, a)
	got := mustGet(t, st, a.ID)
	if len(got.LegalExclusions) != 1 || got.LegalExclusions[0].Entity != "Salt League" || got.LegalExclusions[0].At.IsZero() {
		t.Fatalf("exclusions after create = %+v", got.LegalExclusions)
	}

	got.LegalExclusions = append(got.LegalExclusions, newsroom.LegalExclusion{EntityID: order.ID, Reason: "quoted from a court ruling", By: 0})
	got.RevisionNote = "Legal mark switched off: Order of the Tide (quoted from a court ruling)"
	mustUpdate(t, st, got)
	again := mustGet(t, st, a.ID)
	if len(again.LegalExclusions) != 2 {
		t.Fatalf("exclusions after update = %+v", again.LegalExclusions)
	}
	revs, err := st.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) < 2 || revs[0].Note != got.RevisionNote || revs[1].Note != "" {
		t.Errorf("revision notes = %+v; want the switch's note on the newest only", revs)
	}

	bad := mustGet(t, st, a.ID)
	bad.LegalExclusions = append(bad.LegalExclusions, newsroom.LegalExclusion{EntityID: order.ID, Reason: "twice"})
	wantCode(t, "the same entity twice", st.UpdateArticle(ctx, bad, bad.Revision), newsroom.Invalid, "legal_exclusions")
	bad = mustGet(t, st, a.ID)
	bad.LegalExclusions = []newsroom.LegalExclusion{{EntityID: salt.ID}}
	wantCode(t, "no reason", st.UpdateArticle(ctx, bad, bad.Revision), newsroom.Invalid, "legal_exclusions")
	bad.LegalExclusions = []newsroom.LegalExclusion{{EntityID: 424242, Reason: "x"}}
	wantCode(t, "unknown entity", st.UpdateArticle(ctx, bad, bad.Revision), newsroom.Invalid, "legal_exclusions")

	if _, err := st.DeleteLegalEntity(ctx, salt.ID); err != nil {
		t.Fatal(err)
	}
	left := mustGet(t, st, a.ID)
	if len(left.LegalExclusions) != 1 || left.LegalExclusions[0].EntityID != order.ID {
		t.Errorf("after removing an entity its switches should go: %+v", left.LegalExclusions)
	}
}

func testLegalUpdateRendered(t *testing.T, st Store) {
	f := newFixture(t, st)
	a := published("Order of the Tide fined", f.world, time.Now().Add(-time.Hour))
	a.LeadImage = &newsroom.Image{URL: "/media/x.jpg", Alt: "x", Caption: "Order of the Tide", CaptionHTML: "Order of the Tide"}
	mustCreateArticle(t, st, a)
	got := mustGet(t, st, a.ID)
	rev, updated := got.Revision, got.UpdatedAt

	got.HeadlineHTML = "Order of the Tide\u00a0* fined"
	got.BodyHTML = "<p>Text.</p>\n<p class=\"legal-note\">* Order of the Tide — banned</p>"
	got.LeadImage.CaptionHTML = "Order of the Tide\u00a0*"
	got.LegalMarks = []newsroom.LegalMark{{Entity: "Order of the Tide", Marker: "*", Where: "headline"}}
	if err := st.UpdateRendered(ctx, got); err != nil {
		t.Fatal(err)
	}
	after := mustGet(t, st, a.ID)
	if after.Revision != rev || !after.UpdatedAt.Equal(updated) {
		t.Errorf("UpdateRendered moved revision %d->%d or updated_at", rev, after.Revision)
	}
	if after.HeadlineHTML != got.HeadlineHTML || after.BodyHTML != got.BodyHTML ||
		after.LeadImage.CaptionHTML != got.LeadImage.CaptionHTML || len(after.LegalMarks) != 1 {
		t.Errorf("rendered fields not stored: %+v", after)
	}
	if after.Headline != "Order of the Tide fined" {
		t.Errorf("source headline changed to %q", after.Headline)
	}
	revs, _ := st.Revisions(ctx, a.ID)
	if len(revs) != 1 {
		t.Errorf("UpdateRendered recorded a revision: %d", len(revs))
	}

	mustUpdate(t, st, after) // someone saves meanwhile
	got.HeadlineHTML = "stale"
	wantCode(t, "stale revision", st.UpdateRendered(ctx, got), newsroom.Conflict, "revision")
	got.ID = 987654
	wantCode(t, "unknown article", st.UpdateRendered(ctx, got), newsroom.NotFound, "")
}

func testLegalArticleIDs(t *testing.T, st Store) {
	f := newFixture(t, st)
	var want []int64
	for i := range 5 {
		a := mustCreateArticle(t, st, draft("Story "+string(rune('A'+i)), f.world))
		want = append(want, a.ID)
	}
	var got []int64
	after := int64(0)
	for {
		page, err := st.ArticleIDsAfter(ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		after = page[len(page)-1]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}
