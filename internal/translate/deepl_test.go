package translate

import (
	"context"
	"strings"
	"testing"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/translate/deepltest"
)

// words is the stand-in's dictionary: it renders "Маяк Варде", the
// fictional news agency, word by word as "Lighthouse Varde".
var words = map[string]string{
	"как": "as", "сообщает": "reports", "маяк": "lighthouse", "маяка": "lighthouse", "варде": "varde",
	"паром": "ferry", "снова": "again", "ходит": "runs", "капитан": "captain", "сказал": "said",
	"мы": "we", "готовы": "ready", "фото": "photo", "подробнее": "more", "на": "on", "сайте": "site",
}

var glossary = []newsroom.GlossaryEntry{{ID: 1, Forms: map[string]string{"ru": "Маяк Варде", "en": "Mayak Varde"}}}

func TestTranslateKeepsNamesAndStructure(t *testing.T) {
	srv := deepltest.New("k3y:fx", words)
	defer srv.Close()
	c := NewClient(srv.URL, "k3y:fx")
	body := "Паром снова ходит, как сообщает Маяк Варде.\n\n> Мы готовы.\n>\n> — капитан\n\n" +
		"![Паром](/media/parom.jpg \"Фото\")\n\nПодробнее [на сайте](https://mayak.example/parom).\n\nhttps://video.example/watch?v=1\n\n## Маяка Варде сообщает"
	blocks := splitBlocks(body)
	out, err := c.Translate(context.Background(), blocks, "ru", "en", glossary)
	if err != nil {
		t.Fatal(err)
	}
	got := joinBlocks(out)
	want := "Ferry again runs, as reports Mayak Varde.\n\n> We ready.\n>\n> — captain\n\n" +
		"![Ferry](/media/parom.jpg \"Фото\")\n\nMore [on site](https://mayak.example/parom).\n\nhttps://video.example/watch?v=1\n\n## Mayak Varde reports"
	if got != want {
		t.Errorf("translated:\n%s\nwant:\n%s", got, want)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].TagHandling != "xml" || len(reqs[0].IgnoreTags) != 1 || reqs[0].SourceLang != "RU" || reqs[0].TargetLang != "EN-GB" {
		t.Errorf("requests %+v; want one with tag_handling xml, ignore_tags [x], RU to EN-GB", reqs)
	}

	// Without the glossary the stand-in does what the seed page shows.
	out, err = c.Translate(context.Background(), []string{"Как сообщает Маяк Варде."}, "ru", "en", nil)
	if err != nil || !strings.Contains(out[0], "Lighthouse Varde") {
		t.Errorf("unprotected name: %q, %v; want it translated word by word", out, err)
	}

	// A wrong key is the service's refusal, as an Unavailable error.
	_, err = NewClient(srv.URL, "wrong").Translate(context.Background(), []string{"Паром"}, "ru", "en", nil)
	if newsroom.ErrorCode(err) != newsroom.Unavailable {
		t.Errorf("wrong key: %v; want Unavailable", err)
	}
}
