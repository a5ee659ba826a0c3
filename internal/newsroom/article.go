package newsroom

import (
	"cmp"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where an article stands in the editorial workflow.
type Status string

const (
	Draft       Status = "draft"
	Review      Status = "review"
	Scheduled   Status = "scheduled"
	Published   Status = "published"
	Unpublished Status = "unpublished"
	// Trash is a story moved to the trash: never public, restorable for
	// ArticleTrashDays (it comes back as a draft, see Restore), then purged.
	Trash Status = "trash"
)

// ArticleArticleTrashDays is how long a story stays in the trash before it is
// purged.
const ArticleTrashDays = 30

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case Draft, Review, Scheduled, Published, Unpublished, Trash:
		return true
	}
	return false
}

// Check returns nil for a known status and otherwise an Invalid error on
// "status".
func (s Status) Check() error {
	if !s.Valid() {
		return Errorf(Invalid, "status", "status must be draft, review, scheduled, published, unpublished or trash")
	}
	return nil
}

// Byline role labels, as on a newspaper byline ("Own. corr.").
const (
	LabelStaff     = "staff"
	LabelOwnCorr   = "own_correspondent"
	LabelAgency    = "agency"
	LabelGuest     = "guest"
	LabelEditor    = "editor"
	LabelColumnist = "columnist"
)

// ValidLabel reports whether l is a known byline role label.
func ValidLabel(l string) bool {
	switch l {
	case LabelStaff, LabelOwnCorr, LabelAgency, LabelGuest, LabelEditor, LabelColumnist:
		return true
	}
	return false
}

// Author is a person (or agency) who signs articles.
type Author struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Label    string `json:"label"` // default byline label, see Label* constants
	Bio      string `json:"bio,omitempty"`
	PhotoURL string `json:"photo_url,omitempty"`
	UserID   int64  `json:"-"` // staff account this author belongs to, if any
}

// Byline is an author as credited on one article, with the label used there.
type Byline struct {
	AuthorID int64  `json:"id"`
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	Label    string `json:"label"`
	// UserID is the staff account the author profile belongs to (0 for
	// none), as the store loads it; a save ignores it.
	UserID int64 `json:"-"`
}

// Category is a section of the site. Sections may nest one level or more.
type Category struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	ParentID    int64  `json:"parent_id,omitempty"`
	Position    int    `json:"position"`
	Description string `json:"description,omitempty"`
	// Names and Descriptions are the section's name and description in
	// other editions' languages ({"ru": "Мир"}); an edition without one
	// shows Name and Description (NameIn, DescriptionIn).
	Names        map[string]string `json:"names,omitempty"`
	Descriptions map[string]string `json:"descriptions,omitempty"`
}

// NameIn is the section's name in the edition of lang: its Names entry,
// else Name.
func (c *Category) NameIn(lang string) string {
	if n := c.Names[lang]; n != "" {
		return n
	}
	return c.Name
}

// DescriptionIn is the section's description in the edition of lang:
// its Descriptions entry, else Description.
func (c *Category) DescriptionIn(lang string) string {
	if d := c.Descriptions[lang]; d != "" {
		return d
	}
	return c.Description
}

// Tag is a free keyword attached to articles.
type Tag struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Image is a picture with everything a credit line needs.
type Image struct {
	MediaID    int64  `json:"media_id,omitempty"`
	URL        string `json:"url"`
	Caption    string `json:"caption"`
	Credit     string `json:"credit"`
	SourceName string `json:"source_name"`
	SourceURL  string `json:"source_url"`
	Alt        string `json:"alt"`
	Width      int    `json:"width,omitempty"`
	Height     int    `json:"height,omitempty"`
	// Srcset is the ready srcset attribute value ("… 480w, … 960w"), if the
	// image has several widths.
	Srcset string `json:"srcset,omitempty"`
	// CaptionHTML is the rendered caption (escaped text with typographic
	// quotes, plus legal markers where they apply), filled on save.
	CaptionHTML string `json:"caption_html,omitempty"`
}

// Source is a cited source: "As reported by <Name>".
type Source struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// CorrectionKind says what a correction does to the record.
type CorrectionKind string

const (
	KindCorrection    CorrectionKind = "correction"
	KindClarification CorrectionKind = "clarification"
	KindUpdate        CorrectionKind = "update"
)

// Correction is an append-only, dated note on a published article.
type Correction struct {
	ID        int64          `json:"id"`
	ArticleID int64          `json:"article_id"`
	At        time.Time      `json:"at"`
	Kind      CorrectionKind `json:"kind"`
	Text      string         `json:"text"`
}

// Normalize trims the correction's text.
func (c *Correction) Normalize() { c.Text = strings.TrimSpace(c.Text) }

// Validate checks a correction before it is stored.
func (c *Correction) Validate() error {
	switch c.Kind {
	case KindCorrection, KindClarification, KindUpdate:
	default:
		return Errorf(Invalid, "kind", "kind must be correction, clarification or update")
	}
	if strings.TrimSpace(c.Text) == "" {
		return Errorf(Invalid, "text", "text is required")
	}
	if utf8.RuneCountInString(c.Text) > 5000 {
		return Errorf(Invalid, "text", "text is longer than 5000 characters")
	}
	return nil
}

// ValidateDated is Validate for a correction about to be stored: it must
// also carry its date (Article.Correct sets it).
func (c *Correction) ValidateDated() error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.At.IsZero() {
		return Errorf(Invalid, "at", "a correction needs its date")
	}
	return nil
}

// LegalMark records that a designated entity was marked in an article.
type LegalMark struct {
	Entity string `json:"entity"`
	Marker string `json:"marker"`
	Where  string `json:"where"` // headline, standfirst, body, caption (see Where* in legal.go)
}

// Article is a news story: what the correspondent wrote and what the site shows.
type Article struct {
	ID     int64  `json:"id"`
	Slug   string `json:"slug"`
	Status Status `json:"status"`

	Headline   string `json:"headline"`
	Standfirst string `json:"standfirst"`
	Body       string `json:"body"`      // Markdown source
	BodyHTML   string `json:"body_html"` // rendered and sanitized on save
	// HeadlineHTML and StandfirstHTML are the rendered forms of the headline
	// and standfirst (escaped text, plus legal markers where they apply).
	HeadlineHTML   string `json:"-"`
	StandfirstHTML string `json:"-"`
	Language       string `json:"language"`

	PublishedAt time.Time `json:"published_at"` // zero until first published
	ScheduledAt time.Time `json:"scheduled_at"` // when Status is Scheduled
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// EditedAt is the last public change after publication ("updated 11:40");
	// zero if the article was never changed after it went live.
	EditedAt time.Time `json:"edited_at"`
	// TrashedAt is when the story was moved to the trash (zero unless its
	// status is Trash); it is purged ArticleTrashDays later.
	TrashedAt time.Time `json:"trashed_at"`
	Revision  int       `json:"revision"`

	Authors      []Byline       `json:"authors"`
	Categories   []Category     `json:"-"`
	Tags         []Tag          `json:"-"`
	LeadImage    *Image         `json:"lead_image"`
	Sources      []Source       `json:"sources"`
	CommentsOpen bool           `json:"comments_open"`
	CommentCount int            `json:"comment_count"`
	ShareCounts  map[string]int `json:"share_counts"`
	Corrections  []Correction   `json:"corrections"`
	LegalMarks   []LegalMark    `json:"legal_marks"`
	// LegalExclusions are the registry entities an editor switched off for
	// this article, each with a reason (see legal.go).
	LegalExclusions []LegalExclusion `json:"legal_exclusions"`
	// RevisionNote, when set on a save, is kept with the revision the save
	// records ("legal mark switched off: …"). It is not stored on the article.
	RevisionNote string `json:"-"`
	// RevisionReason, when set on a save, says why it was made (Reason*
	// in revision.go); empty lets the editorial service decide. It is
	// kept with the revision and not stored on the article.
	RevisionReason string `json:"-"`
	// CreatedBy is the staff user who created the article (0 for imports/demo).
	CreatedBy int64 `json:"-"`
	// SavedBy, when set on a save, is the staff user making it; it is kept
	// with the revision the save records. It is not stored on the article.
	SavedBy int64 `json:"-"`

	// TranslationOf, on create, makes the new article a translation of
	// that one (in another language); the store puts it in the
	// original's translation group. Ignored on update.
	TranslationOf int64 `json:"-"`
	// TranslationGroup is the id of the group of translations the article
	// belongs to (the original's id when the group was made; 0 for none).
	// The store keeps it; a save ignores it.
	TranslationGroup int64 `json:"-"`
	// Translations are the other members of the group (full reads only).
	Translations []Translation `json:"-"`
	// MachineTranslated marks a draft made by the translation service
	// until a person saves it; it stays true on the published story.
	MachineTranslated bool `json:"-"`
}

// PrimaryCategory returns the first category, which decides the URL, or nil.
func (a *Article) PrimaryCategory() *Category {
	if len(a.Categories) == 0 {
		return nil
	}
	return &a.Categories[0]
}

// URL returns the article's public path. Nothing else should assume its shape.
func (a *Article) URL() string {
	section := "news"
	if c := a.PrimaryCategory(); c != nil && c.Slug != "" {
		section = c.Slug
	}
	return "/" + section + "/" + a.Slug
}

// IsPublic reports whether readers may see the article at time now.
func (a *Article) IsPublic(now time.Time) bool {
	return a.Status == Published && !a.PublishedAt.IsZero() && !a.PublishedAt.After(now)
}

// Limits on article fields.
const (
	MaxHeadline   = 300
	MaxStandfirst = 1000
	MaxBody       = 200_000
	MaxSlug       = 120
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a lower-case, hyphenated slug.
func ValidSlug(s string) bool { return len(s) <= MaxSlug && slugRE.MatchString(s) }

// ReservedSlugs may not be used as section slugs: they are the site's own paths.
var ReservedSlugs = map[string]bool{
	"api": true, "desk": true, "assets": true, "media": true, "tag": true,
	"author": true, "search": true, "feed": true, "rss": true, "atom": true,
	"sitemap.xml": true, "robots.txt": true, "share": true, "report-error": true,
	"corrections": true, "comments": true, "healthz": true, "metrics": true,
	"news-sitemap.xml": true, "favicon.ico": true, "page": true, "share-card": true,
	"apple-touch-icon.png": true, "apple-touch-icon-precomposed.png": true,
}

// Normalize trims fields and fills defaults that need no I/O.
func (a *Article) Normalize() {
	a.Headline = strings.TrimSpace(a.Headline)
	a.Standfirst = strings.TrimSpace(a.Standfirst)
	a.Slug = strings.TrimSpace(a.Slug)
	if a.Slug == "" {
		a.Slug = Slugify(a.Headline)
	}
	if a.Status == "" {
		a.Status = Draft
	}
	if a.Language == "" {
		a.Language = "en"
	}
	for i := range a.Sources {
		a.Sources[i].Name = strings.TrimSpace(a.Sources[i].Name)
		a.Sources[i].URL = strings.TrimSpace(a.Sources[i].URL)
	}
}

// Validate checks the article's own fields. It does not check that its
// authors, categories or tags exist; the store does.
func (a *Article) Validate() error {
	if err := cmp.Or(checkRequired("headline", a.Headline, MaxHeadline), checkLength("standfirst", a.Standfirst, MaxStandfirst)); err != nil {
		return err
	}
	if len(a.Body) > MaxBody {
		return Errorf(TooLarge, "body", "body is longer than %d bytes", MaxBody)
	}
	if err := checkSlug(a.Slug); err != nil {
		return err
	}
	if err := a.Status.Check(); err != nil {
		return err
	}
	if a.Language != "en" && a.Language != "ru" {
		return Errorf(Invalid, "language", "language must be en or ru")
	}
	if a.Status == Scheduled && a.ScheduledAt.IsZero() {
		return Errorf(Invalid, "scheduled_at", "a scheduled article needs a time")
	}
	if a.Status == Published {
		if err := CheckPublicationTime(a.PublishedAt); err != nil {
			return err
		}
	}
	for _, b := range a.Authors {
		if b.Label != "" && !ValidLabel(b.Label) {
			return Errorf(Invalid, "authors", "unknown byline label %q", b.Label)
		}
	}
	for _, s := range a.Sources {
		if s.Name == "" {
			return Errorf(Invalid, "sources", "every source needs a name")
		}
		if s.URL != "" && !SafeURL(s.URL) {
			return Errorf(Invalid, "sources", "source link must be an http or https address")
		}
	}
	if err := ValidateExclusions(a.LegalExclusions); err != nil {
		return err
	}
	if img := a.LeadImage; img != nil {
		if img.URL == "" {
			return Errorf(Invalid, "lead_image.url", "lead image needs a URL")
		}
		if img.Alt == "" {
			return Errorf(Invalid, "lead_image.alt", "lead image needs alt text")
		}
		if img.SourceURL != "" && !SafeURL(img.SourceURL) {
			return Errorf(Invalid, "lead_image.source_url", "source link must be an http or https address")
		}
	}
	return nil
}

// SafeURL reports whether u is an absolute http(s) URL or a site-relative path.
func SafeURL(u string) bool {
	l := strings.ToLower(u)
	if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		return len(u) > len("https://") && !strings.ContainsAny(u, " \t\n\"<>")
	}
	return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")
}

var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya",
}

// Slugify turns a headline into a slug, transliterating Cyrillic.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case translit[r] != "" || r == 'ъ' || r == 'ь':
			b.WriteString(translit[r])
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 80 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 80 {
		out = strings.Trim(out[:80], "-")
	}
	if out == "" {
		out = "article"
	}
	return out
}

// Revision is a saved state of an article, kept on every save from the
// first draft on, with who saved it and why.
type Revision struct {
	ArticleID  int64     `json:"article_id"`
	Number     int       `json:"number"`
	Headline   string    `json:"headline"`
	Standfirst string    `json:"standfirst"`
	Body       string    `json:"body"`
	BodyHTML   string    `json:"-"`
	SavedAt    time.Time `json:"saved_at"`
	SavedBy    int64     `json:"saved_by"` // 0 when unknown (imports, the scheduler)
	// SavedByName is the name of the user who saved it, where the reader
	// of revisions looked it up; stores leave it empty.
	SavedByName string `json:"saved_by_name,omitempty"`
	Note        string `json:"note,omitempty"`
	// Status is the article's status after that save; Reason why it was
	// made (Reason* in revision.go). Both empty on revisions older than
	// migration 0085.
	Status Status `json:"status"`
	Reason string `json:"reason"`
}
