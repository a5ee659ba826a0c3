package newsroom

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Where readers came from, as the view counter classifies a page view by
// its Referer's host alone (nothing else about the reader is looked at or
// kept).
const (
	SourceDirect = "direct" // no Referer: typed, bookmarked, an app
	SourceSearch = "search" // a search engine
	SourceSocial = "social" // a social network or messenger
	SourceOther  = "other"  // a link on another site
)

// Sources lists the classes in the order charts show them.
var Sources = []string{SourceSearch, SourceSocial, SourceOther, SourceDirect}

var searchHosts = []string{"google.", "bing.com", "yandex.", "ya.ru", "duckduckgo.com", "yahoo.", "baidu.com",
	"ecosia.org", "startpage.com", "search.brave.com", "qwant.com", "naver.com", "seznam.cz", "go.mail.ru"}

var socialHosts = []string{"facebook.com", "fb.com", "fb.me", "t.co", "twitter.com", "x.com", "vk.com", "vk.ru",
	"t.me", "telegram.org", "instagram.com", "linkedin.com", "lnkd.in", "reddit.com", "whatsapp.com", "ok.ru",
	"threads.net", "bsky.app", "mastodon.social", "pinterest.", "youtube.com", "tiktok.com", "news.ycombinator.com"}

// ClassifyReferrer returns the source class of a page view whose Referer
// is referer, on a site whose own host is self (a view from the site's
// own pages is "" : not an arrival, not counted as a source).
func ClassifyReferrer(referer, self string) string {
	if referer == "" {
		return SourceDirect
	}
	u, err := url.Parse(referer)
	if err != nil || u.Host == "" {
		return SourceDirect
	}
	host := strings.ToLower(u.Hostname())
	if self != "" && strings.EqualFold(host, hostOnly(self)) {
		return ""
	}
	host = strings.TrimPrefix(host, "www.")
	host = strings.TrimPrefix(host, "m.")
	for _, h := range searchHosts {
		if matchHost(host, h) {
			return SourceSearch
		}
	}
	for _, h := range socialHosts {
		if matchHost(host, h) {
			return SourceSocial
		}
	}
	return SourceOther
}

func hostOnly(hostport string) string {
	if u, err := url.Parse("//" + hostport); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return hostport
}

// matchHost reports whether host is pattern or below it; a pattern ending
// in "." matches any suffix ("google." is google.com and google.de).
func matchHost(host, pattern string) bool {
	if strings.HasSuffix(pattern, ".") {
		return strings.HasPrefix(host, pattern) || strings.Contains(host, "."+pattern)
	}
	return host == pattern || strings.HasSuffix(host, "."+pattern)
}

// HourKey is one article's views in one hour (UTC, minutes zero).
type HourKey struct {
	ArticleID int64
	Hour      time.Time
}

// SourceKey is one day's (see ViewDay) arrivals from one source class.
type SourceKey struct {
	Day    time.Time
	Source string
}

// HourlyViewsKept is how long hourly view counts are kept.
const HourlyViewsKept = 8 * 24 * time.Hour

// ViewDetailRecorder stores the hourly counts and the sources of views.
type ViewDetailRecorder interface {
	// AddViewDetail adds hourly counts and source counts in one
	// transaction, skipping deleted articles.
	AddViewDetail(ctx context.Context, hourly map[HourKey]int, sources map[SourceKey]int) error
	// TrimViewHours drops the hourly counts of the hours before before
	// (now less HourlyViewsKept), returning how many rows went.
	TrimViewHours(ctx context.Context, before time.Time) (int64, error)
}

// HourCount is an article's views in one hour.
type HourCount struct {
	ArticleID int64
	Hour      time.Time
	Count     int
}

// DayCount is one day's count of something.
type DayCount struct {
	Day   time.Time // midnight UTC of the date
	Key   string    // what was counted (a source, "opened", "held", ...)
	Count int
}

// FrontStats reads what the desk's front page draws.
type FrontStats interface {
	// HourlyViews returns the hourly counts in [from, to) of the articles
	// ids (nil: every article, one row per article and hour).
	HourlyViews(ctx context.Context, from, to time.Time, ids []int64) ([]HourCount, error)
	// HourlyTotals returns the views of all articles per hour in [from,
	// to) (ArticleID 0).
	HourlyTotals(ctx context.Context, from, to time.Time) ([]HourCount, error)
	// HourlySums returns each article's views from since on (Hour zero),
	// most first, at most limit of them; ids, if not nil, limits it to those.
	HourlySums(ctx context.Context, since time.Time, ids []int64, limit int) ([]HourCount, error)
	// DailyViews returns one article's views per day from since on.
	DailyViews(ctx context.Context, articleID int64, since time.Time) ([]DayCount, error)
	// ViewSources returns arrivals per day and source from since on.
	ViewSources(ctx context.Context, since time.Time) ([]DayCount, error)
	// ReportDays returns error reports opened ("opened", by creation day)
	// and fixed ("fixed", by resolution day, fixed or fixed by an edit)
	// per UTC day from since on, and the time each report fixed since then
	// took from its first filing.
	ReportDays(ctx context.Context, since time.Time) ([]DayCount, []time.Duration, error)
	// CommentDays returns comments per UTC day of posting from since on by
	// their status now: "pending" (held), "approved", "spam", "trash".
	CommentDays(ctx context.Context, since time.Time) ([]DayCount, error)
}
