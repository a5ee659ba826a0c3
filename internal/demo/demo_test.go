package demo

import (
	"bytes"
	"context"
	"html"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

var testNow = time.Date(2026, time.March, 10, 14, 30, 0, 0, time.UTC)

func TestArticlesValidate(t *testing.T) {
	arts := Articles(testNow)
	slugs := map[string]bool{}
	for _, a := range arts {
		a.Normalize()
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", a.Slug, err)
		}
		if slugs[a.Slug] {
			t.Errorf("duplicate slug %q", a.Slug)
		}
		slugs[a.Slug] = true
		if len(a.Categories) == 0 || a.Categories[0].Slug == "" {
			t.Errorf("%s: no section", a.Slug)
		}
		for _, c := range a.Categories {
			if c.Slug == "" {
				t.Errorf("%s: unknown section", a.Slug)
			}
		}
		for _, tg := range a.Tags {
			if tg.Slug == "" {
				t.Errorf("%s: unknown tag", a.Slug)
			}
		}
		if len(a.Authors) == 0 {
			t.Errorf("%s: no byline", a.Slug)
		}
		for _, b := range a.Authors {
			if b.Name == "" || b.Label == "" {
				t.Errorf("%s: unknown author in byline %+v", a.Slug, b)
			}
		}
		paras := len(strings.Split(strings.TrimSpace(a.Body), "\n\n"))
		if a.Status == newsroom.Published && (paras < 4 || paras > 12) {
			t.Errorf("%s: %d Markdown blocks, want 4–12", a.Slug, paras)
		}
		for _, s := range a.Sources {
			if !strings.HasPrefix(s.URL, "https://") || !strings.Contains(s.URL, ".example/") {
				t.Errorf("%s: source %q is not on an invented .example domain", a.Slug, s.URL)
			}
		}
		if a.Language == "ru" && !strings.ContainsAny(a.Headline, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя") {
			t.Errorf("%s: Russian article without Cyrillic headline", a.Slug)
		}
	}
	// Sorted oldest first, newest published a few hours before now.
	var newest time.Time
	for i := 1; i < len(arts); i++ {
		if sortKey(arts[i]).Before(sortKey(arts[i-1])) {
			t.Fatalf("articles not in publication order at %d", i)
		}
	}
	for _, a := range arts {
		if a.Status == newsroom.Published {
			if a.PublishedAt.After(testNow) {
				t.Errorf("%s: published in the future", a.Slug)
			}
			if a.PublishedAt.After(newest) {
				newest = a.PublishedAt
			}
			if !a.EditedAt.IsZero() && (a.EditedAt.Before(a.PublishedAt) || a.EditedAt.After(testNow)) {
				t.Errorf("%s: EditedAt %v outside publication..now", a.Slug, a.EditedAt)
			}
		}
	}
	if age := testNow.Sub(newest); age < time.Hour || age > 12*time.Hour {
		t.Errorf("newest article is %v old, want a few hours", age)
	}
}

func TestCounts(t *testing.T) {
	arts := Articles(testNow)
	if len(arts) < 44 {
		t.Errorf("%d articles, want at least 44", len(arts))
	}
	if len(sections) < 6 {
		t.Errorf("%d sections, want at least 6", len(sections))
	}
	child := false
	for _, s := range sections {
		child = child || s.Parent != ""
	}
	if !child {
		t.Error("no child section")
	}
	labels := map[string]int{}
	for _, a := range authors {
		labels[a.Label]++
		if a.Bio == "" {
			t.Errorf("author %s has no bio", a.Slug)
		}
	}
	if len(authors) < 4 || len(labels) < 3 {
		t.Errorf("%d authors with %d labels", len(authors), len(labels))
	}
	for _, l := range []string{newsroom.LabelOwnCorr, newsroom.LabelAgency, newsroom.LabelGuest, newsroom.LabelStaff, newsroom.LabelColumnist} {
		if labels[l] == 0 {
			t.Errorf("no author labelled %s", l)
		}
	}
	if len(tags) < 15 {
		t.Errorf("%d tags, want ~15", len(tags))
	}
	status := map[newsroom.Status]int{}
	langs := map[string]int{}
	used := map[string]int{}
	withSources, withQuote, open, edited := 0, 0, 0, 0
	for _, a := range arts {
		status[a.Status]++
		langs[a.Language]++
		for _, c := range a.Categories {
			used[c.Slug]++
		}
		if len(a.Sources) > 0 {
			withSources++
		}
		if strings.Contains(a.Body, "\n>\n> — ") {
			withQuote++
		}
		if a.CommentsOpen {
			open++
		}
		if !a.EditedAt.IsZero() {
			edited++
		}
	}
	if status[newsroom.Draft]+status[newsroom.Review] < 2 || status[newsroom.Scheduled] < 1 {
		t.Errorf("desk statuses: %v", status)
	}
	if langs["ru"] < 3 {
		t.Errorf("%d Russian articles, want 3–4", langs["ru"])
	}
	for _, s := range sections {
		if used[s.Slug] == 0 {
			t.Errorf("section %s has no articles", s.Slug)
		}
	}
	if withSources*4 < len(arts)*3 {
		t.Errorf("only %d of %d articles cite sources", withSources, len(arts))
	}
	if withQuote*2 < len(arts) {
		t.Errorf("only %d of %d articles have an attributed blockquote", withQuote, len(arts))
	}
	if open*3 < len(arts)*2 {
		t.Errorf("comments open on only %d of %d", open, len(arts))
	}
	if edited < 2 {
		t.Errorf("%d edited articles, want 2–3", edited)
	}
	t.Logf("articles %d (%v, %v), sections %d, authors %d, tags %d", len(arts), status, langs, len(sections), len(authors), len(tags))
}

func TestLeadImages(t *testing.T) {
	for _, a := range Articles(testNow) {
		img := a.LeadImage
		if img == nil {
			if a.Status == newsroom.Published {
				t.Errorf("%s: published without lead image", a.Slug)
			}
			continue
		}
		if img.Caption == "" || img.Credit == "" || img.SourceName == "" || img.SourceURL == "" || img.Alt == "" {
			t.Errorf("%s: incomplete lead image %+v", a.Slug, img)
		}
		if img.URL != "/media/demo/"+a.Slug+"-960.jpg" || img.Width != 960 || img.Height != 640 {
			t.Errorf("%s: lead image %s %dx%d", a.Slug, img.URL, img.Width, img.Height)
		}
		want := "/media/demo/" + a.Slug + "-480.jpg 480w, /media/demo/" + a.Slug + "-960.jpg 960w, /media/demo/" + a.Slug + "-1600.jpg 1600w"
		if img.Srcset != want {
			t.Errorf("%s: srcset %q", a.Slug, img.Srcset)
		}
		if a.Language == "ru" && !strings.HasPrefix(img.Alt, "Иллюстрация") {
			t.Errorf("%s: alt text not in Russian: %q", a.Slug, img.Alt)
		}
	}
}

func TestDesignatedOrganizationMarked(t *testing.T) {
	org := DesignatedOrganization
	if org.Name == "" || len(org.FormsEN) == 0 || len(org.FormsRU) < 4 || org.ListedFrom.IsZero() {
		t.Fatalf("incomplete organization: %+v", org)
	}
	var en, ru int
	for _, a := range Articles(testNow) {
		forms, note := org.FormsEN, org.NoteEN
		if a.Language == "ru" {
			forms, note = org.FormsRU, org.NoteRU
		}
		first, firstForm := -1, ""
		for _, f := range forms {
			if i := strings.Index(a.Body, f); i >= 0 && (first < 0 || i < first) {
				first, firstForm = i, f
			}
		}
		if first < 0 {
			continue
		}
		if a.Language == "ru" {
			ru++
		} else {
			en++
		}
		if !strings.HasPrefix(a.Body[first+len(firstForm):], " * ("+note+")") {
			t.Errorf("%s: first body mention not marked with note: %q", a.Slug, a.Body[first:min(len(a.Body), first+len(firstForm)+60)])
		}
		marked := false
		for _, f := range forms {
			marked = marked || strings.Contains(a.Standfirst, f+" *")
		}
		if !marked {
			t.Errorf("%s: standfirst does not carry the marked name", a.Slug)
		}
		if a.Language == "ru" {
			seen := 0
			for _, f := range forms {
				if strings.Contains(a.Body, f) {
					seen++
				}
			}
			if seen < 3 {
				t.Errorf("%s: only %d inflected forms used", a.Slug, seen)
			}
		}
	}
	if en == 0 || ru == 0 {
		t.Errorf("organization mentioned in %d English and %d Russian articles, want both", en, ru)
	}
}

func TestOutlet(t *testing.T) {
	for _, l := range []string{"en", "ru", "xx"} {
		n, tag := Outlet(l)
		if n == "" || tag == "" {
			t.Errorf("Outlet(%q) empty", l)
		}
	}
	if n, _ := Outlet("ru"); !strings.ContainsAny(n, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя") {
		t.Errorf("Russian outlet name %q", n)
	}
}

func TestImagesDecodeAndDeterministic(t *testing.T) {
	dir := t.TempDir()
	jobs := []ImageJob{{Slug: "test-harbour", Scene: "harbour:golden"}, {Slug: "test-field", Scene: "field"}}
	n, err := WriteImages(context.Background(), dir, jobs)
	if err != nil || n != len(jobs) {
		t.Fatalf("WriteImages: %d, %v", n, err)
	}
	for _, j := range jobs {
		for _, w := range ImageWidths {
			p := filepath.Join(dir, "demo", j.Slug+"-"+itoa(w)+".jpg")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			img, err := jpeg.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if got := img.Bounds().Size(); got.X != w || got.Y != w*2/3 {
				t.Errorf("%s: %v, want %dx%d", p, got, w, w*2/3)
			}
		}
	}
	a := Paint("same-slug", "coast", 480)
	b := Paint("same-slug", "coast", 480)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("Paint is not deterministic")
	}
	c := Paint("other-slug", "coast", 480)
	if bytes.Equal(a.Pix, c.Pix) {
		t.Error("different slugs give the same picture")
	}
	// Every scene kind and time paints without trouble.
	for _, k := range SceneKinds {
		for _, tod := range SceneTimes {
			Paint("k-"+k+"-"+tod, k+":"+tod, 120)
		}
	}
}

func itoa(n int) string {
	var b [8]byte
	i := len(b)
	for n > 0 || i == len(b) {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// TestAllImagesTime paints every demo image, as Seed does, and reports the time.
func TestAllImagesTime(t *testing.T) {
	if testing.Short() {
		t.Skip("paints every demo image")
	}
	var jobs []ImageJob
	for _, s := range allStories() {
		if s.pic.scene != "" {
			jobs = append(jobs, ImageJob{Slug: s.slug, Scene: s.pic.scene})
		}
	}
	start := time.Now()
	n, err := WriteImages(context.Background(), t.TempDir(), jobs)
	if err != nil || n != len(jobs) {
		t.Fatalf("WriteImages: %d of %d, %v", n, len(jobs), err)
	}
	t.Logf("%d images in %d sizes: %v", n, len(ImageWidths), time.Since(start))
}

func trivialRender(a *newsroom.Article) error {
	a.BodyHTML = "<p>" + html.EscapeString(a.Body) + "</p>"
	a.HeadlineHTML = html.EscapeString(a.Headline)
	a.StandfirstHTML = html.EscapeString(a.Standfirst)
	return nil
}

func TestSeedSQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clock := func() time.Time { return testNow }
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "newsdesk.db"), sqlstore.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	media := filepath.Join(dir, "media")
	stats, err := Seed(ctx, Deps{Store: st, Render: trivialRender, MediaDir: media, Now: testNow})
	if err != nil {
		t.Fatalf("Seed: %v (stats %+v)", err, stats)
	}
	all := Articles(testNow)
	if stats.Articles != len(all) || stats.Sections != len(sections) || stats.Authors != len(authors) || stats.Tags != len(tags) {
		t.Errorf("stats %+v", stats)
	}
	_, total, err := st.FindArticles(ctx, newsroom.ArticleFilter{Limit: 1})
	if err != nil || total != len(all) {
		t.Errorf("FindArticles: total %d, err %v; want %d", total, err, len(all))
	}
	pub := newsroom.Published
	now := testNow
	_, public, err := st.FindArticles(ctx, newsroom.ArticleFilter{Status: &pub, PublicAt: &now, Limit: 1})
	wantPublic := 0
	for _, a := range all {
		if a.IsPublic(testNow) {
			wantPublic++
		}
	}
	if err != nil || public != wantPublic {
		t.Errorf("public articles: %d, err %v; want %d", public, err, wantPublic)
	}
	list, n, err := st.FindArticles(ctx, newsroom.ArticleFilter{Category: "region", PublicAt: &now, Limit: 100})
	if err != nil || n == 0 {
		t.Errorf("region (with children): %d, %v", n, err)
	}
	for _, a := range list {
		if a.LeadImage == nil || a.LeadImage.URL == "" {
			t.Errorf("%s: listing without lead image", a.Slug)
		}
	}
	a, err := st.ArticleBySlug(ctx, "two-men-jailed-for-funding-grey-strait-brotherhood")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Authors) != 2 || a.LeadImage == nil || a.LeadImage.Credit == "" || len(a.Sources) != 2 || a.BodyHTML == "" {
		t.Errorf("stored article incomplete: %+v", a)
	}
	if _, err := os.Stat(filepath.Join(media, "demo", a.Slug+"-1600.jpg")); err != nil {
		t.Error(err)
	}
	// Stories told in both languages are linked translations.
	for tr, orig := range translations {
		a, err := st.ArticleBySlug(ctx, tr)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Translations) != 1 || a.Translations[0].Slug != orig || !a.Translations[0].Original || a.Translations[0].Language == a.Language {
			t.Errorf("%s: translations %+v; want its original %s in the other language", tr, a.Translations, orig)
		}
	}
	// Seeding again is harmless: everything exists, nothing is added.
	again, err := Seed(ctx, Deps{Store: st, Render: trivialRender, MediaDir: media, Now: testNow})
	if err != nil || again.Articles != 0 {
		t.Errorf("second Seed: %+v, %v", again, err)
	}
}
