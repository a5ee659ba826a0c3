package comments

import (
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// urlRE finds web addresses in plain text.
var urlRE = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"'` + "`" + `]+`)

// paraRE separates paragraphs: a line that is empty or only blanks.
var paraRE = regexp.MustCompile(`\n[ \t]*\n\s*`)

// policy is the last line of defence behind Render's own escaping: it
// allows paragraphs, line breaks and http(s) links marked nofollow ugc,
// nothing else.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow ugc$`)).OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	return p
}()

// Render turns a comment's plain text into the HTML readers see: every
// character escaped, blank lines separating paragraphs, single newlines as
// line breaks, and http(s) addresses as links with rel="nofollow ugc". Any
// HTML the reader typed is shown as text.
func Render(text string) string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for _, para := range paraRE.Split(strings.TrimSpace(text), -1) {
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			b.WriteString(autolink(line))
		}
		b.WriteString("</p>\n")
	}
	return policy.Sanitize(b.String())
}

// autolink escapes line and turns its web addresses into links.
func autolink(line string) string {
	var b strings.Builder
	last := 0
	for _, m := range urlRE.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		// Leave trailing punctuation out of the link.
		for end > start && strings.ContainsRune(".,;:!?)]}'\"", rune(line[end-1])) {
			if line[end-1] == ')' && strings.Count(line[start:end], "(") >= strings.Count(line[start:end], ")") {
				break
			}
			end--
		}
		raw := line[start:end]
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		b.WriteString(html.EscapeString(line[last:start]))
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(u.String()))
		b.WriteString(`" rel="nofollow ugc">`)
		b.WriteString(html.EscapeString(raw))
		b.WriteString(`</a>`)
		last = end
	}
	b.WriteString(html.EscapeString(line[last:]))
	return b.String()
}
