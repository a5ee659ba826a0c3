package storetest

import (
	"testing"
)

func testSettings(t *testing.T, st Store) {
	if v, err := st.Setting(ctx, "site.title"); err != nil || v != "" {
		t.Errorf("unset setting = %q, %v; want empty, nil", v, err)
	}
	for _, v := range []string{"The Harbour Ledger", "Харбор Леджер", ""} {
		if err := st.SetSetting(ctx, "site.title", v); err != nil {
			t.Fatalf("SetSetting(%q): %v", v, err)
		}
		if got, err := st.Setting(ctx, "site.title"); err != nil || got != v {
			t.Errorf("Setting = %q, %v; want %q", got, err, v)
		}
	}
	if err := st.SetSetting(ctx, "comments.days", "14"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Setting(ctx, "comments.days"); got != "14" {
		t.Errorf("second key = %q", got)
	}
}
