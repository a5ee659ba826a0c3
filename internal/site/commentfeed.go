package site

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// feedSize is how many comments a comments feed carries.
const feedSize = 50

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Link      atomLink   `xml:"link"`
	Author    atomPerson `xml:"author"`
	Content   atomText   `xml:"content"`
}

// handleCommentsFeed is the Atom feed of the newest approved comments on
// the whole site.
func (s *Server) handleCommentsFeed(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Comments == nil {
		return errNotFound
	}
	list, _, err := s.cfg.Comments.Approved(r.Context(), newsroom.CommentFilter{Limit: feedSize * 2})
	if err != nil {
		return err
	}
	title := i18n.T(s.lang, "comments.feed_title_site", s.siteName(r.Context()))
	return s.writeCommentFeed(w, r, title, "/", list, nil, "comments feeds")
}

// handleArticleCommentsFeed is the Atom feed of one public article's
// approved comments, newest first.
func (s *Server) handleArticleCommentsFeed(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Comments == nil {
		return errNotFound
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return errNotFound
	}
	a, err := s.store.ArticleByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) {
		return errNotFound
	}
	list, _, err := s.cfg.Comments.Approved(r.Context(), newsroom.CommentFilter{ArticleID: a.ID, Limit: feedSize})
	if err != nil {
		return err
	}
	title := i18n.T(s.lang, "comments.feed_title_article", render.Text(string(headlineHTML(a))))
	return s.writeCommentFeed(w, r, title, s.articlePath(a), list, a, "article:"+strconv.FormatInt(a.ID, 10)+" comments")
}

// writeCommentFeed writes comments (newest first) of public articles as Atom.
// Names and titles are text; the content is the comment's sanitized HTML,
// escaped as Atom requires for type="html".
func (s *Server) writeCommentFeed(w http.ResponseWriter, r *http.Request, title, home string, list []*newsroom.Comment, only *newsroom.Article, keys string) error {
	ctx := r.Context()
	now := s.now()
	self := s.absURL(r, r.URL.Path)
	feed := atomFeed{Lang: s.lang, Title: title, ID: self,
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: s.absURL(r, home)}}}
	articles := map[int64]*newsroom.Article{}
	if only != nil {
		articles[only.ID] = only
	}
	cs := s.commentSettings(ctx)
	threads := map[int64]map[int64]*commentNode{} // by article: permalinks
	var updated time.Time
	for _, c := range list {
		if len(feed.Entries) == feedSize {
			break
		}
		a, ok := articles[c.ArticleID]
		if !ok {
			var err error
			if a, err = s.store.ArticleByID(ctx, c.ArticleID); err != nil {
				if newsroom.IsNotFound(err) {
					continue
				}
				return err
			}
			articles[c.ArticleID] = a
		}
		if !a.IsPublic(now) {
			continue
		}
		nodes, ok := threads[a.ID]
		if !ok {
			approved, _, err := s.cfg.Comments.Approved(ctx, newsroom.CommentFilter{
				ArticleID: a.ID, OldestFirst: true, Limit: 5000})
			if err != nil {
				return err
			}
			_, nodes, _ = threadIndex(approved, s.articlePath(a), cs, false)
			threads[a.ID] = nodes
		}
		link := s.articlePath(a) + "#comment-" + strconv.FormatInt(c.ID, 10)
		if n := nodes[c.ID]; n != nil {
			link = n.Permalink
		}
		link = s.absURL(r, link)
		headline := render.Text(string(headlineHTML(a)))
		e := atomEntry{
			Title:     i18n.T(s.lang, "comments.feed_entry", c.Name, headline),
			ID:        link,
			Published: c.CreatedAt.UTC().Format(time.RFC3339),
			Updated:   c.UpdatedAt.UTC().Format(time.RFC3339),
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: link},
			Author:    atomPerson{Name: c.Name, URI: c.Website},
			Content:   atomText{Type: "html", Body: c.BodyHTML},
		}
		if c.UpdatedAt.After(updated) {
			updated = c.UpdatedAt
		}
		feed.Entries = append(feed.Entries, e)
	}
	if updated.IsZero() {
		updated = now
		if only != nil {
			updated = only.PublishedAt
		}
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	tag(w, strings.Fields(keys)...)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
	return nil
}
