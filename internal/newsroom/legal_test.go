package newsroom

import (
	"testing"
	"time"
)

func TestValidateImportNamesTheRow(t *testing.T) {
	ok := LegalEntity{Name: "Salt League", Marker: "*", Forms: map[string][]string{"en": {"Salt League"}}, Notes: map[string]string{"en": "banned"}, Listings: []LegalListing{{List: "court", From: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}}}
	noDate := ok
	noDate.Name = "Broken"
	noDate.Listings = []LegalListing{{List: "court"}}
	tests := []struct {
		list  []LegalEntity
		field string
	}{
		{[]LegalEntity{ok}, ""},
		{[]LegalEntity{ok, noDate}, "row:2"},
		{[]LegalEntity{ok, ok}, "row:2"},
	}
	for i, tt := range tests {
		err := ValidateImport(tt.list)
		if got := ""; err != nil {
			got = AsError(err).Field
			if got != tt.field {
				t.Errorf("%d: ValidateImport = %v; want field %q", i, err, tt.field)
			}
		} else if tt.field != "" {
			t.Errorf("%d: ValidateImport = nil; want field %q", i, tt.field)
		}
	}
	if err := ValidateExclusions([]LegalExclusion{{EntityID: 1, Reason: "a"}, {EntityID: 1, Reason: "b"}}); AsError(err) == nil || AsError(err).Field != "legal_exclusions" {
		t.Errorf("an entity switched off twice: %v; want invalid legal_exclusions", err)
	}
}
