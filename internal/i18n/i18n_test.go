package i18n

import (
	"testing"
	"time"
)

func TestCatalogComplete(t *testing.T) {
	for _, p := range Check() {
		t.Error(p)
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 comments"},
		{"en", 1, "1 comment"},
		{"en", 2, "2 comments"},
		{"ru", 1, "1 комментарий"},
		{"ru", 2, "2 комментария"},
		{"ru", 5, "5 комментариев"},
		{"ru", 11, "11 комментариев"},
		{"ru", 12, "12 комментариев"},
		{"ru", 21, "21 комментарий"},
		{"ru", 22, "22 комментария"},
		{"ru", 111, "111 комментариев"},
		{"ru", 0, "0 комментариев"},
	}
	for _, tt := range tests {
		if got := N(tt.lang, "count.comments", tt.n); got != tt.want {
			t.Errorf("N(%q, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2021, 10, 7, 9, 12, 0, 0, time.UTC)
	if got, want := Date("en", d), "Oct 7, 2021"; got != want {
		t.Errorf("en date = %q, want %q", got, want)
	}
	if got, want := Date("ru", d), "7 октября 2021"; got != want {
		t.Errorf("ru date = %q, want %q", got, want)
	}
	if got, want := DateTime("en", d), "Oct 7, 2021, 09:12"; got != want {
		t.Errorf("en datetime = %q, want %q", got, want)
	}
	if got, want := LongDate("en", d), "7 October 2021"; got != want {
		t.Errorf("en long date = %q, want %q", got, want)
	}
}

func TestMissingKeyIsVisible(t *testing.T) {
	if got := T("en", "no.such.key"); got != "[no.such.key]" {
		t.Errorf("missing key = %q", got)
	}
	if got := T("de", "site.home"); got != "Home" {
		t.Errorf("unknown language falls back to English, got %q", got)
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 7, "7"}, {"en", 999, "999"}, {"en", 47000, "47,000"}, {"en", 1234567, "1,234,567"},
		{"ru", 47000, "47\u00a0000"}, {"en", -2100, "-2,100"},
	}
	for _, tt := range tests {
		if got := Number(tt.lang, tt.n); got != tt.want {
			t.Errorf("Number(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := N("en", "discovery.results_about", 47000, Number("en", 47000)); got != "about 47,000 results" {
		t.Errorf("results_about en = %q", got)
	}
	if got := N("ru", "discovery.results_about", 47000, Number("ru", 47000)); got != "около 47\u00a0000 результатов" {
		t.Errorf("results_about ru = %q", got)
	}
}
