package web

import "testing"

func TestParseQuerySkipsWhatDoesNotParse(t *testing.T) {
	got := ParseQuery("a=1&%zz=1&=x&b=%20&a=2&c=%G0&d")
	want := "a=1&a=2&b=+&d="
	if got.Encode() != want {
		t.Errorf("ParseQuery = %q, want %q", got.Encode(), want)
	}
}
