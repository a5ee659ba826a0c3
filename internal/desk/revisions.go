package desk

import (
	"net/http"
	"strconv"

	"newsdesk/internal/newsroom"
)

// revisionsView lists a story's revisions and shows the difference between
// any two of them.
type revisionsView struct {
	Page
	A          *newsroom.Article
	Revisions  []newsroom.Revision
	From, To   *newsroom.Revision
	Headline   []diffOp
	Standfirst []diffOp
	Body       []diffOp
	Same       bool
}

func findRevision(list []newsroom.Revision, n int) *newsroom.Revision {
	for i := range list {
		if list[i].Number == n {
			return &list[i]
		}
	}
	return nil
}

// handleRevisions shows the revisions of a story; ?from=N&to=M picks the
// two to compare (default: the latest and the one before it).
func (s *Server) handleRevisions(w http.ResponseWriter, r *http.Request) error {
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(r.Context(), a.ID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for i := range revs {
		id := revs[i].SavedBy
		if _, seen := names[id]; !seen && id != 0 {
			if u, err := s.store.UserByID(r.Context(), id); err == nil {
				names[id] = u.Name
			}
		}
		revs[i].SavedByName = names[id]
	}
	v := &revisionsView{Page: s.page(r, "desk.revisions.title", "stories"), A: a, Revisions: revs}
	if len(revs) > 0 {
		q := r.URL.Query()
		to, _ := strconv.Atoi(q.Get("to"))
		from, _ := strconv.Atoi(q.Get("from"))
		v.To = findRevision(revs, to)
		if v.To == nil {
			v.To = &revs[0]
		}
		v.From = findRevision(revs, from)
		if v.From == nil {
			// the revision before To (revs are newest first)
			for i := range revs {
				if revs[i].Number < v.To.Number {
					v.From = &revs[i]
					break
				}
			}
		}
		if v.From == nil {
			v.From = v.To
		}
		v.Headline = diffWords(v.From.Headline, v.To.Headline)
		v.Standfirst = diffWords(v.From.Standfirst, v.To.Standfirst)
		v.Body = diffText(v.From.Body, v.To.Body)
		v.Same = !changed(v.Headline) && !changed(v.Standfirst) && !changed(v.Body)
	}
	return s.render(w, r, http.StatusOK, "revisions.html", v)
}

// handleRestoreRevision saves the headline, standfirst and body of an old
// revision as a new save (the history keeps everything).
func (s *Server) handleRestoreRevision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(ctx, a.ID)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(r.PathValue("n"))
	rv := findRevision(revs, n)
	if rv == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.revisions.none_such"))
	}
	expected, _ := strconv.Atoi(r.PostFormValue("revision"))
	next, err := s.ed.Update(ctx, CurrentUser(ctx), a.ID, expected, func(x *newsroom.Article) error {
		x.Headline, x.Standfirst, x.Body = rv.Headline, rv.Standfirst, rv.Body
		x.RevisionReason, x.RevisionNote = newsroom.ReasonRestored, s.t("publish.revision.restored", n)
		return nil
	})
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/desk/articles/"+strconv.FormatInt(next.ID, 10)+"?done=restored&from="+strconv.Itoa(n))
}
