// Package reports runs the loop of readers' error reports, from the
// reader's quote (filed from the site or the API) to the editor's fix and
// the e-mails that follow it.
package reports

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/editorial"
	"newsdesk/internal/i18n"
	"newsdesk/internal/mail"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/quote"
	"newsdesk/internal/render"
	"newsdesk/internal/web"
)

// Store is what the service needs from storage.
type Store interface {
	newsroom.ArticleReader
	newsroom.ErrorReportStore
	Revisions(ctx context.Context, articleID int64) ([]newsroom.Revision, error)
	ListUsers(ctx context.Context) ([]newsroom.User, error)
}

// Config holds the service's dependencies and settings.
type Config struct {
	// OnJob, when set, hears each run of a background job (notices,
	// digest) and its error; for metrics.
	OnJob func(job string, err error)
	// OnSubmit, when set, hears the outcome of every Submit (nil: filed);
	// for metrics.
	OnSubmit  func(err error)
	Store     Store
	Editorial *editorial.Service
	Render    *render.Renderer
	// Mail sends the digests and readers' notes; nil sends nothing.
	Mail   mail.Sender
	Now    newsroom.Clock
	Logger *slog.Logger
	Limits newsroom.ReportLimits
	// Counters, when set, keep the rate limits below where every node
	// sees them (PostgreSQL or Redis); nil: this process's memory.
	Counters newsroom.Counters
	// PerIP and PerArticle are how many reports one address, and one
	// article, may send per minute (0 = 6 and 60; negative = no limit).
	PerIP, PerArticle int
	// DigestTo receives the editors' digest; empty means every active
	// admin, editor and moderator.
	DigestTo []string
	BaseURL  string // absolute links in e-mail
	SiteName string
	Language string // language of the e-mails
	// Settings, when set, gives the report limits in force (the desk's
	// Settings over the flags): MaxExact, PerIP and PerArticle above are
	// then only what it falls back to. Read on every report (it is cached).
	Settings func(ctx context.Context) newsroom.SiteSettings
	// RecentRevisions is how long after a revision was replaced a report
	// may still quote it (0 = DefaultRecentRevisions): as long as a reader
	// can still have it on screen from a cache.
	RecentRevisions time.Duration
}

// DefaultRecentRevisions bounds how old a replaced revision a report may
// name: the page cache drops a changed page at once, but a CDN may keep it
// for s-maxage plus stale-while-revalidate (11 minutes with the cache's
// default Cache-Control) and a browser for max-age (1 minute) on top.
const DefaultRecentRevisions = 15 * time.Minute

// Service is the error-report loop: a reader's quote is checked against
// the revision they saw and filed (merged with reports of the same place);
// editors and moderators list and resolve reports; "apply" changes exactly
// the reported occurrence through the editorial service; saves that edit
// the reported text away resolve their reports; e-mail goes out as a digest
// to editors and as one note to each reader who asked to hear about the
// fix. It is safe for concurrent use.
type Service struct {
	cfg Config
	log *slog.Logger
	// mu guards the limiters, which are made anew when the settings
	// change how many reports a minute they allow.
	mu                  sync.Mutex
	perIP, perArticle   *limiter
	ipRate, articleRate int
}

// New returns a Service for cfg. Store, Render and Editorial are required.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Language != "ru" {
		cfg.Language = "en"
	}
	if cfg.PerIP == 0 {
		cfg.PerIP = 6
	}
	if cfg.PerArticle == 0 {
		cfg.PerArticle = 60
	}
	if cfg.RecentRevisions <= 0 {
		cfg.RecentRevisions = DefaultRecentRevisions
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	s := &Service{cfg: cfg, log: cfg.Logger, ipRate: cfg.PerIP, articleRate: cfg.PerArticle}
	s.perIP, s.perArticle = s.newLimiter("report-ip", cfg.PerIP), s.newLimiter("report-article", cfg.PerArticle)
	return s
}

// Limits returns the limits on what readers send.
func (s *Service) Limits() newsroom.ReportLimits {
	l, _, _ := s.limits(context.Background())
	return l
}

// limits returns the limits in force and the rate limiters that keep them,
// replacing a limiter whose rate the settings changed.
func (s *Service) limits(ctx context.Context) (newsroom.ReportLimits, *limiter, *limiter) {
	l := s.cfg.Limits
	ipRate, articleRate := s.cfg.PerIP, s.cfg.PerArticle
	if s.cfg.Settings != nil {
		set := s.cfg.Settings(ctx)
		if set.ReportMaxExact > 0 {
			l.MaxExact = set.ReportMaxExact
		}
		if set.ReportPerIP != 0 {
			ipRate = set.ReportPerIP
		}
		if set.ReportPerArticle != 0 {
			articleRate = set.ReportPerArticle
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ipRate != s.ipRate {
		s.ipRate, s.perIP = ipRate, s.newLimiter("report-ip", ipRate)
	}
	if articleRate != s.articleRate {
		s.articleRate, s.perArticle = articleRate, s.newLimiter("report-article", articleRate)
	}
	return l, s.perIP, s.perArticle
}

// Submit checks a reader's report and files it. The article must be public;
// the quote with its context must occur in the revision the reader saw
// (else Unprocessable on "exact"). An older revision is read only while a
// reader can still be shown it: it was replaced while the story was public,
// less than RecentRevisions ago. Any other revision number gets one answer,
// whatever the quote (Unprocessable on "revision"), so that text removed
// from a story cannot be probed back out of its history. Limits per
// address and per article give
// RateLimited; a blocked address gets Forbidden. A quote that a later
// revision already changed is not filed: the report comes back with status
// fixed_by_edit and no ID.
func (s *Service) Submit(ctx context.Context, sub newsroom.ReportSubmission) (_ *newsroom.ErrorReport, err error) {
	if s.cfg.OnSubmit != nil {
		defer func() { s.cfg.OnSubmit(err) }()
	}
	sub.Normalize()
	limits, perIP, perArticle := s.limits(ctx)
	if err := sub.Validate(limits); err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	if key := web.RateKey(sub.IP); key != "" {
		if wait := perIP.allow(key, now); wait > 0 {
			s.log.Warn("error report rate limited", "by", "address", "ip", sub.IP, "article", sub.ArticleID, "wait", wait)
			return nil, newsroom.RateLimitedf(wait, "too many reports from your address; please wait a minute")
		}
	}
	if wait := perArticle.allow(fmt.Sprint(sub.ArticleID), now); wait > 0 {
		s.log.Warn("error report rate limited", "by", "article", "ip", sub.IP, "article", sub.ArticleID, "wait", wait)
		return nil, newsroom.RateLimitedf(wait, "this article is receiving too many reports; please try again in a minute")
	}
	if sub.IP != "" {
		blocked, err := s.cfg.Store.IPBlocked(ctx, sub.IP)
		if err != nil {
			return nil, err
		}
		if blocked {
			s.log.Info("error report from a blocked address", "ip", sub.IP, "article", sub.ArticleID)
			return nil, newsroom.Errorf(newsroom.Forbidden, "", "reports from your address are not accepted")
		}
	}
	a, err := s.cfg.Store.ArticleByID(ctx, sub.ArticleID)
	if newsroom.IsNotFound(err) || err == nil && !a.IsPublic(now) {
		return nil, newsroom.Errorf(newsroom.NotFound, "article_id", "there is no such article")
	}
	if err != nil {
		return nil, err
	}
	seen := a
	if sub.Revision != 0 && sub.Revision != a.Revision {
		if seen, err = s.revision(ctx, a, sub.Revision); err != nil {
			return nil, err
		}
	}
	loc, err := quote.Locate(s.cfg.Render.Shown(seen), sub.Quote, string(sub.Part), quote.Strict)
	if err != nil {
		return nil, newsroom.QuoteError(err)
	}
	if seen != a {
		// The reader saw an older revision: find the place in the current one.
		q := newsroom.Quote{Exact: loc.Text, Prefix: loc.Prefix, Suffix: loc.Suffix}
		cur, err := quote.Locate(s.cfg.Render.Shown(a), q, loc.Part, quote.Loose)
		if err != nil {
			return &newsroom.ErrorReport{ArticleID: a.ID, Revision: a.Revision, Part: newsroom.TextPart(loc.Part), Quote: q,
				Status: newsroom.ReportFixedByEdit}, nil
		}
		loc = cur
	}
	r := &newsroom.ErrorReport{
		ArticleID: a.ID, Revision: a.Revision, Part: newsroom.TextPart(loc.Part), Place: loc.Place(),
		Quote:  newsroom.Quote{Exact: loc.Text, Prefix: loc.Prefix, Suffix: loc.Suffix},
		Before: loc.Before, After: loc.After,
	}
	sg := &newsroom.ReportSuggestion{Text: sub.Suggestion, Comment: sub.Comment, Email: sub.Email, IP: sub.IP}
	if _, err := s.cfg.Store.FileErrorReport(ctx, r, sg); err != nil {
		return nil, err
	}
	return r, nil
}

// revision returns article a as it was at revision n, when readers may
// still have that revision on screen: it was replaced while a was public,
// less than RecentRevisions ago. For any other n (unknown, in the future,
// never public, or replaced long ago) the answer is one Unprocessable
// error on "revision" that says nothing of what the revision held.
func (s *Service) revision(ctx context.Context, a *newsroom.Article, n int) (*newsroom.Article, error) {
	bad := newsroom.Errorf(newsroom.Unprocessable, "revision", "the article has changed since the page was loaded; reload it and select the words again")
	if n < 1 || n >= a.Revision {
		return nil, bad
	}
	revs, err := s.cfg.Store.Revisions(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	var seen *newsroom.Revision
	var replaced time.Time // when the revision after n was saved
	for i := range revs {
		rv := &revs[i]
		switch {
		case rv.Number == n:
			seen = rv
		case rv.Number > n && (replaced.IsZero() || rv.SavedAt.Before(replaced)):
			replaced = rv.SavedAt
		}
	}
	if seen == nil || replaced.IsZero() || !RecentlyShown(replaced, a.PublishedAt, s.cfg.Now(), s.cfg.RecentRevisions) {
		return nil, bad
	}
	old := *a
	old.Headline, old.Standfirst, old.Body, old.Revision = seen.Headline, seen.Standfirst, seen.Body, seen.Number
	return &old, nil
}

// RecentlyShown reports whether a revision replaced at replaced can still
// be on a reader's screen at now: it was replaced after the story was
// published (so it was public), and less than window ago.
func RecentlyShown(replaced, published, now time.Time, window time.Duration) bool {
	return !replaced.Before(published) && now.Sub(replaced) < window
}

// mayModerate checks that u may see and resolve reports.
func mayModerate(u *newsroom.User) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanModerate() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors and moderators handle error reports")
	}
	return nil
}

// List returns one page of reports for an editor or moderator.
func (s *Service) List(ctx context.Context, u *newsroom.User, f newsroom.ErrorReportFilter) ([]*newsroom.ErrorReport, int, error) {
	if err := mayModerate(u); err != nil {
		return nil, 0, err
	}
	if f.Status != "" {
		if err := f.Status.Check(); err != nil {
			return nil, 0, err
		}
	}
	return s.cfg.Store.FindErrorReports(ctx, f)
}

// Get returns one report for an editor or moderator.
func (s *Service) Get(ctx context.Context, u *newsroom.User, id int64) (*newsroom.ErrorReport, error) {
	if err := mayModerate(u); err != nil {
		return nil, err
	}
	return s.cfg.Store.ErrorReportByID(ctx, id)
}

// OpenCount returns how many reports wait for an editor.
func (s *Service) OpenCount(ctx context.Context) (int, error) {
	return s.cfg.Store.CountErrorReports(ctx, newsroom.ReportOpen)
}

// SetStatus resolves (or reopens) a report by hand. With block, the
// addresses that sent it are blocked first (for spam).
func (s *Service) SetStatus(ctx context.Context, u *newsroom.User, id int64, status newsroom.ReportStatus, block bool) (*newsroom.ErrorReport, error) {
	if err := mayModerate(u); err != nil {
		return nil, err
	}
	if err := status.Check(); err != nil {
		return nil, err
	}
	if _, err := s.cfg.Store.ErrorReportByID(ctx, id); err != nil {
		return nil, err
	}
	if block {
		n, err := s.cfg.Store.BlockReporters(ctx, id)
		if err != nil {
			return nil, err
		}
		s.log.Info("blocked error report senders", "report", id, "addresses", n, "by", u.ID)
	}
	if err := s.cfg.Store.ResolveErrorReport(ctx, id, status, u.ID); err != nil {
		return nil, err
	}
	return s.cfg.Store.ErrorReportByID(ctx, id)
}

// ApplyOptions says what Apply writes into the article.
type ApplyOptions struct {
	// SuggestionID picks a reader's suggestion; zero takes the one most
	// readers sent.
	SuggestionID int64
	// Text, when set, is written instead of any reader's suggestion.
	Text string
	// Correction, when set, is added as a public correction note in the
	// same step (for errors of fact rather than typos).
	Correction string
}

// Apply writes a suggestion into the article, changing exactly the
// reported occurrence, saves it as a new revision through the editorial
// service (with u's permissions), and resolves the report as fixed. If the
// reported text is no longer at its place, the report resolves as
// fixed_by_edit and Apply returns a Conflict error.
func (s *Service) Apply(ctx context.Context, u *newsroom.User, id int64, opt ApplyOptions) (*newsroom.ErrorReport, *newsroom.Article, error) {
	if err := mayModerate(u); err != nil {
		return nil, nil, err
	}
	r, err := s.cfg.Store.ErrorReportByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if r.Status != newsroom.ReportOpen {
		return nil, nil, newsroom.Errorf(newsroom.Conflict, "status", "this report is already %s", r.Status)
	}
	text, err := pickSuggestion(r, opt)
	if err != nil {
		return nil, nil, err
	}
	if opt.Correction != "" {
		c := newsroom.Correction{ArticleID: r.ArticleID, Kind: newsroom.KindCorrection, Text: opt.Correction}
		if err := c.Validate(); err != nil {
			return nil, nil, err
		}
		if !u.Role.CanPublish() {
			return nil, nil, newsroom.Errorf(newsroom.Forbidden, "correction", "only editors add corrections")
		}
	}
	a, err := s.cfg.Store.ArticleByID(ctx, r.ArticleID)
	if err != nil {
		return nil, nil, err
	}
	shown := s.cfg.Render.Shown(a)
	loc, err := quote.Locate(shown, r.Quote, string(r.Part), quote.Loose)
	if err != nil {
		if rerr := s.cfg.Store.ResolveErrorReport(ctx, r.ID, newsroom.ReportFixedByEdit, 0); rerr != nil {
			return nil, nil, rerr
		}
		return nil, nil, newsroom.Errorf(newsroom.Conflict, "", "the reported text is no longer in the article; the report was closed as fixed by an edit")
	}
	var part quote.Shown
	for _, t := range shown {
		if t.Part == loc.Part {
			part = t
		}
	}
	src, err := s.cfg.Render.Replace(part, loc, text)
	if err != nil {
		return nil, nil, err
	}
	saved, err := s.cfg.Editorial.Update(ctx, u, a.ID, a.Revision, func(x *newsroom.Article) error {
		x.RevisionReason = newsroom.ReasonReport
		x.RevisionNote = i18n.T(s.cfg.Language, "publish.revision.report", r.ID)
		return setPart(x, newsroom.TextPart(loc.Part), src)
	})
	if err != nil {
		return nil, nil, err
	}
	if err := s.cfg.Store.ResolveErrorReport(ctx, r.ID, newsroom.ReportFixed, u.ID); err != nil {
		return nil, nil, err
	}
	s.cfg.Editorial.Record(ctx, u, newsroom.Activity{Action: newsroom.ActAppliedFix, Kind: "article", TargetID: a.ID,
		Subject: saved.Headline, Detail: fmt.Sprintf("report %d: %q → %q", r.ID, r.Quote.Exact, text)})
	if opt.Correction != "" {
		c := &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.KindCorrection, Text: opt.Correction}
		if err := s.cfg.Editorial.AddCorrection(ctx, u, c); err != nil {
			return nil, nil, fmt.Errorf("the suggestion was applied, but the correction note was not added: %w", err)
		}
		saved.Corrections = append(saved.Corrections, *c)
	}
	r, err = s.cfg.Store.ErrorReportByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return r, saved, nil
}

// pickSuggestion returns the text Apply writes.
func pickSuggestion(r *newsroom.ErrorReport, opt ApplyOptions) (string, error) {
	if t := strings.TrimSpace(opt.Text); t != "" {
		return t, nil
	}
	if opt.SuggestionID != 0 {
		for _, sg := range r.Suggestions {
			if sg.ID == opt.SuggestionID {
				if sg.Text == "" {
					return "", newsroom.Errorf(newsroom.Invalid, "suggestion_id", "that reader suggested no correction")
				}
				return sg.Text, nil
			}
		}
		return "", newsroom.Errorf(newsroom.Invalid, "suggestion_id", "no suggestion %d on this report", opt.SuggestionID)
	}
	votes := map[string]int{}
	best := ""
	for _, sg := range r.Suggestions {
		if sg.Text == "" {
			continue
		}
		votes[sg.Text]++
		if best == "" || votes[sg.Text] > votes[best] {
			best = sg.Text
		}
	}
	if best == "" {
		return "", newsroom.Errorf(newsroom.Unprocessable, "suggestion", "no reader suggested a correction; edit the article by hand or send the text to write")
	}
	return best, nil
}

// setPart writes a part's new source into the article.
func setPart(a *newsroom.Article, part newsroom.TextPart, src string) error {
	switch part {
	case newsroom.PartHeadline:
		a.Headline = src
	case newsroom.PartStandfirst:
		a.Standfirst = src
	case newsroom.PartBody:
		a.Body = src
	case newsroom.PartCaption:
		if a.LeadImage == nil {
			return newsroom.Errorf(newsroom.Conflict, "", "the article no longer has a lead image")
		}
		a.LeadImage.Caption = src
	default:
		return newsroom.Errorf(newsroom.Invalid, "part", "unknown part %q", part)
	}
	return nil
}

// ArticleUpdated follows an article's open reports after a save: a report
// whose text is no longer at its place resolves as fixed_by_edit; the
// others move to their place in the new revision. It is an
// editorial.Service hook: it runs after every staff save, from any
// surface, and logs its own errors (the save has already happened).
func (s *Service) ArticleUpdated(ctx context.Context, prev, next *newsroom.Article) {
	if !prev.PublicTextDiffers(next) && captionOf(prev) == captionOf(next) {
		return
	}
	open, _, err := s.cfg.Store.FindErrorReports(ctx, newsroom.ErrorReportFilter{ArticleID: next.ID, Status: newsroom.ReportOpen, Limit: 500})
	if err != nil {
		s.log.Error("error reports: follow an edit", "article", next.ID, "err", err)
		return
	}
	if len(open) == 0 {
		return
	}
	shown := s.cfg.Render.Shown(next)
	for _, r := range open {
		loc, err := quote.Locate(shown, r.Quote, string(r.Part), quote.Loose)
		switch {
		case err != nil:
			err = s.cfg.Store.ResolveErrorReport(ctx, r.ID, newsroom.ReportFixedByEdit, 0)
		case loc.Place() != r.Place || r.Revision != next.Revision:
			err = s.cfg.Store.MoveErrorReport(ctx, r.ID, next.Revision, loc.Place())
		}
		if err != nil {
			s.log.Error("error reports: follow an edit", "article", next.ID, "report", r.ID, "err", err)
		}
	}
}

func captionOf(a *newsroom.Article) string {
	if a.LeadImage == nil {
		return ""
	}
	return a.LeadImage.Caption
}
