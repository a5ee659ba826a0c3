package translate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// Client speaks DeepL's v2 text translation protocol: POST /v2/translate
// with a JSON body {"text": [...], "source_lang", "target_lang",
// "tag_handling": "xml", "ignore_tags": ["x"]} and the header
// "Authorization: DeepL-Auth-Key KEY"; the answer is {"translations":
// [{"detected_source_language", "text"}]}, in the order sent.
//
// What must not be translated travels inside <x> tags the service leaves
// alone: Markdown's structure (quote and heading markers, list bullets,
// link and picture targets, an embed's line, code). Glossary names go to
// the service's own glossary when it has glossaries (glossary.go: one
// per language pair, kept in step with the newsroom's, its id sent as
// glossary_id, so the service writes and inflects them); on a service
// without, or when that fails, each name travels in <x> tags too,
// already written as the glossary writes it in the target language.
type Client struct {
	// URL is the service's base ("https://api-free.deepl.com"); Key its
	// authentication key (DEEPL_AUTH_KEY).
	URL, Key string
	HTTP     *http.Client // nil: one with a 60 s timeout

	gl glossaries // the service-side glossaries (glossary.go)
}

// NewClient returns a client for the service at url with key.
func NewClient(url, key string) *Client {
	url = strings.TrimSuffix(strings.TrimRight(url, "/"), "/v2/translate")
	return &Client{URL: strings.TrimRight(url, "/"), Key: key, HTTP: &http.Client{Timeout: 60 * time.Second}}
}

// deepLang is a language as DeepL names it: English targets need a
// variant.
func deepLang(l string, target bool) string {
	switch {
	case l == "en" && target:
		return "EN-GB"
	default:
		return strings.ToUpper(l)
	}
}

type translateRequest struct {
	Text           []string `json:"text"`
	SourceLang     string   `json:"source_lang"` // required with glossary_id
	TargetLang     string   `json:"target_lang"`
	TagHandling    string   `json:"tag_handling"`
	IgnoreTags     []string `json:"ignore_tags"`
	SplitSentences string   `json:"split_sentences"`
	GlossaryID     string   `json:"glossary_id,omitempty"`
}

type translateResponse struct {
	Translations []struct {
		DetectedSourceLanguage string `json:"detected_source_language"`
		Text                   string `json:"text"`
	} `json:"translations"`
}

// maxTexts and maxBody are DeepL's limits per request (50 texts, 128 KiB).
const (
	maxTexts = 50
	maxBody  = 120 << 10
)

// Translate translates texts (Markdown blocks, or plain lines) from one
// language to another, keeping the glossary's names and the Markdown
// structure. A failing service is an Unavailable error saying so.
func (c *Client) Translate(ctx context.Context, texts []string, from, to string, glossary []newsroom.GlossaryEntry) ([]string, error) {
	// The service's glossary when it keeps one for the pair; else (or if
	// it went missing meanwhile) the names travel protected.
	if id := c.glossaryID(ctx, from, to, glossary); id != "" {
		out, err := c.translate(ctx, texts, from, to, nil, id)
		if err == nil || !errors.Is(err, errGlossaryGone) {
			return out, err
		}
		c.forgetGlossary(from, to)
	}
	return c.translate(ctx, texts, from, to, glossary, "")
}

// translate sends texts in requests of DeepL's size, the glossary's
// names protected in tags (none with a service-side glossary id).
func (c *Client) translate(ctx context.Context, texts []string, from, to string, glossary []newsroom.GlossaryEntry, glossaryID string) ([]string, error) {
	protected := make([]string, len(texts))
	for i, t := range texts {
		protected[i] = protect(t, from, to, glossary)
	}
	out := make([]string, 0, len(texts))
	for start := 0; start < len(protected); {
		end, size := start, 0
		for end < len(protected) && end-start < maxTexts && (end == start || size+len(protected[end]) < maxBody) {
			size += len(protected[end])
			end++
		}
		got, err := c.call(ctx, protected[start:end], from, to, glossaryID)
		if err != nil {
			return nil, err
		}
		for _, t := range got {
			out = append(out, unprotect(t))
		}
		start = end
	}
	return out, nil
}

// errGlossaryGone is a translate call refused because its glossary no
// longer exists (another node replaced it): Translate tries again with
// the names in tags.
var errGlossaryGone = errors.New("the service's glossary is gone")

func (c *Client) call(ctx context.Context, texts []string, from, to, glossaryID string) ([]string, error) {
	body, err := json.Marshal(translateRequest{Text: texts, SourceLang: deepLang(from, false), TargetLang: deepLang(to, true),
		TagHandling: "xml", IgnoreTags: []string{"x"}, SplitSentences: "nonewlines", GlossaryID: glossaryID})
	if err != nil {
		return nil, err
	}
	res, raw, err := c.do(ctx, http.MethodPost, "/v2/translate", "application/json", body, "")
	if err != nil {
		return nil, err
	}
	if glossaryID != "" && res.StatusCode == http.StatusNotFound {
		return nil, errGlossaryGone
	}
	if res.StatusCode != http.StatusOK {
		return nil, newsroom.Errorf(newsroom.Unavailable, "", "the translation service answered %d: %s", res.StatusCode, strings.TrimSpace(string(raw[:min(len(raw), 200)])))
	}
	var tr translateResponse
	if err := json.Unmarshal(raw, &tr); err != nil || len(tr.Translations) != len(texts) {
		return nil, newsroom.Errorf(newsroom.Unavailable, "", "the translation service's answer is not %d translations", len(texts))
	}
	out := make([]string, len(texts))
	for i, t := range tr.Translations {
		out[i] = t.Text
	}
	return out, nil
}

// do sends one request to the service and reads its answer (16 MiB at
// most); a service that does not answer is an Unavailable error.
func (c *Client) do(ctx context.Context, method, path, ctype string, body []byte, accept string) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, rd)
	if err != nil {
		return nil, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	req.Header.Set("Authorization", "DeepL-Auth-Key "+c.Key)
	req.Header.Set("User-Agent", "newsdesk")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, nil, newsroom.Errorf(newsroom.Unavailable, "", "the translation service did not answer: %v", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return nil, nil, newsroom.Errorf(newsroom.Unavailable, "", "the translation service's answer broke off: %v", err)
	}
	return res, raw, nil
}

// splitBlocks splits a Markdown body into its blocks (separated by blank
// lines), each translated on its own; joinBlocks puts them back.
func splitBlocks(body string) []string {
	var out []string
	for _, b := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(b) != "" {
			out = append(out, b)
		}
	}
	return out
}

func joinBlocks(blocks []string) string { return strings.Join(blocks, "\n\n") }

var (
	xmlEscaper   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	xmlUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&")
	// linkRE is a Markdown link or picture: [text](target) or ![alt](target).
	linkRE = regexp.MustCompile(`(!?)\[([^\]\n]*)\]\(([^)\n]*)\)`)
	// prefixRE is a line's structure: quote markers, a heading's hashes,
	// a list bullet or number.
	prefixRE  = regexp.MustCompile(`(?m)^([ \t]*(?:&gt;[ \t]?)*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,3}[.)][ \t]+)?)`)
	codeRE    = regexp.MustCompile("`[^`\n]+`|\\[\\^[^\\]\n]+\\]")
	ignoredRE = regexp.MustCompile(`(?s)<x>.*?</x>`)
	urlLine   = regexp.MustCompile(`^\s*(?:https?://|/)\S*\s*$`)
)

// protect turns one Markdown block into the XML the service gets.
func protect(block, from, to string, glossary []newsroom.GlossaryEntry) string {
	if urlLine.MatchString(block) || strings.HasPrefix(strings.TrimSpace(block), "```") ||
		strings.HasPrefix(strings.TrimSpace(block), "<") || strings.HasPrefix(strings.TrimSpace(block), "|") {
		// An embed's link alone on its line, code, raw HTML, a table:
		// kept as they are.
		return "<x>" + xmlEscaper.Replace(block) + "</x>"
	}
	s := xmlEscaper.Replace(block)
	s = linkRE.ReplaceAllString(s, "<x>$1[</x>$2<x>]($3)</x>")
	s = codeRE.ReplaceAllString(s, "<x>$0</x>")
	s = prefixRE.ReplaceAllStringFunc(s, func(p string) string {
		if p == "" {
			return ""
		}
		return "<x>" + p + "</x>"
	})
	// Glossary names, outside what is already kept, become their target
	// form inside a kept tag.
	for _, e := range glossary {
		src, dst := e.Forms[from], e.Forms[to]
		if src == "" || dst == "" {
			continue
		}
		re := nameRE(src, from)
		kept := "<x>" + xmlEscaper.Replace(dst) + "</x>"
		s = outsideIgnored(s, func(t string) string {
			return re.ReplaceAllStringFunc(t, func(m string) string {
				g := re.FindStringSubmatch(m)
				return g[1] + kept + g[3]
			})
		})
	}
	return s
}

// nameRE matches a glossary form in text of its language: any case, any
// spacing, and in Russian with an ending of up to three letters on each
// word (Маяка Варде is Маяк Варде).
func nameRE(form, lang string) *regexp.Regexp {
	words := strings.Fields(xmlEscaper.Replace(form))
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
		if lang == "ru" {
			words[i] += `\p{L}{0,3}`
		}
	}
	return regexp.MustCompile(`(?i)(^|[^\p{L}])(` + strings.Join(words, `\s+`) + `)($|[^\p{L}])`)
}

// outsideIgnored applies fn to the parts of s outside <x>…</x>.
func outsideIgnored(s string, fn func(string) string) string {
	var b strings.Builder
	last := 0
	for _, m := range ignoredRE.FindAllStringIndex(s, -1) {
		b.WriteString(fn(s[last:m[0]]))
		b.WriteString(s[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(fn(s[last:]))
	return b.String()
}

// unprotect turns the service's XML back into Markdown.
func unprotect(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "<x>", ""), "</x>", "")
	return xmlUnescaper.Replace(s)
}

// String describes the client for logs (never the key).
func (c *Client) String() string { return fmt.Sprintf("DeepL-compatible service at %s", c.URL) }
