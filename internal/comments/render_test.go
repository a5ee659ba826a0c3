package comments

import "testing"

func TestRender(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs and breaks", "One\ntwo\n\n\nThree", "<p>One<br>\ntwo</p>\n<p>Three</p>\n"},
		{"windows line ends", "a\r\nb\r\n\r\nc", "<p>a<br>\nb</p>\n<p>c</p>\n"},
		{"script is text", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{"html link is text", `<a href="javascript:alert(1)">x</a>`, "<p>&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;</p>\n"},
		{"autolink", "see https://example.org/a?b=1&c=2.", `<p>see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc">https://example.org/a?b=1&amp;c=2</a>.</p>` + "\n"},
		{"link in parentheses", "(http://example.org/x)", `<p>(<a href="http://example.org/x" rel="nofollow ugc">http://example.org/x</a>)</p>` + "\n"},
		{"wiki link keeps its parenthesis", "https://en.example/wiki/A_(b)", `<p><a href="https://en.example/wiki/A_(b)" rel="nofollow ugc">https://en.example/wiki/A_(b)</a></p>` + "\n"},
		{"javascript scheme not linked", "javascript:alert(1)", "<p>javascript:alert(1)</p>\n"},
		{"quote ends a link", `https://a.example/"onmouseover="alert(1)`, `<p><a href="https://a.example/" rel="nofollow ugc">https://a.example/</a>&#34;onmouseover=&#34;alert(1)</p>` + "\n"},
		{"entities stay text", "&lt;b&gt; &amp;", "<p>&amp;lt;b&amp;gt; &amp;amp;</p>\n"},
		{"empty", "  \n\n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(tt.in); got != tt.want {
				t.Errorf("Render(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
