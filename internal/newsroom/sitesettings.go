package newsroom

import (
	"strings"
	"time"
	"unicode/utf8"
)

// SettingSite is the settings key holding the site's settings
// (SiteSettings) as one JSON document. A field present in the document
// wins over the default the flags and environment give; a field absent
// keeps that default.
const SettingSite = "site"

// SiteSettings are the settings an editor changes in the desk. The JSON
// names are the field names errors carry and the desk's form uses.
type SiteSettings struct {
	// SiteName is the masthead's name; Description the site's one-line
	// description (home page, feeds). Empty: the default (--site-name).
	SiteName    string `json:"site_name,omitempty"`
	Description string `json:"description,omitempty"`
	// Editions are the site's name and description in other editions'
	// languages ({"ru": {"site_name": "…"}}); an edition without one
	// shows SiteName and Description (InEdition).
	Editions map[string]EditionNames `json:"editions,omitempty"`
	// Language is the interface language ("en" or "ru") and TimeZone the
	// IANA zone dates are shown in.
	Language string `json:"language,omitempty"`
	TimeZone string `json:"time_zone,omitempty"`
	// HomeLatest is how many stories the home page's latest stream shows
	// (1–30); HomeSections and HomeMostRead show the block per section and
	// the most-read list.
	HomeLatest   int  `json:"home_latest,omitempty"`
	HomeSections bool `json:"home_sections"`
	HomeMostRead bool `json:"home_most_read"`
	// Report limits: the longest quote in an error report (characters,
	// 20–5000), reports a minute from one address and about one article
	// (-1: no limit).
	ReportMaxExact   int `json:"report_max_exact,omitempty"`
	ReportPerIP      int `json:"report_per_ip,omitempty"`
	ReportPerArticle int `json:"report_per_article,omitempty"`
	// Crawlers says what robots.txt lets crawlers do.
	Crawlers CrawlerPolicy `json:"crawlers"`
	// RequireTwoFactor sends admins and editors without a second factor to
	// enrol at their next sign-in.
	RequireTwoFactor bool `json:"require_two_factor"`

	// FeedContent ("full" or "summary") and CorrespondentsMayPublish are
	// kept under keys of their own (SettingFeedFullText,
	// SettingCorrespondentsMayPublish), older than this document.
	FeedContent              string `json:"-"`
	CorrespondentsMayPublish bool   `json:"-"`
}

// EditionNames are the site's name and description in one edition.
type EditionNames struct {
	SiteName    string `json:"site_name,omitempty"`
	Description string `json:"description,omitempty"`
}

// InEdition returns the settings as the edition of lang shows them: its
// own site name and description where it has them.
func (s SiteSettings) InEdition(lang string) SiteSettings {
	e := s.Editions[lang]
	if e.SiteName != "" {
		s.SiteName = e.SiteName
	}
	if e.Description != "" {
		s.Description = e.Description
	}
	return s
}

// Keys of settings older than SettingSite that SiteSettings carries.
const (
	SettingFeedFullText             = "feed_full_text"             // "true" or "false"
	SettingCorrespondentsMayPublish = "correspondents_may_publish" // "true" or "false"
)

// CrawlerPolicy is what robots.txt allows, by purpose.
type CrawlerPolicy struct {
	Search     bool `json:"search"`      // search engines
	AITraining bool `json:"ai_training"` // collecting text to train models
	AISearch   bool `json:"ai_search"`   // AI search engines' indexes
	AIUser     bool `json:"ai_user"`     // fetches a person asked an assistant for
}

// CrawlerPurpose names the crawlers of one purpose, as robots.txt
// addresses them.
type CrawlerPurpose struct {
	Key    string // the CrawlerPolicy field's JSON name
	Agents []string
}

// CrawlerPurposes are the AI crawlers robots.txt addresses by name, by
// purpose (search engines are everyone else, "*").
var CrawlerPurposes = []CrawlerPurpose{
	{"ai_training", []string{"GPTBot", "Google-Extended", "CCBot", "ClaudeBot", "anthropic-ai", "Applebot-Extended", "Bytespider", "meta-externalagent", "cohere-training-data-crawler"}},
	{"ai_search", []string{"OAI-SearchBot", "PerplexityBot", "Claude-SearchBot"}},
	{"ai_user", []string{"ChatGPT-User", "Perplexity-User", "Claude-User"}},
}

// Allows reports whether the policy allows the purpose named by key.
func (p CrawlerPolicy) Allows(key string) bool {
	switch key {
	case "search":
		return p.Search
	case "ai_training":
		return p.AITraining
	case "ai_search":
		return p.AISearch
	case "ai_user":
		return p.AIUser
	}
	return false
}

// DefaultSiteSettings are the settings of a site nobody has configured:
// everything shown, every crawler allowed (refusing one is the editor's
// decision), the limits the flags default to.
func DefaultSiteSettings() SiteSettings {
	return SiteSettings{SiteName: "newsdesk", Language: "en", TimeZone: "UTC", HomeLatest: 8, HomeSections: true, HomeMostRead: true,
		ReportMaxExact: 300, ReportPerIP: 6, ReportPerArticle: 60, FeedContent: "full",
		Crawlers: CrawlerPolicy{Search: true, AITraining: true, AISearch: true, AIUser: true}}
}

// Location returns the settings' time zone (UTC if it does not load).
func (s *SiteSettings) Location() *time.Location {
	if loc, err := time.LoadLocation(s.TimeZone); err == nil && s.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// Normalize trims the text fields.
func (s *SiteSettings) Normalize() {
	s.SiteName = strings.TrimSpace(s.SiteName)
	s.Description = strings.TrimSpace(s.Description)
	s.Language = strings.TrimSpace(s.Language)
	s.TimeZone = strings.TrimSpace(s.TimeZone)
	s.FeedContent = strings.TrimSpace(s.FeedContent)
	var eds map[string]EditionNames
	for lang, e := range s.Editions {
		e.SiteName, e.Description = strings.TrimSpace(e.SiteName), strings.TrimSpace(e.Description)
		if e == (EditionNames{}) {
			continue
		}
		if eds == nil {
			eds = map[string]EditionNames{}
		}
		eds[lang] = e
	}
	s.Editions = eds
}

// Validate normalizes s and returns an Invalid error naming the first
// wrong field. Empty text fields are allowed: they mean the default.
func (s *SiteSettings) Validate() error {
	s.Normalize()
	switch {
	case utf8.RuneCountInString(s.SiteName) > 120:
		return Errorf(Invalid, "site_name", "the site name must be at most 120 characters")
	case strings.ContainsAny(s.SiteName, "\r\n"):
		return Errorf(Invalid, "site_name", "the site name must be one line")
	case utf8.RuneCountInString(s.Description) > 300:
		return Errorf(Invalid, "description", "the description must be at most 300 characters")
	case s.Language != "" && s.Language != "en" && s.Language != "ru":
		return Errorf(Invalid, "language", "language must be en or ru")
	case s.HomeLatest < 1 || s.HomeLatest > 30:
		return Errorf(Invalid, "home_latest", "the latest stream shows 1 to 30 stories")
	case s.ReportMaxExact < 20 || s.ReportMaxExact > 5000:
		return Errorf(Invalid, "report_max_exact", "the longest quote must be 20 to 5000 characters")
	case s.ReportPerIP < -1 || s.ReportPerIP == 0 || s.ReportPerIP > 10000:
		return Errorf(Invalid, "report_per_ip", "reports a minute from one address must be 1 to 10000, or -1 for no limit")
	case s.ReportPerArticle < -1 || s.ReportPerArticle == 0 || s.ReportPerArticle > 10000:
		return Errorf(Invalid, "report_per_article", "reports a minute about one article must be 1 to 10000, or -1 for no limit")
	case s.FeedContent != "" && s.FeedContent != "full" && s.FeedContent != "summary":
		return Errorf(Invalid, "feed_content", "feed content must be full or summary")
	}
	for lang, e := range s.Editions {
		switch {
		case !ValidLanguage(lang):
			return Errorf(Invalid, "editions", "unknown language %q (use %s)", lang, strings.Join(Languages, " or "))
		case utf8.RuneCountInString(e.SiteName) > 120:
			return Errorf(Invalid, "editions."+lang+".site_name", "the site name must be at most 120 characters")
		case strings.ContainsAny(e.SiteName, "\r\n"):
			return Errorf(Invalid, "editions."+lang+".site_name", "the site name must be one line")
		case utf8.RuneCountInString(e.Description) > 300:
			return Errorf(Invalid, "editions."+lang+".description", "the description must be at most 300 characters")
		}
	}
	if s.TimeZone != "" {
		if _, err := time.LoadLocation(s.TimeZone); err != nil || strings.EqualFold(s.TimeZone, "local") {
			return Errorf(Invalid, "time_zone", "unknown time zone %q (use a name such as Europe/Berlin)", s.TimeZone)
		}
	}
	return nil
}

// RobotsTxt writes robots.txt for the policy: the desk, the API and search
// results are never for crawlers; sitemaps are named at the end.
func (p CrawlerPolicy) RobotsTxt(sitemaps ...string) string {
	var b strings.Builder
	rules := func(allow bool) {
		if allow {
			b.WriteString("Allow: /\nDisallow: /desk/\nDisallow: /api/\nDisallow: /search\n\n")
		} else {
			b.WriteString("Disallow: /\n\n")
		}
	}
	for _, purpose := range CrawlerPurposes {
		allow := p.Allows(purpose.Key)
		if allow == p.Search {
			continue // the same as everyone else: "*" covers them
		}
		for _, a := range purpose.Agents {
			b.WriteString("User-agent: " + a + "\n")
		}
		rules(allow)
	}
	b.WriteString("User-agent: *\n")
	rules(p.Search)
	for _, s := range sitemaps {
		b.WriteString("Sitemap: " + s + "\n")
	}
	return b.String()
}
