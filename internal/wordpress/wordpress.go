// Package wordpress moves a WordPress site into newsdesk from its export
// files (WXR 1.1 and 1.2, as Tools → Export and `wp export` write them):
// posts, pages, sections, tags, authors, pictures and comments, with every
// old link kept as a redirect. It reads the files as a stream, refuses a
// malformed file before it writes anything, and remembers every item it
// brought in, so that it can be run again on the same or a later export.
// The command line (newsdesk import wordpress) and the desk both call Import.
package wordpress

import (
	"context"
	"io"
	"net/http"
	"os"
	"time"

	"newsdesk/internal/editorial"
	"newsdesk/internal/newsroom"
)

// Store is what the importer needs from storage.
type Store interface {
	newsroom.ArticleReader
	newsroom.Taxonomy
	newsroom.ImportLedger
	newsroom.Settings
	UpdateCategory(ctx context.Context, c *newsroom.Category) error
	CategoryByID(ctx context.Context, id int64) (*newsroom.Category, error)
	UpdateAuthor(ctx context.Context, a *newsroom.Author) error
	CommentByID(ctx context.Context, id int64) (*newsroom.Comment, error)
	SetCommentStatus(ctx context.Context, ids []int64, status newsroom.CommentStatus) (int, error)
	UpdateComment(ctx context.Context, c *newsroom.Comment) error
	MediaByID(ctx context.Context, id int64) (*newsroom.MediaItem, error)
	UpdateMediaText(ctx context.Context, m *newsroom.MediaItem) error
	PageByID(ctx context.Context, id int64) (*newsroom.Page, error)
	// AddRedirects stores old links in bulk, leaving ones already there.
	AddRedirects(ctx context.Context, rs []newsroom.Redirect) (int, error)
}

// MediaLibrary takes pictures into the media library (package media).
type MediaLibrary interface {
	Upload(ctx context.Context, name string, body io.Reader, meta newsroom.MediaItem) (*newsroom.MediaItem, bool, error)
	MaxBytes() int64
	// PutFile keeps a file that is not a picture (a PDF, a recording) at
	// name, its path under the old uploads, and returns its address;
	// HasFile reports whether one is kept there (media.Library).
	PutFile(ctx context.Context, name string, body io.Reader) (string, error)
	HasFile(ctx context.Context, name string) (bool, error)
	MaxFileBytes() int64
}

// Deps are the services an import works through. Store and Editorial are
// required, and so is RenderComment; without Media pictures are skipped
// (and listed).
type Deps struct {
	Store     Store
	Editorial *editorial.Service
	Media     MediaLibrary
	// Pages saves static pages (package pages); nil skips them (listed).
	Pages PageService
	// RenderComment turns a comment's text into its HTML, as for comments
	// readers post (comments.Render).
	RenderComment func(text string) string
	// User is who the import acts as (the desk's signed-in editor); nil is
	// the command line, an administrator with no account.
	User *newsroom.User
	Now  newsroom.Clock
}

// File is one export file. Open is called once per pass (the file is read
// three times: to check it, for sections, authors and pictures, and for
// posts and pages), so it must return the same bytes each time.
type File struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// PathFile is a File on disk.
func PathFile(path string) File {
	return File{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// Options say what to import and how.
type Options struct {
	Files []File
	// Uploads is a copy of the old site's wp-content/uploads folder.
	Uploads string
	// Fetch downloads pictures from the old site instead; only from the
	// export's own host and FetchHosts.
	Fetch      bool
	FetchHosts []string
	// HTTPClient is used by Fetch (nil: a client with FetchTimeout).
	HTTPClient *http.Client
	// FetchTimeout bounds one download (0: 30 s); FetchRetries is how many
	// times a failed download is tried again (0: 2); FetchConcurrency is
	// how many run at once (0: 4).
	FetchTimeout     time.Duration
	FetchRetries     int
	FetchConcurrency int
	// DryRun does everything but write, and reports what would happen.
	DryRun bool
	// Location is the old site's time zone, for dates that have no GMT
	// form in the export; nil means the zone the export's own dates show.
	Location *time.Location
}

// Progress is reported as the import goes.
type Progress struct {
	Phase   string        `json:"phase"` // checking, sections, pictures, posts, redirects, done
	Done    int           `json:"done"`
	Total   int           `json:"total"`
	Elapsed time.Duration `json:"elapsed"`
}

// Count is how many items of one kind were imported, found unchanged,
// updated, skipped (on purpose: trash, revisions, menus) or failed.
type Count struct {
	Imported  int `json:"imported"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
	Failed    int `json:"failed"`
}

// Total is every item of the kind seen.
func (c Count) Total() int { return c.Imported + c.Updated + c.Unchanged + c.Skipped + c.Failed }

// Issue is an item that needs a person: what is wrong, with the item's
// WordPress id and old link.
type Issue struct {
	Kind    string `json:"kind"`  // post, page, attachment, comment, …
	WPID    string `json:"wp_id"` // the WordPress id
	Link    string `json:"link"`  // the old address, if any
	Title   string `json:"title"`
	Problem string `json:"problem"`
}

// Summary is what an import did (or, in a dry run, would do).
type Summary struct {
	DryRun   bool     `json:"dry_run"`
	Site     string   `json:"site"`
	Files    []string `json:"files"`
	Posts    Count    `json:"posts"`
	Pages    Count    `json:"pages"`
	Drafts   int      `json:"drafts"` // of the posts and pages, how many are not public
	Sections Count    `json:"sections"`
	Tags     Count    `json:"tags"`
	Authors  Count    `json:"authors"`
	Comments Count    `json:"comments"`
	Images   Count    `json:"images"`
	// Files are attachments that are not pictures (PDF, audio, video),
	// kept as they came and served at /media/files/.
	OtherFiles Count `json:"other_files"`
	// Redirects is how many old links were added (already present ones
	// are left as they are).
	Redirects int `json:"redirects"`
	// Repairs is what the reader repaired in the files.
	Repairs Repairs `json:"repairs"`
	// Unknown counts the blocks, shortcodes and elements kept visibly for
	// an editor, by name.
	Unknown  map[string]int `json:"unknown"`
	Issues   []Issue        `json:"issues"`
	Duration time.Duration  `json:"duration"`
	Items    int            `json:"items"` // items in the files
}

// MaxIssues bounds the issues a summary lists; the rest are counted.
const MaxIssues = 5000

// Import reads the export files and brings their content in. A file that
// is not a well-formed WordPress export is refused before anything is
// written, with a *SyntaxError naming the file, line and column. Problems
// with single items (a missing picture, a taken slug) never stop it: they
// are listed in the summary. progress, if not nil, is called as it goes.
func Import(ctx context.Context, deps Deps, opts Options, progress func(Progress)) (*Summary, error) {
	r, err := newRun(deps, opts, progress)
	if err != nil {
		return nil, err
	}
	return r.run(ctx)
}
