package desk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
)

// Safe actions on a story (issue 14): the editor's default button (the
// one Enter and Ctrl+S press) only ever saves; on a live story "Save"
// keeps a pending draft readers do not see; going live (publish,
// schedule, "Update live story") passes through a confirmation step that
// lists the pre-publish check's findings and, for a live story, the
// changes against the live version. Without JavaScript the step is a
// server-rendered page that carries the typed form in hidden fields.

// formKeep are the form fields a confirmation step does not carry on: its
// own buttons set them again.
var formKeep = map[string]bool{"_csrf": false, "action": false, "confirmed": false, "schedule_mode": false}

// hiddenField is one typed form value the confirmation step posts again.
type hiddenField struct{ Name, Value string }

// findingView is one pre-publish finding in the desk's language.
type findingView struct {
	newsroom.Finding
	Text string
}

// confirmView is the confirmation step before a story goes live.
type confirmView struct {
	Page
	A        *newsroom.Article // as typed
	Action   string            // where the form posts
	Verb     string            // the action confirmed: publish, schedule
	Live     bool              // an update of the live story
	Schedule bool              // a live story scheduled: take down or schedule an update
	When     time.Time
	Findings []findingView
	Blocked  bool
	Fields   []hiddenField
	// The changes against the live version (Live only).
	Headline, Standfirst, Body []diffOp
	Same                       bool
}

// goingLive reports whether the form's action puts the story in front of
// readers (now, at its time, or as an update of the live version).
func goingLive(action string) bool { return action == "publish" || action == "schedule" }

// typedFields is the posted form without the confirmation's own fields.
func typedFields(r *http.Request) []hiddenField {
	var out []hiddenField
	for name, vs := range r.PostForm {
		if _, skip := formKeep[name]; skip {
			continue
		}
		for _, v := range vs {
			out = append(out, hiddenField{Name: name, Value: v})
		}
	}
	return out
}

// encodeForm keeps the typed form for a pending edit.
func encodeForm(r *http.Request) string {
	v := url.Values{}
	for _, f := range typedFields(r) {
		v.Add(f.Name, f.Value)
	}
	return v.Encode()
}

// findings translates the check's findings for the desk.
func (s *Server) findings(fs []newsroom.Finding) []findingView {
	out := make([]findingView, 0, len(fs))
	for _, f := range fs {
		args := make([]any, len(f.Args))
		for i, a := range f.Args {
			args[i] = a
		}
		key := "publish.check." + f.Code
		text := s.t(key, args...)
		if text == key || text == "["+key+"]" {
			text = f.Message // a check another feature added, in English
		}
		out = append(out, findingView{Finding: f, Text: text})
	}
	return out
}

// confirmStep shows the confirmation step for typed (the story as the
// form would save it), or returns nil when none is needed: a story that
// is not live yet and has nothing to report goes live at once. prev is
// the stored story (nil for a new one).
func (s *Server) confirmStep(w http.ResponseWriter, r *http.Request, prev, typed *newsroom.Article, f articleForm, action string, force bool) (bool, error) {
	if r.PostForm.Get("confirmed") == "1" && !force {
		return false, nil
	}
	live := prev != nil && prev.Status == newsroom.Published
	fs, err := s.ed.Check(r.Context(), CurrentUser(r.Context()), typed)
	if err != nil {
		return false, err
	}
	if !live && len(fs) == 0 && !force {
		return false, nil
	}
	v := &confirmView{Page: s.page(r, "publish.confirm.title", "stories"), A: typed, Action: action, Verb: f.action,
		Live: live, Schedule: live && f.action == "schedule", When: typed.ScheduledAt,
		Findings: s.findings(fs), Blocked: newsroom.HasBlocker(fs), Fields: typedFields(r)}
	if live {
		v.Headline = diffWords(prev.Headline, typed.Headline)
		v.Standfirst = diffWords(prev.Standfirst, typed.Standfirst)
		v.Body = diffText(prev.Body, typed.Body)
		v.Same = !changed(v.Headline) && !changed(v.Standfirst) && !changed(v.Body)
	}
	return true, s.render(w, r, http.StatusOK, "confirm.html", v)
}

// savePending keeps the typed form of a live story as its pending edit
// of kind (at for a scheduled update): readers keep the live version.
func (s *Server) savePending(ctx context.Context, r *http.Request, prev *newsroom.Article, kind string, at time.Time) (*newsroom.PendingEdit, error) {
	p := &newsroom.PendingEdit{ArticleID: prev.ID, Kind: kind, BaseRevision: prev.Revision, Form: encodeForm(r),
		SavedBy: CurrentUser(ctx).ID, ScheduledAt: at}
	if err := s.store.SavePending(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// pendingNote is what the editor says about a live story's pending edit.
type pendingNote struct {
	Kind        string
	By          string
	At          time.Time
	ScheduledAt time.Time
	Stale       bool // the live story changed after the draft was begun
}

// withPending opens a live story's pending draft in the editor: the
// stored form applied over the live story. It returns the story as the
// draft has it and the note to show, or a, nil when there is none.
func (s *Server) withPending(ctx context.Context, tx *taxonomy, a *newsroom.Article) (*newsroom.Article, *articleForm, []*pendingNote) {
	if a.Status != newsroom.Published {
		return a, nil, nil
	}
	var notes []*pendingNote
	out, form := a, (*articleForm)(nil)
	for _, kind := range []string{newsroom.PendingDraft, newsroom.PendingUpdate} {
		p, err := s.store.Pending(ctx, a.ID, kind)
		if err != nil {
			continue
		}
		n := &pendingNote{Kind: kind, At: p.SavedAt, ScheduledAt: p.ScheduledAt, Stale: p.BaseRevision != a.Revision}
		if u, err := s.store.UserByID(ctx, p.SavedBy); err == nil {
			n.By = u.Name
		}
		notes = append(notes, n)
		if kind != newsroom.PendingDraft {
			continue
		}
		vals, err := url.ParseQuery(p.Form)
		if err != nil {
			continue
		}
		req := &http.Request{Method: http.MethodPost, PostForm: vals, Form: vals}
		f := parseArticleForm(req)
		typed := *a
		if s.apply(ctx, tx, f, &typed) == nil {
			typed.Status, typed.Revision = a.Status, a.Revision
			out, form = &typed, &f
		}
	}
	return out, form, notes
}

// handleDiscardPending drops a live story's pending draft or scheduled
// update (?kind=draft|update).
func (s *Server) handleDiscardPending(w http.ResponseWriter, r *http.Request) error {
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	if err := s.mayChangeLive(r.Context(), CurrentUser(r.Context()), a); err != nil {
		return err
	}
	kind := r.PostFormValue("kind")
	if kind != newsroom.PendingUpdate {
		kind = newsroom.PendingDraft
	}
	if _, err := s.store.DeletePending(r.Context(), a.ID, kind); err != nil {
		return err
	}
	return s.redirect(w, r, "/desk/articles/"+strconv.FormatInt(a.ID, 10)+"?done=discarded")
}

// mayChangeLive says whether u may keep or drop a pending draft of the
// live story a. A writer the route lets in who may read the story but not
// change it (a correspondent, for a story not hers or published) gets the
// editor's read-only message as a 422, as the desk answers other
// object-level refusals of an allowed role; 403 stays the route's answer
// for a role it does not let in.
func (s *Server) mayChangeLive(ctx context.Context, u *newsroom.User, a *newsroom.Article) error {
	err := newsroom.CheckEdit(u, a, a, s.ed.CorrespondentsMayPublish(ctx))
	if err != nil && newsroom.ErrorCode(err) == newsroom.Forbidden {
		return newsroom.Errorf(newsroom.Unprocessable, "", "%s", s.t("desk.editor.read_only"))
	}
	return err
}

// applyDueUpdates applies the scheduled updates of live stories whose
// time has come, each exactly once across nodes: the pending row is
// claimed by a conditional delete, then the form is saved as the person
// who scheduled it, the revision attributed to the scheduler.
func (s *Server) applyDueUpdates(ctx context.Context, now time.Time) ([]int64, error) {
	due, err := s.store.DuePending(ctx, newsroom.PendingUpdate, now)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	tx, err := s.taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	var done []int64
	for _, p := range due {
		won, err := s.store.DeletePending(ctx, p.ArticleID, p.Kind)
		if err != nil {
			return done, err
		}
		if !won {
			continue // another node applies it
		}
		u, err := s.store.UserByID(ctx, p.SavedBy)
		if err != nil {
			s.log.Error("desk: scheduled update dropped: who scheduled it is gone", "article", p.ArticleID, "err", err)
			continue
		}
		vals, _ := url.ParseQuery(p.Form)
		f := parseArticleForm(&http.Request{Method: http.MethodPost, PostForm: vals, Form: vals})
		cur, err := s.store.ArticleByID(ctx, p.ArticleID)
		if err != nil {
			continue
		}
		_, err = s.ed.Update(ctx, u, p.ArticleID, cur.Revision, func(a *newsroom.Article) error {
			status := a.Status
			err := s.apply(ctx, tx, f, a)
			a.Status, a.ScheduledAt = status, time.Time{}
			a.RevisionReason = newsroom.ReasonScheduler
			a.RevisionNote = s.t("publish.revision.scheduled_update", u.Name)
			return err
		})
		if err != nil {
			s.log.Error("desk: scheduled update failed", "article", p.ArticleID, "err", err)
			continue
		}
		s.log.Info("desk: applied scheduled update", "article", p.ArticleID, "scheduled_by", u.ID)
		done = append(done, p.ArticleID)
	}
	return done, nil
}
