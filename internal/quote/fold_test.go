package quote

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ a, b string }{
		{"“Hello” – he said…", `"Hello" -- he said...`},
		{"it’s", "it's"},
		{"«Гавань»", `"Гавань"`},
		{"two\u00a0words\nhere", "two words here"},
		{"soft\u00adhyphen", "softhyphen"},
	}
	for _, tt := range tests {
		if Fold(tt.a) != Fold(tt.b) {
			t.Errorf("Fold(%q) = %q, Fold(%q) = %q; want equal", tt.a, Fold(tt.a), tt.b, Fold(tt.b))
		}
	}
	if Fold("Ёлка") == Fold("Елка") {
		t.Error("ё and е must stay apart: a reader may report exactly that")
	}
	if Same("a b", "ab") || !Same("a \n b", "a b") {
		t.Error("Same must collapse white space but keep it")
	}
}
