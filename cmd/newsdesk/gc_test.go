package main

import "testing"

// TestGCPercentFor: the heap may grow by half the memory limit between
// collections while the live heap is small, by the live heap (GOGC's
// default) once it is half the limit or more, and the percent is bounded.
func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live, limit int64
		want        int
	}{
		{14 * mib, 96 * mib, 342},   // a site whose cache is nearly empty: 48 MiB of growth
		{48 * mib, 96 * mib, 100},   // half the limit live: GOGC's default
		{84 * mib, 96 * mib, 100},   // a full cache: the limit governs
		{0, 96 * mib, 1000},         // before the first collection: bounded
		{14 * mib, 0, 100},          // no limit: GOGC's default
		{100 * mib, 232 * mib, 116}, // --cache-mb 256
	} {
		if got := gcPercentFor(tc.live, tc.limit); got != tc.want {
			t.Errorf("gcPercentFor(%d MiB, %d MiB) = %d, want %d", tc.live/mib, tc.limit/mib, got, tc.want)
		}
		if p := gcPercentFor(tc.live, tc.limit); tc.limit > 0 && tc.live > 0 && tc.live+tc.live*int64(p)/100 < tc.live+tc.limit/2-mib && p < gcMaxPercent {
			t.Errorf("live %d MiB, limit %d MiB: growth %d%% is less than half the limit", tc.live/mib, tc.limit/mib, p)
		}
	}
}
