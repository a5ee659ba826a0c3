package site

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// ReportFiler files readers' error reports (internal/reports.Service).
type ReportFiler interface {
	Submit(ctx context.Context, sub newsroom.ReportSubmission) (*newsroom.ErrorReport, error)
	Limits() newsroom.ReportLimits
}

// maxReportForm bounds the body of the form without JavaScript.
const maxReportForm = 16 << 10

// reportView is the error-report form for readers without JavaScript.
type reportView struct {
	Page
	ArticleID  int64
	Revision   int
	Headline   string
	ArticleURL string
	Sent       bool
	Status     newsroom.ReportStatus // of the report just sent
	Error      string                // what went wrong, for the reader
	ErrorField string                // the field it concerns
	MaxExact   int
	// What the reader typed, kept when the form comes back with an error.
	Exact, Suggestion, Comment, Email string
}

// handleReportForm shows the plain form: the reader pastes the words with
// the error; the server finds where they are. ?sent=1 thanks the reader.
func (s *Server) handleReportForm(w http.ResponseWriter, r *http.Request) error {
	a, err := s.reportArticle(r, r.URL.Query().Get("article"))
	if err != nil {
		return err
	}
	v := s.reportView(r, a)
	v.Sent = r.URL.Query().Get("sent") == "1"
	if v.Sent && r.URL.Query().Get("status") == string(newsroom.ReportFixedByEdit) {
		v.Status = newsroom.ReportFixedByEdit
	}
	tag(w, articleKey(a.ID), keyNav)
	return s.render(w, http.StatusOK, "report.html", v)
}

// handleReportSubmit files a report from the plain form (and from the
// dialog's form if its script fails). Errors a reader can fix come back
// as the form, with what they typed and a sentence saying what to change.
func (s *Server) handleReportSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxReportForm)
	if err := r.ParseForm(); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return newsroom.Errorf(newsroom.TooLarge, "", "the report is too long")
		}
		return newsroom.Errorf(newsroom.Invalid, "", "the form could not be read")
	}
	f := r.PostForm
	a, err := s.reportArticle(r, f.Get("article"))
	if err != nil {
		return err
	}
	v := s.reportView(r, a)
	v.Exact, v.Suggestion, v.Comment, v.Email = f.Get("exact"), f.Get("suggestion"), f.Get("comment"), f.Get("email")
	if f.Get("website") != "" {
		s.log.Info("site: error report honeypot filled", "ip", web.ClientAddr(r, s.cfg.TrustProxy))
		v.Error, v.ErrorField = i18n.T(s.lang, "report.err_honeypot"), "website"
		return s.render(w, http.StatusUnprocessableEntity, "report.html", v)
	}
	rev, _ := strconv.Atoi(f.Get("revision"))
	rep, err := s.cfg.Reports.Submit(r.Context(), newsroom.ReportSubmission{
		ArticleID: a.ID, Revision: rev, Part: newsroom.TextPart(f.Get("part")),
		Quote:      newsroom.Quote{Exact: v.Exact, Prefix: f.Get("prefix"), Suffix: f.Get("suffix")},
		Suggestion: v.Suggestion, Comment: v.Comment, Email: v.Email, IP: web.ClientAddr(r, s.cfg.TrustProxy),
	})
	if err != nil {
		e := newsroom.AsError(err)
		if e == nil || e.Code == newsroom.Internal || e.Code == newsroom.NotFound {
			return err
		}
		v.Error, v.ErrorField = s.reportError(e), e.Field
		p := web.Problem{Error: e, Status: web.FormStatus(e)}
		web.SetHeaders(w, p, "")
		return s.render(w, p.Status, "report.html", v)
	}
	to := "/report-error?article=" + strconv.FormatInt(a.ID, 10) + "&sent=1"
	if rep.Status == newsroom.ReportFixedByEdit {
		to += "&status=" + string(rep.Status)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// reportArticle returns the public article named by id, or not found.
func (s *Server) reportArticle(r *http.Request, id string) (*newsroom.Article, error) {
	if s.cfg.Reports == nil {
		return nil, errNotFound
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 1 {
		return nil, errNotFound
	}
	a, err := s.store.ArticleByID(r.Context(), n)
	if newsroom.IsNotFound(err) || err == nil && !a.IsPublic(s.now()) {
		return nil, errNotFound
	}
	return a, err
}

func (s *Server) reportView(r *http.Request, a *newsroom.Article) *reportView {
	v := &reportView{Page: s.page(r.Context(), r, i18n.T(s.lang, "report.title")),
		ArticleID: a.ID, Revision: a.Revision, Headline: a.Headline, ArticleURL: s.articlePath(a),
		MaxExact: s.cfg.Reports.Limits().WithDefaults().MaxExact}
	v.Robots = "noindex"
	return v
}

// reportError is the reader's sentence for an error they can fix.
func (s *Server) reportError(e *newsroom.Error) string {
	l := s.lang
	switch {
	case e.Code == newsroom.Unprocessable && e.Message == newsroom.MsgQuoteAmbiguous:
		return i18n.T(l, "report.err_ambiguous")
	case e.Code == newsroom.Unprocessable && e.Field == "exact":
		return i18n.T(l, "report.err_not_found")
	case e.Code == newsroom.Unprocessable && e.Field == "revision":
		return i18n.T(l, "report.err_revision")
	case e.Code == newsroom.Invalid && e.Field == "exact":
		return i18n.T(l, "report.err_exact", s.cfg.Reports.Limits().WithDefaults().MaxExact)
	case e.Code == newsroom.Invalid && e.Field == "email":
		return i18n.T(l, "report.err_email")
	case e.Code == newsroom.Invalid:
		return i18n.T(l, "report.err_too_long")
	case e.Code == newsroom.RateLimited:
		return i18n.T(l, "report.err_rate")
	case e.Code == newsroom.Forbidden:
		return i18n.T(l, "report.err_blocked")
	case e.Code == newsroom.TooLarge:
		return i18n.T(l, "report.err_too_long")
	}
	return i18n.T(l, "report.err_other")
}
