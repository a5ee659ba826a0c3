// Package editorial is the one way staff change articles, whichever surface
// they use (the desk, the JSON API, an import): it applies the workflow
// rules and permissions of the newsroom domain, renders Markdown on save and
// hands the result to the store.
package editorial

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// Store is what the service needs from storage.
type Store interface {
	newsroom.ArticleReader
	newsroom.ArticleWriter
	newsroom.Settings
	AuthorByID(ctx context.Context, id int64) (*newsroom.Author, error)
	CategoryBySlug(ctx context.Context, slug string) (*newsroom.Category, error)
	EnsureTag(ctx context.Context, slug, name string) (*newsroom.Tag, error)
}

// Config is what New needs. Store, Render and Now are required.
type Config struct {
	Store  Store
	Render *render.Renderer
	Now    newsroom.Clock
	// AfterSave, if set, is called after every successful Create and
	// Update (the desk's scheduler re-arms its timer from it).
	AfterSave func(ctx context.Context, a *newsroom.Article)
	// OnUpdate is called after every successful Update with the article
	// before and after the save, for features that follow an article's
	// text (error reports resolve themselves when an edit removes their
	// text). Hooks run synchronously, after the save is committed, and log
	// their own errors.
	OnUpdate []func(ctx context.Context, prev, next *newsroom.Article)
	// Activity, if set, keeps the activity log: every save that publishes,
	// schedules, takes down, trashes or restores a story is recorded, and
	// Record adds what other services do.
	Activity newsroom.ActivityLog
	// Trash, if set, is where the trash purge deletes old stories
	// (PurgeTrash); a store usually is one.
	Trash newsroom.TrashPurger
	// Logger receives the errors of recording activity (nil: slog.Default).
	Logger *slog.Logger
	// Hosts are the site's own host names and LinkResolves says whether
	// a site path leads a reader to a page (main asks the site itself);
	// the pre-publish check uses them for links in a body. A nil
	// LinkResolves leaves links unchecked.
	Hosts        []string
	LinkResolves func(ctx context.Context, path string) bool
	// Checks are further pre-publish checks (translations, for one),
	// run after the built-in ones on the rendered story.
	Checks []func(ctx context.Context, a *newsroom.Article) []newsroom.Finding
}

// Service saves articles. It is safe for concurrent use. Its hooks are
// fixed by New, so every save, from any surface, runs the same ones.
type Service struct {
	store     Store
	render    *render.Renderer
	now       newsroom.Clock
	afterSave func(ctx context.Context, a *newsroom.Article)
	onUpdate  []func(ctx context.Context, prev, next *newsroom.Article)
	activity  newsroom.ActivityLog
	trash     newsroom.TrashPurger
	logger    *slog.Logger
	hosts     []string
	resolves  func(ctx context.Context, path string) bool
	checks    []func(ctx context.Context, a *newsroom.Article) []newsroom.Finding
}

// New returns the service for cfg.
func New(cfg Config) *Service {
	if cfg.Store == nil || cfg.Render == nil || cfg.Now == nil {
		panic("editorial: Config.Store, Render and Now are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{store: cfg.Store, render: cfg.Render, now: cfg.Now, afterSave: cfg.AfterSave,
		onUpdate: slices.Clone(cfg.OnUpdate), activity: cfg.Activity, trash: cfg.Trash, logger: cfg.Logger,
		hosts: slices.Clone(cfg.Hosts), resolves: cfg.LinkResolves, checks: slices.Clone(cfg.Checks)}
}

func (s *Service) saved(ctx context.Context, a *newsroom.Article) {
	if s.afterSave != nil {
		s.afterSave(ctx, a)
	}
}

// SettingCorrespondentsMayPublish is the settings key that lets
// correspondents publish their own articles ("true").
const SettingCorrespondentsMayPublish = newsroom.SettingCorrespondentsMayPublish

func (s *Service) mayPublish(ctx context.Context) bool {
	v, err := s.store.Setting(ctx, SettingCorrespondentsMayPublish)
	return err == nil && v == "true"
}

// Create checks, renders and stores a new article written by u. On success
// a carries its ID and revision.
func (s *Service) Create(ctx context.Context, u *newsroom.User, a *newsroom.Article) error {
	// Defaults first (an empty status is a draft), so that the permission
	// check sees what will be saved.
	a.Normalize()
	if err := newsroom.CheckEdit(u, nil, a, s.mayPublish(ctx)); err != nil {
		return err
	}
	if err := s.resolve(ctx, a); err != nil {
		return err
	}
	if u != nil {
		a.SavedBy = u.ID
		if a.CreatedBy == 0 {
			a.CreatedBy = u.ID
		}
	}
	if err := a.Prepare(nil, s.now()); err != nil {
		return err
	}
	if err := newsroom.CheckGoingLive(a); err != nil {
		return err
	}
	if a.RevisionReason == "" {
		a.RevisionReason = newsroom.RevisionReasonFor(nil, a)
	}
	if err := s.render.Article(a); err != nil {
		return err
	}
	if err := s.createTags(ctx, a); err != nil {
		return err
	}
	if err := s.store.CreateArticle(ctx, a); err != nil {
		return err
	}
	s.recordStatus(ctx, u, nil, a)
	s.saved(ctx, a)
	return nil
}

// Update loads article id, lets change modify a copy, then checks, renders
// and stores it if the stored revision is still expectedRevision. A stale
// revision is a Conflict error and nothing is saved.
func (s *Service) Update(ctx context.Context, u *newsroom.User, id int64, expectedRevision int, change func(a *newsroom.Article) error) (*newsroom.Article, error) {
	prev, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if prev.Revision != expectedRevision {
		return nil, staleError(prev, expectedRevision)
	}
	next := *prev
	next.Authors = append([]newsroom.Byline(nil), prev.Authors...)
	next.Categories = append([]newsroom.Category(nil), prev.Categories...)
	next.Tags = append([]newsroom.Tag(nil), prev.Tags...)
	next.Sources = append([]newsroom.Source(nil), prev.Sources...)
	if prev.LeadImage != nil {
		img := *prev.LeadImage
		next.LeadImage = &img
	}
	if err := change(&next); err != nil {
		return nil, err
	}
	if err := newsroom.CheckEdit(u, prev, &next, s.mayPublish(ctx)); err != nil {
		return nil, err
	}
	if err := s.resolve(ctx, &next); err != nil {
		return nil, err
	}
	if u != nil {
		next.SavedBy = u.ID
	}
	if err := next.Prepare(prev, s.now()); err != nil {
		return nil, err
	}
	if err := newsroom.CheckGoingLive(&next); err != nil {
		return nil, err
	}
	if next.RevisionReason == "" {
		next.RevisionReason = newsroom.RevisionReasonFor(prev, &next)
	}
	if err := s.render.Article(&next); err != nil {
		return nil, err
	}
	if err := s.createTags(ctx, &next); err != nil {
		return nil, err
	}
	if err := s.store.UpdateArticle(ctx, &next, expectedRevision); err != nil {
		return nil, err
	}
	for _, h := range s.onUpdate {
		h(ctx, prev, &next)
	}
	s.recordStatus(ctx, u, prev, &next)
	s.saved(ctx, &next)
	return &next, nil
}

// resolve fills in what a save names only by what a person types, after
// the role check, so a refused save looks nothing up and creates nothing:
// a byline with only an author id gets the author's name, slug and (when
// it has none) label; a section with only a slug is looked up; a tag with
// only a name gets its slug and is checked. New tags are made by
// createTags once every other check has passed.
func (s *Service) resolve(ctx context.Context, a *newsroom.Article) error {
	for i := range a.Authors {
		b := &a.Authors[i]
		if b.AuthorID == 0 || b.Name != "" {
			continue
		}
		au, err := s.store.AuthorByID(ctx, b.AuthorID)
		if newsroom.IsNotFound(err) {
			return newsroom.Errorf(newsroom.Invalid, "authors", "no author with id %d", b.AuthorID)
		} else if err != nil {
			return err
		}
		b.Name, b.Slug = au.Name, au.Slug
		if b.Label == "" {
			b.Label = au.Label
		}
	}
	for i := range a.Categories {
		c := &a.Categories[i]
		if c.ID != 0 || c.Slug == "" {
			continue
		}
		got, err := s.store.CategoryBySlug(ctx, c.Slug)
		if newsroom.IsNotFound(err) {
			return newsroom.Errorf(newsroom.Invalid, "categories", "no section %q", c.Slug)
		} else if err != nil {
			return err
		}
		*c = *got
	}
	for i := range a.Tags {
		t := &a.Tags[i]
		if t.ID != 0 || t.Name == "" {
			continue
		}
		if t.Slug == "" {
			t.Slug = newsroom.Slugify(t.Name)
		}
		t.Normalize()
		if err := t.Validate(); err != nil {
			return fmt.Errorf("tag %q: %w", t.Name, err)
		}
	}
	return nil
}

// createTags finds or creates each tag resolve left without an id.
func (s *Service) createTags(ctx context.Context, a *newsroom.Article) error {
	for i := range a.Tags {
		t := &a.Tags[i]
		if t.ID != 0 || t.Name == "" {
			continue
		}
		got, err := s.store.EnsureTag(ctx, t.Slug, t.Name)
		if err != nil {
			return err
		}
		*t = *got
	}
	return nil
}

func staleError(cur *newsroom.Article, expected int) error {
	return newsroom.Errorf(newsroom.Conflict, "revision",
		"someone else saved this article (revision %d) after the revision you edited (%d); reload to see their change", cur.Revision, expected)
}

// AddCorrection appends a dated correction to a published article.
// Correspondents may not; editors and admins may.
func (s *Service) AddCorrection(ctx context.Context, u *newsroom.User, c *newsroom.Correction) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanPublish() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors add corrections")
	}
	if err := c.Validate(); err != nil {
		return err
	}
	a, err := s.store.ArticleByID(ctx, c.ArticleID)
	if err != nil {
		return err
	}
	if err := a.Correct(c, s.now()); err != nil {
		return err
	}
	if err := s.store.AddCorrection(ctx, c); err != nil {
		return fmt.Errorf("add correction: %w", err)
	}
	return nil
}

// Preview renders a exactly as saving it would (Markdown, typographic
// quotes, every render hook such as legal markers), without storing it, so
// the desk can show the page readers will see. Anyone who may write may
// preview.
func (s *Service) Preview(ctx context.Context, u *newsroom.User, a *newsroom.Article) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanWrite() {
		return newsroom.Errorf(newsroom.Forbidden, "", "your role may not write articles")
	}
	a.Normalize()
	a.PublishedAt = newsroom.FirstPublication(a.PublishedAt, s.now())
	return s.render.Article(a)
}

// CorrespondentsMayPublish reports whether the setting lets correspondents
// publish and schedule their own articles.
func (s *Service) CorrespondentsMayPublish(ctx context.Context) bool { return s.mayPublish(ctx) }
