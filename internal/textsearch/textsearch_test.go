package textsearch

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIndexTextStemsRussianAndKeepsPositions(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Выборах в Думу", "выбор в дум"},
		{"Ёлки и елки", "елк и елк"},
		{"Harbour dues, 100% paid", "Harbour dues, 100% paid"},
		{"Т1000 и COVID-19", "Т1000 и COVID-19"},
		{"a" + MarkStart + "b", "a b"},
	}
	for _, tt := range tests {
		if got := IndexText(tt.in); got != tt.want {
			t.Errorf("IndexText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if a, b := len(words(tt.in)), len(words(IndexText(tt.in))); a != b && !strings.Contains(tt.in, MarkStart) {
			t.Errorf("IndexText(%q) changed the word count from %d to %d", tt.in, a, b)
		}
	}
}

func TestPlain(t *testing.T) {
	got := Plain(`<p>Tom &amp; Jerry<br>said &lt;hi&gt;</p>` + "\n<blockquote><p>“Yes”</p></blockquote><p>unclosed <b")
	if want := "Tom & Jerry said <hi> “Yes” unclosed"; got != want {
		t.Errorf("Plain = %q, want %q", got, want)
	}
}

func TestParseRendersSafeQueries(t *testing.T) {
	tests := []struct {
		in, fts5, web string
	}{
		{"harbour master", `"harbour" "master"`, "harbour master"},
		{`"harbour master" dues`, `"harbour master" "dues"`, `"harbour master" dues`},
		{`ferry -storm`, `("ferry") NOT "storm"`, "ferry -storm"},
		{`ferry OR boat`, `"ferry" OR "boat"`, "ferry or boat"},
		{`ferry or boat`, `"ferry" "boat"`, "ferry boat"},
		{`выборах`, `"выбор"`, "выборах"},
		{`a_b 100%`, `"a b" "100"`, `"a b" 100`},
		{`"unbalanced quote`, `"unbalanced quote"`, `"unbalanced quote"`},
		{`-only -negative`, "", ""},
		{`OR OR OR`, "", ""},
		{`*`, "", ""},
		{`'; DROP TABLE articles; --`, `"drop" "table" "articles"`, "drop table articles"},
		{`NEAR(a b) AND c:d ^e`, `"near a" "b" "and" "c d" "e"`, `"near a" b and "c d" e`},
		{`-a OR b`, `("b") NOT "a"`, "-a b"},
		{"\x00\xff\xfe", "", ""},
	}
	for _, tt := range tests {
		q := Parse(tt.in)
		if got := q.FTS5(); got != tt.fts5 {
			t.Errorf("Parse(%q).FTS5() = %q, want %q", tt.in, got, tt.fts5)
		}
		if got := q.Websearch(); got != tt.web {
			t.Errorf("Parse(%q).Websearch() = %q, want %q", tt.in, got, tt.web)
		}
	}
	long := Parse(strings.Repeat("word ", 500) + strings.Repeat("x", 500))
	if len(long.Terms) != MaxTerms {
		t.Errorf("a long query kept %d terms, want %d", len(long.Terms), MaxTerms)
	}
	if !utf8.ValidString(Parse(strings.Repeat("ж", 700)).FTS5()) {
		t.Error("truncating a long query broke UTF-8")
	}
}

func TestMarkedHTML(t *testing.T) {
	in := "a " + MarkStart + "<b>" + MarkEnd + " c " + MarkEnd + MarkStart + "d"
	if got, want := MarkedHTML(in), "a <mark>&lt;b&gt;</mark> c <mark>d</mark>"; got != want {
		t.Errorf("MarkedHTML = %q, want %q", got, want)
	}
}

func TestFTS5ColumnAndLoose(t *testing.T) {
	q := Parse(`"harbour master" dues -storm`)
	if got, want := q.FTS5Column("headline"), `({headline} : ("harbour master" "dues")) NOT "storm"`; got != want {
		t.Errorf("FTS5Column = %q, want %q", got, want)
	}
	if got, want := q.Loose().Websearch(), "harbour master dues"; got != want {
		t.Errorf("Loose = %q, want %q", got, want)
	}
	if got, want := Parse("ferry OR regatta").Loose().Websearch(), "ferry or regatta"; got != want {
		t.Errorf("Loose(or) = %q, want %q", got, want)
	}
	if !Parse("-storm").Loose().Empty() {
		t.Error("Loose of a negation only is not empty")
	}
}

func TestHeadlineCoverage(t *testing.T) {
	tests := []struct {
		q, headline string
		share       float64
		exact       bool
	}{
		{"ferry strike", "Ferry strike", 1, true},
		{"ferries strike", "Ferry strikes!", 1, true},
		{"ferry strike", "Ferry strike ends after talks", 0.4, false},
		{"ferry", "Ferry strike", 0.5, false},
		{"выборах", "Выборы", 1, true},
		{"storm -flood", "Storm", 1, true},
		{"storm", "", 0, false},
	}
	for _, tt := range tests {
		share, exact := Parse(tt.q).HeadlineCoverage(tt.headline)
		if share != tt.share || exact != tt.exact {
			t.Errorf("HeadlineCoverage(%q, %q) = %v, %v; want %v, %v", tt.q, tt.headline, share, exact, tt.share, tt.exact)
		}
	}
}

// TestHeadlineScorerSkipsOnlyNonMatches checks the scorer's shortcut (a
// Russian word is stemmed only when a query stem begins it) against
// stemming every word: for every pair of these words, the one as a query
// and the other as a headline, both agree.
func TestHeadlineScorerSkipsOnlyNonMatches(t *testing.T) {
	vocab := strings.Fields(`выборы выборах выборов выборам выбор совет совета советом совете советский
		паром паромы пароме паромов шторм шторма штормом штормовое гавань гавани гаванью рыбаки рыбаков
		остров острова островах островов бюджет бюджета бюджете длинный длинная длиннейший новейшие
		старейшина учительница учительствовать говорившись переход переходя ёлки елки ёжик Ёж ЕЖИ
		бегущий бег сильнейшая сильнее красота красоты государственность государственности пьеса пью
		мэр мэра мэрия в и на к ferry ferries strike Ferry strikes struck
		national nation rational relational conditional condition generalization generalize general
		happy happiness happily possibly possible possibility ability able ably agreed agreeing
		hopping hoping hope hoped sizing size sized skies sky skis ski dying die lying lie tying tie
		idly gently gentle ugly early only singly news atlas cosmos bias andes electrical electricity
		electric hopefulness hopeful formality formal formalize callousness callous sensitivity
		sensitive sensibility sensible fluently fluent cries cry ties tied caresses caress ponies pony
		generously generous feudalism feudal digitizer digitize decisiveness decisive 100 covid19 t1000
		elections election prizes prize harbour harbours harboured café cafés naïve`)
	slow := func(q, h string) (float64, bool) {
		in, seen, qf := 0, map[string]bool{}, compareForm(q)
		if compareForm(h) == qf {
			in, seen[qf] = 1, true
		}
		return float64(in), in == 1 && len(seen) == 1
	}
	for _, q := range vocab {
		sc := Parse(q).HeadlineScorer()
		for _, h := range vocab {
			gs, ge := sc.Coverage(h)
			ws, we := slow(q, h)
			if gs != ws || ge != we {
				t.Errorf("query %q, headline %q: scorer %v, %v; stemming every word %v, %v", q, h, gs, ge, ws, we)
			}
		}
	}
}
