package newsroom

import (
	"context"
	"time"
)

// Clock returns the current time. Services and stores take one so that tests
// can move time (schedules, comment windows, "last 48 hours").
type Clock func() time.Time

// ArticleFilter selects a page of articles. Zero fields do not filter.
type ArticleFilter struct {
	Status   *Status
	Category string // section slug; includes its child sections
	Tag      string // tag slug
	AuthorID int64
	// CreatedBy keeps articles created by that staff user (the desk's "mine").
	CreatedBy int64
	// Language keeps articles written in that language (an edition's
	// lists); "" keeps every language.
	Language string
	// Visible, when set, keeps only what one correspondent may read:
	// articles public at Visible.Now and those the user created or is
	// credited on (see CanRead and ScopeFor).
	Visible *Visibility
	// PublicAt, when set, keeps only articles public at that time
	// (published and not in the future), newest first by PublishedAt.
	PublicAt *time.Time
	// PublishedFrom and PublishedBefore bound PublishedAt (From inclusive,
	// Before exclusive); zero means unbounded. The site lists a period
	// (an old site's date archive) with them.
	PublishedFrom, PublishedBefore time.Time
	// Sort orders a list without Query (zero: newest updated first, or
	// newest published with PublicAt); Ascending turns it round.
	Sort      ArticleSort
	Ascending bool
	// IncludeTrash keeps stories in the trash in a list with no Status
	// (without it, a nil Status means every status but Trash).
	IncludeTrash bool
	Query        string // plain words; never an error for odd input
	Limit        int    // 0 means 20
	Offset       int
	// NoTotal skips counting every match (costly on a large archive) for
	// lists that show no page count; the total returned is then -1.
	NoTotal bool
	// NoRelations leaves Authors, Categories and Tags empty, unless the
	// story is also in a list read with them (only FindArticleLists reads
	// it): for lists read to choose from, whose chosen stories the caller
	// then completes with ArticleRelations.
	NoRelations bool
}

// ArticleSort is a column a list of articles can be ordered by.
type ArticleSort string

const (
	SortUpdated   ArticleSort = "updated"
	SortPublished ArticleSort = "published"
	SortHeadline  ArticleSort = "headline"
	SortComments  ArticleSort = "comments"
)

// Valid reports whether s is a known sort ("" is the default).
func (s ArticleSort) Valid() bool {
	switch s {
	case "", SortUpdated, SortPublished, SortHeadline, SortComments:
		return true
	}
	return false
}

// DeskStats are the desk's figures about stories.
type DeskStats interface {
	// CountByStatus counts the articles f selects in each status, the
	// trash included (f.Status, paging and sort are ignored).
	CountByStatus(ctx context.Context, f ArticleFilter) (map[Status]int, error)
	// ViewTotals returns the views counted for each of ids on the days
	// from since (a day bucket) on; ids never viewed are absent.
	ViewTotals(ctx context.Context, ids []int64, since time.Time) (map[int64]int, error)
}

// ArticleReader reads articles. The public site gets only this.
type ArticleReader interface {
	// FindArticles returns one page of articles and the total count.
	// Listing results carry authors, categories, tags and lead image,
	// but Body and BodyHTML may be empty.
	FindArticles(ctx context.Context, f ArticleFilter) ([]*Article, int, error)
	// FindArticleLists returns a page of each of fs, in the order of fs,
	// in a few queries whatever their number (a home page's blocks).
	// Each filter must be a public list newest first: PublicAt set, the
	// default sort, no Query; no totals are counted. A story in several
	// lists is a copy in each.
	FindArticleLists(ctx context.Context, fs []ArticleFilter) ([][]*Article, error)
	// ArticleRelations fills the authors, categories and tags of every
	// article of list in one query (stories a list gave without them).
	ArticleRelations(ctx context.Context, list []*Article) error
	// ArticleByID returns the full article or a NotFound error.
	ArticleByID(ctx context.Context, id int64) (*Article, error)
	// ArticleBySlug returns the full article or a NotFound error.
	ArticleBySlug(ctx context.Context, slug string) (*Article, error)
	// ArticleIDByOldPath returns the article that once lived at path
	// (recorded when its URL changed), or a NotFound error.
	ArticleIDByOldPath(ctx context.Context, path string) (int64, error)
}

// ArticleWriter changes articles. Callers render Markdown before calling.
type ArticleWriter interface {
	// CreateArticle stores a new article, sets its ID, CreatedAt, UpdatedAt
	// and Revision (1). A taken slug is a Conflict error on field "slug";
	// unknown authors, categories or tags are Invalid errors naming the field.
	CreateArticle(ctx context.Context, a *Article) error
	// UpdateArticle replaces the article's fields if its stored revision is
	// still expectedRevision, bumping Revision and UpdatedAt; otherwise it
	// changes nothing and returns a Conflict error. PublishedAt, ScheduledAt
	// and EditedAt are saved as given (Article.Prepare decides them). When the public URL
	// changes, the old path is kept for redirects. Every save (from the
	// first draft) keeps a Revision record.
	UpdateArticle(ctx context.Context, a *Article, expectedRevision int) error
	// AddCorrection appends a correction dated c.At, sets its ID, and saves
	// the article's UpdatedAt and EditedAt as c.At (Article.Correct dates
	// the correction and moves EditedAt to it).
	AddCorrection(ctx context.Context, c *Correction) error
	// Revisions lists the saved revisions of an article, newest first.
	Revisions(ctx context.Context, articleID int64) ([]Revision, error)
	// LatestRevision returns the newest revision's record without its
	// text (Number, SavedAt, SavedBy, Status, Reason, Note), or NotFound
	// when the article has none.
	LatestRevision(ctx context.Context, articleID int64) (*Revision, error)
}

// TrashPurger empties the trash.
type TrashPurger interface {
	// PurgeTrash deletes at most limit articles that were moved to the
	// trash before before (their comments, reports, views and revisions
	// go with them) and returns how many it deleted.
	PurgeTrash(ctx context.Context, before time.Time, limit int) (int, error)
}

// Taxonomy reads and writes sections, tags and authors.
type Taxonomy interface {
	Categories(ctx context.Context) ([]Category, error) // by Position, then Name
	CategoryBySlug(ctx context.Context, slug string) (*Category, error)
	CreateCategory(ctx context.Context, c *Category) error
	Tags(ctx context.Context) ([]Tag, error)
	TagBySlug(ctx context.Context, slug string) (*Tag, error)
	// EnsureTag returns the tag with that slug, creating it with name if absent.
	EnsureTag(ctx context.Context, slug, name string) (*Tag, error)
	Authors(ctx context.Context) ([]Author, error)
	AuthorBySlug(ctx context.Context, slug string) (*Author, error)
	AuthorByID(ctx context.Context, id int64) (*Author, error)
	CreateAuthor(ctx context.Context, a *Author) error
}

// ShareKey is one article's share button for one network.
type ShareKey struct {
	ArticleID int64
	Network   string
}

// Shares stores share-button clicks, counted in memory and written in
// batches (a click is not a write).
type Shares interface {
	// AddShares adds counts in one transaction. It announces no change:
	// share counts on cached pages may be minutes old. A network that is
	// not one of Networks is Invalid on "network" and nothing is added;
	// articles deleted since the clicks are skipped.
	AddShares(ctx context.Context, counts map[ShareKey]int) error
}

// Networks are the share targets the article page offers.
var Networks = []string{"facebook", "x", "telegram", "vk", "whatsapp", "email"}

// CheckNetwork returns an Invalid error on "network" unless n is a share
// network we count.
func CheckNetwork(n string) error {
	if !ValidNetwork(n) {
		return Errorf(Invalid, "network", "unknown share network %q", n)
	}
	return nil
}

// CheckSettingKey returns an Invalid error on "key" for an empty key.
func CheckSettingKey(key string) error {
	if key == "" {
		return Errorf(Invalid, "key", "setting key is empty")
	}
	return nil
}

// ValidNetwork reports whether n is a share network we count.
func ValidNetwork(n string) bool {
	for _, x := range Networks {
		if x == n {
			return true
		}
	}
	return false
}

// Change says what a write touched, so caches can drop exactly the pages
// that show it. Keys are strings like "article:12", "category:world",
// "tag:elections", "author:3", "home", "feeds".
type Change struct {
	Keys []string
}

// Notifier is told about every committed change. Implementations must not
// block for long; they may forward the change to other nodes.
type Notifier interface {
	Changed(ctx context.Context, c Change)
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, c Change)

// Changed calls f.
func (f NotifierFunc) Changed(ctx context.Context, c Change) { f(ctx, c) }

// Notifiers tells each of its notifiers, in order (nil ones skipped).
type Notifiers []Notifier

// Changed tells every notifier in n.
func (n Notifiers) Changed(ctx context.Context, c Change) {
	for _, x := range n {
		if x != nil {
			x.Changed(ctx, c)
		}
	}
}

// ArticleKeys returns the cache keys an article's pages depend on.
func ArticleKeys(a *Article) []string {
	keys := []string{"article:" + itoa(a.ID), "home", "feeds", "sitemaps"}
	for _, c := range a.Categories {
		keys = append(keys, "category:"+c.Slug)
	}
	for _, t := range a.Tags {
		keys = append(keys, "tag:"+t.Slug)
	}
	for _, b := range a.Authors {
		keys = append(keys, "author:"+itoa(b.AuthorID))
	}
	if k := GroupKey(a.TranslationGroup); k != "" {
		keys = append(keys, k)
	}
	return keys
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// Settings stores site-wide settings as text values by key.
type Settings interface {
	// Setting returns the value for key, or "" and no error if unset.
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Store is everything the foundation's storage offers. Surfaces should ask
// for the smaller interfaces they need.
type Store interface {
	ArticleReader
	ArticleWriter
	Taxonomy
	Shares
	Users
	Settings
	Close() error
}
