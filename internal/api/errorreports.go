package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/reports"
	"newsdesk/internal/web"
)

// DefaultReportBody is the largest error report accepted, in bytes.
const DefaultReportBody = 8 << 10

// reportRequest is a reader's error report (DESIGN.md's contract, plus an
// optional part, an optional e-mail address and the honeypot).
type reportRequest struct {
	ArticleID  int64  `json:"article_id"`
	Revision   int    `json:"revision"`
	Part       string `json:"part"`
	Exact      string `json:"exact"`
	Prefix     string `json:"prefix"`
	Suffix     string `json:"suffix"`
	Suggestion string `json:"suggestion"`
	Comment    string `json:"comment"`
	Email      string `json:"email"`
	// Website is a honeypot: the dialog never fills it; simple bots do.
	Website string `json:"website"`
}

type reportAccepted struct {
	ID     int64                 `json:"id"`
	Status newsroom.ReportStatus `json:"status"`
	Count  int                   `json:"count"`
}

// createErrorReport is the public endpoint readers' browsers call. It
// depends on nothing baked into the page: size limit, honeypot, rate limits
// per address and per article, and the quote itself checked against the
// revision.
func (s *Server) createErrorReport(w http.ResponseWriter, r *http.Request) error {
	if s.Reports == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "error reports are not enabled")
	}
	limit := s.ReportBody
	if limit <= 0 {
		limit = DefaultReportBody
	}
	var req reportRequest
	if err := web.DecodeJSON(w, r, &req, limit); err != nil {
		return err
	}
	if req.Website != "" {
		s.Logger.Info("error report: honeypot filled", "ip", web.ClientAddr(r, s.TrustProxy))
		return newsroom.Errorf(newsroom.Invalid, "website", "leave the last field empty")
	}
	rep, err := s.Reports.Submit(r.Context(), newsroom.ReportSubmission{
		ArticleID: req.ArticleID, Revision: req.Revision, Part: newsroom.TextPart(req.Part),
		Quote:      newsroom.Quote{Exact: req.Exact, Prefix: req.Prefix, Suffix: req.Suffix},
		Suggestion: req.Suggestion, Comment: req.Comment, Email: req.Email,
		IP: web.ClientAddr(r, s.TrustProxy),
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, reportAccepted{ID: rep.ID, Status: rep.Status, Count: rep.Count})
	return nil
}

// ReportJSON is an error report as the API shows it to staff.
type ReportJSON struct {
	ID          int64                 `json:"id"`
	ArticleID   int64                 `json:"article_id"`
	Headline    string                `json:"headline"`
	URL         string                `json:"url"`
	Revision    int                   `json:"revision"`
	Part        newsroom.TextPart     `json:"part"`
	Exact       string                `json:"exact"`
	Prefix      string                `json:"prefix"`
	Suffix      string                `json:"suffix"`
	Before      string                `json:"before"`
	After       string                `json:"after"`
	Status      newsroom.ReportStatus `json:"status"`
	Count       int                   `json:"count"`
	Suggestions []SuggestionJSON      `json:"suggestions"`
	CreatedAt   time.Time             `json:"created_at"`
	UpdatedAt   time.Time             `json:"updated_at"`
	ResolvedAt  *time.Time            `json:"resolved_at"`
}

// SuggestionJSON is one reader's part of a report. The reader's addresses
// are never shown; WantsNotice says a reader waits to hear of the fix.
type SuggestionJSON struct {
	ID          int64     `json:"id"`
	Suggestion  string    `json:"suggestion"`
	Comment     string    `json:"comment"`
	WantsNotice bool      `json:"wants_notice"`
	CreatedAt   time.Time `json:"created_at"`
}

func (s *Server) reportJSON(ctx context.Context, rep *newsroom.ErrorReport, articles map[int64]*newsroom.Article) ReportJSON {
	j := ReportJSON{ID: rep.ID, ArticleID: rep.ArticleID, Revision: rep.Revision, Part: rep.Part,
		Exact: rep.Exact, Prefix: rep.Prefix, Suffix: rep.Suffix, Before: rep.Before, After: rep.After,
		Status: rep.Status, Count: rep.Count, Suggestions: []SuggestionJSON{},
		CreatedAt: rep.CreatedAt.UTC(), UpdatedAt: rep.UpdatedAt.UTC(), ResolvedAt: timePtr(rep.ResolvedAt)}
	a, ok := articles[rep.ArticleID]
	if !ok {
		a, _ = s.Store.ArticleByID(ctx, rep.ArticleID)
		articles[rep.ArticleID] = a
	}
	if a != nil {
		j.Headline, j.URL = a.Headline, a.URL()
	}
	for _, sg := range rep.Suggestions {
		j.Suggestions = append(j.Suggestions, SuggestionJSON{ID: sg.ID, Suggestion: sg.Text, Comment: sg.Comment,
			WantsNotice: sg.Email != "", CreatedAt: sg.CreatedAt.UTC()})
	}
	return j
}

type reportListJSON struct {
	Reports []ReportJSON `json:"reports"`
	Total   int          `json:"total"`
	Open    int          `json:"open"`
	Page    int          `json:"page"`
	Pages   int          `json:"pages"`
}

// listErrorReports is the queue for editors and moderators.
func (s *Server) listErrorReports(w http.ResponseWriter, r *http.Request) error {
	if s.Reports == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "error reports are not enabled")
	}
	q := r.URL.Query()
	f := newsroom.ErrorReportFilter{Status: newsroom.ReportStatus(q.Get("status")), Limit: pageSize}
	if f.Status == "" {
		f.Status = newsroom.ReportOpen
	} else if f.Status == "all" {
		f.Status = ""
	}
	articleID, err := articleParam(q)
	if err != nil {
		return err
	}
	f.ArticleID = articleID
	page, err := pageParam(q)
	if err != nil {
		return err
	}
	f.Offset = (page - 1) * pageSize
	list, total, err := s.Reports.List(r.Context(), User(r.Context()), f)
	if err != nil {
		return err
	}
	open, err := s.Reports.OpenCount(r.Context())
	if err != nil {
		return err
	}
	out := reportListJSON{Reports: []ReportJSON{}, Total: total, Open: open, Page: page, Pages: (total + pageSize - 1) / pageSize}
	articles := map[int64]*newsroom.Article{}
	for _, rep := range list {
		out.Reports = append(out.Reports, s.reportJSON(r.Context(), rep, articles))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getErrorReport shows one report to an editor or moderator.
func (s *Server) getErrorReport(w http.ResponseWriter, r *http.Request) error {
	if s.Reports == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "error reports are not enabled")
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := s.Reports.Get(r.Context(), User(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.reportJSON(r.Context(), rep, map[int64]*newsroom.Article{}))
	return nil
}

type reportPatch struct {
	Status       *newsroom.ReportStatus `json:"status"`
	BlockIP      bool                   `json:"block_ip"`
	Apply        bool                   `json:"apply"`
	SuggestionID int64                  `json:"suggestion_id"`
	Text         string                 `json:"text"`
	Correction   string                 `json:"correction"`
}

type reportPatched struct {
	ReportJSON
	// Article is the saved article after {"apply": true}.
	Article *ArticleJSON `json:"article,omitempty"`
}

// patchErrorReport resolves a report: {"status": ...} (with "block_ip" for
// spam) or {"apply": true} (optionally "suggestion_id" or "text", and
// "correction" for a public correction note).
func (s *Server) patchErrorReport(w http.ResponseWriter, r *http.Request) error {
	if s.Reports == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "error reports are not enabled")
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var p reportPatch
	if err := s.decode(w, r, &p); err != nil {
		return err
	}
	u := User(r.Context())
	var out reportPatched
	switch {
	case p.Apply && p.Status != nil:
		return newsroom.Errorf(newsroom.Invalid, "status", "send either apply or status, not both")
	case p.Apply:
		rep, a, err := s.Reports.Apply(r.Context(), u, id, reports.ApplyOptions{SuggestionID: p.SuggestionID, Text: p.Text, Correction: p.Correction})
		if err != nil {
			return err
		}
		aj := ToJSON(a)
		out.Article = &aj
		out.ReportJSON = s.reportJSON(r.Context(), rep, map[int64]*newsroom.Article{a.ID: a})
	case p.Status != nil:
		if p.BlockIP && *p.Status != newsroom.ReportSpam {
			return newsroom.Errorf(newsroom.Invalid, "block_ip", "block_ip goes with status spam")
		}
		rep, err := s.Reports.SetStatus(r.Context(), u, id, *p.Status, p.BlockIP)
		if err != nil {
			return err
		}
		out.ReportJSON = s.reportJSON(r.Context(), rep, map[int64]*newsroom.Article{})
	default:
		return newsroom.Errorf(newsroom.Invalid, "status", `send {"status": ...} or {"apply": true}`)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, newsroom.Errorf(newsroom.NotFound, "", "no such error report")
	}
	return id, nil
}
