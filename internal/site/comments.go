package site

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/comments"
	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/web"
)

// Cookies of the comment form. PendingCookie lets a reader see their own
// comments that await moderation; a page cache must not answer a request
// that carries it (main lists it in the cache's BypassCookies). RememberCookie keeps the
// reader's name, e-mail and website when they tick "remember me"; the
// page's script reads it to fill the form, so it never changes the HTML.
const (
	PendingCookie  = web.PendingCommentsCookie
	RememberCookie = web.RememberCookie
	// maxPendingKeys is how many awaiting comments one browser remembers.
	maxPendingKeys = 10
	// maxFormBody bounds a posted comment form (413 above it).
	maxFormBody = 256 << 10
	// honeypotField is a form field people never see or fill; bots do.
	honeypotField = "homepage"
)

// discussionView is the comments section under an article.
type discussionView struct {
	ArticleID  int64
	ArticleURL string
	Count      int
	Open       bool
	ClosedDays int // > 0 when comments closed because the article is older
	Threads    []*commentNode
	Page       int
	Pages      int
	PrevURL    string // older comments
	NextURL    string // newer comments
	FeedURL    string
	Form       commentForm
}

// commentNode is one comment as shown, with its replies.
type commentNode struct {
	ID        int64
	Name      string
	Website   string
	Staff     bool
	Pending   bool // the reader's own comment awaiting moderation
	Created   time.Time
	Body      template.HTML
	Permalink string
	ReplyURL  string // "" when it may not be answered
	Children  []*commentNode
}

// commentForm is the "Leave a Reply" form with what the reader typed.
type commentForm struct {
	ArticleID int64
	ParentID  int64
	ReplyPage bool // the form is on the reply page (no-JS replies)
	Body      string
	Name      string
	Email     string
	Website   string
	Remember  bool
	Errors    map[string]string // by field: body, name, email, website, parent_id
	Error     string            // not about one field: closed, flood
	MaxLength int
}

// HasErrors reports whether the form carries any error.
func (f *commentForm) HasErrors() bool { return f.Error != "" || len(f.Errors) > 0 }

// ErrorList returns the form's errors in field order, for the summary.
func (f *commentForm) ErrorList() []fieldError {
	var out []fieldError
	if f.Error != "" {
		out = append(out, fieldError{Message: f.Error})
	}
	for _, k := range []string{"parent_id", "body", "name", "email", "website"} {
		if m, ok := f.Errors[k]; ok {
			id := "comment-" + k
			if k == "parent_id" {
				id = ""
			}
			out = append(out, fieldError{Field: id, Message: m})
		}
	}
	return out
}

type fieldError struct{ Field, Message string }

// commentSettings reads the settings, or defaults (logged) on failure.
func (s *Server) commentSettings(ctx context.Context) newsroom.CommentSettings {
	cs, err := s.cfg.Comments.Settings(ctx)
	if err != nil {
		s.log.Error("site: read comment settings", "err", err)
	}
	return cs
}

// addDiscussion fills v.Discussion for article a: its approved comments
// (threaded, one page of them), the reader's own comments awaiting
// moderation when their browser carries the pending cookie, and the form
// (form nil: an empty one).
func (s *Server) addDiscussion(w http.ResponseWriter, r *http.Request, a *newsroom.Article, v *articleView, form *commentForm) error {
	if s.cfg.Comments == nil {
		return nil
	}
	ctx := r.Context()
	cs := s.commentSettings(ctx)
	now := s.now()
	d := &discussionView{
		ArticleID: a.ID, ArticleURL: s.articlePath(a), Count: a.CommentCount,
		Open:    newsroom.CommentsOpen(a, cs, now),
		FeedURL: "/comments/feed/" + strconv.FormatInt(a.ID, 10),
	}
	if a.CommentsOpen && !d.Open && cs.CloseAfterDays > 0 {
		d.ClosedDays = cs.CloseAfterDays
	}
	v.CommentsOn = d.Open
	approved, _, err := s.cfg.Comments.Approved(ctx, newsroom.CommentFilter{
		ArticleID: a.ID, OldestFirst: true, Limit: 5000})
	if err != nil {
		return err
	}
	own := s.ownPending(w, r, a.ID)
	if r.URL.Query().Has("posted") {
		// Where a reader lands after posting: never a shared or stale copy.
		w.Header().Set("Cache-Control", "private, no-cache")
	}
	page := 1
	if p, err := strconv.Atoi(r.URL.Query().Get("cpage")); err == nil && p > 1 {
		page = p
	}
	d.Threads, d.Page, d.Pages = buildThreads(approved, own, s.articlePath(a), cs, page, d.Open)
	if d.Page > 1 {
		d.PrevURL = pageURL(s.articlePath(a), d.Page-1) + "#comments"
	}
	if d.Page < d.Pages {
		d.NextURL = pageURL(s.articlePath(a), d.Page+1) + "#comments"
	}
	if form == nil {
		form = &commentForm{}
	}
	form.ArticleID = a.ID
	form.MaxLength = cs.MaxLength
	d.Form = *form
	v.Discussion = d
	return nil
}

func pageURL(base string, page int) string {
	if page <= 1 {
		return base
	}
	return base + "?cpage=" + strconv.Itoa(page)
}

// threadIndex arranges approved comments (oldest first) into threads: the
// top-level threads in order, every node by id with its permalink, and the
// index of each comment's top-level thread. A reply whose parent is not
// shown stands at the top level.
func threadIndex(approved []*newsroom.Comment, base string, cs newsroom.CommentSettings, open bool) ([]*commentNode, map[int64]*commentNode, map[int64]int) {
	nodes := map[int64]*commentNode{}
	for _, c := range approved {
		nodes[c.ID] = newCommentNode(c, cs, open)
	}
	var top []*commentNode
	topOf := map[int64]int{}
	for _, c := range approved {
		n := nodes[c.ID]
		if _, placed := topOf[c.ParentID]; placed && c.ParentID != 0 {
			nodes[c.ParentID].Children = append(nodes[c.ParentID].Children, n)
			topOf[c.ID] = topOf[c.ParentID]
			continue
		}
		topOf[c.ID] = len(top)
		top = append(top, n)
	}
	for id, i := range topOf {
		nodes[id].Permalink = pageURL(base, i/cs.PerPage+1) + "#comment-" + strconv.FormatInt(id, 10)
	}
	return top, nodes, topOf
}

func newCommentNode(c *newsroom.Comment, cs newsroom.CommentSettings, open bool) *commentNode {
	n := &commentNode{ID: c.ID, Name: c.Name, Website: c.Website, Staff: c.Staff,
		Pending: c.Status != newsroom.CommentApproved, Created: c.CreatedAt,
		Body: template.HTML(c.BodyHTML)} // escaped and sanitized on save by comments.Render
	if open && !n.Pending && c.Depth+1 < cs.MaxDepth {
		n.ReplyURL = "/comments/reply/" + strconv.FormatInt(c.ID, 10)
	}
	return n
}

// buildThreads returns one page of top-level threads, the page shown and
// the page count. The reader's own pending comments join under their
// parent when it is on the page, or at the end.
func buildThreads(approved, own []*newsroom.Comment, base string, cs newsroom.CommentSettings, page int, open bool) ([]*commentNode, int, int) {
	top, nodes, topOf := threadIndex(approved, base, cs, open)
	pages := max(1, (len(top)+cs.PerPage-1)/cs.PerPage)
	page = min(max(page, 1), pages)
	lo, hi := (page-1)*cs.PerPage, min(page*cs.PerPage, len(top))
	shown := append([]*commentNode{}, top[lo:hi]...)
	for _, c := range own {
		n := newCommentNode(c, cs, open)
		n.Permalink = "#comment-" + strconv.FormatInt(c.ID, 10)
		if i, ok := topOf[c.ParentID]; ok && c.ParentID != 0 && i >= lo && i < hi {
			nodes[c.ParentID].Children = append(nodes[c.ParentID].Children, n)
			continue
		}
		shown = append(shown, n)
	}
	return shown, page, pages
}

// pendingKeys parses the pending cookie: "id.key" pairs separated by "~".
func pendingKeys(r *http.Request) map[int64]string {
	c, err := r.Cookie(PendingCookie)
	if err != nil {
		return nil
	}
	out := map[int64]string{}
	for _, part := range strings.Split(c.Value, "~") {
		idStr, key, ok := strings.Cut(part, ".")
		id, err := strconv.ParseInt(idStr, 10, 64)
		if ok && err == nil && id > 0 && key != "" && len(out) < maxPendingKeys {
			out[id] = key
		}
	}
	return out
}

func (s *Server) setPendingCookie(w http.ResponseWriter, r *http.Request, keys map[int64]string) {
	var parts []string
	for id, key := range keys {
		parts = append(parts, strconv.FormatInt(id, 10)+"."+key)
	}
	c := &http.Cookie{Name: PendingCookie, Value: strings.Join(parts, "~"), Path: "/",
		MaxAge: 30 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)}
	if len(parts) == 0 {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
}

// OwnsPending reports whether r carries a pending-comments cookie whose
// secrets own at least one of the comments it names, whatever their
// status now (the page must then be rendered for this reader: it shows
// their comments awaiting moderation, or drops the ones since approved
// from the cookie). The page cache asks this before it lets the cookie
// bypass: a cookie with made-up values is served the shared page.
func (s *Server) OwnsPending(r *http.Request) bool {
	keys := pendingKeys(r)
	if len(keys) == 0 || s.cfg.Comments == nil {
		return false
	}
	owns, err := s.cfg.Comments.Owns(r.Context(), keys)
	if err != nil {
		s.log.Warn("site: check pending-comments cookie", "err", err)
		return true // render for the reader rather than hide their comment
	}
	return owns
}

// ownPending returns the reader's comments on the article that still await
// moderation, proven by the secrets in their cookie. A page showing them is
// private. Secrets of comments no longer pending are dropped from the
// cookie, so that the reader's pages become cacheable again.
func (s *Server) ownPending(w http.ResponseWriter, r *http.Request, articleID int64) []*newsroom.Comment {
	keys := pendingKeys(r)
	if keys == nil {
		return nil
	}
	w.Header().Set("Cache-Control", "private, no-store")
	list, err := s.cfg.Comments.OwnPending(r.Context(), keys)
	if err != nil {
		s.log.Error("site: read own pending comments", "err", err)
		return nil
	}
	var out []*newsroom.Comment
	still := map[int64]string{}
	for _, c := range list {
		still[c.ID] = keys[c.ID]
		if c.ArticleID == articleID {
			out = append(out, c)
		}
	}
	if len(still) != len(keys) {
		s.setPendingCookie(w, r, still)
	}
	return out
}

// handlePostComment receives the "Leave a Reply" form. It works without
// JavaScript: a good comment redirects (303) to its place on the article;
// a refused one shows the page again with the reasons beside the fields and
// everything the reader typed.
func (s *Server) handlePostComment(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Comments == nil {
		return errNotFound
	}
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return newsroom.Errorf(newsroom.TooLarge, "", "the comment form is larger than %d bytes", maxErr.Limit)
		}
		return newsroom.Errorf(newsroom.Invalid, "", "the form could not be read")
	}
	ctx := r.Context()
	articleID, err := strconv.ParseInt(r.PostForm.Get("article_id"), 10, 64)
	if err != nil || articleID < 1 {
		return errNotFound
	}
	a, err := s.store.ArticleByID(ctx, articleID)
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) {
		return errNotFound
	}
	form := &commentForm{
		Body: r.PostForm.Get("comment"), Name: r.PostForm.Get("author"),
		Email: r.PostForm.Get("email"), Website: r.PostForm.Get("url"),
		Remember: r.PostForm.Get("remember") != "", ReplyPage: r.PostForm.Get("reply_page") != "",
	}
	form.ParentID, _ = strconv.ParseInt(r.PostForm.Get("parent_id"), 10, 64)
	ip := web.ClientAddr(r, s.cfg.TrustProxy)
	if r.PostForm.Get(honeypotField) != "" {
		// Answer as if all went well; store nothing.
		s.log.Warn("site: comment honeypot filled; dropped", "ip", ip, "article", a.ID)
		http.Redirect(w, r, s.articlePath(a)+"#comments", http.StatusSeeOther)
		return nil
	}
	in := newsroom.CommentInput{Name: form.Name, Email: form.Email, Website: form.Website, Body: form.Body, ParentID: form.ParentID}
	c, key, err := s.cfg.Comments.Post(ctx, a.ID, in, comments.Meta{IP: ip, UserAgent: r.UserAgent()})
	if err != nil {
		return s.refuseComment(w, r, a, form, err)
	}
	if form.Remember {
		b, _ := json.Marshal(map[string]string{"name": c.Name, "email": c.Email, "url": c.Website})
		http.SetCookie(w, &http.Cookie{Name: RememberCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
			MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	} else if _, err := r.Cookie(RememberCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: RememberCookie, Path: "/", MaxAge: -1, Secure: s.secure(r)})
	}
	// The address carries ?posted=ID: a page no cache keeps (see
	// addDiscussion), so the reader's browser cannot show them a copy from
	// before their comment.
	page := 1
	if c.Status == newsroom.CommentApproved {
		approved, _, err := s.cfg.Comments.Approved(ctx, newsroom.CommentFilter{
			ArticleID: a.ID, OldestFirst: true, Limit: 5000})
		if err != nil {
			return err
		}
		page = pageOf(approved, s.commentSettings(ctx), c.ID)
	} else {
		keys := pendingKeys(r)
		if keys == nil {
			keys = map[int64]string{}
		}
		for id := range keys {
			if len(keys) < maxPendingKeys {
				break
			}
			delete(keys, id)
		}
		keys[c.ID] = key
		s.setPendingCookie(w, r, keys)
	}
	q := url.Values{"posted": {strconv.FormatInt(c.ID, 10)}}
	if page > 1 {
		q.Set("cpage", strconv.Itoa(page))
	}
	http.Redirect(w, r, s.articlePath(a)+"?"+q.Encode()+"#comment-"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

// pageOf returns the page of comments that shows comment id.
func pageOf(approved []*newsroom.Comment, cs newsroom.CommentSettings, id int64) int {
	if _, _, topOf := threadIndex(approved, "", cs, false); topOf != nil {
		if i, ok := topOf[id]; ok {
			return i/cs.PerPage + 1
		}
	}
	return 1
}

// refuseComment shows the form again with what went wrong and what the
// reader typed: on the article, or on the reply page it came from.
func (s *Server) refuseComment(w http.ResponseWriter, r *http.Request, a *newsroom.Article, form *commentForm, err error) error {
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal || e.Code == newsroom.NotFound {
		return err
	}
	ctx := r.Context()
	cs := s.commentSettings(ctx)
	lang := s.lang
	status := http.StatusUnprocessableEntity
	reason := newsroom.CommentReason(err)
	switch {
	case e.Code == newsroom.RateLimited:
		status = http.StatusTooManyRequests
		web.SetRetryAfter(w, e.Retry)
		form.Error = i18n.T(lang, "comments.error.flood", web.RetrySeconds(e.Retry))
	case reason == "closed":
		status = http.StatusForbidden
		form.Error = i18n.T(lang, "comments.error.closed")
	case e.Field != "":
		form.Errors = map[string]string{e.Field: s.commentMessage(reason, e.Field, form, cs)}
	default:
		form.Error = e.Message
	}
	if form.ReplyPage && form.ParentID != 0 {
		parent, perr := s.cfg.Comments.ApprovedByID(ctx, form.ParentID)
		if perr == nil && parent.ArticleID == a.ID {
			return s.renderReply(w, r, status, a, parent, form)
		}
	}
	v, verr := s.articleView(r, a)
	if verr != nil {
		return verr
	}
	if form.Errors["parent_id"] != "" {
		form.ParentID = 0 // the form returns to the foot of the article
	}
	if derr := s.addDiscussion(w, r, a, v, form); derr != nil {
		return derr
	}
	v.Robots = "noindex"
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "article.html", v)
}

// commentMessage is the reader's-language sentence for a refused field.
func (s *Server) commentMessage(reason, field string, form *commentForm, cs newsroom.CommentSettings) string {
	lang := s.lang
	switch {
	case reason == "too_long" && field == "body":
		return i18n.T(lang, "comments.error.too_long.body", utf8.RuneCountInString(strings.TrimSpace(form.Body)), cs.MaxLength)
	case reason == "too_long" && field == "name":
		return i18n.T(lang, "comments.error.too_long.name", newsroom.MaxCommentName)
	}
	for _, key := range []string{"comments.error." + reason + "." + field, "comments.error." + reason} {
		if i18n.Has(key) {
			return i18n.T(lang, key)
		}
	}
	return i18n.T(lang, "site.request_error_text")
}

// replyView is the page that answers one comment without JavaScript.
type replyView struct {
	Page
	ArticleURL   string
	HeadlineText string
	Parent       *commentNode
	Form         commentForm
}

// handleReplyPage shows one approved comment and a form answering it: the
// "Reply" link's target when the script that moves the form is not running.
func (s *Server) handleReplyPage(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Comments == nil {
		return errNotFound
	}
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return errNotFound
	}
	parent, err := s.cfg.Comments.ApprovedByID(ctx, id)
	if newsroom.IsNotFound(err) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	a, err := s.store.ArticleByID(ctx, parent.ArticleID)
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) {
		return errNotFound
	}
	return s.renderReply(w, r, http.StatusOK, a, parent, &commentForm{ParentID: parent.ID})
}

func (s *Server) renderReply(w http.ResponseWriter, r *http.Request, status int, a *newsroom.Article, parent *newsroom.Comment, form *commentForm) error {
	ctx := r.Context()
	cs := s.commentSettings(ctx)
	if !newsroom.CommentsOpen(a, cs, s.now()) {
		http.Redirect(w, r, s.articlePath(a)+"#comments", http.StatusSeeOther)
		return nil
	}
	form.ArticleID, form.ParentID, form.ReplyPage, form.MaxLength = a.ID, parent.ID, true, cs.MaxLength
	v := &replyView{
		Page:         s.page(ctx, r, i18n.T(s.lang, "comments.reply_title")),
		ArticleURL:   s.articlePath(a),
		HeadlineText: render.Text(string(headlineHTML(a))),
		Parent: &commentNode{ID: parent.ID, Name: parent.Name, Website: parent.Website, Staff: parent.Staff,
			Created: parent.CreatedAt, Body: template.HTML(parent.BodyHTML), // sanitized on save
			Permalink: s.articlePath(a) + "#comment-" + strconv.FormatInt(parent.ID, 10)},
		Form: *form,
	}
	v.Robots = "noindex"
	v.Canonical = ""
	return s.render(w, status, "reply.html", v)
}

// secure says whether cookies are marked Secure: over TLS, or always with
// --secure-cookies (behind a TLS-terminating proxy).
func (s *Server) secure(r *http.Request) bool {
	return s.cfg.SecureCookies || web.OverHTTPS(r, s.cfg.TrustProxy)
}
