// Package comments is the one way comments enter and move through
// newsdesk, whichever surface is used (the public form, the JSON API, the
// desk): it applies the newsroom's comment rules and moderation settings,
// renders comment text to safe HTML, throttles floods, empties the trash
// and mails digests of new comments to editors and authors.
package comments

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"newsdesk/internal/mail"
	"newsdesk/internal/newsroom"
)

// Store is what the service needs from storage.
type Store interface {
	newsroom.CommentStore
	newsroom.Settings
	ArticleByID(ctx context.Context, id int64) (*newsroom.Article, error)
	AuthorByID(ctx context.Context, id int64) (*newsroom.Author, error)
	UserByID(ctx context.Context, id int64) (*newsroom.User, error)
	ListUsers(ctx context.Context) ([]newsroom.User, error)
}

// Config is what New needs; Store is required.
type Config struct {
	Store  Store
	Now    newsroom.Clock // nil = time.Now
	Logger *slog.Logger   // nil = slog.Default()
	// Mail sends digests; nil disables them.
	Mail mail.Sender
	// SiteName and BaseURL (absolute, no trailing slash) appear in digests.
	SiteName string
	BaseURL  string
}

// Service receives and moderates comments, and is the one way the
// surfaces read them: it checks who may see what. It is safe for
// concurrent use.
type Service struct {
	store    Store
	clock    newsroom.Clock
	logger   *slog.Logger
	mail     mail.Sender
	siteName string
	baseURL  string
	// OnJob, when set before Run, hears each run of a background job
	// (trash purge, digest) and its error; for metrics.
	OnJob func(job string, err error)
	// OnPost, when set before the service is shared, hears the outcome of
	// every Post (nil: stored); for metrics.
	OnPost func(err error)
}

// New returns the service for cfg.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{store: cfg.Store, clock: cfg.Now, logger: cfg.Logger, mail: cfg.Mail,
		siteName: cfg.SiteName, baseURL: cfg.BaseURL}
}

func (s *Service) jobDone(job string, err error) {
	if s.OnJob != nil {
		s.OnJob(job, err)
	}
}

func (s *Service) now() time.Time { return s.clock() }

func (s *Service) log() *slog.Logger { return s.logger }

// Settings returns the stored comment settings, defaults filled in.
func (s *Service) Settings(ctx context.Context) (newsroom.CommentSettings, error) {
	cs := newsroom.DefaultCommentSettings()
	v, err := s.store.Setting(ctx, newsroom.SettingComments)
	if err != nil {
		return cs, err
	}
	if v != "" {
		if err := json.Unmarshal([]byte(v), &cs); err != nil {
			return newsroom.DefaultCommentSettings(), fmt.Errorf("comment settings: %w", err)
		}
	}
	cs.Normalize()
	return cs, nil
}

// SaveSettings checks and stores the comment settings. Only admins and
// editors may change them.
func (s *Service) SaveSettings(ctx context.Context, u *newsroom.User, cs newsroom.CommentSettings) error {
	if u == nil || !u.Role.CanPublish() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors may change comment settings")
	}
	if err := cs.Validate(); err != nil {
		return err
	}
	cs.Normalize()
	b, err := json.Marshal(cs)
	if err != nil {
		return err
	}
	return s.store.SetSetting(ctx, newsroom.SettingComments, string(b))
}

// Meta is what the server knows about who sent a comment.
type Meta struct {
	IP        string
	UserAgent string
}

// Post receives a reader's comment on an article. It returns the stored
// comment and a secret the reader's browser keeps to see the comment while
// it awaits moderation. Errors: NotFound for an article that is not public;
// Forbidden when its comments are closed; Invalid naming the field for bad
// input or a reply that may not be made; RateLimited for a flood (logged).
// Nothing is stored on error.
func (s *Service) Post(ctx context.Context, articleID int64, in newsroom.CommentInput, meta Meta) (_ *newsroom.Comment, _ string, err error) {
	if s.OnPost != nil {
		defer func() { s.OnPost(err) }()
	}
	now := s.now()
	cs, err := s.Settings(ctx)
	if err != nil {
		return nil, "", err
	}
	a, err := s.store.ArticleByID(ctx, articleID)
	if err != nil {
		return nil, "", err
	}
	if !a.IsPublic(now) {
		return nil, "", newsroom.Errorf(newsroom.NotFound, "", "article not found")
	}
	if err := newsroom.CheckOpen(a, cs, now); err != nil {
		return nil, "", err
	}
	in.Normalize()
	if err := in.Validate(cs); err != nil {
		return nil, "", err
	}
	depth := 0
	if in.ParentID != 0 {
		parent, err := s.store.CommentByID(ctx, in.ParentID)
		if err != nil && !newsroom.IsNotFound(err) {
			return nil, "", err
		}
		if depth, err = newsroom.CheckReply(parent, a.ID, cs); err != nil {
			return nil, "", err
		}
	}
	if cs.FloodSeconds > 0 && meta.IP != "" {
		last, err := s.store.LastCommentAt(ctx, meta.IP)
		if err != nil {
			return nil, "", err
		}
		if wait := time.Duration(cs.FloodSeconds)*time.Second - now.Sub(last); !last.IsZero() && wait > 0 {
			s.log().Warn("comments: flood refused", "ip", meta.IP, "article", a.ID, "last", last, "wait", wait.Round(time.Second))
			return nil, "", newsroom.RateLimitedf(wait, "you are posting too fast; wait %d seconds and try again", int(wait.Seconds()+0.999))
		}
	}
	key := newKey()
	c := &newsroom.Comment{
		ArticleID: a.ID, ParentID: in.ParentID, Depth: depth,
		Name: in.Name, Email: strings.ToLower(in.Email), Website: in.Website,
		Body: in.Body, BodyHTML: Render(in.Body),
		IP: meta.IP, UserAgent: truncate(meta.UserAgent, 300), AuthorKey: HashKey(key),
	}
	known, err := s.store.HasApprovedComment(ctx, c.Email)
	if err != nil {
		return nil, "", err
	}
	var reason string
	c.Status, reason = newsroom.Classify(c, cs, known)
	if err := s.store.CreateComment(ctx, c); err != nil {
		return nil, "", err
	}
	s.log().Info("comments: received", "id", c.ID, "article", a.ID, "status", c.Status, "reason", reason, "ip", meta.IP)
	return c, key, nil
}

// Action is a moderator's verb.
type Action string

const (
	Approve   Action = "approve"
	Unapprove Action = "unapprove"
	MarkSpam  Action = "spam"
	Trash     Action = "trash"
	Restore   Action = "restore" // from spam or trash back to pending
)

// ActionStatus returns the status an action moves comments to.
func ActionStatus(a Action) (newsroom.CommentStatus, bool) {
	switch a {
	case Approve:
		return newsroom.CommentApproved, true
	case Unapprove, Restore:
		return newsroom.CommentPending, true
	case MarkSpam:
		return newsroom.CommentSpam, true
	case Trash:
		return newsroom.CommentTrash, true
	}
	return "", false
}

// MayModerate returns nil if u may read and moderate comments (editors,
// admins, moderators); every method below that reads or changes comments
// for staff checks it. A surface may call it to refuse before reading a
// request body.
func MayModerate(u *newsroom.User) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in to moderate comments")
	}
	if !u.Role.CanModerate() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors and moderators may read and moderate comments")
	}
	return nil
}

// SetStatus moves the comments to status on behalf of u (an editor or a
// moderator) and returns how many changed.
func (s *Service) SetStatus(ctx context.Context, u *newsroom.User, ids []int64, status newsroom.CommentStatus) (int, error) {
	if err := MayModerate(u); err != nil {
		return 0, err
	}
	if err := status.Check(); err != nil {
		return 0, err
	}
	n, err := s.store.SetCommentStatus(ctx, ids, status)
	if err == nil && n > 0 {
		s.log().Info("comments: moderated", "by", u.ID, "ids", ids, "status", status, "changed", n)
	}
	return n, err
}

// Moderate applies a moderator's action to the comments.
func (s *Service) Moderate(ctx context.Context, u *newsroom.User, ids []int64, a Action) (int, error) {
	st, ok := ActionStatus(a)
	if !ok {
		return 0, newsroom.Errorf(newsroom.Invalid, "action", "unknown action %q", a)
	}
	return s.SetStatus(ctx, u, ids, st)
}

// Edit changes a comment's name, e-mail, website and text on behalf of a
// moderator; the same rules as for readers apply, except the length limit
// is not lowered below what is stored.
func (s *Service) Edit(ctx context.Context, u *newsroom.User, id int64, in newsroom.CommentInput) (*newsroom.Comment, error) {
	if err := MayModerate(u); err != nil {
		return nil, err
	}
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	cs, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	in.Normalize()
	if c.Staff {
		cs.RequireEmail = false
	}
	if err := in.Validate(cs); err != nil {
		return nil, err
	}
	c.Name, c.Email, c.Website, c.Body = in.Name, strings.ToLower(in.Email), in.Website, in.Body
	c.BodyHTML = Render(c.Body)
	if err := s.store.UpdateComment(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Reply stores a staff reply to a comment, marked as the newsroom's and
// approved at once. Replying to a comment awaiting moderation approves it.
// Closed comments do not stop staff; the depth limit does.
func (s *Service) Reply(ctx context.Context, u *newsroom.User, parentID int64, body string) (*newsroom.Comment, error) {
	if err := MayModerate(u); err != nil {
		return nil, err
	}
	parent, err := s.store.CommentByID(ctx, parentID)
	if err != nil {
		return nil, err
	}
	cs, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	in := newsroom.CommentInput{Name: u.Name, Email: u.Email, Body: body, ParentID: parentID}
	in.Normalize()
	cs.RequireEmail = false
	if err := in.Validate(cs); err != nil {
		return nil, err
	}
	if parent.Status == newsroom.CommentPending {
		if _, err := s.store.SetCommentStatus(ctx, []int64{parent.ID}, newsroom.CommentApproved); err != nil {
			return nil, err
		}
		parent.Status = newsroom.CommentApproved
	}
	depth, err := newsroom.CheckReply(parent, parent.ArticleID, cs)
	if err != nil {
		return nil, err
	}
	c := &newsroom.Comment{
		ArticleID: parent.ArticleID, ParentID: parent.ID, Depth: depth, Status: newsroom.CommentApproved,
		Name: u.Name, Email: strings.ToLower(u.Email), Body: in.Body, BodyHTML: Render(in.Body),
		UserID: u.ID, Staff: true,
	}
	if err := s.store.CreateComment(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// PurgeTrash deletes comments that have been in the trash for TrashDays.
func (s *Service) PurgeTrash(ctx context.Context) (int, error) {
	n, err := s.store.PurgeComments(ctx, s.now().AddDate(0, 0, -newsroom.TrashDays))
	if err == nil && n > 0 {
		s.log().Info("comments: emptied trash", "purged", n)
	}
	return n, err
}

// Run empties the trash and sends digests every interval until ctx ends.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		_, err := s.PurgeTrash(ctx)
		if err != nil && ctx.Err() == nil {
			s.log().Error("comments: empty trash", "err", err)
		}
		s.jobDone("comment_purge", err)
		_, err = s.SendDigest(ctx)
		if err != nil && ctx.Err() == nil {
			s.log().Error("comments: send digest", "err", err)
		}
		s.jobDone("comment_digest", err)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// newKey returns a random secret for a comment's author.
func newKey() string {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

// HashKey is how an author's secret is stored.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// OwnedBy reports whether key is the secret of the comment's author.
func OwnedBy(c *newsroom.Comment, key string) bool {
	return c.AuthorKey != "" && key != "" &&
		subtle.ConstantTimeCompare([]byte(c.AuthorKey), []byte(HashKey(key))) == 1
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
