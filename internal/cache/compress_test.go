package cache

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct {
		ae   string
		want int
	}{
		{"", encIdentity},
		{"gzip", encGzip},
		{"gzip, deflate, br, zstd", encBrotli},
		{"br;q=0.5, gzip", encGzip},
		{"br;q=0, gzip;q=0", encIdentity},
		{"*", encBrotli},
		{"*;q=0.1, gzip;q=0.5", encGzip},
		{"identity", encIdentity},
		{"GZIP;Q=1", encGzip},
		{"br;q=nonsense", encIdentity},
	}
	for _, tt := range tests {
		var lines []string
		if tt.ae != "" {
			lines = []string{tt.ae}
		}
		if got := negotiate(lines); got != tt.want {
			t.Errorf("negotiate(%q) = %s, want %s", tt.ae, encNames[got], encNames[tt.want])
		}
	}
}
