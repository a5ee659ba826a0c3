// Package registry is the legal registry as a service: it keeps the marking
// engine in step with the stored registry and policy, checks who may change
// them, imports and exports CSV, switches an entity off for one article and
// re-renders the affected articles after every change.
package registry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"newsdesk/internal/editorial"
	"newsdesk/internal/i18n"
	"newsdesk/internal/legal"
	"newsdesk/internal/newsroom"
)

// Store is what the service needs from storage.
type Store interface {
	newsroom.LegalStore
	newsroom.ArticleReader
	newsroom.Settings
}

// Config holds the service's dependencies.
type Config struct {
	// OnJob, when set, hears each refresh (re-render of marked articles)
	// and its error; for metrics.
	OnJob  func(job string, err error)
	Store  Store
	Engine *legal.Engine
	// Render is the full save-time render (render.Renderer.Article, with
	// the engine's hook among its hooks).
	Render func(a *newsroom.Article) error
	// Editorial saves per-article switches as edits.
	Editorial *editorial.Service
	Now       newsroom.Clock
	// Language is the interface language of revision notes.
	Language string
	Logger   *slog.Logger
}

// Progress is the state of the background re-render, for the desk.
type Progress struct {
	Running    bool      `json:"running"`
	Reason     string    `json:"reason"`
	Total      int       `json:"total"`    // articles to look at
	Scanned    int       `json:"scanned"`  // looked at so far
	Affected   int       `json:"affected"` // naming a changed entity
	Updated    int       `json:"updated"`  // whose rendered text changed and was saved
	Skipped    int       `json:"skipped"`  // saved by someone meanwhile (already fresh)
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Err        string    `json:"error,omitempty"`
}

// Service is the legal registry. It is safe for concurrent use.
type Service struct {
	cfg    Config
	ctx    context.Context // ends jobs on Close
	cancel context.CancelFunc

	mu       sync.Mutex
	version  int64
	policy   newsroom.LegalPolicy
	progress Progress
	pending  *job
	idle     chan struct{} // closed while no job runs
}

type job struct {
	changed []newsroom.LegalEntity
	all     bool // re-render everything (the policy changed)
	reason  string
}

// New returns a Service. Call Load before the first render.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{cfg: cfg, idle: make(chan struct{})}
	close(s.idle)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Close stops a running re-render and waits for it.
func (s *Service) Close() {
	s.cancel()
	s.Wait()
}

// Wait blocks until no re-render is running or queued.
func (s *Service) Wait() {
	for {
		s.mu.Lock()
		idle := s.idle
		s.mu.Unlock()
		<-idle
		s.mu.Lock()
		done := s.pending == nil && !s.progress.Running
		s.mu.Unlock()
		if done {
			return
		}
	}
}

// Load reads the registry and policy from the store and gives the engine
// a fresh index.
func (s *Service) Load(ctx context.Context) error {
	v, err := s.cfg.Store.LegalRegistryVersion(ctx)
	if err != nil {
		return err
	}
	list, err := s.cfg.Store.LegalEntities(ctx)
	if err != nil {
		return err
	}
	p, err := s.readPolicy(ctx)
	if err != nil {
		return err
	}
	s.cfg.Engine.Load(legal.Compile(list, p))
	s.mu.Lock()
	s.version, s.policy = v, p
	s.mu.Unlock()
	return nil
}

func (s *Service) readPolicy(ctx context.Context) (newsroom.LegalPolicy, error) {
	var p newsroom.LegalPolicy
	m, err := s.cfg.Store.Setting(ctx, newsroom.SettingLegalMarking)
	if err != nil {
		return p, err
	}
	n, err := s.cfg.Store.Setting(ctx, newsroom.SettingLegalNotes)
	if err != nil {
		return p, err
	}
	p.Marking, p.Notes = newsroom.LegalMarking(m), newsroom.LegalNotePlacement(n)
	p.Normalize()
	if p.Validate() != nil {
		p = newsroom.LegalPolicy{}
		p.Normalize()
	}
	return p, nil
}

// Refresh reloads the index if another node changed the registry or the
// policy since the last Load, and reports whether it did.
func (s *Service) Refresh(ctx context.Context) (bool, error) {
	v, err := s.cfg.Store.LegalRegistryVersion(ctx)
	if err != nil {
		return false, err
	}
	p, err := s.readPolicy(ctx)
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	same := v == s.version && p == s.policy
	s.mu.Unlock()
	if same {
		return false, nil
	}
	return true, s.Load(ctx)
}

// Watch calls Refresh every interval until ctx ends, so that every node
// marks with the same registry.
func (s *Service) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, err := s.Refresh(ctx)
			if err != nil && ctx.Err() == nil {
				s.cfg.Logger.Warn("legal registry refresh failed", "err", err)
			}
			if s.cfg.OnJob != nil {
				s.cfg.OnJob("legal_rerender", err)
			}
		}
	}
}

// MayEdit says whether u may read and change the registry: admins and
// editors. It returns an Unauthorized or Forbidden error otherwise.
func MayEdit(u *newsroom.User) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanPublish() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors and admins work with the legal registry")
	}
	return nil
}

// Entities returns the registry, by name, to admins and editors.
func (s *Service) Entities(ctx context.Context, u *newsroom.User) ([]newsroom.LegalEntity, error) {
	if err := MayEdit(u); err != nil {
		return nil, err
	}
	return s.cfg.Store.LegalEntities(ctx)
}

// Entity returns one entity to admins and editors.
func (s *Service) Entity(ctx context.Context, u *newsroom.User, id int64) (*newsroom.LegalEntity, error) {
	if err := MayEdit(u); err != nil {
		return nil, err
	}
	return s.cfg.Store.LegalEntity(ctx, id)
}

// Create adds an entity, reloads the index and re-renders the articles
// that name it.
func (s *Service) Create(ctx context.Context, u *newsroom.User, e *newsroom.LegalEntity) error {
	if err := MayEdit(u); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateLegalEntity(ctx, e); err != nil {
		return err
	}
	s.record(ctx, u, newsroom.ActLegalCreated, e)
	return s.changed(ctx, []newsroom.LegalEntity{*e}, false, "added "+e.Name)
}

// Update replaces an entity, reloads the index and re-renders the
// articles that name it, before or after the change.
func (s *Service) Update(ctx context.Context, u *newsroom.User, e *newsroom.LegalEntity) error {
	if err := MayEdit(u); err != nil {
		return err
	}
	old, err := s.cfg.Store.LegalEntity(ctx, e.ID)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.UpdateLegalEntity(ctx, e); err != nil {
		return err
	}
	s.record(ctx, u, newsroom.ActLegalChanged, e)
	return s.changed(ctx, []newsroom.LegalEntity{*old, *e}, false, "changed "+e.Name)
}

// Delete removes an entity and re-renders the articles that named it.
func (s *Service) Delete(ctx context.Context, u *newsroom.User, id int64) error {
	if err := MayEdit(u); err != nil {
		return err
	}
	old, err := s.cfg.Store.DeleteLegalEntity(ctx, id)
	if err != nil {
		return err
	}
	s.record(ctx, u, newsroom.ActLegalDeleted, old)
	return s.changed(ctx, []newsroom.LegalEntity{*old}, false, "removed "+old.Name)
}

// record adds a change of the registry to the activity log.
func (s *Service) record(ctx context.Context, u *newsroom.User, act newsroom.Action, e *newsroom.LegalEntity) {
	if s.cfg.Editorial != nil {
		s.cfg.Editorial.Record(ctx, u, newsroom.Activity{Action: act, Kind: "legal", TargetID: e.ID, Subject: e.Name, Detail: e.Marker})
	}
}

// ImportResult says what an import did.
type ImportResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// ImportCSV reads a registry in the CSV format of legal.ParseCSV and
// stores it in one transaction (entities already in the registry by name
// are replaced). A malformed row stops the import, names its line, and
// nothing is stored.
func (s *Service) ImportCSV(ctx context.Context, u *newsroom.User, r io.Reader) (ImportResult, error) {
	if err := MayEdit(u); err != nil {
		return ImportResult{}, err
	}
	list, err := legal.ParseCSV(r)
	if err != nil {
		return ImportResult{}, err
	}
	if len(list) == 0 {
		return ImportResult{}, newsroom.Errorf(newsroom.Invalid, "line:2", "the file has a header but no entities")
	}
	ch, err := s.cfg.Store.ImportLegalEntities(ctx, list)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Created: len(ch.After) - len(ch.Before), Updated: len(ch.Before)}
	all := append(append([]newsroom.LegalEntity{}, ch.Before...), ch.After...)
	return res, s.changed(ctx, all, false, fmt.Sprintf("imported %d entities", len(ch.After)))
}

// ExportCSV writes the registry as CSV.
func (s *Service) ExportCSV(ctx context.Context, u *newsroom.User, w io.Writer) error {
	list, err := s.Entities(ctx, u)
	if err != nil {
		return err
	}
	return legal.WriteCSV(w, list)
}

// Policy returns the marking policy in force.
func (s *Service) Policy() newsroom.LegalPolicy {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.policy
}

// SetPolicy changes the marking policy (admins only) and re-renders every
// article that names a registry entity.
func (s *Service) SetPolicy(ctx context.Context, u *newsroom.User, p newsroom.LegalPolicy) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if u.Role != newsroom.RoleAdmin {
		return newsroom.Errorf(newsroom.Forbidden, "", "only admins change the marking policy")
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	if err := s.cfg.Store.SetSetting(ctx, newsroom.SettingLegalMarking, string(p.Marking)); err != nil {
		return err
	}
	if err := s.cfg.Store.SetSetting(ctx, newsroom.SettingLegalNotes, string(p.Notes)); err != nil {
		return err
	}
	return s.changed(ctx, nil, true, "policy changed")
}

// Render renders a as a save would (Markdown, then every hook, the
// engine's included), for previews.
func (s *Service) Render(a *newsroom.Article) error { return s.cfg.Render(a) }

// Inspect returns what the engine finds in a: for the editor's panel.
func (s *Service) Inspect(a *newsroom.Article) []legal.Finding {
	return s.cfg.Engine.Inspect(a)
}

// SwitchOff switches entity off for one article with a reason, as an edit
// of revision rev by u (editors and admins). The reason goes into the
// revision history.
func (s *Service) SwitchOff(ctx context.Context, u *newsroom.User, articleID int64, rev int, entityID int64, reason string) (*newsroom.Article, error) {
	if err := MayEdit(u); err != nil {
		return nil, err
	}
	x := newsroom.LegalExclusion{EntityID: entityID, Reason: reason, By: u.ID, At: s.cfg.Now()}
	if err := x.Validate(); err != nil {
		return nil, err
	}
	e, err := s.cfg.Store.LegalEntity(ctx, entityID)
	if newsroom.IsNotFound(err) {
		return nil, newsroom.Errorf(newsroom.Invalid, "entity_id", "no such entity in the registry")
	}
	if err != nil {
		return nil, err
	}
	x.Entity = e.Name
	return s.cfg.Editorial.Update(ctx, u, articleID, rev, func(a *newsroom.Article) error {
		a.LegalExclusions = slices.DeleteFunc(slices.Clone(a.LegalExclusions), func(o newsroom.LegalExclusion) bool {
			return o.EntityID == entityID
		})
		a.LegalExclusions = append(a.LegalExclusions, x)
		a.RevisionNote = i18n.T(s.cfg.Language, "legal.revision_off", e.Name, x.Reason)
		a.RevisionReason = newsroom.ReasonLegal
		return nil
	})
}

// SwitchOn undoes SwitchOff, as an edit of revision rev.
func (s *Service) SwitchOn(ctx context.Context, u *newsroom.User, articleID int64, rev int, entityID int64) (*newsroom.Article, error) {
	if err := MayEdit(u); err != nil {
		return nil, err
	}
	return s.cfg.Editorial.Update(ctx, u, articleID, rev, func(a *newsroom.Article) error {
		var name string
		a.LegalExclusions = slices.DeleteFunc(slices.Clone(a.LegalExclusions), func(o newsroom.LegalExclusion) bool {
			if o.EntityID == entityID {
				name = o.Entity
				return true
			}
			return false
		})
		if name == "" {
			return newsroom.Errorf(newsroom.Invalid, "entity_id", "that entity is not switched off in this article")
		}
		a.RevisionNote = i18n.T(s.cfg.Language, "legal.revision_on", name)
		a.RevisionReason = newsroom.ReasonLegal
		return nil
	})
}

// Progress returns the state of the current or last re-render.
func (s *Service) Progress() Progress {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.progress
}

// changed reloads the index and queues a re-render of the articles that
// name any of entities (every article when all is set).
func (s *Service) changed(ctx context.Context, entities []newsroom.LegalEntity, all bool, reason string) error {
	if err := s.Load(ctx); err != nil {
		return fmt.Errorf("reload legal registry: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = &job{}
	}
	s.pending.changed = append(s.pending.changed, entities...)
	s.pending.all = s.pending.all || all
	if s.pending.reason == "" {
		s.pending.reason = reason
	} else {
		s.pending.reason += "; " + reason
	}
	if !s.progress.Running {
		s.progress = Progress{Running: true, Reason: s.pending.reason, StartedAt: s.cfg.Now()}
		s.idle = make(chan struct{})
		go s.work()
	}
	return nil
}

// work runs queued jobs until none is left.
func (s *Service) work() {
	for {
		s.mu.Lock()
		j := s.pending
		s.pending = nil
		if j == nil || s.ctx.Err() != nil {
			s.progress.Running = false
			s.progress.FinishedAt = s.cfg.Now()
			close(s.idle)
			s.mu.Unlock()
			return
		}
		s.progress.Reason = j.reason
		s.mu.Unlock()
		if err := s.run(s.ctx, j); err != nil && s.ctx.Err() == nil {
			s.cfg.Logger.Error("legal re-render failed", "reason", j.reason, "err", err)
			s.mu.Lock()
			s.progress.Err = err.Error()
			s.mu.Unlock()
		}
	}
}

// pageSize is how many article ids a job reads at a time.
const pageSize = 100

func (s *Service) run(ctx context.Context, j *job) error {
	filter := legal.Compile(j.changed, newsroom.LegalPolicy{})
	names := map[string]bool{}
	for _, e := range j.changed {
		names[e.Name] = true
	}
	_, total, err := s.cfg.Store.FindArticles(ctx, newsroom.ArticleFilter{Limit: 1})
	if err != nil {
		return err
	}
	s.update(func(p *Progress) { p.Total = total; p.Scanned, p.Affected, p.Updated, p.Skipped = 0, 0, 0, 0 })
	after := int64(0)
	for {
		ids, err := s.cfg.Store.ArticleIDsAfter(ctx, after, pageSize)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		after = ids[len(ids)-1]
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return err
			}
			res, err := s.rerender(ctx, id, j.all, filter, names)
			if err != nil {
				return fmt.Errorf("article %d: %w", id, err)
			}
			s.update(func(p *Progress) {
				p.Scanned++
				switch res {
				case updated:
					p.Affected++
					p.Updated++
				case unchanged:
					p.Affected++
				case skipped:
					p.Affected++
					p.Skipped++
				}
			})
		}
	}
}

func (s *Service) update(fn func(p *Progress)) {
	s.mu.Lock()
	fn(&s.progress)
	s.mu.Unlock()
}

type result int

const (
	unaffected result = iota
	unchanged
	updated
	skipped
)

// rerender renders article id afresh if it names a changed entity (or
// always, with all), and writes its rendered fields if they changed, and
// only those (Store.UpdateRendered): a registry change is not an editorial
// edit, so it neither bumps the revision (an editor with the article open
// gets no false conflict) nor moves "updated" on the page. The store
// reports the articles' change keys, so their cached pages refresh.
func (s *Service) rerender(ctx context.Context, id int64, all bool, filter *legal.Index, names map[string]bool) (result, error) {
	a, err := s.cfg.Store.ArticleByID(ctx, id)
	if newsroom.IsNotFound(err) {
		return unaffected, nil // removed meanwhile
	}
	if err != nil {
		return 0, err
	}
	affected := all || filter.Mentions(a)
	for _, m := range a.LegalMarks {
		affected = affected || names[m.Entity]
	}
	if !affected {
		return unaffected, nil
	}
	c := *a
	if a.LeadImage != nil {
		img := *a.LeadImage
		c.LeadImage = &img
	}
	if err := s.cfg.Render(&c); err != nil {
		return 0, err
	}
	if c.HeadlineHTML == a.HeadlineHTML && c.StandfirstHTML == a.StandfirstHTML && c.BodyHTML == a.BodyHTML &&
		caption(c.LeadImage) == caption(a.LeadImage) && slices.Equal(c.LegalMarks, a.LegalMarks) {
		return unchanged, nil
	}
	err = s.cfg.Store.UpdateRendered(ctx, &c)
	switch newsroom.ErrorCode(err) {
	case newsroom.Conflict, newsroom.NotFound:
		return skipped, nil // saved (and so rendered) or removed meanwhile
	}
	if err != nil {
		return 0, err
	}
	return updated, nil
}

func caption(img *newsroom.Image) string {
	if img == nil {
		return ""
	}
	return img.CaptionHTML
}
