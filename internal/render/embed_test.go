package render

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestEmbeds(t *testing.T) {
	r := New()
	card := func(class, href, provider, address string) string {
		return `<figure class="embed embed-` + class + `"><a class="embed-card" href="` + href + `"><span class="embed-provider">` + provider +
			`</span> <span class="embed-address">` + address + `</span></a>`
	}
	for _, c := range []struct{ name, in, want string }{
		{"youtube with caption", "https://www.youtube.com/watch?v=abc123def\nStorm over the \\*pier\\*, \"1998\"",
			card("youtube", "https://www.youtube.com/watch?v=abc123def", "YouTube", "youtube.com/watch?v=abc123def") + `<figcaption>Storm over the *pier*, “1998”</figcaption></figure>`},
		{"short youtube address", "https://youtu.be/abc123def",
			card("youtube", "https://www.youtube.com/watch?v=abc123def", "YouTube", "youtube.com/watch?v=abc123def") + `</figure>`},
		{"player address", "https://player.vimeo.com/video/76979871",
			card("vimeo", "https://vimeo.com/76979871", "Vimeo", "vimeo.com/76979871") + `</figure>`},
		{"link card only", "https://x.com/skerrow/status/123",
			card("x", "https://x.com/skerrow/status/123", "X", "x.com/skerrow/status/123") + `</figure>`},
		{"unknown provider", "<https://example.org/a_(b)>",
			card("link", "https://example.org/a_(b)", "example.org", "example.org/a_(b)") + `</figure>`},
		{"own video file", "[crossing.mp4](/media/f/crossing.mp4)\nThe crossing",
			`<figure class="embed embed-video"><video controls="" preload="none" src="/media/f/crossing.mp4"></video><a class="embed-file" href="/media/f/crossing.mp4">crossing.mp4</a><figcaption>The crossing</figcaption></figure>`},
		{"own audio file", "[Harbour report](/wp-content/uploads/2024/03/report.mp3)",
			`<figure class="embed embed-audio"><audio controls="" preload="none" src="/wp-content/uploads/2024/03/report.mp3"></audio><a class="embed-file" href="/wp-content/uploads/2024/03/report.mp3">Harbour report</a></figure>`},
		{"a document stays a link", "[timetable](/media/f/timetable.pdf)", `<p><a href="/media/f/timetable.pdf">timetable</a></p>`},
		{"a file elsewhere stays a link", "[x](https://cdn.example/a.mp3)", `<p><a href="https://cdn.example/a.mp3">x</a></p>`},
		{"an address inside a sentence stays a link", "See https://vimeo.com/123 now.", `<p>See <a href="https://vimeo.com/123">https://vimeo.com/123</a> now.</p>`},
		{"not at the top level", "> https://vimeo.com/123", "<blockquote>\n<p><a href=\"https://vimeo.com/123\">https://vimeo.com/123</a></p>\n</blockquote>"},
		{"a link with words is a link", "[the video](https://vimeo.com/123)", `<p><a href="https://vimeo.com/123">the video</a></p>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := r.Markdown(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(got) != c.want {
				t.Errorf("Markdown(%q)\n got %s\nwant %s", c.in, got, c.want)
			}
		})
	}
}

// The stored form EmbedMarkdown writes renders back to the same address
// and caption, whatever the caption holds.
func TestEmbedMarkdownRoundTrip(t *testing.T) {
	r := New()
	for _, c := range []struct{ url, caption, href string }{
		{"https://www.youtube.com/embed/skerrow01?rel=0", "1998. The # pier *before* [the] rebuild & <after>", "https://www.youtube.com/watch?v=skerrow01"},
		{"//player.vimeo.com/video/42", "- a dash first", "https://vimeo.com/42"},
		{"https://example.org/a b/(c)", "", "https://example.org/a%20b/%28c%29"},
		{"https://example.org/page.", "ends in a dot", "https://example.org/page."},
	} {
		md, ok := EmbedMarkdown(c.url, c.caption)
		if !ok {
			t.Fatalf("EmbedMarkdown(%q) refused", c.url)
		}
		h, err := r.Markdown("Before.\n\n" + md + "\n\nAfter.")
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(h))
		href, _ := doc.Find("figure.embed a.embed-card").Attr("href")
		if href != c.href || doc.Find("figure.embed figcaption").Text() != Smarten(c.caption) || doc.Find("p").Length() != 2 {
			t.Errorf("%q %q → %q → %s", c.url, c.caption, md, h)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "/relative", "ftp://x.example/a", ""} {
		if _, ok := EmbedMarkdown(bad, ""); ok {
			t.Errorf("EmbedMarkdown(%q) accepted", bad)
		}
	}
}

// Hand-written HTML cannot pass for an embed that loads something from
// elsewhere: frames, scripts and players of other hosts' files go.
func TestEmbedsAreSanitized(t *testing.T) {
	r := New()
	got, err := r.Markdown(`<figure class="embed embed-youtube"><iframe src="https://www.youtube.com/embed/x"></iframe><video controls preload="auto" autoplay src="https://tracker.example/v.mp4"></video><audio src="//cdn.example/a.mp3"></audio><script src="https://platform.x.com/widgets.js"></script></figure>`)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"iframe", "script", "tracker.example", "cdn.example", "autoplay", `preload="auto"`} {
		if strings.Contains(got, bad) {
			t.Errorf("sanitized HTML keeps %q: %s", bad, got)
		}
	}
}
