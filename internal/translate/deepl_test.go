package translate

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
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

// TestServiceGlossary: with a service that keeps glossaries, the client
// creates one for the pair from the newsroom glossary (TSV entries), sends
// its glossary_id with source_lang, leaves the names unprotected for the
// service to write, replaces the glossary when the newsroom glossary
// changes (the old one deleted) and survives its glossary vanishing. On a
// service that accepts glossary_id and ignores it, the same request gets
// the name wrong, word by word: what the test would see if the glossary
// did not work. A service without glossaries gets the names in tags.
func TestServiceGlossary(t *testing.T) {
	ctx := context.Background()
	srv := deepltest.New("k3y:fx", words)
	defer srv.Close()
	c := NewClient(srv.URL, "k3y:fx")
	text := []string{"Как сообщает Маяк Варде, паром снова ходит.", "## Маяка Варде сообщает"}
	out, err := c.Translate(ctx, text, "ru", "en", glossary)
	if err != nil {
		t.Fatal(err)
	}
	if out[0] != "As reports Mayak Varde, ferry again runs." || out[1] != "## Mayak Varde reports" {
		t.Errorf("with the service's glossary: %q", out)
	}
	gs := srv.Glossaries()
	if len(gs) != 1 || gs[0].SourceLang != "ru" || gs[0].TargetLang != "en" || len(gs[0].Entries) != 1 ||
		gs[0].Entries[0] != [2]string{"Маяк Варде", "Mayak Varde"} || !strings.HasPrefix(gs[0].Name, "newsdesk ru>en ") {
		t.Fatalf("service glossaries: %+v; want one ru>en with the entry", gs)
	}
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	if last.GlossaryID != gs[0].ID || last.SourceLang != "RU" || strings.Contains(strings.Join(last.Text, " "), "<x>Mayak") ||
		!strings.Contains(last.Text[0], "Маяк Варде") {
		t.Errorf("request %+v; want glossary_id %s, source_lang RU and the name left to the service", last, gs[0].ID)
	}
	// The entries as the service answers them (TSV).
	req, _ := http.NewRequest("GET", srv.URL+"/v2/glossaries/"+gs[0].ID+"/entries", nil)
	req.Header.Set("Authorization", "DeepL-Auth-Key k3y:fx")
	req.Header.Set("Accept", "text/tab-separated-values")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(b) != "Маяк Варде\tMayak Varde" {
		t.Errorf("entries: %d %q", res.StatusCode, b)
	}

	// A second translation reuses it; a change to the glossary replaces it.
	if _, err := c.Translate(ctx, text[:1], "ru", "en", glossary); err != nil || len(srv.Glossaries()) != 1 {
		t.Errorf("second translation: %v, %d glossaries", err, len(srv.Glossaries()))
	}
	more := append(append([]newsroom.GlossaryEntry(nil), glossary...),
		newsroom.GlossaryEntry{ID: 2, Forms: map[string]string{"ru": "Капитан Ольсен", "en": "Captain Olsen"}})
	out, err = c.Translate(ctx, []string{"Капитан Ольсен сказал, как сообщает Маяк Варде."}, "ru", "en", more)
	if err != nil {
		t.Fatal(err)
	}
	if out[0] != "Captain Olsen said, as reports Mayak Varde." {
		t.Errorf("after the change: %q", out[0])
	}
	if now := srv.Glossaries(); len(now) != 1 || now[0].ID == gs[0].ID || len(now[0].Entries) != 2 {
		t.Errorf("after the change the service keeps %+v; want one new glossary with both entries, the old one deleted", now)
	}

	// The glossary vanishes (another node replaced it): the translation
	// still comes back right, and a new glossary is made next time.
	srv.DeleteGlossary(srv.Glossaries()[0].ID)
	out, err = c.Translate(ctx, text[:1], "ru", "en", more)
	if err != nil || out[0] != "As reports Mayak Varde, ferry again runs." {
		t.Errorf("with its glossary gone: %q, %v", out, err)
	}
	if _, err := c.Translate(ctx, text[:1], "ru", "en", more); err != nil || len(srv.Glossaries()) != 1 {
		t.Errorf("after the glossary was gone: %v, %d glossaries", err, len(srv.Glossaries()))
	}

	// A careless service: it takes glossary_id and ignores it. The name
	// is protected by the glossary alone, so it comes back word by word.
	careless := deepltest.New("k3y:fx", words)
	careless.IgnoreGlossary = true
	defer careless.Close()
	out, err = NewClient(careless.URL, "k3y:fx").Translate(ctx, text[:1], "ru", "en", glossary)
	if err != nil || out[0] != "As reports Lighthouse Varde, ferry again runs." {
		t.Errorf("a service ignoring the glossary: %q, %v; want the name translated word by word", out, err)
	}

	// A service without glossaries: the names travel in tags.
	plain := deepltest.New("k3y:fx", words)
	plain.NoGlossaries = true
	defer plain.Close()
	pc := NewClient(plain.URL, "k3y:fx")
	for range 2 {
		out, err = pc.Translate(ctx, text[:1], "ru", "en", glossary)
		if err != nil || out[0] != "As reports Mayak Varde, ferry again runs." {
			t.Errorf("a service without glossaries: %q, %v", out, err)
		}
	}
	preqs := plain.Requests()
	if len(preqs) != 2 || preqs[0].GlossaryID != "" || !strings.Contains(preqs[0].Text[0], "<x>Mayak Varde</x>") {
		t.Errorf("requests to a service without glossaries: %+v; want the name in <x> tags, no glossary_id", preqs)
	}
}

// TestStandInGlossaryProtocol: the stand-in answers glossary requests as
// DeepL documents them: source_lang required with glossary_id, a
// glossary of another pair refused, duplicate entries refused, 404 for
// an unknown glossary, 204 on delete.
func TestStandInGlossaryProtocol(t *testing.T) {
	srv := deepltest.New("k", words)
	defer srv.Close()
	call := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "DeepL-Auth-Key k")
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	st, body := call("POST", "/v2/glossaries", `{"name":"g","source_lang":"ru","target_lang":"en","entries":"маяк\tbeacon","entries_format":"tsv"}`)
	var g struct {
		ID    string `json:"glossary_id"`
		Ready bool   `json:"ready"`
		Count int    `json:"entry_count"`
	}
	if st != http.StatusCreated || json.Unmarshal([]byte(body), &g) != nil || !g.Ready || g.Count != 1 {
		t.Fatalf("create: %d %s", st, body)
	}
	for _, tc := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/v2/translate", `{"text":["маяк"],"target_lang":"EN-GB","glossary_id":"` + g.ID + `"}`, http.StatusBadRequest},
		{"POST", "/v2/translate", `{"text":["маяк"],"source_lang":"EN","target_lang":"RU","glossary_id":"` + g.ID + `"}`, http.StatusBadRequest},
		{"POST", "/v2/translate", `{"text":["маяк"],"source_lang":"RU","target_lang":"EN-GB","glossary_id":"nope"}`, http.StatusNotFound},
		{"POST", "/v2/glossaries", `{"name":"d","source_lang":"ru","target_lang":"en","entries":"a\tb\na\tc"}`, http.StatusBadRequest},
		{"POST", "/v2/glossaries", `{"name":"x","source_lang":"ru","target_lang":"de","entries":"a\tb"}`, http.StatusBadRequest},
		{"GET", "/v2/glossaries/nope", "", http.StatusNotFound},
		{"GET", "/v2/glossary-language-pairs", "", http.StatusOK},
		{"DELETE", "/v2/glossaries/" + g.ID, "", http.StatusNoContent},
		{"DELETE", "/v2/glossaries/" + g.ID, "", http.StatusNotFound},
	} {
		if st, body := call(tc.method, tc.path, tc.body); st != tc.status {
			t.Errorf("%s %s %s: %d %s; want %d", tc.method, tc.path, tc.body, st, body, tc.status)
		}
	}
}
