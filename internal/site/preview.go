package site

import (
	"net/http"

	"newsdesk/internal/newsroom"
)

// Preview writes the public page of a, which need not be saved or public,
// exactly as readers would see it once published: the desk shows it beside
// its editor. a must be rendered (render.Renderer.Article). The page is
// marked noindex and is not tagged for the page cache.
func (s *Server) Preview(w http.ResponseWriter, r *http.Request, a *newsroom.Article) error {
	if e := s.edition(a.Language); e != nil {
		s = e // the story's own edition: its chrome, its links
	}
	v, err := s.articleView(r, a)
	if err != nil {
		return err
	}
	v.Robots = "noindex"
	return s.render(w, http.StatusOK, "article.html", v)
}
