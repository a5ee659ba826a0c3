package desk

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// storiesView is the story list: status tabs with their counts, filters,
// full-text search over the desk's own stories (drafts included), sortable
// columns, bulk actions and a quick edit in each row.
type storiesView struct {
	Page
	Rows     []storyRow
	Total    int
	Tabs     []statusTab
	Status   string
	Query    string
	Section  string
	Author   int64
	Tag      string
	Language string
	From, To string
	Mine     bool
	Sort     string
	Asc      bool
	Columns  map[string]sortLink
	Orders   []orderOption // the same sorts as a menu (phones show no column headers)
	Sections []newsroom.Category
	Authors  []newsroom.Author
	Statuses []newsroom.Status // what the quick edit may set
	PageNo   int
	Pages    int
	Prev     string
	Next     string
	Back     string   // this list's address, for the row forms to return to
	Done     string   // what the last action did
	Errors   []string // stories a bulk action could not change, and why
	Trash    bool     // the trash tab: rows offer Restore
}

// storyRow is one story with its figures.
type storyRow struct {
	*newsroom.Article
	Views    int
	TagNames string
	Section  string // primary section slug, for the quick edit
}

// statusTab is one tab above the list.
type statusTab struct {
	Label   string
	URL     string
	Count   int
	Current bool
}

// orderOption is one entry of the sort menu: "column.dir".
type orderOption struct {
	Value, Label string
	Current      bool
}

// sortLink is a sortable column's header link and its state.
type sortLink struct {
	URL  string
	Sort string // "ascending", "descending" or "none" (aria-sort)
}

const (
	storiesPerPage = 50
	// storiesMaxPage bounds the offset a list may ask for; search or a
	// filter narrows a list further back.
	storiesMaxPage = 200
)

// storyStatuses are the tabs, in order, after "All".
var storyStatuses = []newsroom.Status{newsroom.Draft, newsroom.Review, newsroom.Scheduled, newsroom.Published,
	newsroom.Unpublished, newsroom.Trash}

func (s *Server) handleStories(w http.ResponseWriter, r *http.Request) error {
	v, err := s.storiesView(r, r.URL.Query())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "stories.html", v)
}

// storiesView builds the list q asks for.
func (s *Server) storiesView(r *http.Request, q url.Values) (*storiesView, error) {
	ctx := r.Context()
	u := CurrentUser(ctx)
	if o := q.Get("order"); o != "" {
		// The filter form's sort menu: "column.dir".
		col, dir, _ := strings.Cut(o, ".")
		q = cloneValues(q)
		q.Del("order")
		q.Set("sort", col)
		q.Set("dir", dir)
	}
	v := &storiesView{Page: s.page(r, "desk.nav.stories", "stories"), Query: strings.TrimSpace(q.Get("q")),
		Section: q.Get("section"), Tag: strings.TrimSpace(q.Get("tag")), Language: q.Get("language"),
		From: q.Get("from"), To: q.Get("to"), Mine: q.Get("mine") == "1", Sort: q.Get("sort"), Asc: q.Get("dir") == "asc",
		Statuses: []newsroom.Status{newsroom.Draft, newsroom.Review, newsroom.Published, newsroom.Unpublished}}
	v.Back = "/desk/stories"
	if enc := q.Encode(); enc != "" {
		v.Back += "?" + enc
	}
	f := newsroom.ArticleFilter{Query: v.Query, Category: v.Section, Limit: storiesPerPage}
	if v.Tag != "" {
		f.Tag = newsroom.Slugify(v.Tag)
	}
	if v.Language == "en" || v.Language == "ru" {
		f.Language = v.Language
	} else {
		v.Language = ""
	}
	if id, err := strconv.ParseInt(q.Get("author"), 10, 64); err == nil && id > 0 {
		v.Author, f.AuthorID = id, id
	}
	if t, err := time.ParseInLocation(time.DateOnly, v.From, s.loc()); err == nil {
		f.PublishedFrom = t
	} else {
		v.From = ""
	}
	if t, err := time.ParseInLocation(time.DateOnly, v.To, s.loc()); err == nil {
		f.PublishedBefore = t.AddDate(0, 0, 1)
	} else {
		v.To = ""
	}
	if st := newsroom.Status(q.Get("status")); st.Valid() {
		v.Status, f.Status = string(st), &st
		switch st {
		case newsroom.Review:
			v.Active, v.Title = "review", s.t("desk.nav.review")
		case newsroom.Scheduled:
			v.Active, v.Title = "scheduled", s.t("desk.nav.scheduled")
		case newsroom.Trash:
			v.Title, v.Trash = s.t("desk.status.trash"), true
		}
	}
	if sort := newsroom.ArticleSort(v.Sort); sort.Valid() && sort != "" {
		f.Sort, f.Ascending = sort, v.Asc
	} else {
		v.Sort, v.Asc = "", false
	}
	if v.Mine {
		f.CreatedBy = u.ID
	}
	newsroom.ScopeFor(u, s.now(), &f)

	v.PageNo, _ = strconv.Atoi(q.Get("page"))
	v.PageNo = min(max(v.PageNo, 1), storiesMaxPage)
	f.Offset = (v.PageNo - 1) * storiesPerPage
	list, total, err := s.store.FindArticles(ctx, f)
	if err != nil {
		return nil, err
	}
	v.Total = total
	if f.Status != nil && *f.Status == newsroom.Scheduled && f.Sort == "" {
		sortByScheduled(list)
	}
	counts, err := s.store.CountByStatus(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	views, err := s.store.ViewTotals(ctx, ids, time.Time{})
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		row := storyRow{Article: a, Views: views[a.ID]}
		names := make([]string, len(a.Tags))
		for i, t := range a.Tags {
			names[i] = t.Name
		}
		row.TagNames = strings.Join(names, ", ")
		if c := a.PrimaryCategory(); c != nil {
			row.Section = c.Slug
		}
		v.Rows = append(v.Rows, row)
	}

	link := func(set map[string]string) string {
		p := url.Values{}
		for k, vals := range q {
			if k != "done" && k != "n" && k != "page" {
				p[k] = vals
			}
		}
		for k, val := range set {
			if val == "" {
				p.Del(k)
			} else {
				p.Set(k, val)
			}
		}
		if enc := p.Encode(); enc != "" {
			return "/desk/stories?" + enc
		}
		return "/desk/stories"
	}
	all := 0
	for st, n := range counts {
		if st != newsroom.Trash {
			all += n
		}
	}
	v.Tabs = append(v.Tabs, statusTab{Label: s.t("desk.stories.all"), URL: link(map[string]string{"status": ""}), Count: all, Current: v.Status == ""})
	for _, st := range storyStatuses {
		v.Tabs = append(v.Tabs, statusTab{Label: s.t("desk.status." + string(st)), URL: link(map[string]string{"status": string(st)}),
			Count: counts[st], Current: v.Status == string(st)})
	}
	v.Columns = map[string]sortLink{}
	for _, c := range []newsroom.ArticleSort{newsroom.SortHeadline, newsroom.SortComments, newsroom.SortPublished, newsroom.SortUpdated} {
		cur := v.Sort == string(c) || v.Sort == "" && c == newsroom.SortUpdated && v.Query == ""
		l := sortLink{Sort: "none"}
		dir := "desc"
		if c == newsroom.SortHeadline {
			dir = "asc"
		}
		if cur {
			l.Sort = "descending"
			dir = "asc"
			if v.Asc {
				l.Sort, dir = "ascending", "desc"
			}
		}
		l.URL = link(map[string]string{"sort": string(c), "dir": dir})
		v.Columns[string(c)] = l
	}
	for _, o := range []struct{ value, key string }{{"updated.desc", "desk.stories.order_updated"}, {"published.desc", "desk.stories.order_published"},
		{"headline.asc", "desk.stories.order_headline"}, {"comments.desc", "desk.stories.order_comments"}} {
		cur := o.value == v.Sort+"."+map[bool]string{true: "asc", false: "desc"}[v.Asc] || v.Sort == "" && o.value == "updated.desc"
		v.Orders = append(v.Orders, orderOption{Value: o.value, Label: s.t(o.key), Current: cur})
	}
	if total > 0 {
		v.Pages = min((total+storiesPerPage-1)/storiesPerPage, storiesMaxPage)
	}
	if v.PageNo > 1 {
		v.Prev = link(map[string]string{"page": strconv.Itoa(v.PageNo - 1)})
	}
	if v.PageNo < v.Pages {
		v.Next = link(map[string]string{"page": strconv.Itoa(v.PageNo + 1)})
	}
	if v.Sections, err = s.store.Categories(ctx); err != nil {
		return nil, err
	}
	if v.Authors, err = s.store.Authors(ctx); err != nil {
		return nil, err
	}
	if n, _ := strconv.Atoi(q.Get("n")); n > 0 || q.Get("done") != "" {
		if key := doneKeys[q.Get("done")]; key != "" {
			v.Done = s.n(key, n)
		}
	}
	return v, nil
}

// doneKeys are the notices after an action, by the action's name.
var doneKeys = map[string]string{
	"trashed": "desk.stories.trashed", "restored": "desk.stories.restored", "trash": "desk.stories.trashed",
	"restore": "desk.stories.restored", "publish": "desk.stories.published_n", "unpublish": "desk.stories.unpublished",
	"move": "desk.stories.moved", "tag": "desk.stories.tagged", "quick": "desk.stories.quick_saved",
}

// bulkActions are the actions the list's bulk form offers.
var bulkActions = []string{"publish", "unpublish", "move", "tag", "trash", "restore"}

// handleStoriesBulk applies one action to the ticked stories, each through
// the editorial service (its permission rules, checks and hooks), and
// reports those it could not change.
func (s *Server) handleStoriesBulk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := CurrentUser(ctx)
	action := r.PostFormValue("action")
	if !slices.Contains(bulkActions, action) {
		return newsroom.Errorf(newsroom.Invalid, "action", "%s", s.t("desk.stories.bad_action"))
	}
	section := r.PostFormValue("section")
	tag := strings.TrimSpace(r.PostFormValue("tag"))
	if action == "move" && section == "" {
		return newsroom.Errorf(newsroom.Invalid, "section", "%s", s.t("desk.stories.need_section"))
	}
	if action == "tag" && tag == "" {
		return newsroom.Errorf(newsroom.Invalid, "tag", "%s", s.t("desk.stories.need_tag"))
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return newsroom.Errorf(newsroom.Invalid, "id", "%s", s.t("desk.stories.none_ticked"))
	}
	if len(ids) > storiesPerPage*2 {
		return newsroom.Errorf(newsroom.TooLarge, "id", "%s", s.t("desk.stories.too_many", storiesPerPage*2))
	}
	done := 0
	var failed []string
	for _, id := range ids {
		headline, err := s.bulkOne(ctx, u, id, action, section, tag)
		if err != nil {
			msg := err.Error()
			if e := newsroom.AsError(err); e != nil {
				msg = e.Message
			}
			if headline == "" {
				headline = "#" + strconv.FormatInt(id, 10)
			}
			failed = append(failed, headline+": "+msg)
			continue
		}
		done++
	}
	if len(failed) == 0 {
		return s.redirect(w, r, storiesBack(r, action, done))
	}
	back, _ := url.Parse(storiesBack(r, action, done))
	v, err := s.storiesView(r, back.Query())
	if err != nil {
		return err
	}
	v.Errors = failed
	status := http.StatusOK
	if done == 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "stories.html", v)
}

// bulkOne applies action to story id and returns its headline.
func (s *Server) bulkOne(ctx context.Context, u *newsroom.User, id int64, action, section, tag string) (string, error) {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return "", err
	}
	if !newsroom.CanRead(u, a, s.now()) {
		return "", newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	switch action {
	case "trash":
		_, err = s.ed.Trash(ctx, u, id)
		return a.Headline, err
	case "restore":
		_, err = s.ed.Restore(ctx, u, id)
		return a.Headline, err
	}
	_, err = s.ed.Update(ctx, u, id, a.Revision, func(x *newsroom.Article) error {
		switch action {
		case "publish":
			if x.Status == newsroom.Published {
				return newsroom.Errorf(newsroom.Unprocessable, "status", "%s", s.t("desk.stories.already_published"))
			}
			x.Status = newsroom.Published
		case "unpublish":
			if x.Status != newsroom.Published {
				return newsroom.Errorf(newsroom.Unprocessable, "status", "%s", s.t("desk.stories.not_published"))
			}
			x.Status = newsroom.Unpublished
		case "move":
			x.Categories = []newsroom.Category{{Slug: section}}
		case "tag":
			for _, t := range x.Tags {
				if strings.EqualFold(t.Name, tag) || t.Slug == newsroom.Slugify(tag) {
					return nil
				}
			}
			x.Tags = append(x.Tags, newsroom.Tag{Name: tag})
		}
		return nil
	})
	return a.Headline, err
}

// handleQuickEdit saves a story's headline, slug, section, tags and
// status from its row on the list (a plain form; desk.js sends it in the
// background and updates the row).
func (s *Server) handleQuickEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	ctx := r.Context()
	u := CurrentUser(ctx)
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	if !newsroom.CanRead(u, a, s.now()) {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	rev, err := strconv.Atoi(r.PostFormValue("revision"))
	if err != nil {
		return newsroom.Errorf(newsroom.Conflict, "revision", "%s", s.t("desk.stories.stale"))
	}
	saved, err := s.ed.Update(ctx, u, id, rev, func(x *newsroom.Article) error {
		x.Headline = r.PostFormValue("headline")
		x.Slug = strings.TrimSpace(r.PostFormValue("slug"))
		if sec := r.PostFormValue("section"); sec != "" {
			if c := x.PrimaryCategory(); c == nil || c.Slug != sec {
				// The primary section changes; the others stay.
				rest := []newsroom.Category{{Slug: sec}}
				for i, c := range x.Categories {
					if i > 0 && c.Slug != sec {
						rest = append(rest, c)
					}
				}
				x.Categories = rest
			}
		}
		x.Tags = nil
		for _, name := range strings.Split(r.PostFormValue("tags"), ",") {
			if name = strings.TrimSpace(name); name != "" {
				x.Tags = append(x.Tags, newsroom.Tag{Name: name})
			}
		}
		if st := newsroom.Status(r.PostFormValue("status")); st != "" && st != x.Status {
			if !slices.Contains([]newsroom.Status{newsroom.Draft, newsroom.Review, newsroom.Published, newsroom.Unpublished}, st) {
				return newsroom.Errorf(newsroom.Invalid, "status", "%s", s.t("desk.stories.bad_status"))
			}
			x.Status = st
		}
		return nil
	})
	if err != nil {
		return err // as JSON when asked for (the desk's error mapping)
	}
	if wantsJSON(r) {
		var sections []string
		for _, c := range saved.Categories {
			sections = append(sections, c.Name)
		}
		return writeJSON(w, http.StatusOK, map[string]any{"id": saved.ID, "revision": saved.Revision,
			"headline": saved.Headline, "slug": saved.Slug, "status": saved.Status,
			"status_label": s.t("desk.status." + string(saved.Status)), "sections": strings.Join(sections, ", ")})
	}
	return s.redirect(w, r, storiesBack(r, "quick", 1))
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
