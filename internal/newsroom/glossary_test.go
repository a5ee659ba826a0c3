package newsroom

import "testing"

func TestCheckTranslation(t *testing.T) {
	entries := []GlossaryEntry{{ID: 1, Forms: map[string]string{"ru": "Маяк Варде", "en": "Mayak Varde"}},
		{ID: 2, Forms: map[string]string{"ru": "Ада Бренн", "en": "Ada Brenn"}}}
	orig := &Article{Language: "ru", Headline: "Паром ходит", Body: "Как сообщает маяк варде, рейсы идут."}
	for _, tc := range []struct {
		body string
		want int
	}{
		{"As Lighthouse Varde reports, crossings run.", 1}, // translated word by word
		{"As Mayak Varde reports, crossings run.", 0},
		{"As MAYAK  VARDE reports.", 0}, // case and spaces folded
	} {
		got := CheckTranslation(orig, &Article{Language: "en", Body: tc.body}, entries)
		if len(got) != tc.want || (tc.want == 1 && (got[0].EntryID != 1 || got[0].Want != "Mayak Varde")) {
			t.Errorf("%q: checks %+v, want %d on entry 1", tc.body, got, tc.want)
		}
	}
	if got := CheckTranslation(orig, &Article{Language: "ru", Body: "x"}, entries); len(got) != 0 {
		t.Errorf("same language: %+v", got)
	}
}
