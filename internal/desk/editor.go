package desk

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// bylineRow is one author line of the editor.
type bylineRow struct {
	AuthorID int64
	Label    string
}

// editorView is the article editor: every field of the content model,
// the workflow buttons the user's role allows, and the live preview.
type editorView struct {
	Page
	A        *newsroom.Article
	New      bool
	Action   string // where the form posts
	TagsText string
	Schedule string // value of the datetime-local input, in the desk's zone
	// Published is the publication-time input's value (desk's zone);
	// SetsTime offers that input (editors only).
	Published   string
	SetsTime    bool
	Zone        string
	PrimaryID   int64
	ExtraIDs    map[int64]bool
	Sections    []newsroom.Category
	Authors     []newsroom.Author
	Labels      []string
	Bylines     []bylineRow
	Sources     []newsroom.Source
	Image       newsroom.Image
	Err         *newsroom.Error
	Conflict    *conflictView
	Flash       string
	CanPublish  bool
	CanSave     bool
	Autosave    bool
	PublicURL   string
	PreviewURL  string
	Kinds       []newsroom.CorrectionKind
	Languages   []string
	Corrections []newsroom.Correction
	// Legal is the legal-markers panel (legal.go); nil for a new story.
	Legal *legalPanel
	// Live: the story is published, so "Save" keeps a pending draft and
	// "Update live story" publishes it (publish.go); Pending says what
	// is waiting.
	Live    bool
	Pending []*pendingNote
	// Langs is the Translations panel (languages.go); nil for a new story.
	Langs *langsPanel
	// Presence says who else has the story open and who saved it last
	// (presence.go); nil for a new story.
	Presence *presenceView
}

// conflictView shows what someone else saved meanwhile, beside what the
// user typed.
type conflictView struct {
	Revision int
	SavedAt  time.Time
	// By is who saved the other revision (from its revision record).
	By string
	// Differs names the fields where theirs and yours differ: each gets a
	// "keep mine / take theirs" choice (merge_<field>), applied by the
	// next save.
	Differs    map[string]bool
	Headline   []diffOp
	Standfirst []diffOp
	Body       []diffOp
}

// articleForm is the editor's form as typed.
type articleForm struct {
	headline, standfirst, body, slug, language string
	primary                                    int64
	extra                                      []int64
	tags                                       string
	bylines                                    []bylineRow
	sources                                    []newsroom.Source
	image                                      newsroom.Image
	commentsOpen                               bool
	schedule                                   string
	publishedAt                                string // only editors may send one (no field shows it)
	revision                                   int
	action                                     string
}

func formInt(s string) int64 { n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64); return n }

func parseArticleForm(r *http.Request) articleForm {
	_ = r.ParseForm()
	pf := r.PostForm
	f := articleForm{
		headline: pf.Get("headline"), standfirst: pf.Get("standfirst"), body: pf.Get("body"),
		slug: strings.TrimSpace(pf.Get("slug")), language: pf.Get("language"),
		primary: formInt(pf.Get("section")), tags: pf.Get("tags"),
		commentsOpen: pf.Get("comments_open") == "1", schedule: strings.TrimSpace(pf.Get("scheduled_at")),
		revision: int(formInt(pf.Get("revision"))), action: pf.Get("action"),
		publishedAt: strings.TrimSpace(pf.Get("published_at")),
	}
	// Browsers send CRLF in textareas; the Markdown source keeps LF.
	f.body = strings.ReplaceAll(f.body, "\r\n", "\n")
	f.standfirst = strings.ReplaceAll(f.standfirst, "\r\n", "\n")
	for _, v := range pf["sections"] {
		if id := formInt(v); id != 0 && id != f.primary {
			f.extra = append(f.extra, id)
		}
	}
	ids, labels := pf["author_id"], pf["author_label"]
	for i, v := range ids {
		if id := formInt(v); id != 0 {
			row := bylineRow{AuthorID: id}
			if i < len(labels) {
				row.Label = labels[i]
			}
			f.bylines = append(f.bylines, row)
		}
	}
	names, urls := pf["source_name"], pf["source_url"]
	for i := range names {
		src := newsroom.Source{Name: strings.TrimSpace(names[i])}
		if i < len(urls) {
			src.URL = strings.TrimSpace(urls[i])
		}
		if src.Name != "" || src.URL != "" {
			f.sources = append(f.sources, src)
		}
	}
	f.image = newsroom.Image{
		URL: strings.TrimSpace(pf.Get("image_url")), Alt: strings.TrimSpace(pf.Get("image_alt")),
		Caption: strings.TrimSpace(pf.Get("image_caption")), Credit: strings.TrimSpace(pf.Get("image_credit")),
		SourceName: strings.TrimSpace(pf.Get("image_source_name")), SourceURL: strings.TrimSpace(pf.Get("image_source_url")),
		MediaID: formInt(pf.Get("image_media_id")),
	}
	return f
}

// taxonomy is what the editor lists: sections and authors.
type taxonomy struct {
	sections map[int64]newsroom.Category
	authors  map[int64]newsroom.Author
	secList  []newsroom.Category
	authList []newsroom.Author
}

func (s *Server) taxonomy(ctx context.Context) (*taxonomy, error) {
	tx := &taxonomy{sections: map[int64]newsroom.Category{}, authors: map[int64]newsroom.Author{}}
	var err error
	if tx.secList, err = s.store.Categories(ctx); err != nil {
		return nil, err
	}
	if tx.authList, err = s.store.Authors(ctx); err != nil {
		return nil, err
	}
	for _, c := range tx.secList {
		tx.sections[c.ID] = c
	}
	for _, a := range tx.authList {
		tx.authors[a.ID] = a
	}
	return tx, nil
}

// apply copies the typed form onto a. Tags are only named: the editorial
// service creates new ones when it saves, after its role check. A wrong
// schedule time is an Invalid error on "scheduled_at"; a is filled anyway.
func (s *Server) apply(ctx context.Context, tx *taxonomy, f articleForm, a *newsroom.Article) error {
	a.Headline, a.Standfirst, a.Body = f.headline, f.standfirst, f.body
	a.Slug, a.Language, a.CommentsOpen = f.slug, f.language, f.commentsOpen
	a.Categories = nil
	for _, id := range append([]int64{f.primary}, f.extra...) {
		if id == 0 {
			continue
		}
		c, ok := tx.sections[id]
		if !ok {
			c = newsroom.Category{ID: id}
		}
		a.Categories = append(a.Categories, c)
	}
	a.Authors = nil
	for _, b := range f.bylines {
		au := tx.authors[b.AuthorID]
		a.Authors = append(a.Authors, newsroom.Byline{AuthorID: b.AuthorID, Name: au.Name, Slug: au.Slug, Label: b.Label})
	}
	a.Sources = f.sources
	if f.image == (newsroom.Image{}) {
		a.LeadImage = nil
	} else {
		img := f.image
		if prev := a.LeadImage; prev != nil && prev.URL == img.URL {
			img.Width, img.Height, img.Srcset = prev.Width, prev.Height, prev.Srcset
		}
		if err := s.libraryImage(ctx, &img); err != nil { // media.go
			return err
		}
		a.LeadImage = &img
	}
	a.Tags = nil
	for _, name := range strings.Split(f.tags, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		a.Tags = append(a.Tags, newsroom.Tag{Slug: newsroom.Slugify(name), Name: name})
	}
	var schedErr error
	if f.schedule != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", f.schedule, s.loc())
		if err != nil {
			schedErr = newsroom.Errorf(newsroom.Invalid, "scheduled_at", "%s", s.t("desk.editor.bad_time"))
		} else {
			a.ScheduledAt = t
		}
	} else if f.action == "schedule" {
		schedErr = newsroom.Errorf(newsroom.Invalid, "scheduled_at", "%s", s.t("desk.editor.need_time"))
	}
	if f.publishedAt != "" && f.publishedAt != localInput(a.PublishedAt, s.loc()) {
		// A publication time of the editor's choosing (newsroom.CheckEdit
		// refuses it from anyone but an editor). The input shows minutes:
		// sending back the value it showed changes nothing.
		if t, err := time.ParseInLocation("2006-01-02T15:04", f.publishedAt, s.loc()); err != nil {
			schedErr = newsroom.Errorf(newsroom.Invalid, "published_at", "%s", s.t("desk.editor.bad_time"))
		} else {
			a.PublishedAt = t
		}
	}
	switch f.action {
	case "draft":
		a.Status = newsroom.Draft
	case "review":
		a.Status = newsroom.Review
	case "publish":
		a.Status = newsroom.Published
	case "schedule":
		a.Status = newsroom.Scheduled
	case "unpublish":
		a.Status = newsroom.Unpublished
	}
	if a.Status == "" {
		a.Status = newsroom.Draft
	}
	return schedErr
}

// editorFor builds the editor view for a (typed or stored).
func (s *Server) editorFor(r *http.Request, tx *taxonomy, a *newsroom.Article, f *articleForm) *editorView {
	u := CurrentUser(r.Context())
	v := &editorView{
		Page: s.page(r, "desk.editor.title", "stories"), A: a, New: a.ID == 0,
		Sections: tx.secList, Authors: tx.authList, ExtraIDs: map[int64]bool{},
		Labels:     []string{newsroom.LabelStaff, newsroom.LabelOwnCorr, newsroom.LabelAgency, newsroom.LabelGuest, newsroom.LabelEditor, newsroom.LabelColumnist},
		Kinds:      []newsroom.CorrectionKind{newsroom.KindCorrection, newsroom.KindClarification, newsroom.KindUpdate},
		Languages:  []string{"en", "ru"},
		CanPublish: u.Role.CanPublish() || s.ed.CorrespondentsMayPublish(r.Context()),
		SetsTime:   u.Role.CanPublish(), // only editors set publication times
		Zone:       s.loc().String(),
	}
	v.CanSave = v.New || newsroom.CheckEdit(u, a, a, s.ed.CorrespondentsMayPublish(r.Context())) == nil
	if v.New {
		v.Action = "/desk/articles"
		v.Title = s.t("desk.story.new")
	} else {
		v.Action = "/desk/articles/" + strconv.FormatInt(a.ID, 10)
		v.PreviewURL = v.Action + "/preview"
		v.Title = a.Headline
		if a.Status == newsroom.Published {
			v.PublicURL = a.URL()
		}
	}
	// A live story autosaves into its pending draft, never in public.
	v.Live = a.Status == newsroom.Published && !v.New
	v.Autosave = a.Status != newsroom.Scheduled && v.CanSave
	for i, c := range a.Categories {
		if i == 0 {
			v.PrimaryID = c.ID
		} else {
			v.ExtraIDs[c.ID] = true
		}
	}
	for _, b := range a.Authors {
		v.Bylines = append(v.Bylines, bylineRow{AuthorID: b.AuthorID, Label: b.Label})
	}
	v.Bylines = append(v.Bylines, bylineRow{}, bylineRow{})
	v.Sources = append(append([]newsroom.Source(nil), a.Sources...), newsroom.Source{}, newsroom.Source{})
	if a.LeadImage != nil {
		v.Image = *a.LeadImage
	}
	var names []string
	for _, t := range a.Tags {
		names = append(names, t.Name)
	}
	v.TagsText = strings.Join(names, ", ")
	v.Schedule = localInput(a.ScheduledAt, s.loc())
	v.Published = localInput(a.PublishedAt, s.loc())
	if f != nil {
		v.TagsText, v.Schedule = f.tags, f.schedule
		if f.publishedAt != "" {
			v.Published = f.publishedAt
		}
	}
	v.Corrections = a.Corrections
	v.Legal = s.legalPanelFor(r, a)
	v.Langs = s.langsPanelFor(r, a)
	return v
}

func (s *Server) handleNewArticle(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tx, err := s.taxonomy(ctx)
	if err != nil {
		return err
	}
	u := CurrentUser(ctx)
	a := &newsroom.Article{Status: newsroom.Draft, Language: s.lang, CommentsOpen: true}
	for _, au := range tx.authList {
		if au.UserID == u.ID {
			a.Authors = []newsroom.Byline{{AuthorID: au.ID, Name: au.Name, Label: au.Label}}
			break
		}
	}
	return s.render(w, r, http.StatusOK, "editor.html", s.editorFor(r, tx, a, nil))
}

func (s *Server) handleEditArticle(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	tx, err := s.taxonomy(ctx)
	if err != nil {
		return err
	}
	shown, form, notes := s.withPending(ctx, tx, a)
	v := s.editorFor(r, tx, shown, form)
	v.Pending = notes
	if v.Presence, err = s.presence(ctx, a); err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "pending":
		v.Flash = s.t("publish.editor.pending_saved")
	case "update_scheduled":
		v.Flash = s.t("publish.editor.update_scheduled")
	case "discarded":
		v.Flash = s.t("publish.editor.discarded")
	case "saved":
		v.Flash = s.t("desk.editor.saved", a.Revision)
	case "correction":
		v.Flash = s.t("desk.editor.correction_added")
	case "legal":
		v.Flash = s.t("desk.legal.switched", a.Revision)
	case "translation":
		v.Flash = s.t("desk.langs.started")
	case "restored":
		v.Flash = s.t("desk.editor.restored", r.URL.Query().Get("from"), a.Revision)
	}
	return s.render(w, r, http.StatusOK, "editor.html", v)
}

// articleParam loads the article named by the {id} path variable.
func (s *Server) articleParam(r *http.Request) (*newsroom.Article, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.no_story"))
	}
	a, err := s.store.ArticleByID(r.Context(), id)
	// A story the user may not read (another writer's draft, for a
	// correspondent) does not exist for them.
	if newsroom.IsNotFound(err) || err == nil && !newsroom.CanRead(CurrentUser(r.Context()), a, s.now()) {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.no_story"))
	}
	return a, err
}

type savedJSON struct {
	ID       int64  `json:"id"`
	Revision int    `json:"revision"`
	Status   string `json:"status"`
	SavedAt  string `json:"saved_at"`
	Edit     string `json:"edit"`
}

func (s *Server) saved(a *newsroom.Article) savedJSON {
	return savedJSON{ID: a.ID, Revision: a.Revision, Status: string(a.Status),
		SavedAt: i18n.Clock(a.UpdatedAt.In(s.loc())), Edit: "/desk/articles/" + strconv.FormatInt(a.ID, 10)}
}

// handleCreateArticle stores a new story. A script's first autosave
// (Accept: application/json) gets the new id as JSON.
func (s *Server) handleCreateArticle(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := CurrentUser(ctx)
	tx, err := s.taxonomy(ctx)
	if err != nil {
		return err
	}
	f := parseArticleForm(r)
	if f.action == "autosave" {
		f.action = "draft"
	}
	a := &newsroom.Article{}
	err = s.apply(ctx, tx, f, a)
	if err == nil && f.action == "edit" {
		// Back from the confirmation step: the form again, as typed.
		a.Status = newsroom.Draft
		return s.render(w, r, http.StatusOK, "editor.html", s.editorFor(r, tx, a, &f))
	}
	if err == nil && goingLive(f.action) && !wantsJSON(r) {
		if shown, cerr := s.confirmStep(w, r, nil, a, f, "/desk/articles", false); cerr != nil || shown {
			return cerr
		}
	}
	if err == nil {
		err = s.ed.Create(ctx, u, a)
	}
	if err != nil {
		if wantsJSON(r) {
			return err
		}
		typed := &newsroom.Article{}
		_ = s.apply(ctx, tx, f, typed)
		typed.Status = newsroom.Draft
		return s.formFailed(w, r, tx, typed, &f, err)
	}
	if wantsJSON(r) {
		return writeJSON(w, http.StatusCreated, s.saved(a))
	}
	return s.redirect(w, r, "/desk/articles/"+strconv.FormatInt(a.ID, 10)+"?done=saved")
}

// formFailed re-shows the editor with what was typed and the field at
// fault named; unexpected errors go up.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, tx *taxonomy, typed *newsroom.Article, f *articleForm, err error) error {
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal {
		return err
	}
	v := s.editorFor(r, tx, typed, f)
	v.Err = e
	return s.render(w, r, web.FormStatus(e), "editor.html", v)
}

// handleSaveArticle saves the editor's form if the story is still at the
// revision the editor started from. Otherwise nothing is saved, and the
// form comes back with what was typed and the difference between the
// other person's version and this one.
func (s *Server) handleSaveArticle(w http.ResponseWriter, r *http.Request) error {
	return s.save(w, r, false)
}

// handleAutosave saves a draft as typed, keeping its status; answers JSON.
// Published and scheduled stories are not autosaved: a save would change
// the public page.
func (s *Server) handleAutosave(w http.ResponseWriter, r *http.Request) error {
	return s.save(w, r, true)
}

func (s *Server) save(w http.ResponseWriter, r *http.Request, auto bool) error {
	ctx := r.Context()
	u := CurrentUser(ctx)
	prev, err := s.articleParam(r)
	if err != nil {
		return err
	}
	tx, err := s.taxonomy(ctx)
	if err != nil {
		return err
	}
	f := parseArticleForm(r)
	live := prev.Status == newsroom.Published
	if mode, ok := strings.CutPrefix(f.action, "schedule_"); ok {
		// The confirmation step's answer for a live story: keep it up and
		// schedule an update, or take it down until then.
		r.PostForm.Set("schedule_mode", mode)
		f.action = "schedule"
	}
	if auto {
		if prev.Status == newsroom.Scheduled {
			return newsroom.Errorf(newsroom.Unprocessable, "", "%s", s.t("desk.editor.autosave_off"))
		}
		f.action = "save"
	}
	typedNow := func() (*newsroom.Article, error) {
		t := *prev
		t.Authors, t.Categories, t.Tags, t.Sources = nil, nil, nil, nil
		if prev.LeadImage != nil {
			img := *prev.LeadImage
			t.LeadImage = &img
		}
		return &t, s.apply(ctx, tx, f, &t)
	}
	switch {
	case f.action == "edit":
		// Back from the confirmation step: the form again, as typed.
		typed, _ := typedNow()
		typed.Status, typed.Revision = prev.Status, f.revision
		return s.render(w, r, http.StatusOK, "editor.html", s.editorFor(r, tx, typed, &f))
	case live && f.action == "save":
		// "Save" (Enter, Ctrl+S, autosave) on a live story: a pending
		// draft, not public until "Update live story".
		if err := s.mayChangeLive(ctx, u, prev); err != nil {
			return err
		}
		p, err := s.savePending(ctx, r, prev, newsroom.PendingDraft, time.Time{})
		if err != nil {
			return err
		}
		if auto || wantsJSON(r) {
			j := s.saved(prev)
			j.SavedAt = i18n.Clock(p.SavedAt.In(s.loc()))
			return writeJSON(w, http.StatusOK, j)
		}
		s.log.Info("desk: pending draft saved", "id", prev.ID, "base", prev.Revision, "user", u.ID)
		return s.redirect(w, r, "/desk/articles/"+strconv.FormatInt(prev.ID, 10)+"?done=pending")
	case goingLive(f.action) && !wantsJSON(r):
		typed, aerr := typedNow()
		if aerr == nil {
			mode := r.PostForm.Get("schedule_mode")
			schedLive := live && f.action == "schedule"
			if schedLive && mode == "update" {
				// Keep the live version up; apply this one at its time.
				fs, err := s.ed.Check(ctx, u, typed)
				if err != nil {
					return err
				}
				if newsroom.HasBlocker(fs) || !typed.ScheduledAt.After(s.now()) {
					if _, err := s.confirmStep(w, r, prev, typed, f, "/desk/articles/"+strconv.FormatInt(prev.ID, 10), true); err != nil {
						return err
					}
					return nil
				}
				if err := newsroom.CheckEdit(u, prev, typed, s.ed.CorrespondentsMayPublish(ctx)); err != nil {
					return err
				}
				if _, err := s.savePending(ctx, r, prev, newsroom.PendingUpdate, typed.ScheduledAt); err != nil {
					return err
				}
				s.Scheduler.Poke()
				return s.redirect(w, r, "/desk/articles/"+strconv.FormatInt(prev.ID, 10)+"?done=update_scheduled")
			}
			if shown, err := s.confirmStep(w, r, prev, typed, f, "/desk/articles/"+strconv.FormatInt(prev.ID, 10), schedLive && mode == ""); err != nil || shown {
				return err
			}
		}
	}
	// After a conflict, each field may take the other person's version
	// (merge_<field>=theirs), the rest keeps what was typed.
	for field, dst := range map[string]*string{"headline": &f.headline, "standfirst": &f.standfirst, "body": &f.body} {
		if r.PostForm.Get("merge_"+field) == "theirs" {
			*dst = map[string]string{"headline": prev.Headline, "standfirst": prev.Standfirst, "body": prev.Body}[field]
		}
	}
	next, err := s.ed.Update(ctx, u, prev.ID, f.revision, func(a *newsroom.Article) error {
		return s.apply(ctx, tx, f, a)
	})
	if err == nil && live && f.action == "publish" {
		// The live story now carries what its pending draft held.
		if _, derr := s.store.DeletePending(ctx, prev.ID, newsroom.PendingDraft); derr != nil {
			s.log.Warn("desk: drop pending draft", "id", prev.ID, "err", derr)
		}
	}
	if err == nil {
		if auto || wantsJSON(r) {
			return writeJSON(w, http.StatusOK, s.saved(next))
		}
		s.log.Info("desk: story saved", "id", next.ID, "revision", next.Revision, "status", next.Status, "user", u.ID)
		return s.redirect(w, r, "/desk/articles/"+strconv.FormatInt(next.ID, 10)+"?done=saved")
	}
	if auto || wantsJSON(r) {
		return err
	}
	typed := *prev
	_ = s.apply(ctx, tx, f, &typed)
	typed.Status, typed.Revision = prev.Status, f.revision
	if newsroom.ErrorCode(err) != newsroom.Conflict || newsroom.AsError(err).Field != "revision" {
		return s.formFailed(w, r, tx, &typed, &f, err)
	}
	// Someone else saved meanwhile: show their version against this one.
	theirs, lerr := s.store.ArticleByID(ctx, prev.ID)
	if lerr != nil {
		return lerr
	}
	v := s.editorFor(r, tx, &typed, &f)
	v.Err = &newsroom.Error{Code: newsroom.Conflict, Field: "revision", Message: s.t("desk.editor.conflict", theirs.Revision)}
	v.Conflict = &conflictView{
		Revision: theirs.Revision, SavedAt: theirs.UpdatedAt, By: s.savedBy(ctx, theirs),
		Differs: map[string]bool{"headline": theirs.Headline != typed.Headline,
			"standfirst": theirs.Standfirst != typed.Standfirst, "body": theirs.Body != typed.Body},
		Headline:   diffWords(theirs.Headline, typed.Headline),
		Standfirst: diffWords(theirs.Standfirst, typed.Standfirst),
		Body:       diffText(theirs.Body, typed.Body),
	}
	// A second save now is a deliberate choice, made after seeing theirs.
	v.A.Revision = theirs.Revision
	return s.render(w, r, http.StatusConflict, "editor.html", v)
}

// savedBy names who saved a's current revision, from its revision record
// ("" when unknown).
func (s *Server) savedBy(ctx context.Context, a *newsroom.Article) string {
	revs, err := s.store.Revisions(ctx, a.ID)
	if err != nil || len(revs) == 0 || revs[0].Number != a.Revision {
		return ""
	}
	if revs[0].SavedBy == 0 {
		if revs[0].Reason == newsroom.ReasonScheduler {
			return s.t("publish.revisions.scheduler")
		}
		return ""
	}
	if u, err := s.store.UserByID(ctx, revs[0].SavedBy); err == nil {
		return u.Name
	}
	return ""
}

// handlePreview renders the typed form as the public page will show it.
func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tx, err := s.taxonomy(ctx)
	if err != nil {
		return err
	}
	f := parseArticleForm(r)
	a := &newsroom.Article{}
	if id := formInt(r.PostForm.Get("id")); id > 0 {
		if prev, err := s.store.ArticleByID(ctx, id); err == nil && newsroom.CanRead(CurrentUser(ctx), prev, s.now()) {
			a = prev
		}
	}
	_ = s.apply(ctx, tx, f, a)
	return s.preview(w, r, a)
}

// handleStoredPreview shows a stored story (any status) as readers would.
func (s *Server) handleStoredPreview(w http.ResponseWriter, r *http.Request) error {
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	return s.preview(w, r, a)
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request, a *newsroom.Article) error {
	if err := s.ed.Preview(r.Context(), CurrentUser(r.Context()), a); err != nil {
		return err
	}
	// The editor shows the preview in a frame of its own page.
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	if s.cfg.Preview != nil {
		return s.cfg.Preview(w, r, a)
	}
	v := &previewView{Page: s.page(r, "desk.editor.preview", ""), A: a}
	return s.render(w, r, http.StatusOK, "preview.html", v)
}

type previewView struct {
	Page
	A *newsroom.Article
}

// handleAddCorrection appends a dated correction, clarification or update
// to a published story.
func (s *Server) handleAddCorrection(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	c := &newsroom.Correction{ArticleID: a.ID, Kind: newsroom.CorrectionKind(r.PostFormValue("kind")), Text: r.PostFormValue("text")}
	if err := s.ed.AddCorrection(ctx, CurrentUser(ctx), c); err != nil {
		if e := newsroom.AsError(err); e != nil && e.Code != newsroom.Internal && e.Code != newsroom.Forbidden {
			tx, terr := s.taxonomy(ctx)
			if terr != nil {
				return terr
			}
			v := s.editorFor(r, tx, a, nil)
			v.Err = &newsroom.Error{Code: e.Code, Field: "correction_" + e.Field, Message: e.Message}
			return s.render(w, r, http.StatusUnprocessableEntity, "editor.html", v)
		}
		return err
	}
	return s.redirect(w, r, "/desk/articles/"+strconv.FormatInt(a.ID, 10)+"?done=correction#corrections")
}
