package newsroom

import (
	"testing"
	"time"
)

func TestPrepareStampsTimes(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	a := &Article{Headline: "Ferry line reopens", Status: Published}
	if err := a.Prepare(nil, now); err != nil {
		t.Fatal(err)
	}
	if a.Slug != "ferry-line-reopens" || !a.PublishedAt.Equal(now) || !a.EditedAt.IsZero() {
		t.Errorf("got slug %q published %v edited %v", a.Slug, a.PublishedAt, a.EditedAt)
	}
	prev := *a
	later := now.Add(time.Hour)
	b := prev
	b.Body = "A new paragraph."
	if err := b.Prepare(&prev, later); err != nil {
		t.Fatal(err)
	}
	if !b.PublishedAt.Equal(now) || !b.EditedAt.Equal(later) {
		t.Errorf("after edit: published %v edited %v", b.PublishedAt, b.EditedAt)
	}
	s := &Article{Headline: "Later", Status: Scheduled, ScheduledAt: now.Add(-time.Minute)}
	if err := s.Prepare(nil, now); ErrorCode(err) != Invalid || AsError(err).Field != "scheduled_at" {
		t.Errorf("past schedule: got %v, want invalid scheduled_at", err)
	}
}

func TestValidateNamesField(t *testing.T) {
	tests := []struct {
		name  string
		a     Article
		field string
	}{
		{"no headline", Article{}, "headline"},
		{"bad slug", Article{Headline: "x", Slug: "Not A Slug"}, "slug"},
		{"bad status", Article{Headline: "x", Status: "gone"}, "status"},
		{"bad language", Article{Headline: "x", Language: "de"}, "language"},
		{"bad source", Article{Headline: "x", Sources: []Source{{Name: "n", URL: "javascript:alert(1)"}}}, "sources"},
		{"no alt", Article{Headline: "x", LeadImage: &Image{URL: "/m.jpg"}}, "lead_image.alt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			a.Normalize()
			err := a.Validate()
			if e := AsError(err); e == nil || e.Field != tt.field {
				t.Errorf("Validate() = %v, want an error on %q", err, tt.field)
			}
		})
	}
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Ferry Line Reopens!":           "ferry-line-reopens",
		"  --Storm warning: 3 days--  ": "storm-warning-3-days",
		"Паром снова ходит":             "parom-snova-khodit",
		"???":                           "article",
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckEdit(t *testing.T) {
	corr := &User{ID: 7, Role: RoleCorrespondent}
	own := &Article{CreatedBy: 7, Status: Draft}
	other := &Article{CreatedBy: 8, Status: Draft}
	tests := []struct {
		name       string
		u          *User
		prev, next *Article
		mayPublish bool
		want       Code
	}{
		{"no user", nil, nil, &Article{Status: Draft}, false, Unauthorized},
		{"moderator", &User{Role: RoleModerator}, nil, &Article{Status: Draft}, false, Forbidden},
		{"editor publishes", &User{Role: RoleEditor}, other, &Article{Status: Published}, false, ""},
		{"correspondent drafts", corr, nil, &Article{Status: Draft}, false, ""},
		{"correspondent submits own", corr, own, &Article{Status: Review}, false, ""},
		{"correspondent publishes", corr, own, &Article{Status: Published}, false, Forbidden},
		{"correspondent publishes when allowed", corr, own, &Article{Status: Published}, true, ""},
		{"correspondent edits other's", corr, other, &Article{Status: Draft}, false, Forbidden},
	}
	for _, tt := range tests {
		err := CheckEdit(tt.u, tt.prev, tt.next, tt.mayPublish)
		got := Code("")
		if err != nil {
			got = ErrorCode(err)
		}
		if got != tt.want {
			t.Errorf("%s: got %q (%v), want %q", tt.name, got, err, tt.want)
		}
	}
}
