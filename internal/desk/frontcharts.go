package desk

import (
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/newsroom"
)

// frontCharts is what the front page draws of the day: site-wide figures,
// the same for every member of staff, computed at most once a minute.
type frontCharts struct {
	At        time.Time
	Zone      *time.Location // the zone the days were cut in
	ViewsDay  chartView      // views per hour, the last 24 hours
	ViewsWeek chartView      // views per day, the last 7 days
	Sources   chartView      // arrivals per day by source, 14 days
	Reports   chartView      // error reports opened and fixed per day, 14 days
	Comments  chartView      // comments per day by status, 14 days
	MedianFix string         // median time from a report to its fix, 14 days ("" if none)
	Fixed     int
	Today     []storyFigure // published since midnight
	Week      []storyFigure // published in the 7 days before
	MostRead  []storyFigure // most viewed in the last 3 hours
	ViewsNow  int           // views in the last 24 hours
	// Drawn is the five charts written out once per computation (figure,
	// SVG and data table), so a page view does not execute them again.
	Drawn template.HTML
}

// storyFigure is one story with its views and a sparkline of them.
type storyFigure struct {
	ID          int64
	Headline    string
	PublishedAt time.Time
	Views       int
	Spark       template.HTML
}

// frontCache keeps the last frontCharts for frontTTL.
type frontCache struct {
	mu     sync.Mutex
	charts *frontCharts
}

const frontTTL = time.Minute

// frontCharts returns the cached charts, computing them when older than
// frontTTL or cut in another zone than the one in force.
func (s *Server) frontCharts(ctx context.Context) (*frontCharts, error) {
	s.front.mu.Lock()
	defer s.front.mu.Unlock()
	now := s.now()
	if c := s.front.charts; c != nil && now.Sub(c.At) < frontTTL && !now.Before(c.At) && c.Zone == s.loc() {
		return c, nil
	}
	c, err := s.computeFront(ctx, now)
	if err != nil {
		return nil, err
	}
	if c.Drawn, err = s.drawCharts(c); err != nil {
		return nil, err
	}
	s.front.charts = c
	return c, nil
}

// drawCharts writes c's five charts with front.html's "chart" template.
func (s *Server) drawCharts(c *frontCharts) (template.HTML, error) {
	t := s.pages["front.html"]
	if t == nil {
		return "", fmt.Errorf("desk: no template front.html")
	}
	var b strings.Builder
	for _, ch := range []*chartView{&c.ViewsDay, &c.ViewsWeek, &c.Sources, &c.Reports, &c.Comments} {
		if err := t.ExecuteTemplate(&b, "chart", ch); err != nil {
			return "", fmt.Errorf("desk: draw chart %s: %w", ch.ID, err)
		}
	}
	return template.HTML(b.String()), nil // escaped by html/template as it was written
}

// dropFrontCache forgets the cached charts (tests and benchmarks).
func (s *Server) dropFrontCache() {
	s.front.mu.Lock()
	s.front.charts = nil
	s.front.mu.Unlock()
}

func (s *Server) computeFront(ctx context.Context, now time.Time) (*frontCharts, error) {
	c := &frontCharts{At: now, Zone: s.loc()}
	hourNow := now.UTC().Truncate(time.Hour)
	weekStart := hourNow.Add(-7*24*time.Hour + time.Hour)
	end := hourNow.Add(time.Hour)
	totals, err := s.store.HourlyTotals(ctx, weekStart, end)
	if err != nil {
		return nil, err
	}
	// Totals per hour, hours counted back from now.
	const weekHours = 7 * 24
	at := func(h time.Time) int { return weekHours - 1 - int(hourNow.Sub(h.UTC())/time.Hour) }
	total := make([]int, weekHours)
	for _, h := range totals {
		if i := at(h.Hour); i >= 0 && i < weekHours {
			total[i] += h.Count
		}
	}

	// Views per hour, the last 24.
	var labels []string
	for i := weekHours - 24; i < weekHours; i++ {
		labels = append(labels, hourNow.Add(-time.Duration(weekHours-1-i)*time.Hour).In(s.loc()).Format("15:00"))
	}
	day := series{Name: s.t("desk.front.views"), Class: "s-views", Values: total[weekHours-24:]}
	for _, v := range day.Values {
		c.ViewsNow += v
	}
	c.ViewsDay = s.chart("views-day", "desk.front.chart_views_day", c.ViewsNow, labels, []series{day}, 3)

	// Views per day, the last 7 (the site's calendar).
	today := newsroom.ViewDay(now, s.loc())
	days, dayIdx := lastDays(today, 7)
	perDay := make([]int, 7)
	for i, v := range total {
		t := hourNow.Add(-time.Duration(weekHours-1-i) * time.Hour)
		if j, ok := dayIdx[newsroom.ViewDay(t, s.loc())]; ok {
			perDay[j] += v
		}
	}
	c.ViewsWeek = s.chart("views-week", "desk.front.chart_views_week", sum(perDay), dayLabels(days), []series{{Name: s.t("desk.front.views"), Class: "s-views", Values: perDay}}, 1)

	// Where readers came from.
	days14, idx14 := lastDays(today, 14)
	src, err := s.store.ViewSources(ctx, days14[0])
	if err != nil {
		return nil, err
	}
	c.Sources = s.chart("sources", "desk.front.chart_sources", 0, dayLabels(days14), s.byKey(src, idx14, newsroom.Sources, "desk.front.source."), 2)

	// Error reports: opened, fixed, and the median time to fix.
	utcDays, utcIdx := lastDays(time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC), 14)
	rep, took, err := s.store.ReportDays(ctx, utcDays[0])
	if err != nil {
		return nil, err
	}
	c.Reports = s.chart("reports", "desk.front.chart_reports", 0, dayLabels(utcDays), s.byKey(rep, utcIdx, []string{"opened", "fixed"}, "desk.front.report."), 2)
	c.Fixed = len(took)
	if len(took) > 0 {
		slices.Sort(took)
		m := took[len(took)/2]
		if len(took)%2 == 0 {
			m = (took[len(took)/2-1] + took[len(took)/2]) / 2
		}
		c.MedianFix = humanDuration(m)
	}

	// Comments held, approved and spam.
	com, err := s.store.CommentDays(ctx, utcDays[0])
	if err != nil {
		return nil, err
	}
	c.Comments = s.chart("comments", "desk.front.chart_comments", 0, dayLabels(utcDays),
		s.byKey(com, utcIdx, []string{string(newsroom.CommentPending), string(newsroom.CommentApproved), string(newsroom.CommentSpam)}, "desk.front.comment."), 2)

	// This week's stories, today's first, each with its hours.
	from := today.Add(-6 * 24 * time.Hour)
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, s.loc())
	list, _, err := s.store.FindArticles(ctx, newsroom.ArticleFilter{PublicAt: &now, PublishedFrom: time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.loc()), Limit: 40, NoTotal: true})
	if err != nil {
		return nil, err
	}
	// The week's stories and the most read of the last three hours:
	// their week's views, and their last 48 hours for the sparklines.
	top, err := s.store.HourlySums(ctx, hourNow.Add(-2*time.Hour), nil, 5)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(list)+len(top))
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	for _, h := range top {
		if !slices.Contains(ids, h.ArticleID) {
			ids = append(ids, h.ArticleID)
		}
	}
	sums, err := s.store.HourlySums(ctx, weekStart, ids, len(ids))
	if err != nil {
		return nil, err
	}
	week := map[int64]int{}
	for _, h := range sums {
		week[h.ArticleID] = h.Count
	}
	recent, err := s.store.HourlyViews(ctx, hourNow.Add(-47*time.Hour), end, ids)
	if err != nil {
		return nil, err
	}
	per := map[int64][]int{}
	for _, h := range recent {
		i := 47 - int(hourNow.Sub(h.Hour.UTC())/time.Hour)
		if i < 0 || i >= 48 {
			continue
		}
		if per[h.ArticleID] == nil {
			per[h.ArticleID] = make([]int, 48)
		}
		per[h.ArticleID][i] += h.Count
	}
	headlines := map[int64]string{}
	for _, a := range list {
		headlines[a.ID] = a.Headline
		f := s.figure(a.ID, a.Headline, a.PublishedAt, week[a.ID], per[a.ID])
		if !a.PublishedAt.Before(midnight) {
			c.Today = append(c.Today, f)
		} else {
			c.Week = append(c.Week, f)
		}
	}
	for _, r := range top {
		h, ok := headlines[r.ArticleID]
		var pub time.Time
		if !ok {
			a, err := s.store.ArticleByID(ctx, r.ArticleID)
			if err != nil || !a.IsPublic(now) {
				continue
			}
			h, pub = a.Headline, a.PublishedAt
		}
		f := s.figure(r.ArticleID, h, pub, week[r.ArticleID], per[r.ArticleID])
		f.Views = r.Count
		c.MostRead = append(c.MostRead, f)
	}
	return c, nil
}

// chart assembles a chartView with its SVG; total, if not 0, is said in
// the description.
func (s *Server) chart(id, key string, total int, labels []string, ss []series, every int) chartView {
	title := s.t(key)
	desc := s.t(key + "_desc")
	if total > 0 {
		desc += " " + s.t("desk.front.total", total)
	}
	return chartView{ID: id, Title: title, Desc: desc, SVG: barChart(id, title, desc, labels, ss, every),
		Labels: labels, Series: ss, CSV: "/desk/front.csv?chart=" + id}
}

// byKey spreads day counts into one series per key, by day index.
func (s *Server) byKey(counts []newsroom.DayCount, idx map[time.Time]int, keys []string, labelKey string) []series {
	out := make([]series, len(keys))
	for i, k := range keys {
		out[i] = series{Name: s.t(labelKey + k), Class: "s-" + k, Values: make([]int, len(idx))}
	}
	for _, dc := range counts {
		j, ok := idx[dc.Day]
		if !ok {
			continue
		}
		for i, k := range keys {
			if k == dc.Key {
				out[i].Values[j] += dc.Count
			}
		}
	}
	return out
}

// figure is a story with n views this week and its last 48 hours.
func (s *Server) figure(id int64, headline string, pub time.Time, n int, hours []int) storyFigure {
	if hours == nil {
		hours = make([]int, 48)
	}
	return storyFigure{ID: id, Headline: headline, PublishedAt: pub, Views: n,
		Spark: sparkline(fmt.Sprintf("spark-%d", id), s.t("desk.front.spark", headline, n), hours)}
}

// lastDays returns the n days ending with last (each a day bucket) and
// their index.
func lastDays(last time.Time, n int) ([]time.Time, map[time.Time]int) {
	days := make([]time.Time, n)
	idx := map[time.Time]int{}
	for i := range n {
		days[i] = last.AddDate(0, 0, i-n+1)
		idx[days[i]] = i
	}
	return days, idx
}

func dayLabels(days []time.Time) []string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.Format("01-02")
	}
	return out
}

func sum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

func humanDuration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()+0.5))
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
	return fmt.Sprintf("%.1f d", d.Hours()/24)
}

// handleFrontCSV exports one of the front page's charts (or this week's
// stories) as CSV: the same numbers the chart draws.
func (s *Server) handleFrontCSV(w http.ResponseWriter, r *http.Request) error {
	c, err := s.frontCharts(r.Context())
	if err != nil {
		return err
	}
	name := r.URL.Query().Get("chart")
	var rows [][]string
	if name == "stories" {
		rows = append(rows, []string{"id", "headline", "published_at", "views_7d", "views_3h"})
		recent := map[int64]int{}
		for _, f := range c.MostRead {
			recent[f.ID] = f.Views
		}
		for _, f := range append(append([]storyFigure{}, c.Today...), c.Week...) {
			rows = append(rows, []string{strconv.FormatInt(f.ID, 10), csvSafe(f.Headline), f.PublishedAt.UTC().Format(time.RFC3339), strconv.Itoa(f.Views), strconv.Itoa(recent[f.ID])})
		}
	} else {
		var ch *chartView
		for _, x := range []*chartView{&c.ViewsDay, &c.ViewsWeek, &c.Sources, &c.Reports, &c.Comments} {
			if x.ID == name {
				ch = x
			}
		}
		if ch == nil {
			return newsroom.Errorf(newsroom.NotFound, "chart", "%s", s.t("desk.error.not_found_text"))
		}
		return s.writeChartCSV(w, name, *ch)
	}
	return writeCSV(w, name, rows)
}

// writeChartCSV writes a chart's numbers: one row per label, one column
// per series.
func (s *Server) writeChartCSV(w http.ResponseWriter, name string, ch chartView) error {
	head := []string{"label"}
	for _, se := range ch.Series {
		head = append(head, se.Class[2:])
	}
	rows := [][]string{head}
	for i, l := range ch.Labels {
		row := []string{l}
		for _, se := range ch.Series {
			row = append(row, strconv.Itoa(se.Values[i]))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, name, rows)
}

func writeCSV(w http.ResponseWriter, name string, rows [][]string) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="newsdesk-`+name+`.csv"`)
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return nil
}

// csvSafe keeps a spreadsheet from reading text as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
