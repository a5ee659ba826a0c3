// Package deepltest is a local stand-in for a DeepL-compatible translation
// service, for tests: a real HTTP server speaking DeepL's v2 protocol
// (POST /v2/translate with a JSON or form body, "Authorization:
// DeepL-Auth-Key KEY", tag_handling xml/html with ignore_tags, and
// POST/GET /v2/glossaries). It "translates" word by word from a small
// dictionary, as a careless engine would, so a name nobody protected comes
// back translated literally; whatever is inside an ignored tag comes back
// untouched. No translation service runs here; this is the one stand-in.
package deepltest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Server is the stand-in. Words maps a lower-case word to its translation.
type Server struct {
	*httptest.Server
	Key   string
	Words map[string]string

	mu       sync.Mutex
	requests []Request
	glossary int
}

// Request is what one translate call sent.
type Request struct {
	Text                   []string
	SourceLang, TargetLang string
	TagHandling            string
	IgnoreTags             []string
}

// New starts a stand-in accepting key; Close it when done.
func New(key string, words map[string]string) *Server {
	s := &Server{Key: key, Words: words}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/translate", s.translate)
	mux.HandleFunc("POST /v2/glossaries", s.createGlossary)
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
	}
	if len(req.Text) == 0 || req.TargetLang == "" || len(req.Text) > 50 {
		http.Error(w, `{"message":"Value for 'text' or 'target_lang' not supported."}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Text: req.Text, SourceLang: req.SourceLang, TargetLang: req.TargetLang,
		TagHandling: req.TagHandling, IgnoreTags: req.IgnoreTags})
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
		out.Translations = append(out.Translations, tr{Detected: src, Text: s.words(t, req.TagHandling, req.IgnoreTags)})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// words translates the text outside ignored tags word by word.
func (s *Server) words(text, tagHandling string, ignore []string) string {
	if tagHandling == "" || len(ignore) == 0 {
		return s.plain(text)
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
		b.WriteString(s.plain(text[last:m[0]]))
		b.WriteString(text[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(s.plain(text[last:]))
	return b.String()
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

// createGlossary answers a glossary creation with an id (entries are not
// applied: newsdesk protects names with ignored tags).
func (s *Server) createGlossary(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.glossary++
	id := s.glossary
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"glossary_id": "g-" + strconv.Itoa(id), "ready": true})
}
