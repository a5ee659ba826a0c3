package site

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/media"
	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
)

// TestLibraryImageOnArticle: an image uploaded to the media library and
// chosen as lead image shows with src at 960, every width in srcset, its
// dimensions, and each rendition is served with a year-long immutable
// cache lifetime.
func TestLibraryImageOnArticle(t *testing.T) {
	f := newFixture(t, "en")
	ctx := context.Background()
	pub, err := media.NewDisk(f.media)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := media.NewDisk(filepath.Join(t.TempDir(), "originals"))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := media.New(media.Config{Public: pub, Originals: orig, Store: f.st})
	if err != nil {
		t.Fatal(err)
	}
	data := mediatest.WithEXIF(mediatest.JPEG(2000, 1500), 1, true)
	item, _, err := lib.Upload(ctx, "quay.jpg", bytes.NewReader(data), newsroom.MediaItem{
		Caption: "The new quay at dusk", Credit: "Ada Brenn", Alt: "A concrete quay with lamps"})
	if err != nil {
		t.Fatal(err)
	}
	a := f.mustCreateArticle("new-quay", func(a *newsroom.Article) { a.LeadImage = item.Image() })

	doc := f.page(a.URL(), http.StatusOK)
	img := wantCount(t, doc, "figure.lead-figure img", 1)
	src, _ := img.Attr("src")
	if want := "/media/" + newsroom.MediaKey(item.Hash, 960, "jpg"); src != want {
		t.Errorf("src = %q, want %q", src, want)
	}
	srcset, _ := img.Attr("srcset")
	var widths []string
	for _, part := range strings.Split(srcset, ",") {
		fields := strings.Fields(part)
		if len(fields) != 2 {
			t.Fatalf("srcset entry %q is not \"URL Nw\"", part)
		}
		widths = append(widths, fields[1])
		res := f.get(fields[0])
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET %s: %d %s", fields[0], res.StatusCode, res.Header.Get("Content-Type"))
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", fields[0], cc)
		}
	}
	if !slices.Equal(widths, []string{"480w", "960w", "1600w"}) {
		t.Errorf("srcset widths = %v, want 480w 960w 1600w", widths)
	}
	if sizes, _ := img.Attr("sizes"); sizes == "" {
		t.Error("img has srcset but no sizes")
	}
	w, _ := img.Attr("width")
	h, _ := img.Attr("height")
	if w != "960" || h != "720" {
		t.Errorf("width×height = %s×%s, want 960×720", w, h)
	}
	if got := text(doc.Find("figure.lead-figure figcaption")); !strings.Contains(got, "The new quay at dusk") || !strings.Contains(got, "Ada Brenn") {
		t.Errorf("figcaption = %q", got)
	}
	// The demo's names are not content-addressed: no "immutable" there.
	res := f.get("/media/demo/nothing.jpg")
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("missing media file: %d", res.StatusCode)
	}
}

// TestMergedTagRedirects: after a merge the old tag's address answers 301
// to the survivor's, whose archive lists the articles of both.
func TestMergedTagRedirects(t *testing.T) {
	f := newFixture(t, "en")
	ctx := context.Background()
	boats, err := f.st.EnsureTag(ctx, "boats", "Boats")
	if err != nil {
		t.Fatal(err)
	}
	ferries, err := f.st.TagBySlug(ctx, "ferries")
	if err != nil {
		t.Fatal(err)
	}
	f.mustCreateArticle("one", func(a *newsroom.Article) { a.Tags = []newsroom.Tag{{Slug: "boats"}} })
	f.mustCreateArticle("two", func(a *newsroom.Article) { a.Tags = []newsroom.Tag{{Slug: "ferries"}} })
	if _, err := f.st.MergeTags(ctx, boats.ID, ferries.ID); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/tag/boats", "/tag/boats?page=2"} {
		res := f.get(path)
		res.Body.Close()
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/tag/ferries" {
			t.Errorf("GET %s: %d -> %q, want 301 -> /tag/ferries", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	doc := f.page("/tag/ferries", http.StatusOK)
	wantCount(t, doc, "main article.card, main li.item", 2)
	doc = f.page("/world/one", http.StatusOK)
	if got := text(doc.Find(`a[rel="tag"]`)); got != "Ferries" {
		t.Errorf("tags on the merged article = %q, want Ferries", got)
	}
	res := f.get("/tag/never-was")
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown tag: %d", res.StatusCode)
	}
}

// TestSectionOrderInNav: moving a section in the menu shows in the nav.
func TestSectionOrderInNav(t *testing.T) {
	f := newFixture(t, "en")
	ctx := context.Background()
	nav := func() []string {
		var out []string
		f.page("/", http.StatusOK).Find("nav.sections li a").Each(func(_ int, s *goquery.Selection) {
			out = append(out, text(s))
		})
		return out
	}
	before := nav()
	if !slices.Equal(before, []string{"Home", "World", "Coast", "Sport"}) {
		t.Fatalf("nav before = %v", before)
	}
	sport, _ := f.st.CategoryBySlug(ctx, "sport")
	sport.Position = 0
	sport.Name = "Sport & Games"
	if err := f.st.UpdateCategory(ctx, sport); err != nil {
		t.Fatal(err)
	}
	if after := nav(); !slices.Equal(after, []string{"Home", "Sport & Games", "World", "Coast"}) {
		t.Errorf("nav after = %v", after)
	}
}
