package render

import (
	"strings"
	"testing"

	"newsdesk/internal/newsroom"
)

func TestMarkdownIsSanitized(t *testing.T) {
	r := New()
	tests := []struct {
		name, src     string
		want, mustNot []string
	}{
		{"script dropped", "hi <script>alert(1)</script>", []string{"hi"}, []string{"<script", "alert(1)</script"}},
		{"javascript link dropped", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"onerror dropped", `<img src=x onerror=alert(1)>`, nil, []string{"onerror"}},
		{"emphasis kept", "*quiet* **loud**", []string{"<em>quiet</em>", "<strong>loud</strong>"}, nil},
		{"link kept", "[port](https://port.example/a)", []string{`href="https://port.example/a"`}, nil},
		{"typographic quotes", `He said "yes" -- twice...`, []string{"“yes”", "–", "…"}, nil},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"attribution", "> “We sail at dawn.”\n>\n> — Mara Velk, harbour master", []string{`<p class="attribution">— Mara Velk, harbour master</p>`, "<blockquote>"}, nil},
		{"lazy images", "![a gull](/media/x.jpg)", []string{`loading="lazy"`, `alt="a gull"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Markdown(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Markdown(%q) = %q, want it to contain %q", tt.src, got, w)
				}
			}
			for _, w := range tt.mustNot {
				if strings.Contains(got, w) {
					t.Errorf("Markdown(%q) = %q, must not contain %q", tt.src, got, w)
				}
			}
		})
	}
}

func TestArticleFillsHTMLAndRunsHooks(t *testing.T) {
	called := false
	r := New(func(a *newsroom.Article) error { called = true; return nil })
	a := &newsroom.Article{Headline: `Port says "no" to <tolls> -- again`, Standfirst: "It's over", Body: "Para one.\n\nPara two."}
	if err := r.Article(a); err != nil {
		t.Fatal(err)
	}
	if want := "Port says “no” to &lt;tolls&gt; – again"; a.HeadlineHTML != want {
		t.Errorf("HeadlineHTML = %q, want %q", a.HeadlineHTML, want)
	}
	if want := "It’s over"; a.StandfirstHTML != want {
		t.Errorf("StandfirstHTML = %q, want %q", a.StandfirstHTML, want)
	}
	if strings.Count(a.BodyHTML, "<p>") != 2 {
		t.Errorf("BodyHTML = %q, want two paragraphs", a.BodyHTML)
	}
	if !called {
		t.Error("hook was not called")
	}
}

func TestExcerpt(t *testing.T) {
	h := "<p>The ferry line to the outer islands reopens on Monday &amp; runs daily.</p>"
	if got, want := Excerpt(h, 200), "The ferry line to the outer islands reopens on Monday & runs daily."; got != want {
		t.Errorf("Excerpt = %q, want %q", got, want)
	}
	if got := Excerpt(h, 30); got != "The ferry line to the outer…" {
		t.Errorf("Excerpt(30) = %q", got)
	}
}

func TestFigure(t *testing.T) {
	r := New()
	for _, c := range []struct{ in, want string }{
		{`![Gulls on the pier](/media/a.jpg "The pier at Kelby, \"1998\"")`,
			`<figure><img src="/media/a.jpg" alt="Gulls on the pier" loading="lazy"><figcaption>The pier at Kelby, “1998”</figcaption></figure>`},
		{`![Gulls](/media/a.jpg)`, `<p><img src="/media/a.jpg" alt="Gulls" loading="lazy"></p>`},
		{`See ![Gulls](/media/a.jpg "t") here`, `<p>See <img src="/media/a.jpg" alt="Gulls" title="t" loading="lazy"> here</p>`},
	} {
		got, err := r.Markdown(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(got) != c.want {
			t.Errorf("Markdown(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// TestFigureCreditAndSrcset: the title's part after " | " is the credit,
// and a library rendition gets every width in srcset when the renderer
// knows the library; an address from elsewhere never does.
func TestFigureCreditAndSrcset(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	src := "/media/i/ab/" + hash + "-960.jpg"
	srcset := "/media/i/ab/" + hash + "-480.jpg 480w, " + src + " 960w, /media/i/ab/" + hash + "-1600.jpg 1600w"
	r := New()
	asked := 0
	r.SetPictures(func(s string) (Picture, bool) {
		asked++
		if s != src {
			return Picture{}, false
		}
		return Picture{Srcset: srcset, Width: 960, Height: 640}, true
	})
	for _, c := range []struct{ in, want string }{
		{`![The ferry](` + src + ` "The Aurora back at Varde | Lena Ots")`,
			`<figure><img src="` + src + `" alt="The ferry" loading="lazy" srcset="` + srcset + `" sizes="(min-width: 48em) 720px, 100vw" width="960" height="640"><figcaption>The Aurora back at Varde <span class="credit">Lena Ots</span></figcaption></figure>`},
		{`![Gulls](/media/i/cd/` + strings.Repeat("cd", 32) + `-960.jpg "Gulls")`,
			`<figure><img src="/media/i/cd/` + strings.Repeat("cd", 32) + `-960.jpg" alt="Gulls" loading="lazy"><figcaption>Gulls</figcaption></figure>`},
		{`![Gulls](https://elsewhere.example/a.jpg " | Agency")`,
			`<figure><img src="https://elsewhere.example/a.jpg" alt="Gulls" loading="lazy"><figcaption><span class="credit">Agency</span></figcaption></figure>`},
	} {
		got, err := r.Markdown(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(got) != c.want {
			t.Errorf("Markdown(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	if asked != 2 {
		t.Errorf("the library was asked %d times, want 2 (never for another site's address)", asked)
	}
}
