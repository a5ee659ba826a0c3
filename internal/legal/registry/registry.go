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
	newsroom.RerenderJobs
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
	// Pause, when above zero, is waited before each article a re-render
	// job looks at. Only tests set it (cmd/newsdesk reads
	// NEWSDESK_TEST_RERENDER_PAUSE), to make a job slow enough to stop its
	// node midway.
	Pause time.Duration
}

// Progress is the state of the background re-render, for the desk.
type Progress struct {
	Job        int64     `json:"job,omitempty"` // the job's number
	Running    bool      `json:"running"`       // queued or under way (on whichever node holds the lease)
	Reason     string    `json:"reason"`
	Total      int       `json:"total"`        // articles to look at
	Scanned    int       `json:"scanned"`      // looked at so far
	Affected   int       `json:"affected"`     // naming a changed entity
	Updated    int       `json:"updated"`      // whose rendered text changed and was saved
	Skipped    int       `json:"skipped"`      // saved by someone meanwhile (already fresh)
	LastID     int64     `json:"last_article"` // the last article done
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Err        string    `json:"error,omitempty"`
}

// Service is the legal registry. It is safe for concurrent use.
type Service struct {
	cfg    Config
	ctx    context.Context // ends Run on Close
	cancel context.CancelFunc
	wake   chan struct{} // a job was queued on this node
	runs   sync.WaitGroup

	mu      sync.Mutex
	version int64
	policy  newsroom.LegalPolicy
	last    Progress // the last progress read, for when the store fails
}

// New returns a Service. Call Load before the first render, and Run (on
// one node of a cluster at a time) to carry out the re-render jobs.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{cfg: cfg, wake: make(chan struct{}, 1)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Close stops Run (a job under way stays in the database, to be resumed)
// and waits for it.
func (s *Service) Close() {
	s.cancel()
	s.runs.Wait()
}

// Wait blocks until no re-render job is queued or under way (on whichever
// node runs them), or the service is closed.
func (s *Service) Wait() {
	for s.ctx.Err() == nil {
		ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
		_, unfinished, err := s.cfg.Store.RerenderState(ctx)
		cancel()
		if err == nil && !unfinished {
			return
		}
		select {
		case <-s.ctx.Done():
		case <-time.After(10 * time.Millisecond):
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

// Progress returns the state of the current or last re-render job.
func (s *Service) Progress() Progress {
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	j, unfinished, err := s.cfg.Store.RerenderState(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		return s.last
	}
	if j == nil {
		s.last = Progress{}
		return s.last
	}
	s.last = Progress{Job: j.ID, Running: unfinished, Reason: j.Reason, Total: j.Total, Scanned: j.Scanned,
		Affected: j.Affected, Updated: j.Updated, Skipped: j.Skipped, LastID: j.LastID,
		StartedAt: j.StartedAt, FinishedAt: j.FinishedAt, Err: j.Error}
	if j.StartedAt.IsZero() {
		s.last.StartedAt = j.CreatedAt
	}
	return s.last
}

// changed reloads the index and queues a durable re-render job for the
// articles that name any of entities (every article when all is set).
func (s *Service) changed(ctx context.Context, entities []newsroom.LegalEntity, all bool, reason string) error {
	if err := s.Load(ctx); err != nil {
		return fmt.Errorf("reload legal registry: %w", err)
	}
	j := &newsroom.RerenderJob{Reason: reason, Entities: entities, All: all}
	if err := s.cfg.Store.EnqueueRerender(ctx, j); err != nil {
		return fmt.Errorf("queue the re-render: %w", err)
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return nil
}

// jobPoll is how often Run looks for jobs queued on other nodes.
const jobPoll = 2 * time.Second

// jobTries is how many times a job that fails is tried before it is
// marked failed.
const jobTries = 3

// Run carries out the re-render jobs, oldest first, until ctx ends or the
// service is closed. Run it on one node of a cluster at a time (it holds
// the job lease): a job it leaves midway (the node stops or dies) stays
// running in the database with its progress, and the next Run, here or
// on another node, resumes it after its last article.
func (s *Service) Run(ctx context.Context) {
	s.runs.Add(1)
	defer s.runs.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()
	failures := 0
	for ctx.Err() == nil {
		j, err := s.cfg.Store.ClaimRerender(ctx, s.cfg.Now())
		if err == nil && j != nil {
			err = s.runJob(ctx, j)
			if err == nil || ctx.Err() != nil {
				failures = 0
				continue
			}
			failures++
			s.cfg.Logger.Error("legal re-render failed", "job", j.ID, "reason", j.Reason, "try", failures, "err", err)
			j.Error = err.Error()
			if failures >= jobTries {
				failures = 0
				j.Status, j.FinishedAt = newsroom.RerenderFailed, s.cfg.Now()
			}
			if serr := s.cfg.Store.SaveRerender(ctx, j); serr != nil && ctx.Err() == nil {
				s.cfg.Logger.Warn("legal re-render: cannot save the job", "job", j.ID, "err", serr)
			}
			if s.cfg.OnJob != nil {
				s.cfg.OnJob("legal_rerender", err)
			}
		} else if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("legal re-render: cannot read the jobs", "err", err)
		} else if j == nil {
			select {
			case <-ctx.Done():
			case <-s.wake:
			case <-time.After(jobPoll):
			}
			continue
		}
		select { // after a failure, try again a little later
		case <-ctx.Done():
		case <-time.After(jobPoll):
		}
	}
}

// pageSize is how many article ids a job reads at a time.
const pageSize = 100

// runJob walks the articles after j.LastID, re-rendering those the change
// concerns. The progress is saved after every article whose rendered text
// was looked at, and after every page of articles, so a resumed job
// re-renders nothing twice (but the one it was writing when its node died).
func (s *Service) runJob(ctx context.Context, j *newsroom.RerenderJob) error {
	// Render with the registry as it stands now, whichever node queued
	// the job.
	if err := s.Load(ctx); err != nil {
		return fmt.Errorf("reload legal registry: %w", err)
	}
	filter := legal.Compile(j.Entities, newsroom.LegalPolicy{})
	names := map[string]bool{}
	for _, e := range j.Entities {
		names[e.Name] = true
	}
	if j.LastID > 0 {
		s.cfg.Logger.Info("legal re-render: resuming the job", "job", j.ID, "reason", j.Reason, "after_article", j.LastID,
			"scanned", j.Scanned, "updated", j.Updated)
	} else {
		_, total, err := s.cfg.Store.FindArticles(ctx, newsroom.ArticleFilter{Limit: 1})
		if err != nil {
			return err
		}
		j.Total = total
		s.cfg.Logger.Info("legal re-render: starting the job", "job", j.ID, "reason", j.Reason, "articles", total)
	}
	j.Error = ""
	for {
		ids, err := s.cfg.Store.ArticleIDsAfter(ctx, j.LastID, pageSize)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		for _, id := range ids {
			if s.cfg.Pause > 0 {
				select {
				case <-ctx.Done():
				case <-time.After(s.cfg.Pause):
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			res, err := s.rerender(ctx, id, j.All, filter, names)
			if err != nil {
				return fmt.Errorf("article %d: %w", id, err)
			}
			j.LastID = id
			j.Scanned++
			switch res {
			case updated:
				j.Affected++
				j.Updated++
			case unchanged:
				j.Affected++
			case skipped:
				j.Affected++
				j.Skipped++
			}
			if res != unaffected {
				if err := s.cfg.Store.SaveRerender(ctx, j); err != nil {
					return err
				}
			}
		}
		if err := s.cfg.Store.SaveRerender(ctx, j); err != nil {
			return err
		}
	}
	j.Status, j.FinishedAt = newsroom.RerenderDone, s.cfg.Now()
	if err := s.cfg.Store.SaveRerender(ctx, j); err != nil {
		return err
	}
	s.cfg.Logger.Info("legal re-render: done", "job", j.ID, "scanned", j.Scanned, "affected", j.Affected,
		"updated", j.Updated, "skipped", j.Skipped)
	if s.cfg.OnJob != nil {
		s.cfg.OnJob("legal_rerender", nil)
	}
	return nil
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
