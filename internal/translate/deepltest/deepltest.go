// Package deepltest is a local stand-in for a DeepL-compatible translation
// service, for tests: a real HTTP server speaking DeepL's v2 protocol
// (POST /v2/translate with a JSON or form body, "Authorization:
// DeepL-Auth-Key KEY", tag_handling xml/html with ignore_tags,
// glossary_id; the glossaries: POST/GET /v2/glossaries, GET/DELETE
// /v2/glossaries/{id}, GET /v2/glossaries/{id}/entries, GET
// /v2/glossary-language-pairs). It "translates" word by word from a small
// dictionary, as a careless engine would, so a name nobody protected comes
// back translated literally; whatever is inside an ignored tag comes back
// untouched, and a glossary's source phrases (in any case, a Russian word
// with an ending of up to three letters) come back as its target phrases.
// No translation service runs here; this is the one stand-in.
package deepltest

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Server is the stand-in. Words maps a lower-case word to its translation.
type Server struct {
	*httptest.Server
	Key   string
	Words map[string]string
	// NoGlossaries makes it a service without glossaries: their
	// endpoints answer 404, as on a compatible service that has none.
	NoGlossaries bool
	// IgnoreGlossary accepts glossary_id and does not apply it: a
	// careless service (for tests that must be able to fail).
	IgnoreGlossary bool

	mu         sync.Mutex
	requests   []Request
	glossaries map[string]*Glossary
	next       int
}

// Request is what one translate call sent.
type Request struct {
	Text                   []string
	SourceLang, TargetLang string
	TagHandling            string
	IgnoreTags             []string
	GlossaryID             string
}

// Glossary is a glossary the stand-in keeps: one language pair's
// entries, source phrase to target phrase.
type Glossary struct {
	ID, Name               string
	SourceLang, TargetLang string // lower case, as DeepL answers
	Created                time.Time
	Entries                [][2]string // in the order sent
}

// New starts a stand-in accepting key; Close it when done.
func New(key string, words map[string]string) *Server {
	s := &Server{Key: key, Words: words, glossaries: map[string]*Glossary{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/translate", s.translate)
	mux.HandleFunc("POST /v2/glossaries", s.createGlossary)
	mux.HandleFunc("GET /v2/glossaries", s.listGlossaries)
	mux.HandleFunc("GET /v2/glossaries/{id}", s.getGlossary)
	mux.HandleFunc("DELETE /v2/glossaries/{id}", s.deleteGlossary)
	mux.HandleFunc("GET /v2/glossaries/{id}/entries", s.glossaryEntries)
	mux.HandleFunc("GET /v2/glossary-language-pairs", s.languagePairs)
	s.Server = httptest.NewServer(s.auth(mux))
	return s
}

// Requests returns the translate calls so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "DeepL-Auth-Key "+s.Key {
			http.Error(w, `{"message":"Wrong endpoint. Use https://api.deepl.com"}`, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) translate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Text           []string `json:"text"`
		SourceLang     string   `json:"source_lang"`
		TargetLang     string   `json:"target_lang"`
		TagHandling    string   `json:"tag_handling"`
		IgnoreTags     []string `json:"ignore_tags"`
		SplitSentences string   `json:"split_sentences"`
		GlossaryID     string   `json:"glossary_id"`
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"message":"Bad request"}`, http.StatusBadRequest)
			return
		}
	} else {
		if err := r.ParseForm(); err != nil {
			http.Error(w, `{"message":"Bad request"}`, http.StatusBadRequest)
			return
		}
		req.Text, req.SourceLang, req.TargetLang = r.PostForm["text"], r.PostForm.Get("source_lang"), r.PostForm.Get("target_lang")
		req.TagHandling = r.PostForm.Get("tag_handling")
		if v := r.PostForm.Get("ignore_tags"); v != "" {
			req.IgnoreTags = strings.Split(v, ",")
		}
		req.GlossaryID = r.PostForm.Get("glossary_id")
	}
	if len(req.Text) == 0 || req.TargetLang == "" || len(req.Text) > 50 {
		http.Error(w, `{"message":"Value for 'text' or 'target_lang' not supported."}`, http.StatusBadRequest)
		return
	}
	var g *Glossary
	if req.GlossaryID != "" {
		// As DeepL: a glossary needs the source language, and its pair
		// must be the request's (an English target of any variant).
		if req.SourceLang == "" {
			http.Error(w, `{"message":"Use of a glossary requires the source_lang parameter to be specified"}`, http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		g = s.glossaries[req.GlossaryID]
		s.mu.Unlock()
		if g == nil || s.NoGlossaries {
			http.Error(w, `{"message":"Glossary not found"}`, http.StatusNotFound)
			return
		}
		target, _, _ := strings.Cut(strings.ToLower(req.TargetLang), "-")
		if g.SourceLang != strings.ToLower(req.SourceLang) || g.TargetLang != target {
			http.Error(w, `{"message":"Language pair of the glossary does not match the request"}`, http.StatusBadRequest)
			return
		}
		if s.IgnoreGlossary {
			g = nil
		}
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Text: req.Text, SourceLang: req.SourceLang, TargetLang: req.TargetLang,
		TagHandling: req.TagHandling, IgnoreTags: req.IgnoreTags, GlossaryID: req.GlossaryID})
	s.mu.Unlock()
	type tr struct {
		Detected string `json:"detected_source_language"`
		Text     string `json:"text"`
	}
	out := struct {
		Translations []tr `json:"translations"`
	}{}
	for _, t := range req.Text {
		src := req.SourceLang
		if src == "" {
			src = "EN"
		}
		out.Translations = append(out.Translations, tr{Detected: src, Text: s.words(t, req.TagHandling, req.IgnoreTags, g)})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// words translates the text outside ignored tags word by word, a
// glossary's phrases (when g is set) as the glossary says.
func (s *Server) words(text, tagHandling string, ignore []string, g *Glossary) string {
	if tagHandling == "" || len(ignore) == 0 {
		return s.withGlossary(text, g)
	}
	var alts []string
	for _, t := range ignore {
		q := regexp.QuoteMeta(strings.TrimSpace(t))
		alts = append(alts, `<`+q+`(?:\s[^>]*)?>.*?</`+q+`>`)
	}
	re := regexp.MustCompile(`(?s)` + strings.Join(alts, "|") + `|<[^>]+>`)
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(text, -1) {
		b.WriteString(s.withGlossary(text[last:m[0]], g))
		b.WriteString(text[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(s.withGlossary(text[last:], g))
	return b.String()
}

// withGlossary translates text word by word, a glossary phrase as one:
// its target, which no word of the dictionary touches.
func (s *Server) withGlossary(text string, g *Glossary) string {
	if g == nil || len(g.Entries) == 0 {
		return s.plain(text)
	}
	// Longest phrases first, so "Маяк Варде" wins over "Маяк".
	entries := append([][2]string(nil), g.Entries...)
	sort.SliceStable(entries, func(i, j int) bool { return len(entries[i][0]) > len(entries[j][0]) })
	var kept []string
	for _, e := range entries {
		re := phraseRE(e[0], g.SourceLang)
		text = re.ReplaceAllStringFunc(text, func(m string) string {
			sub := re.FindStringSubmatch(m)
			kept = append(kept, e[1])
			return sub[1] + "\x00" + strconv.Itoa(len(kept)-1) + "\x00" + sub[3]
		})
	}
	text = s.plain(text)
	for i, k := range kept {
		text = strings.Replace(text, "\x00"+strconv.Itoa(i)+"\x00", k, 1)
	}
	return text
}

// phraseRE matches a glossary source phrase as words: any case, any
// spacing, a Russian word with an ending of up to three letters.
func phraseRE(phrase, lang string) *regexp.Regexp {
	words := strings.Fields(phrase)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
		if lang == "ru" {
			words[i] += `\p{L}{0,3}`
		}
	}
	return regexp.MustCompile(`(?i)(^|[^\p{L}\x00])(` + strings.Join(words, `\s+`) + `)($|[^\p{L}])`)
}

var wordRE = regexp.MustCompile(`[\p{L}]+`)

func (s *Server) plain(text string) string {
	return wordRE.ReplaceAllStringFunc(text, func(w string) string {
		t, ok := s.Words[strings.ToLower(w)]
		if !ok {
			return w
		}
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			tr, n := utf8.DecodeRuneInString(t)
			return string(unicode.ToUpper(tr)) + t[n:]
		}
		return t
	})
}

// Glossaries returns the glossaries the stand-in keeps, oldest first.
func (s *Server) Glossaries() []Glossary {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Glossary
	for _, g := range s.glossaries {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// DeleteGlossary removes a glossary behind its owner's back (another
// node's cleanup, an operator): what a client must survive.
func (s *Server) DeleteGlossary(id string) {
	s.mu.Lock()
	delete(s.glossaries, id)
	s.mu.Unlock()
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

func (g *Glossary) info() map[string]any {
	return map[string]any{"glossary_id": g.ID, "name": g.Name, "ready": true, "source_lang": g.SourceLang,
		"target_lang": g.TargetLang, "creation_time": g.Created.UTC().Format("2006-01-02T15:04:05.000Z"), "entry_count": len(g.Entries)}
}

// parseEntries reads a glossary's entries as DeepL does: TSV or CSV, a
// source and a target phrase a line, neither empty, no source twice.
func parseEntries(text, format string) ([][2]string, error) {
	var out [][2]string
	seen := map[string]bool{}
	add := func(src, dst string) error {
		src, dst = strings.TrimSpace(src), strings.TrimSpace(dst)
		switch {
		case src == "" || dst == "":
			return fmt.Errorf("an entry has an empty phrase")
		case seen[src]:
			return fmt.Errorf("duplicate source phrase %q", src)
		}
		seen[src] = true
		out = append(out, [2]string{src, dst})
		return nil
	}
	switch format {
	case "", "tsv":
		for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) != 2 {
				return nil, fmt.Errorf("entry %q is not two tab-separated phrases", line)
			}
			if err := add(f[0], f[1]); err != nil {
				return nil, err
			}
		}
	case "csv":
		rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if len(r) < 2 {
				return nil, fmt.Errorf("entry %q is not two phrases", strings.Join(r, ","))
			}
			if err := add(r[0], r[1]); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("unsupported entries_format %q", format)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no entries")
	}
	return out, nil
}

// createGlossary makes a glossary (ready at once): 201 with its
// information.
func (s *Server) createGlossary(w http.ResponseWriter, r *http.Request) {
	if s.NoGlossaries {
		jsonError(w, http.StatusNotFound, "Not found")
		return
	}
	var in struct {
		Name          string `json:"name"`
		SourceLang    string `json:"source_lang"`
		TargetLang    string `json:"target_lang"`
		Entries       string `json:"entries"`
		EntriesFormat string `json:"entries_format"`
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			jsonError(w, http.StatusBadRequest, "Bad request")
			return
		}
	} else {
		if err := r.ParseForm(); err != nil {
			jsonError(w, http.StatusBadRequest, "Bad request")
			return
		}
		in.Name, in.SourceLang, in.TargetLang = r.PostForm.Get("name"), r.PostForm.Get("source_lang"), r.PostForm.Get("target_lang")
		in.Entries, in.EntriesFormat = r.PostForm.Get("entries"), r.PostForm.Get("entries_format")
	}
	src, dst := strings.ToLower(in.SourceLang), strings.ToLower(in.TargetLang)
	if in.Name == "" || !pairs[src+">"+dst] {
		jsonError(w, http.StatusBadRequest, "Value for 'name', 'source_lang' or 'target_lang' not supported.")
		return
	}
	entries, err := parseEntries(in.Entries, in.EntriesFormat)
	if err != nil {
		jsonError(w, http.StatusBadRequest, "Invalid glossary entries: "+err.Error())
		return
	}
	s.mu.Lock()
	s.next++
	g := &Glossary{ID: fmt.Sprintf("def3a26b-0000-4000-8000-%012d", s.next), Name: in.Name, SourceLang: src, TargetLang: dst,
		Created: time.Now(), Entries: entries}
	s.glossaries[g.ID] = g
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(g.info())
}

// pairs are the language pairs the stand-in's glossaries support.
var pairs = map[string]bool{"ru>en": true, "en>ru": true}

func (s *Server) languagePairs(w http.ResponseWriter, r *http.Request) {
	if s.NoGlossaries {
		jsonError(w, http.StatusNotFound, "Not found")
		return
	}
	var list []map[string]string
	for p := range pairs {
		src, dst, _ := strings.Cut(p, ">")
		list = append(list, map[string]string{"source_lang": src, "target_lang": dst})
	}
	sort.Slice(list, func(i, j int) bool { return list[i]["source_lang"] < list[j]["source_lang"] })
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"supported_languages": list})
}

func (s *Server) listGlossaries(w http.ResponseWriter, r *http.Request) {
	if s.NoGlossaries {
		jsonError(w, http.StatusNotFound, "Not found")
		return
	}
	list := []map[string]any{}
	for _, g := range s.Glossaries() {
		list = append(list, g.info())
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"glossaries": list})
}

func (s *Server) glossary(w http.ResponseWriter, r *http.Request) *Glossary {
	s.mu.Lock()
	g := s.glossaries[r.PathValue("id")]
	s.mu.Unlock()
	if g == nil || s.NoGlossaries {
		jsonError(w, http.StatusNotFound, "Glossary not found")
		return nil
	}
	return g
}

func (s *Server) getGlossary(w http.ResponseWriter, r *http.Request) {
	if g := s.glossary(w, r); g != nil {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(g.info())
	}
}

func (s *Server) deleteGlossary(w http.ResponseWriter, r *http.Request) {
	if g := s.glossary(w, r); g != nil {
		s.DeleteGlossary(g.ID)
		w.WriteHeader(http.StatusNoContent)
	}
}

// glossaryEntries answers the entries as TSV, the one format DeepL's v2
// gives them in.
func (s *Server) glossaryEntries(w http.ResponseWriter, r *http.Request) {
	g := s.glossary(w, r)
	if g == nil {
		return
	}
	if a := r.Header.Get("Accept"); a != "" && a != "*/*" && !strings.Contains(a, "text/tab-separated-values") {
		jsonError(w, http.StatusUnsupportedMediaType, "Unsupported Accept header")
		return
	}
	w.Header().Set("Content-Type", "text/tab-separated-values")
	var b strings.Builder
	for i, e := range g.Entries {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e[0] + "\t" + e[1])
	}
	_, _ = w.Write([]byte(b.String()))
}
