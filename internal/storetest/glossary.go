package storetest

import (
	"testing"

	"newsdesk/internal/newsroom"
)

// testGlossary: entries are created, listed by their first form, edited
// and deleted; bad ones are refused naming the field; unknown ids are
// NotFound.
func testGlossary(t *testing.T, st Store) {
	mayak := &newsroom.GlossaryEntry{Forms: map[string]string{"ru": " Маяк  Варде ", "en": "Mayak Varde"}, Note: "news agency"}
	if err := st.CreateGlossaryEntry(ctx, mayak); err != nil {
		t.Fatal(err)
	}
	if mayak.ID == 0 || mayak.CreatedAt.IsZero() || mayak.Forms["ru"] != "Маяк Варде" {
		t.Errorf("created %+v; want an id, times and trimmed forms", mayak)
	}
	ada := &newsroom.GlossaryEntry{Forms: map[string]string{"ru": "Ада Бренн", "en": "Ada Brenn"}}
	if err := st.CreateGlossaryEntry(ctx, ada); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "one form", st.CreateGlossaryEntry(ctx, &newsroom.GlossaryEntry{Forms: map[string]string{"ru": "Скерра"}}), newsroom.Invalid, "forms")
	wantCode(t, "unknown language", st.CreateGlossaryEntry(ctx, &newsroom.GlossaryEntry{Forms: map[string]string{"ru": "Скерра", "de": "Skerra"}}), newsroom.Invalid, "forms")
	list, err := st.GlossaryEntries(ctx)
	if err != nil || len(list) != 2 || list[0].ID != ada.ID || list[1].ID != mayak.ID {
		t.Fatalf("GlossaryEntries = %+v, %v; want Ada Brenn, then Mayak Varde", list, err)
	}
	mayak.Forms["en"], mayak.Note = "Mayak Varde agency", ""
	if err := st.UpdateGlossaryEntry(ctx, mayak); err != nil {
		t.Fatal(err)
	}
	got, err := st.GlossaryEntry(ctx, mayak.ID)
	if err != nil || got.Forms["en"] != "Mayak Varde agency" || got.Note != "" {
		t.Errorf("after update: %+v, %v", got, err)
	}
	if err := st.DeleteGlossaryEntry(ctx, ada.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "get deleted", func() error { _, err := st.GlossaryEntry(ctx, ada.ID); return err }(), newsroom.NotFound, "")
	wantCode(t, "delete deleted", st.DeleteGlossaryEntry(ctx, ada.ID), newsroom.NotFound, "")
	ada.ID = 999999
	wantCode(t, "update unknown", st.UpdateGlossaryEntry(ctx, ada), newsroom.NotFound, "")
}
