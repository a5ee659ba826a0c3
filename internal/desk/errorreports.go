package desk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/reports"
)

// reportsView is the error-report queue: open reports first, each with
// its article, the sentence with the reported words marked, how many
// readers reported it, and what they suggested and said.
type reportsView struct {
	Page
	Status   string // the filter: open, fixed, fixed_by_edit, rejected, spam or all
	Statuses []string
	Total    int
	Reports  []reportItem
	CanApply bool // editors and admins may apply suggestions (moderators may not edit)
	Done     string
	Error    string // what went wrong with the last action
	ErrorID  int64  // the report it concerns
	Prev     string
	Next     string
}

type reportItem struct {
	*newsroom.ErrorReport
	Headline   string
	PublicURL  string // "" unless the article is public
	EditURL    string
	Best       string // the suggestion most readers sent, applied by default
	Candidates []string
}

const reportsPerPage = 25

var reportFilters = []string{"open", "fixed", "fixed_by_edit", "rejected", "spam", "all"}

// handleErrorReports shows the queue.
func (s *Server) handleErrorReports(w http.ResponseWriter, r *http.Request) error {
	v, err := s.reportsView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "errorreports.html", v)
}

func (s *Server) reportsView(r *http.Request) (*reportsView, error) {
	ctx := r.Context()
	u := CurrentUser(ctx)
	q := r.URL.Query()
	v := &reportsView{Page: s.page(r, "desk.nav.error_reports", "error-reports"), Statuses: reportFilters,
		Status: q.Get("status"), CanApply: u.Role.CanPublish(), Done: q.Get("done")}
	if v.Status == "" {
		v.Status = "open"
	}
	f := newsroom.ErrorReportFilter{Limit: reportsPerPage}
	if v.Status != "all" {
		f.Status = newsroom.ReportStatus(v.Status)
		if !f.Status.Valid() {
			return nil, newsroom.Errorf(newsroom.Invalid, "status", "%s", s.t("desk.reports.bad_status"))
		}
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	f.Offset = (page - 1) * reportsPerPage
	list, total, err := s.cfg.Reports.List(ctx, u, f)
	if err != nil {
		return nil, err
	}
	v.Total = total
	articles := map[int64]*newsroom.Article{}
	for _, rep := range list {
		a, ok := articles[rep.ArticleID]
		if !ok {
			a, err = s.store.ArticleByID(ctx, rep.ArticleID)
			if err != nil && !newsroom.IsNotFound(err) {
				return nil, err
			}
			articles[rep.ArticleID] = a
		}
		it := reportItem{ErrorReport: rep, EditURL: "/desk/articles/" + strconv.FormatInt(rep.ArticleID, 10)}
		if a != nil {
			it.Headline = a.Headline
			if a.IsPublic(s.now()) {
				it.PublicURL = a.URL()
			}
		}
		it.Best, it.Candidates = suggestions(rep)
		v.Reports = append(v.Reports, it)
	}
	link := func(p int) string {
		return "/desk/error-reports?" + url.Values{"status": {v.Status}, "page": {strconv.Itoa(p)}}.Encode()
	}
	if page > 1 {
		v.Prev = link(page - 1)
	}
	if f.Offset+len(list) < total {
		v.Next = link(page + 1)
	}
	return v, nil
}

// suggestions returns the text most readers suggested and every distinct
// suggested text, most frequent first.
func suggestions(rep *newsroom.ErrorReport) (string, []string) {
	votes := map[string]int{}
	var order []string
	for _, sg := range rep.Suggestions {
		if sg.Text == "" {
			continue
		}
		if votes[sg.Text] == 0 {
			order = append(order, sg.Text)
		}
		votes[sg.Text]++
	}
	// Stable: most votes first, then first suggested.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && votes[order[j]] > votes[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	if len(order) == 0 {
		return "", nil
	}
	return order[0], order
}

func reportID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, newsroom.Errorf(newsroom.NotFound, "", "no such error report")
	}
	return id, nil
}

// handleApplyReport writes a suggestion into the article (exactly at the
// reported place, as a new revision) and resolves the report; with a
// correction text it also adds a public correction note.
func (s *Server) handleApplyReport(w http.ResponseWriter, r *http.Request) error {
	id, err := reportID(r)
	if err != nil {
		return err
	}
	opt := reports.ApplyOptions{Text: strings.TrimSpace(r.PostFormValue("text"))}
	if r.PostFormValue("with_correction") == "1" {
		opt.Correction = strings.TrimSpace(r.PostFormValue("correction"))
		if opt.Correction == "" {
			return s.reportFailed(w, r, id, newsroom.Errorf(newsroom.Invalid, "correction", "%s", s.t("desk.reports.correction_needed")))
		}
	}
	_, _, err = s.cfg.Reports.Apply(r.Context(), CurrentUser(r.Context()), id, opt)
	if err != nil {
		return s.reportFailed(w, r, id, err)
	}
	s.log.Info("desk: error report applied", "report", id, "by", CurrentUser(r.Context()).ID)
	return s.redirect(w, r, "/desk/error-reports?done=applied")
}

// handleReportStatus resolves a report as fixed, rejected or spam (with
// block=1, the senders' addresses are blocked), or reopens it.
func (s *Server) handleReportStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := reportID(r)
	if err != nil {
		return err
	}
	st := newsroom.ReportStatus(r.PostFormValue("status"))
	block := r.PostFormValue("block") == "1" && st == newsroom.ReportSpam
	if _, err := s.cfg.Reports.SetStatus(r.Context(), CurrentUser(r.Context()), id, st, block); err != nil {
		return s.reportFailed(w, r, id, err)
	}
	done := string(st)
	if block {
		done = "blocked"
	}
	return s.redirect(w, r, "/desk/error-reports?done="+done)
}

// reportFailed shows the queue again with the reason an action failed, if
// the editor can do something about it.
func (s *Server) reportFailed(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal || e.Code == newsroom.NotFound || e.Code == newsroom.Forbidden || e.Code == newsroom.Unauthorized {
		return err
	}
	v, verr := s.reportsView(r)
	if verr != nil {
		return verr
	}
	v.Error, v.ErrorID = e.Message, id
	return s.render(w, r, http.StatusUnprocessableEntity, "errorreports.html", v)
}

// openReports counts the reports waiting, for the navigation.
func (s *Server) openReports(ctx context.Context) (int, error) {
	return s.cfg.Reports.OpenCount(ctx)
}
