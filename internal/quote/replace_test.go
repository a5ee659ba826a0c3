package quote

import "testing"

func TestDiffRunes(t *testing.T) {
	tests := []struct {
		old, new string
		want     []hunk
	}{
		{"teh", "the", []hunk{{1, 1, "h"}, {2, 3, ""}}},
		{"прошол", "прошёл", []hunk{{8, 10, "ё"}}},
		{"same", "same", nil},
		{"a b", "a\nb", nil},
		{"abc", "", []hunk{{0, 3, ""}}},
	}
	for _, tt := range tests {
		got := diffRunes(tt.old, tt.new)
		if len(got) != len(tt.want) {
			t.Errorf("diffRunes(%q, %q) = %v, want %v", tt.old, tt.new, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("diffRunes(%q, %q) = %v, want %v", tt.old, tt.new, got, tt.want)
				break
			}
		}
	}
}
