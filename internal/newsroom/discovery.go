package newsroom

import (
	"context"
	"time"
)

// SitemapEntry is the little a sitemap or news sitemap needs of a public
// article.
type SitemapEntry struct {
	ID          int64
	Path        string // the article's public path (Article.URL)
	Headline    string // as rendered (HeadlineHTML, legal markers included) when saved so
	Language    string
	PublishedAt time.Time
	ModifiedAt  time.Time // the later of PublishedAt and EditedAt
	// Translations are the other public members of the article's
	// translation group (sitemaps list them as alternates).
	Translations []Translation
}

// SearchQuery is a full-text search. Text is whatever a reader typed:
// quotes make phrases, a leading minus excludes a word, OR between words
// means either; anything else (unbalanced quotes, stray operators,
// symbols) is read as plain words and never an error.
type SearchQuery struct {
	Text     string
	Category string // section slug, child sections included
	Tag      string // tag slug
	// From and To bound PublishedAt (From inclusive, To exclusive); zero
	// means unbounded.
	From, To time.Time
	// PublicAt, when set, keeps only articles public at that time. The
	// public site and anonymous API callers always set it, so drafts never
	// appear.
	PublicAt *time.Time
	// Visible keeps what one correspondent may read (ArticleFilter.Visible).
	Visible *Visibility
	Status  *Status
	// Language keeps only articles in that language ("" any).
	Language string
	Limit    int // 0 means 20
	Offset   int
}

// SearchCandidates bounds the work of one search: it ranks at most this
// many matches, the newest (and, besides them, the newest few whose
// headline matches), so its cost does not grow with the archive. Only
// the first SearchCandidates results can be paged to, and a total above
// SearchCandidates is an estimate ("about 47,000 results").
const SearchCandidates = 2000

// SearchHit is one search result: the article (as a listing: no body), how
// well it matched, and its headline and a body snippet as HTML-escaped text
// with the matched words wrapped in <mark>.
type SearchHit struct {
	Article      *Article
	Rank         float64 // higher is better; comparable only within one result
	HeadlineHTML string
	SnippetHTML  string
}

// Discovery is how readers and machines find articles: sitemaps, search,
// most read and related stories. Every method returns only articles public
// at the time it is given.
type Discovery interface {
	// SitemapPages returns, for public articles in ID order split into
	// pages of pageSize, the newest ModifiedAt of each page.
	SitemapPages(ctx context.Context, now time.Time, pageSize int) ([]time.Time, error)
	// SitemapEntries returns one page (1-based) of public articles in ID
	// order.
	SitemapEntries(ctx context.Context, now time.Time, page, pageSize int) ([]SitemapEntry, error)
	// RecentEntries returns public articles published at or after since,
	// newest first, at most limit; lang, when not empty, keeps that
	// language's articles (limit counts only them).
	RecentEntries(ctx context.Context, lang string, since, now time.Time, limit int) ([]SitemapEntry, error)
	// Search runs a full-text search, best match first, and returns one
	// page of hits and the total number of matches, an estimate when it
	// is above SearchCandidates.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, int, error)
	// MostRead returns the public articles with the most views counted on
	// days from since (a day bucket, see ViewDay) on, most read first.
	MostRead(ctx context.Context, since time.Time, now time.Time, limit int) ([]*Article, error)
	// MostReadIn is MostRead keeping the articles in lang ("" every
	// language; limit counts only lang's): an edition's list.
	MostReadIn(ctx context.Context, lang string, since, now time.Time, limit int) ([]*Article, error)
	// Related returns public articles sharing tags or a section with the
	// article a (its Tags and Categories as loaded, so a page does not
	// read them twice), those sharing more first, then the most recent.
	Related(ctx context.Context, a *Article, now time.Time, limit int) ([]*Article, error)
	// BodiesHTML returns the rendered bodies of the articles ids (for
	// full-text feeds); unknown ids are missing from the map.
	BodiesHTML(ctx context.Context, ids []int64) (map[int64]string, error)
	// PublicLanguages returns the languages of Languages that have a
	// public article at now, in Languages order (the editions the site
	// shows).
	PublicLanguages(ctx context.Context, now time.Time) ([]string, error)
}

// ViewRecorder stores page views counted in memory.
type ViewRecorder interface {
	// AddViews adds counts (article ID to views) to the day bucket day
	// (see ViewDay) in one transaction.
	AddViews(ctx context.Context, day time.Time, counts map[int64]int) error
}

// ViewDay is the day bucket a view at t falls in: midnight of t's date in
// loc, returned as that date at midnight UTC so that both databases store
// the same calendar date.
func ViewDay(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
