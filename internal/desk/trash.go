package desk

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"newsdesk/internal/newsroom"
)

// handleTrash moves one story to the trash; handleRestore brings it back
// as a draft. Both go through the editorial service (its permission rules
// and hooks) and return to the list the form came from.
func (s *Server) handleTrash(w http.ResponseWriter, r *http.Request) error {
	return s.trashAction(w, r, "trashed")
}

func (s *Server) handleRestore(w http.ResponseWriter, r *http.Request) error {
	return s.trashAction(w, r, "restored")
}

func (s *Server) trashAction(w http.ResponseWriter, r *http.Request, done string) error {
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
	if done == "trashed" {
		_, err = s.ed.Trash(ctx, u, id)
	} else {
		_, err = s.ed.Restore(ctx, u, id)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, storiesBack(r, done, 1))
}

// storiesBack is the story list a form came from (its "back" field, only
// ever a /desk/stories address), with what was done and to how many.
func storiesBack(r *http.Request, done string, n int) string {
	back := r.PostFormValue("back")
	if back != "/desk/stories" && !strings.HasPrefix(back, "/desk/stories?") || strings.Contains(back, "//") {
		back = "/desk/stories"
	}
	u, err := url.Parse(back)
	if err != nil {
		u, _ = url.Parse("/desk/stories")
	}
	q := u.Query()
	q.Set("done", done)
	q.Set("n", strconv.Itoa(n))
	u.RawQuery = q.Encode()
	return u.String()
}
