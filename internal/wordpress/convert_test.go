package wordpress

import (
	"strings"
	"testing"
)

func testConverter() *converter {
	return &converter{
		OldHost: "skerrowcourier.example",
		Image: func(src string) (ImageRef, bool) {
			if strings.Contains(src, "/uploads/2024/03/ferry") {
				return ImageRef{URL: "/media/ferry-960.jpg", Alt: "Library alt", Caption: "Library caption"}, true
			}
			return ImageRef{}, false
		},
		Attachment: func(id int64) (ImageRef, bool) {
			if id == 101 {
				return ImageRef{URL: "/media/ferry-960.jpg", Alt: "Ferry", Caption: "The ferry"}, true
			}
			return ImageRef{}, false
		},
		File: func(src string) (string, bool) {
			if p := uploadsPath(src); p == "2024/03/timetable.pdf" {
				return "/media/files/" + p, true
			}
			return "", false
		},
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name, in, want string
		unknown        []string
	}{
		{"block paragraph", "<!-- wp:paragraph -->\n<p>The <strong>boat</strong> is <em>back</em>.</p>\n<!-- /wp:paragraph -->", "The **boat** is *back*.", nil},
		{"heading levels", "<!-- wp:heading {\"level\":3} -->\n<h3 class=\"wp-block-heading\">Tides</h3>\n<!-- /wp:heading -->", "### Tides", nil},
		{"quote with cite", "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>We waited.</p>\n<!-- /wp:paragraph --><cite>Morag Flett</cite></blockquote>\n<!-- /wp:quote -->",
			"> We waited.\n>\n> — Morag Flett", nil},
		{"image with caption, resized", `<!-- wp:image {"id":101} --><figure class="wp-block-image"><img src="https://skerrowcourier.example/wp-content/uploads/2024/03/ferry-1024x683.jpg" alt="At the pier" class="wp-image-101"/><figcaption class="wp-element-caption">First sailing "of the year"</figcaption></figure><!-- /wp:image -->`,
			`![At the pier](/media/ferry-960.jpg "First sailing \"of the year\"")`, nil},
		{"image linked to its file", `<figure class="wp-block-image"><a href="https://skerrowcourier.example/wp-content/uploads/2024/03/ferry.jpg"><img src="https://skerrowcourier.example/wp-content/uploads/2024/03/ferry-300x200.jpg" alt=""/></a></figure>`,
			`![Library alt](/media/ferry-960.jpg)`, nil},
		{"gallery shortcode", `[gallery ids="101"]`, `![Ferry](/media/ferry-960.jpg "The ferry")`, nil},
		{"caption shortcode", `[caption id="attachment_101" width="640"]<img src="https://i0.wp.com/skerrowcourier.example/wp-content/uploads/2024/03/ferry.jpg?w=640" alt="Boat" /> The boat[/caption]`,
			`![Boat](/media/ferry-960.jpg "The boat")`, nil},
		{"classic autop", "One line\nnext line.\n\nSecond paragraph.", "One line\\\nnext line.\n\nSecond paragraph.", nil},
		{"list", "<!-- wp:list --><ul><!-- wp:list-item --><li>One</li><!-- /wp:list-item --><!-- wp:list-item --><li>Two<ul><li>Two a</li></ul></li><!-- /wp:list-item --></ul><!-- /wp:list -->",
			"- One\n- Two\n  - Two a", nil},
		{"ordered list", "<ol><li>First</li><li>Second</li></ol>", "1. First\n2. Second", nil},
		{"table", "<!-- wp:table --><figure class=\"wp-block-table\"><table><tbody><tr><td>Day</td><td>Boats</td></tr><tr><td>Mon</td><td>2 | 3</td></tr></tbody></table></figure><!-- /wp:table -->",
			"| Day | Boats |\n| --- | --- |\n| Mon | 2 \\| 3 |", nil},
		{"embed block", `<!-- wp:embed {"url":"https://www.youtube.com/watch?v=skerrow0001"} --><figure class="wp-block-embed is-provider-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=skerrow0001
</div><figcaption class="wp-element-caption">The crossing</figcaption></figure><!-- /wp:embed -->`, "https://www.youtube.com/watch?v=skerrow0001\nThe crossing", nil},
		{"embed shortcode", "[embed]https://vimeo.com/123[/embed]", "https://vimeo.com/123", nil},
		{"self-closed embed block", `<!-- wp:embed {"url":"https://x.com/skerrow/status/1"} /-->`, "https://x.com/skerrow/status/1", nil},
		{"iframe", `<iframe src="https://www.youtube.com/embed/skerrow0002" title="Storm"></iframe>`, "https://www.youtube.com/watch?v=skerrow0002\nStorm", nil},
		{"embed of the old site", "[embed]https://skerrowcourier.example/2024/03/10/council-meets/[/embed]", "[council-meets](/2024/03/10/council-meets/)", nil},
		{"video elsewhere", `[video src="https://vimeo.com/76979871"]`, "https://vimeo.com/76979871", nil},
		{"audio block", `<!-- wp:audio {"id":105} --><figure class="wp-block-audio"><audio controls src="https://skerrowcourier.example/wp-content/uploads/2024/03/harbour%20report.mp3"></audio><figcaption class="wp-element-caption">Harbour report</figcaption></figure><!-- /wp:audio -->`,
			"[harbour report.mp3](/wp-content/uploads/2024/03/harbour%20report.mp3)\nHarbour report", nil},
		{"gallery block", `<!-- wp:gallery {"linkTo":"none"} --><figure class="wp-block-gallery has-nested-images columns-default is-cropped"><!-- wp:image {"id":101,"sizeSlug":"large"} --><figure class="wp-block-image size-large"><img src="https://skerrowcourier.example/wp-content/uploads/2024/03/ferry-1024x683.jpg" alt="Bow wave" class="wp-image-101"/></figure><!-- /wp:image --><figcaption class="blocks-gallery-caption wp-element-caption">Spring sailings</figcaption></figure><!-- /wp:gallery -->`,
			"![Bow wave](/media/ferry-960.jpg)\n\n*Spring sailings*", nil},
		{"pullquote", `<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>The pier held.</p><cite>Harbour master</cite></blockquote></figure><!-- /wp:pullquote -->`,
			"> The pier held.\n>\n> — Harbour master", nil},
		{"audio shortcode", `[audio mp3="https://skerrowcourier.example/wp-content/uploads/2024/03/report.mp3"][/audio]`, "[report.mp3](/wp-content/uploads/2024/03/report.mp3)", nil},
		{"file block", `<!-- wp:file {"id":104} --><div class="wp-block-file"><a href="https://skerrowcourier.example/wp-content/uploads/2024/03/timetable.pdf">Winter timetable</a><a href="https://skerrowcourier.example/wp-content/uploads/2024/03/timetable.pdf" class="wp-block-file__button wp-element-button" download>Download</a></div><!-- /wp:file -->`,
			"[Winter timetable](/media/files/2024/03/timetable.pdf)", nil},
		{"separator", "<!-- wp:separator --><hr class=\"wp-block-separator\"/><!-- /wp:separator -->", "---", nil},
		{"html block", "<!-- wp:html --><div class=\"box\"><p>High water <b>06:12</b></p></div><!-- /wp:html -->", "High water **06:12**", nil},
		{"unknown dynamic block", `<!-- wp:latest-posts {"postsToShow":3} /-->`, "```\nwordpress block: latest-posts {\"postsToShow\":3}\n```", []string{"block wp:latest-posts"}},
		{"unknown shortcode kept", `Sign up: [contact-form-7 id="1"]`, `Sign up: \[contact-form-7 id="1"\]`, []string{"shortcode [contact-form-7]"}},
		{"brackets are not shortcodes", "He said [sic] it.", `He said \[sic\] it.`, nil},
		{"hand-typed legal mark not doubled", "<p>The Northern Front* said so.</p>", `The Northern Front\* said so.`, nil},
		{"link to the old site becomes a path", `<p><a href="https://skerrowcourier.example/2024/03/10/council-meets/?x=1#c">the vote</a></p>`, "[the vote](/2024/03/10/council-meets/?x=1#c)", nil},
		{"markdown in text escaped", "<p># not a heading, 1. not a list, *stars*</p>", `\# not a heading, 1. not a list, \*stars\*`, nil},
		{"script dropped", "<p>Text</p><script>alert(1)</script>", "Text", []string{"element <script> (removed)"}},
		{"video shortcode", `[video mp4="https://skerrowcourier.example/wp-content/uploads/2024/03/crossing.mp4"][/video]`, "[crossing.mp4](/wp-content/uploads/2024/03/crossing.mp4)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConverter()
			got := strings.TrimSpace(c.Convert(tt.in))
			if got != tt.want {
				t.Errorf("Convert(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
			if strings.Join(c.Unknown, "|") != strings.Join(tt.unknown, "|") {
				t.Errorf("unknown = %q, want %q", c.Unknown, tt.unknown)
			}
		})
	}
}

func TestPictureKeys(t *testing.T) {
	same := []string{
		"https://skerrowcourier.example/wp-content/uploads/2024/03/ferry.jpg",
		"https://skerrowcourier.example/wp-content/uploads/2024/03/ferry-1024x683.jpg",
		"https://skerrowcourier.example/wp-content/uploads/2024/03/ferry-scaled.jpg",
		"https://i2.wp.com/skerrowcourier.example/wp-content/uploads/2024/03/ferry.jpg?resize=640%2C427&ssl=1",
		"//skerrowcourier.example/wp-content/uploads/sites/3/2024/03/ferry-300x200.jpg",
	}
	for _, u := range same {
		if got := pictureKey(uploadsPath(u)); got != "2024/03/ferry.jpg" {
			t.Errorf("pictureKey(%q) = %q, want 2024/03/ferry.jpg", u, got)
		}
	}
}

func TestUnserialize(t *testing.T) {
	v, err := unserialize(`a:3:{s:5:"width";i:1600;s:4:"file";s:17:"2024/03/ferry.jpg";s:10:"image_meta";a:2:{s:6:"credit";s:13:"Ailsa Rendall";s:8:"keywords";a:0:{}}}`)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if m["width"] != int64(1600) || m["file"] != "2024/03/ferry.jpg" || m["image_meta"].(map[string]any)["credit"] != "Ailsa Rendall" {
		t.Errorf("unserialize = %#v", m)
	}
	for _, bad := range []string{`a:1:{s:5:"width";`, `s:99:"short";`, `O:8:"stdClass":0:{}`, ``} {
		if _, err := unserialize(bad); err == nil {
			t.Errorf("unserialize(%q) accepted", bad)
		}
	}
}
