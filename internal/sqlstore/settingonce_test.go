package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// TestSettingOnce: of several callers racing to set a key, one value
// stands and every caller gets it; a later call does not replace it.
func TestSettingOnce(t *testing.T) {
	for _, db := range []struct {
		name string
		open func(t *testing.T) *sqlstore.Store
	}{
		{"sqlite", func(t *testing.T) *sqlstore.Store { return open(t, storetest.SQLitePath(t), sqlstore.Options{}) }},
		{"postgres", func(t *testing.T) *sqlstore.Store { return open(t, storetest.PostgresDSN(t), sqlstore.Options{}) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			st := db.open(t)
			ctx := context.Background()
			got := make([]string, 8)
			var wg sync.WaitGroup
			for i := range got {
				wg.Go(func() {
					v, err := st.SettingOnce(ctx, "view_beacon_key", fmt.Sprintf("key-%d", i))
					if err != nil {
						t.Error(err)
					}
					got[i] = v
				})
			}
			wg.Wait()
			for _, v := range got {
				if v != got[0] || v == "" {
					t.Fatalf("racing callers got %q; want one value for all", got)
				}
			}
			if v, err := st.SettingOnce(ctx, "view_beacon_key", "later"); err != nil || v != got[0] {
				t.Fatalf("a later call got %q, %v; want %q", v, err, got[0])
			}
			if v, err := st.Setting(ctx, "view_beacon_key"); err != nil || v != got[0] {
				t.Fatalf("Setting = %q, %v; want %q", v, err, got[0])
			}
		})
	}
}
