package legal_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/legal"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// syntheticRegistry returns n invented entities: two-word names built from
// syllables, each with an English form and five Russian inflected forms
// written as one stem with endings, like a real imported list.
func syntheticRegistry(n int) []newsroom.LegalEntity {
	en := []string{"ka", "lo", "ver", "sun", "mar", "tel", "dro", "vi", "nor", "pes", "ul", "ham"}
	ru := []string{"ка", "ло", "вер", "сун", "мар", "тел", "дро", "ви", "нор", "пес", "ул", "хам"}
	word := func(s []string, i int) string {
		return s[i%len(s)] + s[(i/len(s))%len(s)] + s[(i/len(s)/len(s))%len(s)]
	}
	out := make([]newsroom.LegalEntity, n)
	for i := range out {
		name := strings.ToUpper(word(en, i)[:1]) + word(en, i)[1:] + " " + strings.ToUpper(word(en, i+7)[:1]) + word(en, i+7)[1:] + " Front"
		ruName := strings.ToUpper(word(ru, i)[:2]) + word(ru, i)[2:] + "ск{ий|ого|ому|им|ом} фронт{|а|у|ом|е}"
		out[i] = newsroom.LegalEntity{
			ID: int64(i + 1), Name: name,
			Forms:    map[string][]string{"en": {name}, "ru": {ruName}},
			Marker:   "*",
			Notes:    map[string]string{"en": "the organization is banned", "ru": "организация запрещена"},
			Listings: []newsroom.LegalListing{{List: "Synthetic list", From: day("2015-01-01")}},
		}
	}
	return out
}

// benchArticle is a news story of about 600 words in six paragraphs that
// mentions the demo's brotherhood twice, with a link, a quote and a caption.
func benchArticle() *newsroom.Article {
	para := "Harbour officials in Port Alder said on Tuesday that the night ferry would run again from next week, after inspectors found the damage to the quay smaller than feared. " +
		"The council will meet on Thursday to agree the cost of the repairs, which the mayor put at about two million crowns, and to decide who pays for them. " +
		"Fishermen, who lost a week of landings, asked for [compensation](https://example.org/claims) and for a second crane before the winter storms.\n\n"
	body := "The Grey Strait Brotherhood was named in the inspectors' report.\n\n" + strings.Repeat(para, 5) +
		"> “We will not wait for another storm,” the harbour master said.\n>\n> — Eva Lind, harbour master\n\n" +
		"Police said the Grey Strait Brotherhood had used the quay before.\n"
	return &newsroom.Article{
		Status: newsroom.Published, PublishedAt: published2021, Language: "en",
		Headline:   "Night ferry to return after quay repairs",
		Standfirst: "Inspectors found less damage than feared; the council meets on Thursday to agree the cost",
		Body:       body,
		LeadImage:  &newsroom.Image{URL: "/m.jpg", Alt: "The quay", Caption: "The damaged quay at Port Alder"},
	}
}

// BenchmarkRender measures a whole save-time render (Markdown, sanitizing,
// and the legal hook) of one article with an empty registry and with
// 1,000 entities (about 6,000 forms).
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{0, 1000} {
		entities := syntheticRegistry(n)
		if n > 0 {
			entities = append(entities, brotherhood)
			entities[len(entities)-1].ID = int64(n + 1)
		}
		eng := legal.NewEngine(func() time.Time { return published2021 }, nil)
		eng.Load(legal.Compile(entities, newsroom.LegalPolicy{}))
		r := render.New(eng.Hook)
		src := benchArticle()
		b.Run(fmt.Sprintf("entities=%d", n), func(b *testing.B) {
			for b.Loop() {
				a := *src
				img := *src.LeadImage
				a.LeadImage = &img
				if err := r.Article(&a); err != nil {
					b.Fatal(err)
				}
				if n > 0 && len(a.LegalMarks) != 1 {
					b.Fatalf("marks = %v", a.LegalMarks)
				}
			}
		})
	}
}

// BenchmarkCompile measures building the index of 1,000 entities, which
// happens once per registry change.
func BenchmarkCompile(b *testing.B) {
	entities := syntheticRegistry(1000)
	for b.Loop() {
		legal.Compile(entities, newsroom.LegalPolicy{})
	}
}

func TestSyntheticRegistryIsValid(t *testing.T) {
	for _, e := range syntheticRegistry(1000)[:50] {
		e.Normalize()
		if err := e.Validate(); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
	}
	ix := legal.Compile(syntheticRegistry(1000), newsroom.LegalPolicy{})
	e := syntheticRegistry(1000)[421]
	forms := e.AllForms()
	a := htmlArticle("", "", "<p>The "+forms[0]+" and "+forms[3]+" were named.</p>")
	a.Language = "ru"
	ix.Mark(a, published2021, nil)
	if len(a.LegalMarks) != 1 || a.LegalMarks[0].Entity != e.Name {
		t.Errorf("marks = %v in %q", a.LegalMarks, a.BodyHTML)
	}
}

// BenchmarkMark measures the engine alone on an article already rendered
// by render (Markdown and sanitizing excluded), with 1,000 entities.
func BenchmarkMark(b *testing.B) {
	entities := append(syntheticRegistry(1000), brotherhood)
	entities[len(entities)-1].ID = 1001
	ix := legal.Compile(entities, newsroom.LegalPolicy{})
	src := benchArticle()
	if err := render.New().Article(src); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		a := *src
		img := *src.LeadImage
		a.LeadImage = &img
		ix.Mark(&a, published2021, nil)
		if len(a.LegalMarks) != 1 {
			b.Fatalf("marks = %v", a.LegalMarks)
		}
	}
}
