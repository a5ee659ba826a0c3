package legal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/legal"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// The registry the tests use: an invented banned brotherhood with English
// and Russian forms, a foreign agent with "**", and a case-blind one.
var (
	brotherhood = newsroom.LegalEntity{
		ID:   1,
		Name: "Grey Strait Brotherhood",
		Forms: map[string][]string{
			"en": {"Grey Strait Brotherhood"},
			"ru": {"Братств{о|а|у|ом|е} Серого пролива"},
		},
		Marker: "*",
		Notes: map[string]string{
			"en": "the organization is banned in Valdora",
			"ru": "организация запрещена в Вальдоре",
		},
		Listings: []newsroom.LegalListing{{List: "Banned organizations", From: day("2019-03-14"), Until: day("2025-04-17")}},
	}
	tidewatch = newsroom.LegalEntity{
		ID:       2,
		Name:     "Tidewatch",
		Forms:    map[string][]string{"en": {"Tidewatch"}, "ru": {"Тайдвотч"}},
		Marker:   "**",
		Notes:    map[string]string{"en": "registered as a foreign agent", "ru": "внесён в реестр иностранных агентов"},
		Listings: []newsroom.LegalListing{{List: "Foreign agents", From: day("2020-01-01")}},
	}
	saltLeague = newsroom.LegalEntity{
		ID:         3,
		Name:       "Salt League",
		Forms:      map[string][]string{"": {"salt league"}},
		Marker:     "*",
		Notes:      map[string]string{"en": "the organization is liquidated by a court"},
		Listings:   []newsroom.LegalListing{{List: "Liquidated", From: day("2018-01-01")}},
		IgnoreCase: true,
	}
	registry = []newsroom.LegalEntity{brotherhood, tidewatch, saltLeague}
)

const (
	mk  = "<span class=\"legal-mark\">\u00a0*</span>"
	mk2 = "<span class=\"legal-mark\">\u00a0**</span>"
	nEN = "<span class=\"legal-note\"> (the organization is banned in Valdora)</span>"
	nRU = "<span class=\"legal-note\"> (организация запрещена в Вальдоре)</span>"
	nFA = "<span class=\"legal-note\"> (registered as a foreign agent)</span>"
)

var published2021 = time.Date(2021, 10, 7, 9, 12, 0, 0, time.UTC)

// htmlArticle is a published article whose rendered fields are given.
func htmlArticle(headline, standfirst, body string) *newsroom.Article {
	return &newsroom.Article{
		ID: 7, Status: newsroom.Published, PublishedAt: published2021, Language: "en",
		HeadlineHTML: headline, StandfirstHTML: standfirst, BodyHTML: body,
	}
}

func TestMarkBody(t *testing.T) {
	ix := legal.Compile(registry, newsroom.LegalPolicy{})
	tests := []struct {
		name, lang, body, want string
	}{
		{"first mention marked with the note, later ones plain", "en",
			"<p>The Grey Strait Brotherhood denied it. Later the Grey Strait Brotherhood spoke.</p>",
			"<p>The Grey Strait Brotherhood" + mk + nEN + " denied it. Later the Grey Strait Brotherhood spoke.</p>"},
		{"Russian inflected forms, note in Russian", "ru",
			"<p>Суд над Братством Серого пролива начался. Братства Серого пролива больше нет.</p>",
			"<p>Суд над Братством Серого пролива" + mk + nRU + " начался. Братства Серого пролива больше нет.</p>"},
		{"capitals and a capital first letter match; lower case does not", "en",
			"<p>grey strait brotherhood, GREY STRAIT BROTHERHOOD.</p>",
			"<p>grey strait brotherhood, GREY STRAIT BROTHERHOOD" + mk + nEN + ".</p>"},
		{"case-blind entity matches any case", "en",
			"<p>The SALT league met.</p>",
			"<p>The SALT league" + mk + "<span class=\"legal-note\"> (the organization is liquidated by a court)</span> met.</p>"},
		{"longer words are not mentions", "en",
			"<p>Tidewatchers and Tidewatch2 and ProTidewatch.</p>",
			"<p>Tidewatchers and Tidewatch2 and ProTidewatch.</p>"},
		{"hyphenated compounds are not mentions", "en",
			"<p>An anti-Tidewatch rally and a Tidewatch-led march.</p>",
			"<p>An anti-Tidewatch rally and a Tidewatch-led march.</p>"},
		{"Cyrillic word boundaries", "ru",
			"<p>Тайдвотчевский сайт. Тайдвотч ответил.</p>",
			"<p>Тайдвотчевский сайт. Тайдвотч" + mk2 + "<span class=\"legal-note\"> (внесён в реестр иностранных агентов)</span> ответил.</p>"},
		{"punctuation is a boundary", "en",
			"<p>(Tidewatch), “Tidewatch”.</p>",
			"<p>(Tidewatch" + mk2 + nFA + "), “Tidewatch”.</p>"},
		{"the marker follows an English possessive", "en",
			"<p>Tidewatch’s editor resigned.</p>",
			"<p>Tidewatch’s" + mk2 + nFA + " editor resigned.</p>"},
		{"a name across a line break and nbsp", "en",
			"<p>the Grey\nStrait\u00a0Brotherhood said</p>",
			"<p>the Grey\nStrait\u00a0Brotherhood" + mk + nEN + " said</p>"},
		{"ё and е are one letter", "ru",
			"<p>Тайдвотч и Братством Сёрого пролива</p>",
			"<p>Тайдвотч" + mk2 + "<span class=\"legal-note\"> (внесён в реестр иностранных агентов)</span> и Братством Сёрого пролива" + mk + nRU + "</p>"},
		{"link text is marked; the note goes after the link; the href is untouched", "en",
			`<p>See <a href="https://example.org/grey-strait-brotherhood?q=Tidewatch">the Grey Strait Brotherhood</a> report.</p>`,
			`<p>See <a href="https://example.org/grey-strait-brotherhood?q=Tidewatch">the Grey Strait Brotherhood` + mk + `</a>` + nEN + ` report.</p>`},
		{"addresses are never marked", "en",
			`<p><a href="https://tidewatch.example/">https://tidewatch.example/</a> and www.tidewatch.example and news@tidewatch.example, then Tidewatch.</p>`,
			`<p><a href="https://tidewatch.example/">https://tidewatch.example/</a> and www.tidewatch.example and news@tidewatch.example, then Tidewatch` + mk2 + nFA + `.</p>`},
		{"attributes are never marked", "en",
			`<p><img src="/media/tidewatch.jpg" alt="Tidewatch office" title="Tidewatch"/> Tidewatch</p>`,
			`<p><img src="/media/tidewatch.jpg" alt="Tidewatch office" title="Tidewatch"/> Tidewatch` + mk2 + nFA + `</p>`},
		{"code and pre are never marked", "en",
			"<p>Run <code>Tidewatch</code>.</p>\n<pre><code>Tidewatch\n</code></pre>\n<p>Tidewatch again.</p>",
			"<p>Run <code>Tidewatch</code>.</p>\n<pre><code>Tidewatch\n</code></pre>\n<p>Tidewatch" + mk2 + nFA + " again.</p>"},
		{"a name across inline tags", "en",
			"<p>The <em>Grey Strait</em> Brotherhood</p>",
			"<p>The <em>Grey Strait</em> Brotherhood" + mk + nEN + "</p>"},
		{"block tags end a name", "en",
			"<p>Grey Strait</p><p>Brotherhood</p>",
			"<p>Grey Strait</p><p>Brotherhood</p>"},
		{"hand-written marker and note are kept, not doubled", "en",
			"<p>The Grey Strait Brotherhood * (the organization is banned in Valdora) said. The Grey Strait Brotherhood again.</p>",
			"<p>The Grey Strait Brotherhood * (the organization is banned in Valdora) said. The Grey Strait Brotherhood again.</p>"},
		{"hand-written marker without a note gets the note", "en",
			"<p>Tidewatch ** wrote.</p>",
			"<p>Tidewatch **" + nFA + " wrote.</p>"},
		{"hand-written marker across a link end", "en",
			`<p><a href="/x">Tidewatch</a> ** (registered as a foreign agent) wrote.</p>`,
			`<p><a href="/x">Tidewatch</a> ** (registered as a foreign agent) wrote.</p>`},
		{"entities in the text are escaped on output", "en",
			"<p>Tom &amp; Tidewatch &lt;3</p>",
			"<p>Tom &amp; Tidewatch" + mk2 + nFA + " &lt;3</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := htmlArticle("", "", tt.body)
			a.Language = tt.lang
			ix.Mark(a, published2021, nil)
			if a.BodyHTML != tt.want {
				t.Errorf("body:\n got %q\nwant %q", a.BodyHTML, tt.want)
			}
		})
	}
}

func TestMarkFieldsAndNotes(t *testing.T) {
	const (
		head  = "Tidewatch editor fined"
		stand = "A court fined the editor of Tidewatch and named the Grey Strait Brotherhood"
		body  = "<p>The court said Tidewatch broke the law. Tidewatch will appeal.</p>\n<p>The Grey Strait Brotherhood was named.</p>\n"
		capt  = "Tidewatch offices"
	)
	footnotes := "\n<p class=\"legal-note\">** Tidewatch — registered as a foreign agent</p>" +
		"\n<p class=\"legal-note\">* Grey Strait Brotherhood — the organization is banned in Valdora</p>"
	tests := []struct {
		name                        string
		policy                      newsroom.LegalPolicy
		wantHead, wantStand, wantCa string
		wantBody                    string
	}{
		{"first mention per field, note inline (default)", newsroom.LegalPolicy{},
			"Tidewatch" + mk2 + " editor fined",
			"A court fined the editor of Tidewatch" + mk2 + " and named the Grey Strait Brotherhood" + mk,
			"Tidewatch" + mk2 + " offices",
			"<p>The court said Tidewatch" + mk2 + nFA + " broke the law. Tidewatch will appeal.</p>\n<p>The Grey Strait Brotherhood" + mk + nEN + " was named.</p>\n"},
		{"every mention, note inline", newsroom.LegalPolicy{Marking: newsroom.MarkEvery},
			"Tidewatch" + mk2 + " editor fined",
			"A court fined the editor of Tidewatch" + mk2 + " and named the Grey Strait Brotherhood" + mk,
			"Tidewatch" + mk2 + " offices",
			"<p>The court said Tidewatch" + mk2 + nFA + " broke the law. Tidewatch" + mk2 + " will appeal.</p>\n<p>The Grey Strait Brotherhood" + mk + nEN + " was named.</p>\n"},
		{"first mention, notes as footnotes", newsroom.LegalPolicy{Notes: newsroom.NoteFootnote},
			"Tidewatch" + mk2 + " editor fined",
			"A court fined the editor of Tidewatch" + mk2 + " and named the Grey Strait Brotherhood" + mk,
			"Tidewatch" + mk2 + " offices",
			"<p>The court said Tidewatch" + mk2 + " broke the law. Tidewatch will appeal.</p>\n<p>The Grey Strait Brotherhood" + mk + " was named.</p>\n" + footnotes},
		{"every mention, notes as footnotes", newsroom.LegalPolicy{Marking: newsroom.MarkEvery, Notes: newsroom.NoteFootnote},
			"Tidewatch" + mk2 + " editor fined",
			"A court fined the editor of Tidewatch" + mk2 + " and named the Grey Strait Brotherhood" + mk,
			"Tidewatch" + mk2 + " offices",
			"<p>The court said Tidewatch" + mk2 + " broke the law. Tidewatch" + mk2 + " will appeal.</p>\n<p>The Grey Strait Brotherhood" + mk + " was named.</p>\n" + footnotes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := legal.Compile(registry, tt.policy)
			a := htmlArticle(head, stand, body)
			a.LeadImage = &newsroom.Image{URL: "/x.jpg", Caption: capt, CaptionHTML: capt}
			ix.Mark(a, published2021, nil)
			for _, c := range []struct{ what, got, want string }{
				{"headline", a.HeadlineHTML, tt.wantHead},
				{"standfirst", a.StandfirstHTML, tt.wantStand},
				{"caption", a.LeadImage.CaptionHTML, tt.wantCa},
				{"body", a.BodyHTML, tt.wantBody},
			} {
				if c.got != c.want {
					t.Errorf("%s:\n got %q\nwant %q", c.what, c.got, c.want)
				}
			}
			wantMarks := []newsroom.LegalMark{
				{Entity: "Tidewatch", Marker: "**", Where: "headline"},
				{Entity: "Tidewatch", Marker: "**", Where: "standfirst"},
				{Entity: "Grey Strait Brotherhood", Marker: "*", Where: "standfirst"},
				{Entity: "Tidewatch", Marker: "**", Where: "body"},
				{Entity: "Grey Strait Brotherhood", Marker: "*", Where: "body"},
				{Entity: "Tidewatch", Marker: "**", Where: "caption"},
			}
			if diff := cmp.Diff(wantMarks, a.LegalMarks); diff != "" {
				t.Errorf("LegalMarks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNoteWithoutBodyMention(t *testing.T) {
	ix := legal.Compile(registry, newsroom.LegalPolicy{})
	a := htmlArticle("", "Tidewatch reporter detained", "<p>A reporter was detained.</p>")
	ix.Mark(a, published2021, nil)
	if want := "Tidewatch" + mk2 + " reporter detained"; a.StandfirstHTML != want {
		t.Errorf("standfirst = %q, want %q", a.StandfirstHTML, want)
	}
	want := "<p>A reporter was detained.</p>\n<p class=\"legal-note\">** Tidewatch — registered as a foreign agent</p>"
	if a.BodyHTML != want {
		t.Errorf("body:\n got %q\nwant %q (the note goes to the end when the body never names the entity)", a.BodyHTML, want)
	}
}

func TestListingDates(t *testing.T) {
	ix := legal.Compile(registry, newsroom.LegalPolicy{})
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	at := func(d string) time.Time { return day(d).Add(10 * time.Hour) }
	tests := []struct {
		name   string
		status newsroom.Status
		pub    time.Time
		sched  time.Time
		loc    *time.Location
		want   bool
	}{
		{"published the day before listing", newsroom.Published, at("2019-03-13"), time.Time{}, nil, false},
		{"published on the listing day", newsroom.Published, at("2019-03-14"), time.Time{}, nil, true},
		{"published while listed", newsroom.Published, at("2021-10-07"), time.Time{}, nil, true},
		{"published the day before removal", newsroom.Published, at("2025-04-16"), time.Time{}, nil, true},
		{"published on the removal day", newsroom.Published, at("2025-04-17"), time.Time{}, nil, false},
		{"published after removal", newsroom.Published, at("2026-01-10"), time.Time{}, nil, false},
		{"a draft is dated today (after removal)", newsroom.Draft, time.Time{}, time.Time{}, nil, false},
		{"scheduled while listed", newsroom.Scheduled, time.Time{}, at("2024-02-02"), nil, true},
		{"the site's zone decides the day", newsroom.Published,
			time.Date(2025, 4, 16, 22, 30, 0, 0, time.UTC), time.Time{}, time.FixedZone("MSK", 3*3600), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := htmlArticle("", "", "<p>The Grey Strait Brotherhood said.</p>")
			a.Status, a.PublishedAt, a.ScheduledAt = tt.status, tt.pub, tt.sched
			ix.Mark(a, now, tt.loc)
			got := strings.Contains(a.BodyHTML, "Brotherhood"+mk)
			if got != tt.want {
				t.Errorf("marked = %v, want %v; body %q", got, tt.want, a.BodyHTML)
			}
			if got != (len(a.LegalMarks) == 1) {
				t.Errorf("LegalMarks = %v", a.LegalMarks)
			}
		})
	}
}

func TestExclusionAndFindings(t *testing.T) {
	ix := legal.Compile(registry, newsroom.LegalPolicy{})
	a := htmlArticle("Tidewatch and the Grey Strait Brotherhood", "",
		"<p>Tidewatch wrote about the Grey Strait Brotherhood. Tidewatch again.</p>")
	a.LegalExclusions = []newsroom.LegalExclusion{{EntityID: tidewatch.ID, Entity: "Tidewatch", Reason: "a ship of that name, not the outlet"}}
	got := ix.Mark(a, published2021, nil)
	if strings.Contains(a.BodyHTML+a.HeadlineHTML, "**") {
		t.Errorf("switched-off entity marked: %q / %q", a.HeadlineHTML, a.BodyHTML)
	}
	want := []legal.Finding{
		{EntityID: 2, Entity: "Tidewatch", Marker: "**", Where: "headline", Mentions: 1, State: legal.FoundExcluded},
		{EntityID: 1, Entity: "Grey Strait Brotherhood", Marker: "*", Where: "headline", Mentions: 1, Marked: 1, State: legal.FoundMarked},
		{EntityID: 2, Entity: "Tidewatch", Marker: "**", Where: "body", Mentions: 2, State: legal.FoundExcluded},
		{EntityID: 1, Entity: "Grey Strait Brotherhood", Marker: "*", Where: "body", Mentions: 1, Marked: 1, State: legal.FoundMarked},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	wantMarks := []newsroom.LegalMark{{Entity: "Grey Strait Brotherhood", Marker: "*", Where: "headline"}, {Entity: "Grey Strait Brotherhood", Marker: "*", Where: "body"}}
	if diff := cmp.Diff(wantMarks, a.LegalMarks); diff != "" {
		t.Errorf("LegalMarks (-want +got):\n%s", diff)
	}
	// Inspect reports the same without changing the article.
	b := htmlArticle("Tidewatch", "", "<p>Tidewatch</p>")
	before := *b
	if f := ix.Inspect(b, published2021, nil); len(f) != 2 || f[0].State != legal.FoundMarked {
		t.Errorf("Inspect = %+v", f)
	}
	if b.HeadlineHTML != before.HeadlineHTML || b.BodyHTML != before.BodyHTML || b.LegalMarks != nil {
		t.Errorf("Inspect changed the article: %+v", b)
	}
}

// TestThroughRenderer renders Markdown with the engine as a render hook,
// as the editorial service does on every save.
func TestThroughRenderer(t *testing.T) {
	eng := legal.NewEngine(func() time.Time { return published2021 }, nil)
	eng.Load(legal.Compile(registry, newsroom.LegalPolicy{}))
	r := render.New(eng.Hook)
	a := &newsroom.Article{
		Status: newsroom.Published, PublishedAt: published2021, Language: "en",
		Headline:   `"Tidewatch" editor fined`,
		Standfirst: "The Grey Strait Brotherhood * and its friends",
		Body: "Read [the Tidewatch report](https://example.org/tidewatch) and `Tidewatch --help`.\n\n" +
			"    Tidewatch in a code block\n\n" +
			"The Grey Strait Brotherhood and Tidewatch met.\n",
		LeadImage: &newsroom.Image{URL: "/m.jpg", Alt: "x", Caption: "Tidewatch's office"},
	}
	if err := r.Article(a); err != nil {
		t.Fatal(err)
	}
	checks := []struct{ what, got, want string }{
		{"headline", a.HeadlineHTML, "“Tidewatch" + mk2 + "” editor fined"},
		{"standfirst (hand-marked)", a.StandfirstHTML, "The Grey Strait Brotherhood * and its friends"},
		{"caption", a.LeadImage.CaptionHTML, "Tidewatch’s" + mk2 + " office"},
		{"body", a.BodyHTML, `<p>Read <a href="https://example.org/tidewatch">the Tidewatch` + mk2 + ` report</a>` + nFA +
			` and <code>Tidewatch --help</code>.</p>` + "\n<pre><code>Tidewatch in a code block\n</code></pre>\n" +
			"<p>The Grey Strait Brotherhood" + mk + nEN + " and Tidewatch met.</p>\n"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.what, c.got, c.want)
		}
	}
	if got := render.Text(a.HeadlineHTML); got != "“Tidewatch\u00a0**” editor fined" {
		t.Errorf("plain headline (share titles, <title>) = %q", got)
	}
}

func TestEmptyRegistry(t *testing.T) {
	ix := legal.Compile(nil, newsroom.LegalPolicy{})
	a := htmlArticle("Tidewatch", "", "<p>Tidewatch</p>")
	a.LegalMarks = []newsroom.LegalMark{{Entity: "stale"}}
	if f := ix.Mark(a, published2021, nil); f != nil || a.LegalMarks != nil || a.BodyHTML != "<p>Tidewatch</p>" {
		t.Errorf("empty registry changed the article: %v %+v", f, a)
	}
}
