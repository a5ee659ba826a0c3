package desk

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"newsdesk/internal/newsroom"
)

// activityView is the activity log: newest first, searchable, filtered by
// action, paged by the last entry shown.
type activityView struct {
	Page
	Entries []activityRow
	Query   string
	Action  string
	Actions []string
	Next    string // the next (older) page, if any
	First   bool   // this is the newest page
}

type activityRow struct {
	newsroom.Activity
	Label string // the action in the desk's language
	Link  string // the desk page of what was acted on, if it still has one
}

const activityPerPage = 50

// activityActions are the actions the filter offers, in its order.
var activityActions = []newsroom.Action{newsroom.ActPublished, newsroom.ActScheduled, newsroom.ActUnpublished,
	newsroom.ActTrashed, newsroom.ActRestored, newsroom.ActPurged, newsroom.ActAppliedFix, newsroom.ActRoleChanged,
	newsroom.ActUserDisabled, newsroom.ActUserEnabled, newsroom.ActInvited, newsroom.ActLegalCreated,
	newsroom.ActLegalChanged, newsroom.ActLegalDeleted}

func (s *Server) handleActivity(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := &activityView{Page: s.page(r, "desk.activity.title", "activity"), Query: strings.TrimSpace(q.Get("q"))}
	f := newsroom.ActivityFilter{Query: v.Query, Limit: activityPerPage + 1}
	for _, a := range activityActions {
		v.Actions = append(v.Actions, string(a))
		if string(a) == q.Get("action") {
			v.Action, f.Action = string(a), a
		}
	}
	if b, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && b > 0 {
		f.Before = b
	}
	v.First = f.Before == 0
	list, err := s.ed.Activities(r.Context(), CurrentUser(r.Context()), f)
	if err != nil {
		return err
	}
	if len(list) > activityPerPage {
		list = list[:activityPerPage]
		p := url.Values{"before": {strconv.FormatInt(list[len(list)-1].ID, 10)}}
		if v.Query != "" {
			p.Set("q", v.Query)
		}
		if v.Action != "" {
			p.Set("action", v.Action)
		}
		v.Next = "/desk/activity?" + p.Encode()
	}
	for _, e := range list {
		row := activityRow{Activity: e, Label: s.t("desk.activity." + string(e.Action))}
		switch {
		case e.Kind == "article" && e.TargetID != 0 && e.Action != newsroom.ActPurged:
			row.Link = "/desk/articles/" + strconv.FormatInt(e.TargetID, 10)
		case e.Kind == "legal" && e.TargetID != 0 && e.Action != newsroom.ActLegalDeleted:
			row.Link = "/desk/legal/" + strconv.FormatInt(e.TargetID, 10)
		}
		v.Entries = append(v.Entries, row)
	}
	return s.render(w, r, http.StatusOK, "activity.html", v)
}
