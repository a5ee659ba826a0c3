package desk

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
)

// storyStatsView is one story's own panel: its views per day since it was
// published, shares by network, and its publication, readers' reports and
// corrections on one timeline.
type storyStatsView struct {
	Page
	Article  *newsroom.Article
	Views    chartView
	Total    int
	Shares   []shareFigure
	Timeline []timelineEntry
}

type shareFigure struct {
	Network string
	Count   int
}

type timelineEntry struct {
	At   time.Time
	Kind string // published, report, fixed, correction, clarification, update
	Text string
}

// storyStatsDays bounds the views chart of an old story.
const storyStatsDays = 366

func (s *Server) handleStoryStats(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := CurrentUser(ctx)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	if !newsroom.CanRead(u, a, s.now()) {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	v := &storyStatsView{Page: s.page(r, "desk.stats.title", "stories"), Article: a}
	v.Title = s.t("desk.stats.title") + ": " + a.Headline
	today := newsroom.ViewDay(s.now(), s.loc())
	first := today.AddDate(0, 0, -29)
	if !a.PublishedAt.IsZero() {
		first = newsroom.ViewDay(a.PublishedAt, s.loc())
	}
	if today.Sub(first) > storyStatsDays*24*time.Hour {
		first = today.AddDate(0, 0, -storyStatsDays+1)
	}
	n := int(today.Sub(first)/(24*time.Hour)) + 1
	days, idx := lastDays(today, max(n, 1))
	daily, err := s.store.DailyViews(ctx, id, days[0])
	if err != nil {
		return err
	}
	vals := make([]int, len(days))
	for _, d := range daily {
		if i, ok := idx[d.Day]; ok {
			vals[i] += d.Count
		}
	}
	v.Total = sum(vals)
	v.Views = s.chart("story-views", "desk.stats.views", v.Total, dayLabels(days),
		[]series{{Name: s.t("desk.front.views"), Class: "s-views", Values: vals}}, max(len(days)/8, 1))
	v.Views.CSV = fmt.Sprintf("/desk/articles/%d/stats.csv", id)
	for _, net := range newsroom.Networks {
		v.Shares = append(v.Shares, shareFigure{Network: net, Count: a.ShareCounts[net]})
	}
	if !a.PublishedAt.IsZero() {
		v.Timeline = append(v.Timeline, timelineEntry{At: a.PublishedAt, Kind: "published", Text: s.t("desk.stats.published")})
	}
	for _, c := range a.Corrections {
		v.Timeline = append(v.Timeline, timelineEntry{At: c.At, Kind: string(c.Kind), Text: c.Text})
	}
	if s.cfg.Reports != nil && u.Role.CanModerate() {
		reps, _, err := s.cfg.Reports.List(ctx, u, newsroom.ErrorReportFilter{ArticleID: id, Limit: 200})
		if err != nil {
			return err
		}
		for _, rep := range reps {
			v.Timeline = append(v.Timeline, timelineEntry{At: rep.CreatedAt, Kind: "report", Text: s.t("desk.stats.report", rep.Exact, rep.Count)})
			if !rep.ResolvedAt.IsZero() {
				v.Timeline = append(v.Timeline, timelineEntry{At: rep.ResolvedAt, Kind: "fixed", Text: s.t("desk.stats.resolved", rep.Exact, string(rep.Status))})
			}
		}
	}
	sort.SliceStable(v.Timeline, func(i, j int) bool { return v.Timeline[i].At.Before(v.Timeline[j].At) })
	if r.URL.Query().Get("format") == "csv" {
		return s.writeChartCSV(w, "story-"+strconv.FormatInt(id, 10), v.Views)
	}
	return s.render(w, r, http.StatusOK, "storystats.html", v)
}

// handleStoryStatsCSV exports a story's views per day.
func (s *Server) handleStoryStatsCSV(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	q.Set("format", "csv")
	r.URL.RawQuery = q.Encode()
	return s.handleStoryStats(w, r)
}
