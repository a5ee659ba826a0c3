package benchutil

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestReadLinesAndPercentile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "paths.txt")
	if err := os.WriteFile(name, []byte("/a\n\n  /b  \n/c"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLines(name)
	if err != nil || !slices.Equal(got, []string{"/a", "/b", "/c"}) {
		t.Errorf("ReadLines: %q, %v", got, err)
	}
	if _, err := ReadLines(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("ReadLines of a missing file: no error")
	}
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if p50, p99 := Percentile(d, 50), Percentile(d, 99); p50 != 50*time.Millisecond || p99 != 99*time.Millisecond {
		t.Errorf("p50 %s, p99 %s; want 50ms, 99ms", p50, p99)
	}
	if got := Percentile(d[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one: %s", got)
	}
	if got := Ms(1500 * time.Microsecond); got != 1.5 {
		t.Errorf("Ms: %v", got)
	}
}
