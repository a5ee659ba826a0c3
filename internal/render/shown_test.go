package render

import (
	"strings"
	"testing"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/quote"
)

// TestShownMatchesRenderedText checks that the plain text Shown builds is
// the text the rendered HTML shows, and that every verbatim piece really is
// a copy of its source.
func TestShownMatchesRenderedText(t *testing.T) {
	r := New()
	sources := []string{
		"He said \"hello\" -- it's **very *bold*** and [a link](http://x.com \"title\") \\*esc\\* &amp; &copy; `code` <http://auto.com>\nnext line...  \nhard <b>raw</b> x[^1]\n\n> quote\n> — Ada\n\n- item one\n- item two\n\n[^1]: A footnote.\n",
		"# Heading\n\nText with ![alt text](/a.png) an image.\n\n```\ncode block\nline two\n```\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| c | d |\n",
		"Выборы в «Северной гавани» прошли -- спокойно... «Ничего не случилось», — сказал он.",
	}
	for _, src := range sources {
		st := r.ShownMarkdown(src)
		for _, p := range st.Pieces {
			if p.Verbatim && src[p.Start:p.End] != p.Text {
				t.Errorf("verbatim piece %q maps to %q", p.Text, src[p.Start:p.End])
			}
			if p.Start > p.End || p.End > len(src) {
				t.Errorf("piece %q has bad range [%d,%d)", p.Text, p.Start, p.End)
			}
		}
		html, err := r.Markdown(src)
		if err != nil {
			t.Fatal(err)
		}
		want := Text(stripFootnoteMarks(html))
		if got := quote.Fold(st.Text()); got != quote.Fold(want) {
			t.Errorf("shown text of %q\n got %q\nwant %q", src, st.Text(), want)
		}
	}
}

// stripFootnoteMarks removes what the page's script leaves out of quotes:
// footnote numbers and back links.
func stripFootnoteMarks(h string) string {
	for _, cls := range []string{`class="footnote-ref"`, `class="footnote-backref"`} {
		for {
			i := strings.Index(h, cls)
			if i < 0 {
				break
			}
			open := strings.LastIndex(h[:i], "<a ")
			end := strings.Index(h[i:], "</a>")
			h = h[:open] + h[i+end+len("</a>"):]
		}
	}
	return h
}

func TestLocateAndReplace(t *testing.T) {
	r := New()
	tests := []struct {
		name       string
		part       newsroom.TextPart
		source     string
		caption    string
		quote      newsroom.Quote
		suggestion string
		want       string // the part's new source
	}{
		{
			name:       "repeated word: the second occurrence, by its context",
			part:       newsroom.PartBody,
			source:     "The cat sat on the mat. The cat ran to the harbour.",
			quote:      newsroom.Quote{Exact: "cat", Prefix: "sat on the mat. The ", Suffix: " ran to the"},
			suggestion: "dog",
			want:       "The cat sat on the mat. The dog ran to the harbour.",
		},
		{
			name:       "repeated word: the first occurrence",
			part:       newsroom.PartBody,
			source:     "The cat sat on the mat. The cat ran to the harbour.",
			quote:      newsroom.Quote{Exact: "cat", Prefix: "The ", Suffix: " sat on"},
			suggestion: "dog",
			want:       "The dog sat on the mat. The cat ran to the harbour.",
		},
		{
			name:       "repeated word in another paragraph",
			part:       newsroom.PartBody,
			source:     "Teh ferry left.\n\nThe crew said teh ferry was late.\n\nTeh end.",
			quote:      newsroom.Quote{Exact: "teh", Prefix: "The crew said ", Suffix: " ferry was late."},
			suggestion: "the",
			want:       "Teh ferry left.\n\nThe crew said the ferry was late.\n\nTeh end.",
		},
		{
			name:       "strong emphasis around the word stays",
			part:       newsroom.PartBody,
			source:     "He was **verry** happy.",
			quote:      newsroom.Quote{Exact: "verry", Prefix: "He was ", Suffix: " happy."},
			suggestion: "very",
			want:       "He was **very** happy.",
		},
		{
			name:       "emphasis inside the quote stays",
			part:       newsroom.PartBody,
			source:     "the *quick brwn* fox jumps",
			quote:      newsroom.Quote{Exact: "quick brwn fox", Prefix: "the ", Suffix: " jumps"},
			suggestion: "quick brown fox",
			want:       "the *quick brown* fox jumps",
		},
		{
			name:       "link text changes, its address does not",
			part:       newsroom.PartBody,
			source:     "See [the reprot](https://example.com/reprot) for details.",
			quote:      newsroom.Quote{Exact: "the reprot", Prefix: "See ", Suffix: " for details."},
			suggestion: "the report",
			want:       "See [the report](https://example.com/reprot) for details.",
		},
		{
			name:       "word after a link with the same word in its address",
			part:       newsroom.PartBody,
			source:     "Read [this](https://example.com/harbor) about the harbor.",
			quote:      newsroom.Quote{Exact: "harbor", Prefix: "about the ", Suffix: "."},
			suggestion: "harbour",
			want:       "Read [this](https://example.com/harbor) about the harbour.",
		},
		{
			name:       "typographic quotes on the page, straight quotes in the source",
			part:       newsroom.PartBody,
			source:     `He said "helo" to everyone.`,
			quote:      newsroom.Quote{Exact: "“helo”", Prefix: "He said ", Suffix: " to everyone."},
			suggestion: "“hello”",
			want:       `He said "hello" to everyone.`,
		},
		{
			name:       "straight quotes typed by the reader",
			part:       newsroom.PartBody,
			source:     `He said "helo" to everyone.`,
			quote:      newsroom.Quote{Exact: `"helo"`, Prefix: "He said ", Suffix: " to everyone."},
			suggestion: `"hello"`,
			want:       `He said "hello" to everyone.`,
		},
		{
			name:       "apostrophe and en dash from the typographer",
			part:       newsroom.PartBody,
			source:     "It's teh end -- or not.",
			quote:      newsroom.Quote{Exact: "It’s teh end – or", Suffix: " not."},
			suggestion: "It’s the end – or",
			want:       "It's the end -- or not.",
		},
		{
			name:       "Cyrillic, second of two sentences",
			part:       newsroom.PartBody,
			source:     "Праздник прошол спокойно. Вечером праздник прошол шумно.",
			quote:      newsroom.Quote{Exact: "прошол", Prefix: "Вечером праздник ", Suffix: " шумно."},
			suggestion: "прошёл",
			want:       "Праздник прошол спокойно. Вечером праздник прошёл шумно.",
		},
		{
			name:       "Cyrillic with guillemets and an em dash",
			part:       newsroom.PartBody,
			source:     "«Мы готовы»,  --- сказал капитан «Северной гавани».",
			quote:      newsroom.Quote{Exact: "«Северной гавани»", Prefix: "сказал капитан ", Suffix: "."},
			suggestion: "«Южной гавани»",
			want:       "«Мы готовы»,  --- сказал капитан «Южной гавани».",
		},
		{
			name:       "backslash escapes and entities",
			part:       newsroom.PartBody,
			source:     `Prices rose 5 \* 3 at AT&amp;T toady.`,
			quote:      newsroom.Quote{Exact: "AT&T toady", Prefix: "5 * 3 at ", Suffix: "."},
			suggestion: "AT&T today",
			want:       `Prices rose 5 \* 3 at AT&amp;T today.`,
		},
		{
			name:       "markup in a suggestion is escaped",
			part:       newsroom.PartBody,
			source:     "The score was 3 to 1.",
			quote:      newsroom.Quote{Exact: "3 to 1", Prefix: "score was ", Suffix: "."},
			suggestion: "3*1 [sic]",
			want:       `The score was 3\*1 \[sic\].`,
		},
		{
			name:       "across a soft line break",
			part:       newsroom.PartBody,
			source:     "The first line ends\nhere and goes on.",
			quote:      newsroom.Quote{Exact: "ends here", Prefix: "The first line ", Suffix: " and goes"},
			suggestion: "ends right here",
			want:       "The first line ends\nright here and goes on.",
		},
		{
			name:       "inside a block quote and a list",
			part:       newsroom.PartBody,
			source:     "Intro.\n\n> “We are redy.”\n>\n> — Ada Rist\n\n- one iten\n- two items",
			quote:      newsroom.Quote{Exact: "iten", Prefix: "one ", Suffix: "two"},
			suggestion: "item",
			want:       "Intro.\n\n> “We are redy.”\n>\n> — Ada Rist\n\n- one item\n- two items",
		},
		{
			name:       "deleting a doubled word",
			part:       newsroom.PartBody,
			source:     "The the ferry left *on time*.",
			quote:      newsroom.Quote{Exact: "The the", Suffix: " ferry left"},
			suggestion: "The",
			want:       "The ferry left *on time*.",
		},
		{
			name:       "headline with straight quotes and dashes",
			part:       newsroom.PartHeadline,
			source:     `Mayor says "no" -- agian`,
			quote:      newsroom.Quote{Exact: "agian", Prefix: "Mayor says “no” – "},
			suggestion: "again",
			want:       `Mayor says "no" -- again`,
		},
		{
			name:       "standfirst",
			part:       newsroom.PartStandfirst,
			source:     "Boats run daily agian from Monday...",
			quote:      newsroom.Quote{Exact: "agian", Prefix: "daily ", Suffix: " from Monday…"},
			suggestion: "again",
			want:       "Boats run daily again from Monday...",
		},
		{
			name:       "caption",
			part:       newsroom.PartCaption,
			caption:    "The ferry at dwan",
			quote:      newsroom.Quote{Exact: "dwan", Prefix: "ferry at "},
			suggestion: "dawn",
			want:       "The ferry at dawn",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &newsroom.Article{Headline: "A headline", Standfirst: "A standfirst.", Body: "Body text."}
			switch tt.part {
			case newsroom.PartBody:
				a.Body = tt.source
			case newsroom.PartHeadline:
				a.Headline = tt.source
			case newsroom.PartStandfirst:
				a.Standfirst = tt.source
			}
			if tt.caption != "" {
				a.LeadImage = &newsroom.Image{URL: "/x.jpg", Caption: tt.caption, Alt: "x"}
			}
			shown := r.Shown(a)
			loc, err := quote.Locate(shown, tt.quote, "", quote.Strict)
			if err != nil {
				t.Fatalf("Locate: %v", err)
			}
			if loc.Part != string(tt.part) {
				t.Fatalf("located in %s, want %s", loc.Part, tt.part)
			}
			var part quote.Shown
			for _, s := range shown {
				if s.Part == loc.Part {
					part = s
				}
			}
			got, err := r.Replace(part, loc, tt.suggestion)
			if err != nil {
				t.Fatalf("Replace: %v", err)
			}
			if got != tt.want {
				t.Errorf("new source\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestLocateErrors(t *testing.T) {
	r := New()
	a := &newsroom.Article{Headline: "Ferry news", Standfirst: "The ferry is late.", Body: "The ferry is late. The ferry is late again."}
	shown := r.Shown(a)
	tests := []struct {
		name  string
		quote newsroom.Quote
		mode  quote.Mode
		code  newsroom.Code
	}{
		{"text not in the article", newsroom.Quote{Exact: "submarine"}, quote.Strict, newsroom.Unprocessable},
		{"context not in the article", newsroom.Quote{Exact: "ferry", Prefix: "The green "}, quote.Strict, newsroom.Unprocessable},
		{"several places and no context", newsroom.Quote{Exact: "ferry is late"}, quote.Strict, newsroom.Unprocessable},
		{"empty", newsroom.Quote{Exact: "  "}, quote.Strict, newsroom.Invalid},
		{"loose, but no context matches", newsroom.Quote{Exact: "ferry", Prefix: "xxxxxxxxxxx", Suffix: "yyyyyyyyyyy"}, quote.Loose, newsroom.Unprocessable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := quote.Locate(shown, tt.quote, "", tt.mode)
			if got := newsroom.ErrorCode(newsroom.QuoteError(err)); got != tt.code {
				t.Errorf("Locate(%+v) error %v, want code %s", tt.quote, err, tt.code)
			}
		})
	}
	// A pasted quote that occurs once needs no context, and the server
	// finds it: context and sentence come back.
	loc, err := quote.Locate(shown, newsroom.Quote{Exact: "late  again"}, "", quote.Strict)
	if err != nil {
		t.Fatal(err)
	}
	if loc.Part != string(newsroom.PartBody) || loc.Text != "late again" || loc.Prefix != "The ferry is late. The ferry is " || loc.Before != "The ferry is " || loc.After != "." {
		t.Errorf("location = %+v", loc)
	}
	// The part narrows the search.
	loc, err = quote.Locate(shown, newsroom.Quote{Exact: "The ferry is late."}, string(newsroom.PartStandfirst), quote.Strict)
	if err != nil || loc.Part != string(newsroom.PartStandfirst) {
		t.Errorf("Locate in standfirst: %+v, %v", loc, err)
	}
}

// TestLocateAfterEdit is how reports follow their place when the article
// is edited: a change near the quote keeps it; fixing the quote loses it.
func TestLocateAfterEdit(t *testing.T) {
	r := New()
	q := newsroom.Quote{Exact: "teh", Prefix: "On Monday morning ", Suffix: " ferry left the harbour"}
	tests := []struct {
		name, body string
		found      bool
		wantBefore string
	}{
		{"unchanged", "On Monday morning teh ferry left the harbour.", true, "On Monday morning "},
		{"a word before it changed", "On Tuesday morning teh ferry left the harbour.", true, "On Tuesday morning "},
		{"text added above", "New first paragraph.\n\nOn Monday morning teh ferry left the harbour.", true, "On Monday morning "},
		{"the error fixed", "On Monday morning the ferry left the harbour.", false, ""},
		{"fixed, but the same typo elsewhere", "On Monday morning the ferry left the harbour. Later teh bus came.", false, ""},
		{"the sentence removed", "Nothing here.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shown := r.Shown(&newsroom.Article{Headline: "H", Body: tt.body})
			loc, err := quote.Locate(shown, q, "", quote.Loose)
			if (err == nil) != tt.found {
				t.Fatalf("found = %v (%v), want %v", err == nil, err, tt.found)
			}
			if tt.found && loc.Before != tt.wantBefore {
				t.Errorf("before = %q, want %q", loc.Before, tt.wantBefore)
			}
		})
	}
}

func TestReplaceRefusesWhatItCannotKeep(t *testing.T) {
	r := New()
	src := "A **bold** word"
	st := r.ShownMarkdown(src)
	loc, err := quote.Locate([]quote.Shown{st}, newsroom.Quote{Exact: "bold", Prefix: "A ", Suffix: " word"}, "", quote.Strict)
	if err != nil {
		t.Fatal(err)
	}
	// Deleting the whole emphasized word would leave "****", which shows.
	if _, err := r.Replace(st, loc, ""); newsroom.ErrorCode(err) != newsroom.Unprocessable {
		t.Errorf("Replace with nothing: %v, want unprocessable", err)
	}
}
