package newsroom

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The pre-publish check: before a story goes live (published, scheduled,
// or a live story updated) the desk and the API list what is missing or
// risky, as Gutenberg's and Ghost's publish panels do. A blocker is
// refused everywhere (CheckGoingLive); warnings are shown and the person
// confirms. Other features add their own findings through the editorial
// service (translations, for one), with codes of their own.

// Severity says whether a finding stops a story going live.
type Severity string

const (
	Blocker Severity = "blocker" // refused: the story may not go live so
	Warning Severity = "warning" // shown; going live needs a confirmation
)

// Finding codes of the pre-publish check.
const (
	CheckNoBody       = "no_body"
	CheckNoAuthor     = "no_author"
	CheckNoSection    = "no_section"
	CheckNoLeadImage  = "no_lead_image"
	CheckNoAlt        = "no_alt" // a lead or body picture without alt text
	CheckLongHeadline = "long_headline"
	CheckBrokenLink   = "broken_link"  // a link to our own site that leads nowhere
	CheckLegalMarker  = "legal_marker" // a designated entity is marked in the text
)

// Finding is one thing the pre-publish check noticed. Code is stable (for
// scripts and the desk's own sentences); Message is an English sentence;
// Args are what it names (the link, the entity and its marker, the
// headline's length), in that order.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Field    string   `json:"field,omitempty"`
	Message  string   `json:"message"`
	Args     []string `json:"args,omitempty"`
}

// CheckedHeadline is the longest headline (in characters) the check lets
// pass without a word: longer ones are cut in search results and shares.
const CheckedHeadline = 110

// checkedLinks bounds how many of a body's links to our own site are
// resolved in one check.
const checkedLinks = 50

// PrePublish is the check's configuration.
type PrePublish struct {
	// Hosts are the site's own host names: an absolute link to one of
	// them is a link to our pages, checked like a path.
	Hosts []string
	// Resolves reports whether a site path (with its query) leads a
	// reader to a page of ours; nil leaves links unchecked.
	Resolves func(path string) bool
}

// HasBlocker reports whether any finding stops the story going live.
func HasBlocker(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Blocker {
			return true
		}
	}
	return false
}

// GoesLive reports whether saving next over prev (nil: new) puts it in
// front of readers, now or at its time: published, scheduled, or a live
// story saved again.
func GoesLive(next *Article) bool {
	return next.Status == Published || next.Status == Scheduled
}

// CheckGoingLive refuses what the pre-publish check calls a blocker on a
// story that goes live: no body. The error is Invalid on "body".
func CheckGoingLive(a *Article) error {
	if GoesLive(a) && strings.TrimSpace(a.Body) == "" {
		return Errorf(Invalid, "body", "a story needs a body before it is published or scheduled")
	}
	return nil
}

var (
	hrefRE = regexp.MustCompile(`<a\s[^>]*?href="([^"]*)"`)
	imgRE  = regexp.MustCompile(`<img\s[^>]*>`)
	altRE  = regexp.MustCompile(`\salt="([^"]*)"`)
	srcRE  = regexp.MustCompile(`\ssrc="([^"]*)"`)
)

// Check lists what is missing or risky in a, whose body, headline and
// captions are rendered (BodyHTML, LegalMarks), in the order a person
// would fix them.
func (p PrePublish) Check(a *Article) []Finding {
	var out []Finding
	add := func(code string, sev Severity, field, msg string, args ...string) {
		out = append(out, Finding{Code: code, Severity: sev, Field: field, Message: msg, Args: args})
	}
	if strings.TrimSpace(a.Body) == "" {
		add(CheckNoBody, Blocker, "body", "The story has no body.")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(a.Headline)); n > CheckedHeadline {
		add(CheckLongHeadline, Warning, "headline", "The headline is "+strconv.Itoa(n)+" characters long; over "+strconv.Itoa(CheckedHeadline)+" it is cut in search results and shares.", strconv.Itoa(n))
	}
	if len(a.Authors) == 0 {
		add(CheckNoAuthor, Warning, "authors", "The story has no author.")
	}
	if len(a.Categories) == 0 {
		add(CheckNoSection, Warning, "categories", "The story is in no section.")
	}
	if a.LeadImage == nil || strings.TrimSpace(a.LeadImage.URL) == "" {
		add(CheckNoLeadImage, Warning, "lead_image", "The story has no lead picture; shares get the generated card.")
	} else if strings.TrimSpace(a.LeadImage.Alt) == "" {
		add(CheckNoAlt, Warning, "lead_image.alt", "The lead picture has no alt text.")
	}
	for _, img := range imgRE.FindAllString(a.BodyHTML, -1) {
		m := altRE.FindStringSubmatch(img)
		if m == nil || strings.TrimSpace(html.UnescapeString(m[1])) == "" {
			src := ""
			if s := srcRE.FindStringSubmatch(img); s != nil {
				src = html.UnescapeString(s[1])
			}
			add(CheckNoAlt, Warning, "body", "A picture in the body has no alt text: "+src, src)
		}
	}
	if p.Resolves != nil {
		seen := map[string]bool{}
		for _, m := range hrefRE.FindAllStringSubmatch(a.BodyHTML, -1) {
			href := html.UnescapeString(m[1])
			path, ok := p.ownPath(href)
			if !ok || seen[path] {
				continue
			}
			seen[path] = true
			if len(seen) > checkedLinks {
				break
			}
			if !p.Resolves(path) {
				add(CheckBrokenLink, Warning, "body", "A link to our own site leads nowhere: "+href, href)
			}
		}
	}
	seen := map[string]bool{}
	for _, m := range a.LegalMarks {
		if seen[m.Entity] {
			continue
		}
		seen[m.Entity] = true
		add(CheckLegalMarker, Warning, m.Where, m.Entity+" is marked as "+m.Marker+" in the "+m.Where+": check the wording with the legal registry.", m.Entity, m.Marker, m.Where)
	}
	return out
}

// ownPath returns the site path (with query, without fragment) href leads
// to when it is a link to our own pages: a path, or an absolute http(s)
// address on one of Hosts.
func (p PrePublish) ownPath(href string) (string, bool) {
	href = strings.TrimSpace(href)
	if strings.HasPrefix(href, "#") || href == "" {
		return "", false
	}
	u, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	switch {
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/"):
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "":
		own := false
		for _, h := range p.Hosts {
			if strings.EqualFold(u.Hostname(), h) || strings.EqualFold(u.Host, h) {
				own = true
			}
		}
		if !own {
			return "", false
		}
	default:
		return "", false
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return path, true
}
