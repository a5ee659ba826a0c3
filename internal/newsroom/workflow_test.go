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

func TestStampTimesUpdatedMovesOnlyForWhatReadersRead(t *testing.T) {
	pub := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	edited := pub.Add(time.Hour)
	now := pub.Add(2 * time.Hour)
	base := Article{Headline: "Quay repairs", Standfirst: "A month.", Body: "Divers.", Status: Published,
		PublishedAt: pub, EditedAt: edited, Tags: []Tag{{ID: 1}}, Categories: []Category{{ID: 1}},
		LeadImage: &Image{URL: "/m/q.jpg", Caption: "The quay", Alt: "A quay"}}
	tests := []struct {
		name   string
		change func(a *Article)
		moves  bool
	}{
		{"nothing", func(a *Article) {}, false},
		{"tag", func(a *Article) { a.Tags = []Tag{{ID: 2}} }, false},
		{"section", func(a *Article) { a.Categories = []Category{{ID: 2}} }, false},
		{"comments", func(a *Article) { a.CommentsOpen = true }, false},
		{"image size", func(a *Article) {
			a.LeadImage = &Image{URL: "/m/q.jpg", Caption: "The quay", Alt: "A quay", Width: 800}
		}, false},
		{"rendered caption", func(a *Article) {
			a.LeadImage = &Image{URL: "/m/q.jpg", Caption: "The quay", Alt: "A quay", CaptionHTML: "The quay*"}
		}, false},
		{"edited time sent by a client", func(a *Article) { a.EditedAt = now.Add(time.Hour) }, false},
		{"headline", func(a *Article) { a.Headline = "Quay repairs begin" }, true},
		{"standfirst", func(a *Article) { a.Standfirst = "Five weeks." }, true},
		{"body", func(a *Article) { a.Body = "Divers first." }, true},
		{"lead image", func(a *Article) { a.LeadImage = &Image{URL: "/m/r.jpg", Caption: "The quay", Alt: "A quay"} }, true},
		{"lead image credit", func(a *Article) {
			a.LeadImage = &Image{URL: "/m/q.jpg", Caption: "The quay", Alt: "A quay", Credit: "Ann"}
		}, true},
		{"lead image removed", func(a *Article) { a.LeadImage = nil }, true},
	}
	for _, tt := range tests {
		prev, next := base, base
		tt.change(&next)
		next.StampTimes(&prev, now)
		want := edited
		if tt.moves {
			want = now
		}
		if !next.EditedAt.Equal(want) || !next.PublishedAt.Equal(pub) {
			t.Errorf("%s: EditedAt %v, PublishedAt %v; want %v, %v", tt.name, next.EditedAt, next.PublishedAt, want, pub)
		}
	}

	// Publishing: the first publication is now, and a later one keeps it.
	d := Article{Headline: "Draft", Status: Published}
	d.StampTimes(&Article{Headline: "Draft", Status: Draft}, now)
	if !d.PublishedAt.Equal(now) || !d.EditedAt.IsZero() {
		t.Errorf("first publication: PublishedAt %v, EditedAt %v; want %v and zero", d.PublishedAt, d.EditedAt, now)
	}
	again := Article{Headline: "Back", Status: Published}
	again.StampTimes(&Article{Headline: "Back", Status: Unpublished, PublishedAt: pub}, now)
	if !again.PublishedAt.Equal(pub) {
		t.Errorf("republication: PublishedAt %v; want the first %v", again.PublishedAt, pub)
	}
	if got := (&Article{Headline: "x", Slug: "x", Language: "en", Status: Published}).Validate(); ErrorCode(got) != Invalid || AsError(got).Field != "published_at" {
		t.Errorf("Validate of a published article without its time = %v; want invalid published_at", got)
	}
}

func TestCorrect(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	a := &Article{ID: 3, Status: Published, PublishedAt: now.Add(-time.Hour)}
	c := &Correction{Kind: KindCorrection, Text: "  Four, not forty.  "}
	if err := a.Correct(c, now); err != nil {
		t.Fatal(err)
	}
	if c.Text != "Four, not forty." || c.ArticleID != 3 || !c.At.Equal(now) || !a.EditedAt.Equal(now) {
		t.Errorf("correction %+v, EditedAt %v; want trimmed, dated %v, article moved", c, a.EditedAt, now)
	}
	if err := (&Article{Status: Draft}).Correct(&Correction{Kind: KindUpdate, Text: "x"}, now); ErrorCode(err) != Unprocessable {
		t.Errorf("correcting a draft: %v; want unprocessable", err)
	}
	if err := a.Correct(&Correction{Kind: "erratum", Text: "x"}, now); ErrorCode(err) != Invalid {
		t.Errorf("bad kind: %v; want invalid", err)
	}
	if err := (&Correction{Kind: KindUpdate, Text: "x"}).ValidateDated(); AsError(err) == nil || AsError(err).Field != "at" {
		t.Errorf("ValidateDated without a date = %v; want invalid at", err)
	}
}
