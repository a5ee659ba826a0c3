package desk

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"newsdesk/internal/comments"
	"newsdesk/internal/newsroom"
)

// The comment moderation queue: /desk/comments lists comments by status
// (pending, approved, spam, trash) with search and bulk actions; each
// comment can be approved, unapproved, marked spam, trashed, restored,
// edited and answered as the newsroom. Editors also set the moderation
// rules at /desk/comments/settings.

const commentsPerPage = 30

// commentsView is the moderation queue.
type commentsView struct {
	Page
	Status   newsroom.CommentStatus
	Tabs     []commentTab
	Query    string
	Comments []commentRow
	Total    int
	Prev     string
	Next     string
	Back     string // this page's address, to return to after an action
	Done     string // a notice after an action
	Actions  []comments.Action
	Editors  bool // may change the settings
}

type commentTab struct {
	Status  newsroom.CommentStatus
	Count   int
	URL     string
	Current bool
}

// commentRow is one comment in the queue with its article.
type commentRow struct {
	*newsroom.Comment
	Body       template.HTML
	Article    string
	ArticleURL string
	Permalink  string
	Actions    []comments.Action
}

// actionsFor are the buttons a comment with status st offers.
func actionsFor(st newsroom.CommentStatus) []comments.Action {
	switch st {
	case newsroom.CommentPending:
		return []comments.Action{comments.Approve, comments.MarkSpam, comments.Trash}
	case newsroom.CommentApproved:
		return []comments.Action{comments.Unapprove, comments.MarkSpam, comments.Trash}
	case newsroom.CommentSpam:
		return []comments.Action{comments.Restore, comments.Approve, comments.Trash}
	default:
		return []comments.Action{comments.Restore, comments.Approve}
	}
}

func (s *Server) handleComments(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	st := newsroom.CommentStatus(q.Get("status"))
	if st == "" {
		st = newsroom.CommentPending
	}
	if !st.Valid() { // the desk's sentence, in its language
		return newsroom.Errorf(newsroom.Invalid, "status", "%s", s.t("desk.comments.bad_status"))
	}
	page := 1
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 {
		page = p
	}
	v := &commentsView{Page: s.page(r, "desk.nav.comments", "comments"), Status: st, Query: q.Get("q"),
		Back: r.URL.RequestURI(), Actions: actionsFor(st), Editors: CurrentUser(ctx).Role.CanPublish()}
	if d := q.Get("done"); d != "" {
		if n, err := strconv.Atoi(q.Get("n")); err == nil {
			v.Done = s.n("desk.comments.done."+d, n)
		}
	}
	counts, err := s.cfg.Comments.Count(ctx, CurrentUser(ctx))
	if err != nil {
		return err
	}
	for _, x := range newsroom.CommentStatuses {
		v.Tabs = append(v.Tabs, commentTab{Status: x, Count: counts[x], URL: "/desk/comments?status=" + string(x), Current: x == st})
	}
	list, total, err := s.cfg.Comments.List(ctx, CurrentUser(ctx), newsroom.CommentFilter{Status: st, Query: v.Query,
		Limit: commentsPerPage, Offset: (page - 1) * commentsPerPage})
	if err != nil {
		return err
	}
	v.Total = total
	rows, err := s.commentRows(ctx, list)
	if err != nil {
		return err
	}
	v.Comments = rows
	link := func(p int) string {
		u := url.Values{"status": {string(st)}}
		if v.Query != "" {
			u.Set("q", v.Query)
		}
		if p > 1 {
			u.Set("page", strconv.Itoa(p))
		}
		return "/desk/comments?" + u.Encode()
	}
	if page > 1 {
		v.Prev = link(page - 1)
	}
	if page*commentsPerPage < total {
		v.Next = link(page + 1)
	}
	return s.render(w, r, http.StatusOK, "comments.html", v)
}

func (s *Server) commentRows(ctx context.Context, list []*newsroom.Comment) ([]commentRow, error) {
	articles := map[int64]*newsroom.Article{}
	var rows []commentRow
	for _, c := range list {
		a, ok := articles[c.ArticleID]
		if !ok {
			var err error
			if a, err = s.store.ArticleByID(ctx, c.ArticleID); err != nil {
				return nil, err
			}
			articles[c.ArticleID] = a
		}
		rows = append(rows, commentRow{
			Comment: c,
			Body:    template.HTML(c.BodyHTML), // escaped and sanitized on save by comments.Render
			Article: a.Headline, ArticleURL: a.URL(),
			Permalink: a.URL() + "#comment-" + strconv.FormatInt(c.ID, 10),
			Actions:   actionsFor(c.Status),
		})
	}
	return rows, nil
}

// backTo is where an action returns: the queue page it came from, or the
// pending queue. Only desk comment pages are accepted.
func backTo(r *http.Request, done string, n int) string {
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/desk/comments") || strings.HasPrefix(back, "/desk/comments/") || strings.Contains(back, "//") {
		back = "/desk/comments"
	}
	u, err := url.Parse(back)
	if err != nil {
		u, _ = url.Parse("/desk/comments")
	}
	q := u.Query()
	q.Set("done", done)
	q.Set("n", strconv.Itoa(n))
	u.RawQuery = q.Encode()
	return u.String()
}

// handleCommentsBulk applies one action to every ticked comment.
func (s *Server) handleCommentsBulk(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return newsroom.Errorf(newsroom.Invalid, "", "%s", s.t("desk.comments.bad_form"))
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	a := comments.Action(r.PostFormValue("action"))
	if len(ids) == 0 {
		return s.redirect(w, r, backTo(r, "none", 0))
	}
	n, err := s.cfg.Comments.Moderate(r.Context(), CurrentUser(r.Context()), ids, a)
	if err != nil {
		return err
	}
	return s.redirect(w, r, backTo(r, string(a), n))
}

// handleCommentAction applies one action to one comment.
func (s *Server) handleCommentAction(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	if _, err := s.cfg.Comments.Get(r.Context(), CurrentUser(r.Context()), id); err != nil {
		return err
	}
	a := comments.Action(r.PathValue("action"))
	n, err := s.cfg.Comments.Moderate(r.Context(), CurrentUser(r.Context()), []int64{id}, a)
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		c, err := s.cfg.Comments.Get(r.Context(), CurrentUser(r.Context()), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"id": c.ID, "status": c.Status})
	}
	return s.redirect(w, r, backTo(r, string(a), n))
}

// commentEditView edits one comment, or writes a staff reply to it.
type commentEditView struct {
	Page
	Row    commentRow
	Input  newsroom.CommentInput
	Reply  string
	Errors map[string]string
	Back   string
}

func (s *Server) commentForEdit(r *http.Request) (*commentEditView, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	c, err := s.cfg.Comments.Get(r.Context(), CurrentUser(r.Context()), id)
	if err != nil {
		return nil, err
	}
	rows, err := s.commentRows(r.Context(), []*newsroom.Comment{c})
	if err != nil {
		return nil, err
	}
	back := "/desk/comments?status=" + string(c.Status)
	return &commentEditView{Row: rows[0], Back: back,
		Input: newsroom.CommentInput{Name: c.Name, Email: c.Email, Website: c.Website, Body: c.Body}}, nil
}

func (s *Server) handleCommentEditForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.commentForEdit(r)
	if err != nil {
		return err
	}
	v.Page = s.page(r, "desk.comments.edit_title", "comments")
	return s.render(w, r, http.StatusOK, "comment_edit.html", v)
}

func (s *Server) handleCommentEdit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.commentForEdit(r)
	if err != nil {
		return err
	}
	v.Page = s.page(r, "desk.comments.edit_title", "comments")
	v.Input = newsroom.CommentInput{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Website: r.PostFormValue("website"), Body: r.PostFormValue("body")}
	if _, err := s.cfg.Comments.Edit(r.Context(), CurrentUser(r.Context()), v.Row.ID, v.Input); err != nil {
		e := newsroom.AsError(err)
		if e == nil || e.Field == "" {
			return err
		}
		v.Errors = map[string]string{e.Field: e.Message}
		return s.render(w, r, http.StatusUnprocessableEntity, "comment_edit.html", v)
	}
	return s.redirect(w, r, v.Back+"&done=edited&n=1")
}

func (s *Server) handleCommentReplyForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.commentForEdit(r)
	if err != nil {
		return err
	}
	v.Page = s.page(r, "desk.comments.reply_title", "comments")
	return s.render(w, r, http.StatusOK, "comment_reply.html", v)
}

func (s *Server) handleCommentReply(w http.ResponseWriter, r *http.Request) error {
	v, err := s.commentForEdit(r)
	if err != nil {
		return err
	}
	v.Page = s.page(r, "desk.comments.reply_title", "comments")
	v.Reply = r.PostFormValue("body")
	c, err := s.cfg.Comments.Reply(r.Context(), CurrentUser(r.Context()), v.Row.ID, v.Reply)
	if err != nil {
		e := newsroom.AsError(err)
		if e == nil || e.Code == newsroom.Internal || e.Code == newsroom.NotFound {
			return err
		}
		v.Errors = map[string]string{"body": e.Message}
		return s.render(w, r, http.StatusUnprocessableEntity, "comment_reply.html", v)
	}
	return s.redirect(w, r, "/desk/comments?status=approved&done=replied&n=1#c"+strconv.FormatInt(c.ID, 10))
}

// commentSettingsView is the form of the moderation rules.
type commentSettingsView struct {
	Page
	S       newsroom.CommentSettings
	Words   string
	Spam    string
	Saved   bool
	Errors  map[string]string
	Limits  []numInput // moderation numbers
	Display []numInput // display and timing numbers
}

// numInput is one number field of the settings form.
type numInput struct {
	Name  string
	Value string
	Error string
}

// fields fills Limits and Display from the settings, or from what was
// typed when the form comes back with errors.
func (v *commentSettingsView) fields(typed func(string) string) {
	mk := func(name string, n int) numInput {
		in := numInput{Name: name, Value: strconv.Itoa(n), Error: v.Errors[name]}
		if typed != nil {
			in.Value = typed(name)
		}
		return in
	}
	cs := v.S
	v.Limits = []numInput{mk("max_links", cs.MaxLinks), mk("flood_seconds", cs.FloodSeconds)}
	v.Display = []numInput{mk("max_length", cs.MaxLength), mk("max_depth", cs.MaxDepth),
		mk("per_page", cs.PerPage), mk("close_after_days", cs.CloseAfterDays), mk("digest_minutes", cs.DigestMinutes)}
}

func (s *Server) handleCommentSettings(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.cfg.Comments.Settings(r.Context())
	if err != nil {
		return err
	}
	v := &commentSettingsView{Page: s.page(r, "desk.comments.settings_title", "comments"), S: cs,
		Words: strings.Join(cs.ModerationWords, "\n"), Spam: strings.Join(cs.SpamWords, "\n"),
		Saved: r.URL.Query().Get("saved") == "1"}
	v.fields(nil)
	return s.render(w, r, http.StatusOK, "comment_settings.html", v)
}

func (s *Server) handleSaveCommentSettings(w http.ResponseWriter, r *http.Request) error {
	v := &commentSettingsView{Page: s.page(r, "desk.comments.settings_title", "comments"),
		Words: r.PostFormValue("moderation_words"), Spam: r.PostFormValue("spam_words")}
	num := func(name string, dst *int) {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			if v.Errors == nil {
				v.Errors = map[string]string{}
			}
			v.Errors[name] = s.t("desk.comments.settings_number")
			n = -1
		}
		*dst = n
	}
	cs := &v.S
	num("max_length", &cs.MaxLength)
	num("max_depth", &cs.MaxDepth)
	num("per_page", &cs.PerPage)
	num("max_links", &cs.MaxLinks)
	num("flood_seconds", &cs.FloodSeconds)
	num("close_after_days", &cs.CloseAfterDays)
	num("digest_minutes", &cs.DigestMinutes)
	cs.RequireEmail = r.PostFormValue("require_email") == "1"
	cs.ManualApproval = r.PostFormValue("manual_approval") == "1"
	cs.HoldFirstTime = r.PostFormValue("hold_first_time") == "1"
	cs.ModerationWords = newsroom.ParseWords(v.Words)
	cs.SpamWords = newsroom.ParseWords(v.Spam)
	if v.Errors == nil {
		err := s.cfg.Comments.SaveSettings(r.Context(), CurrentUser(r.Context()), *cs)
		if e := newsroom.AsError(err); e != nil && e.Field != "" {
			v.Errors = map[string]string{e.Field: e.Message}
		} else if err != nil {
			return err
		}
	}
	if v.Errors != nil {
		v.fields(r.PostFormValue)
		return s.render(w, r, http.StatusUnprocessableEntity, "comment_settings.html", v)
	}
	return s.redirect(w, r, "/desk/comments/settings?saved=1")
}

// countPending counts comments waiting for a moderator, for the nav.
func (s *Server) countPending(ctx context.Context) (int, error) {
	return s.cfg.Comments.CountStatus(ctx, CurrentUser(ctx), newsroom.CommentPending)
}
