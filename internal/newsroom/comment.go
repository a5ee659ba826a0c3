package newsroom

import (
	"context"
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// CommentStatus is where a reader's comment stands in moderation.
type CommentStatus string

const (
	CommentPending  CommentStatus = "pending"  // waiting for a moderator
	CommentApproved CommentStatus = "approved" // shown on the site
	CommentSpam     CommentStatus = "spam"     // never shown; kept to learn from
	CommentTrash    CommentStatus = "trash"    // deleted; purged after TrashDays
)

// Valid reports whether s is a known status.
func (s CommentStatus) Valid() bool {
	switch s {
	case CommentPending, CommentApproved, CommentSpam, CommentTrash:
		return true
	}
	return false
}

// Check returns nil for a known status and otherwise an Invalid error on
// "status".
func (s CommentStatus) Check() error {
	if !s.Valid() {
		return Errorf(Invalid, "status", "status must be pending, approved, spam or trash")
	}
	return nil
}

// CommentStatuses lists the statuses in the order the moderation queue shows them.
var CommentStatuses = []CommentStatus{CommentPending, CommentApproved, CommentSpam, CommentTrash}

// TrashDays is how long a trashed comment is kept before it is purged.
const TrashDays = 30

// Comment is a reader's (or a staff member's) comment on an article.
// Replies point at their parent; Depth is 0 for a top-level comment.
type Comment struct {
	ID        int64         `json:"id"`
	ArticleID int64         `json:"article_id"`
	ParentID  int64         `json:"parent_id,omitempty"`
	Depth     int           `json:"depth"`
	Status    CommentStatus `json:"status"`
	Name      string        `json:"name"`
	Email     string        `json:"email"`
	Website   string        `json:"website"`
	Body      string        `json:"body"`      // as typed (plain text)
	BodyHTML  string        `json:"body_html"` // escaped text, paragraphs, line breaks, links
	IP        string        `json:"ip,omitempty"`
	UserAgent string        `json:"user_agent,omitempty"`
	// UserID is the staff member who wrote the comment (a staff reply), or 0.
	UserID int64 `json:"user_id,omitempty"`
	// Staff marks a reply written by the newsroom, shown as such.
	Staff     bool      `json:"staff"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// StatusAt is when the status last changed (trash is purged TrashDays after it).
	StatusAt time.Time `json:"status_at"`
	// AuthorKey is a hash of the secret the reader's browser keeps, so that
	// the author alone can see a comment awaiting moderation. Never shown.
	AuthorKey string `json:"-"`
}

// CommentInput is what a reader sends: the form fields or the API body.
type CommentInput struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Website  string `json:"website"`
	Body     string `json:"body"`
	ParentID int64  `json:"parent_id"`
}

// Normalize trims the fields and folds line endings.
func (in *CommentInput) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.TrimSpace(in.Email)
	in.Website = strings.TrimSpace(in.Website)
	in.Body = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(in.Body, "\r\n", "\n"), "\r", "\n"))
}

// CommentSettings are the site-wide comment and moderation settings, kept
// as one JSON value under SettingComments.
type CommentSettings struct {
	// MaxLength is the longest comment, in characters.
	MaxLength int `json:"max_length"`
	// MaxDepth is how many levels a thread may have (1 = no replies).
	MaxDepth int `json:"max_depth"`
	// PerPage is how many top-level threads one page of comments shows.
	PerPage int `json:"per_page"`
	// RequireEmail makes the e-mail field required.
	RequireEmail bool `json:"require_email"`
	// ManualApproval holds every comment for a moderator.
	ManualApproval bool `json:"manual_approval"`
	// HoldFirstTime holds a comment unless its author (same e-mail) has an
	// approved comment already.
	HoldFirstTime bool `json:"hold_first_time"`
	// MaxLinks holds a comment with more links than this (negative: no limit).
	MaxLinks int `json:"max_links"`
	// ModerationWords hold a comment that contains any of them in its name,
	// e-mail, website, text, IP address or browser name.
	ModerationWords []string `json:"moderation_words"`
	// SpamWords send such a comment straight to spam.
	SpamWords []string `json:"spam_words"`
	// FloodSeconds is the least time between two comments from one IP
	// address (0: no limit).
	FloodSeconds int `json:"flood_seconds"`
	// CloseAfterDays closes comments this many days after publication
	// (0: never).
	CloseAfterDays int `json:"close_after_days"`
	// DigestMinutes is how often editors and authors get an e-mail digest of
	// new comments (0: never).
	DigestMinutes int `json:"digest_minutes"`
}

// SettingComments is the settings key holding CommentSettings as JSON.
const SettingComments = "comments"

// DefaultCommentSettings are the settings of a new site.
func DefaultCommentSettings() CommentSettings {
	return CommentSettings{
		MaxLength:     10_000,
		MaxDepth:      5,
		PerPage:       50,
		RequireEmail:  true,
		HoldFirstTime: true,
		MaxLinks:      2,
		FloodSeconds:  15,
		DigestMinutes: 60,
	}
}

// Normalize fills zero or nonsense values with defaults and cleans the word lists.
func (s *CommentSettings) Normalize() {
	d := DefaultCommentSettings()
	if s.MaxLength <= 0 {
		s.MaxLength = d.MaxLength
	}
	if s.MaxDepth <= 0 {
		s.MaxDepth = d.MaxDepth
	}
	if s.PerPage <= 0 {
		s.PerPage = d.PerPage
	}
	s.FloodSeconds = max(s.FloodSeconds, 0)
	s.CloseAfterDays = max(s.CloseAfterDays, 0)
	s.DigestMinutes = max(s.DigestMinutes, 0)
	s.ModerationWords = cleanWords(s.ModerationWords)
	s.SpamWords = cleanWords(s.SpamWords)
}

// Validate checks settings an editor typed, naming the field at fault.
func (s *CommentSettings) Validate() error {
	switch {
	case s.MaxLength < 1 || s.MaxLength > 100_000:
		return Errorf(Invalid, "max_length", "the length limit must be between 1 and 100000 characters")
	case s.MaxDepth < 1 || s.MaxDepth > 10:
		return Errorf(Invalid, "max_depth", "the thread depth must be between 1 and 10")
	case s.PerPage < 1 || s.PerPage > 1000:
		return Errorf(Invalid, "per_page", "comments per page must be between 1 and 1000")
	case s.FloodSeconds < 0 || s.FloodSeconds > 86400:
		return Errorf(Invalid, "flood_seconds", "the flood interval must be between 0 and 86400 seconds")
	case s.CloseAfterDays < 0:
		return Errorf(Invalid, "close_after_days", "days before closing cannot be negative")
	case s.DigestMinutes < 0:
		return Errorf(Invalid, "digest_minutes", "the digest interval cannot be negative")
	}
	return nil
}

func cleanWords(list []string) []string {
	var out []string
	for _, w := range list {
		w = strings.ToLower(strings.TrimSpace(w))
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// ParseWords splits a textarea of words (one per line, or comma-separated).
func ParseWords(s string) []string {
	return cleanWords(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }))
}

// Limits on comment fields that are not settings.
const (
	MaxCommentName    = 100
	MaxCommentEmail   = 254
	MaxCommentWebsite = 300
)

// CommentError is a comment refused by a rule. Reason is a stable word
// (required, too_long, email, website, closed, parent, parent_article,
// parent_status, depth) that surfaces translate; Err is the error itself,
// found by errors.As like any *Error.
type CommentError struct {
	Reason string
	Err    *Error
}

func (e *CommentError) Error() string { return e.Err.Error() }

// Unwrap returns the *Error.
func (e *CommentError) Unwrap() error { return e.Err }

func commentErr(code Code, field, reason, msg string, args ...any) error {
	return &CommentError{Reason: reason, Err: Errorf(code, field, msg, args...)}
}

// CommentReason returns the rule a comment error broke, or "".
func CommentReason(err error) string {
	var ce *CommentError
	if errors.As(err, &ce) {
		return ce.Reason
	}
	return ""
}

// Validate checks a reader's input against the settings: name and comment
// required, the comment within MaxLength, a well-formed e-mail (required
// when RequireEmail), a website that is an http(s) address. Each error is
// Invalid and names its field. Call Normalize first.
func (in *CommentInput) Validate(s CommentSettings) error {
	if in.Body == "" {
		return commentErr(Invalid, "body", "required", "please write a comment")
	}
	if n := utf8.RuneCountInString(in.Body); n > s.MaxLength {
		return commentErr(Invalid, "body", "too_long", "the comment is %d characters long; the limit is %d", n, s.MaxLength)
	}
	if in.Name == "" {
		return commentErr(Invalid, "name", "required", "please give your name")
	}
	if utf8.RuneCountInString(in.Name) > MaxCommentName {
		return commentErr(Invalid, "name", "too_long", "the name is longer than %d characters", MaxCommentName)
	}
	if in.Email == "" {
		if s.RequireEmail {
			return commentErr(Invalid, "email", "required", "please give your e-mail address (it is never shown)")
		}
	} else if !ValidEmail(in.Email) {
		return commentErr(Invalid, "email", "email", "this e-mail address is not valid")
	}
	if in.Website != "" && !ValidWebsite(in.Website) {
		return commentErr(Invalid, "website", "website", "the website must be an http:// or https:// address")
	}
	return nil
}

// ValidEmail reports whether s is a plain, well-formed e-mail address.
func ValidEmail(s string) bool {
	if len(s) > MaxCommentEmail || strings.ContainsAny(s, " <>\"(),;:\\[]") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".") && !strings.HasSuffix(s, ".")
}

var hostRE = regexp.MustCompile(`^(?i)https?://[a-z0-9\p{L}]([a-z0-9\p{L}.-]*[a-z0-9\p{L}])?(:[0-9]{1,5})?(/[^\s<>"'` + "`" + `]*)?$`)

// ValidWebsite reports whether s is an absolute http or https address with
// a host name and nothing that could break out of an attribute.
func ValidWebsite(s string) bool {
	return len(s) <= MaxCommentWebsite && hostRE.MatchString(s)
}

// CommentsOpen reports whether the article takes comments at now: it is
// public, an editor has not closed them, and, when settings close comments
// after some days, that time has not come.
func CommentsOpen(a *Article, s CommentSettings, now time.Time) bool {
	if a == nil || !a.CommentsOpen || !a.IsPublic(now) {
		return false
	}
	if s.CloseAfterDays > 0 && !now.Before(a.PublishedAt.AddDate(0, 0, s.CloseAfterDays)) {
		return false
	}
	return true
}

// CheckOpen returns a Forbidden error when the article does not take comments at now.
func CheckOpen(a *Article, s CommentSettings, now time.Time) error {
	if !CommentsOpen(a, s, now) {
		return commentErr(Forbidden, "", "closed", "comments on this article are closed")
	}
	return nil
}

// CheckReply checks that parent may be answered by a new comment on the
// article articleID: it is a comment of the same article, approved, and not
// already at the deepest level. It returns the new comment's depth.
func CheckReply(parent *Comment, articleID int64, s CommentSettings) (int, error) {
	if parent == nil {
		return 0, commentErr(Invalid, "parent_id", "parent", "the comment you are replying to does not exist")
	}
	if parent.ArticleID != articleID {
		return 0, commentErr(Invalid, "parent_id", "parent_article", "the comment you are replying to belongs to another article")
	}
	if parent.Status != CommentApproved {
		return 0, commentErr(Invalid, "parent_id", "parent_status", "the comment you are replying to is not published")
	}
	if parent.Depth+1 >= s.MaxDepth {
		return 0, commentErr(Invalid, "parent_id", "depth", "this thread is as deep as it may go; reply further up")
	}
	return parent.Depth + 1, nil
}

var linkRE = regexp.MustCompile(`(?i)\b(?:https?://|www\.)`)

// CountLinks counts the web addresses in s.
func CountLinks(s string) int { return len(linkRE.FindAllStringIndex(s, -1)) }

// Classify decides the status of a new reader comment from the settings:
// spam if it contains a spam word; pending if every comment is held, if it
// contains a moderation word, has more than MaxLinks links, or if its author
// is new and first comments are held; otherwise approved. known says whether
// the author has an approved comment already. Reason names the rule applied.
func Classify(c *Comment, s CommentSettings, known bool) (status CommentStatus, reason string) {
	hay := strings.ToLower(strings.Join([]string{c.Name, c.Email, c.Website, c.Body, c.IP, c.UserAgent}, "\n"))
	for _, w := range s.SpamWords {
		if strings.Contains(hay, w) {
			return CommentSpam, "spam word " + w
		}
	}
	if s.ManualApproval {
		return CommentPending, "manual approval"
	}
	for _, w := range s.ModerationWords {
		if strings.Contains(hay, w) {
			return CommentPending, "moderation word " + w
		}
	}
	if s.MaxLinks >= 0 {
		if CountLinks(c.Body) > s.MaxLinks {
			return CommentPending, "too many links"
		}
	}
	if s.HoldFirstTime && !known {
		return CommentPending, "first comment"
	}
	return CommentApproved, ""
}

// CommentKeys returns the cache keys whose pages show the article's approved
// comments or its comment count.
func CommentKeys(a *Article) []string {
	return append(ArticleKeys(a), "comments")
}

// CommentFilter selects comments. Zero fields do not filter.
type CommentFilter struct {
	Status    CommentStatus
	ArticleID int64
	// Since keeps comments created after it.
	Since time.Time
	// Until keeps comments created at or before it.
	Until time.Time
	// Query keeps comments whose name, e-mail, website or text contain it.
	Query string
	// OldestFirst orders by creation time ascending (the default is newest first).
	OldestFirst bool
	Limit       int // 0 means 50
	Offset      int
}

// CommentStore stores comments and keeps each article's CommentCount equal
// to its number of approved comments, in the same transaction as the change.
type CommentStore interface {
	// CreateComment stores c, setting ID, CreatedAt, UpdatedAt and StatusAt.
	// An unknown article is NotFound; an unknown parent is Invalid on parent_id.
	CreateComment(ctx context.Context, c *Comment) error
	// CommentByID returns one comment or a NotFound error.
	CommentByID(ctx context.Context, id int64) (*Comment, error)
	// CommentsByID returns the comments with those ids that exist, in no order.
	CommentsByID(ctx context.Context, ids []int64) ([]*Comment, error)
	// FindComments returns one page of comments and the total count.
	FindComments(ctx context.Context, f CommentFilter) ([]*Comment, int, error)
	// CountComments returns how many comments have each status.
	CountComments(ctx context.Context) (map[CommentStatus]int, error)
	// CountCommentsWith returns how many comments have the one status
	// (through the status index: the desk's menu asks on every page).
	CountCommentsWith(ctx context.Context, status CommentStatus) (int, error)
	// SetCommentStatus moves the comments to status, stamping StatusAt, and
	// returns how many changed. Unknown ids are skipped.
	SetCommentStatus(ctx context.Context, ids []int64, status CommentStatus) (int, error)
	// UpdateComment replaces the name, e-mail, website, body and body HTML
	// of a stored comment, or returns NotFound.
	UpdateComment(ctx context.Context, c *Comment) error
	// PurgeComments deletes comments in the trash since before, with their
	// replies' parent links cleared, and returns how many went.
	PurgeComments(ctx context.Context, before time.Time) (int, error)
	// HasApprovedComment reports whether an approved comment has this e-mail.
	HasApprovedComment(ctx context.Context, email string) (bool, error)
	// LastCommentAt returns when the newest comment from ip was made (zero if none).
	LastCommentAt(ctx context.Context, ip string) (time.Time, error)
}
