package newsroom

import (
	"testing"
)

func TestAuthorAndTagDefaults(t *testing.T) {
	a := Author{Name: "  Jaan Tamm "}
	a.Normalize()
	if err := a.Validate(); err != nil || a.Slug != "jaan-tamm" || a.Label != LabelStaff || a.Name != "Jaan Tamm" {
		t.Errorf("author %+v, %v; want slug jaan-tamm, staff label", a, err)
	}
	tg := Tag{Slug: " anchors "}
	tg.Normalize()
	if err := tg.Validate(); err != nil || tg.Slug != "anchors" || tg.Name != "anchors" {
		t.Errorf("tag %+v, %v; want named by its slug", tg, err)
	}
	bad := Tag{Slug: "Bad Slug", Name: "x"}
	bad.Normalize()
	if err := bad.Validate(); AsError(err) == nil || AsError(err).Field != "slug" {
		t.Errorf("bad tag slug: %v; want invalid slug", err)
	}
	if err := CheckMerge(3, 3); AsError(err) == nil || AsError(err).Field != "into" {
		t.Errorf("CheckMerge(3, 3) = %v; want invalid into", err)
	}
	if err := CheckSlugKept("world", "earth"); AsError(err) == nil || AsError(err).Field != "slug" {
		t.Errorf("CheckSlugKept = %v; want invalid slug", err)
	}
}
