package api

import (
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/comments"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// CommentJSON is a comment as moderators see it in the API.
type CommentJSON struct {
	ID        int64                  `json:"id"`
	ArticleID int64                  `json:"article_id"`
	ParentID  *int64                 `json:"parent_id"`
	Depth     int                    `json:"depth"`
	Status    newsroom.CommentStatus `json:"status"`
	Name      string                 `json:"name"`
	Email     string                 `json:"email"`
	Website   string                 `json:"website"`
	Body      string                 `json:"body"`
	BodyHTML  string                 `json:"body_html"`
	IP        string                 `json:"ip"`
	UserAgent string                 `json:"user_agent"`
	Staff     bool                   `json:"staff"`
	CreatedAt time.Time              `json:"created_at"`
	UpdatedAt time.Time              `json:"updated_at"`
	StatusAt  time.Time              `json:"status_at"`
}

// CommentToJSON converts a comment for moderators.
func CommentToJSON(c *newsroom.Comment) CommentJSON {
	j := CommentJSON{
		ID: c.ID, ArticleID: c.ArticleID, Depth: c.Depth, Status: c.Status,
		Name: c.Name, Email: c.Email, Website: c.Website, Body: c.Body, BodyHTML: c.BodyHTML,
		IP: c.IP, UserAgent: c.UserAgent, Staff: c.Staff,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), StatusAt: c.StatusAt.UTC(),
	}
	if c.ParentID != 0 {
		id := c.ParentID
		j.ParentID = &id
	}
	return j
}

// MaxCommentBody is the largest comment request accepted (413 above it):
// room for the longest comment the settings allow, in any script.
const MaxCommentBody = 256 << 10

// postComment is the public endpoint a reader's comment arrives at:
// 201 {id, status} when it is published at once, 202 when it waits for a
// moderator (or went to spam: the sender is not told).
func (s *Server) postComment(w http.ResponseWriter, r *http.Request) error {
	if s.Comments == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "comments are not enabled")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return newsroom.Errorf(newsroom.NotFound, "id", "no article with that id")
	}
	var in newsroom.CommentInput
	if err := web.DecodeJSON(w, r, &in, MaxCommentBody); err != nil {
		return err
	}
	c, _, err := s.Comments.Post(r.Context(), id, in, comments.Meta{
		IP: web.ClientAddr(r, s.TrustProxy), UserAgent: r.UserAgent(),
	})
	if err != nil {
		return err
	}
	status, code := newsroom.CommentPending, http.StatusAccepted
	if c.Status == newsroom.CommentApproved {
		status, code = newsroom.CommentApproved, http.StatusCreated
	}
	writeJSON(w, code, map[string]any{"id": c.ID, "status": status})
	return nil
}

type commentListJSON struct {
	Comments []CommentJSON `json:"comments"`
	Total    int           `json:"total"`
	Page     int           `json:"page"`
	Pages    int           `json:"pages"`
}

// commentPageSize is how many comments one page of the listing holds.
const commentPageSize = 50

// listComments is the moderators' listing, newest first:
// ?status=pending|approved|spam|trash&article=ID&q=words&page=N.
func (s *Server) listComments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := newsroom.CommentFilter{Query: q.Get("q"), Limit: commentPageSize, Status: newsroom.CommentStatus(q.Get("status"))}
	articleID, err := articleParam(q)
	if err != nil {
		return err
	}
	f.ArticleID = articleID
	page, err := pageParam(q)
	if err != nil {
		return err
	}
	f.Offset = (page - 1) * commentPageSize
	list, total, err := s.Comments.List(r.Context(), User(r.Context()), f)
	if err != nil {
		return err
	}
	out := commentListJSON{Comments: []CommentJSON{}, Total: total, Page: page, Pages: (total + commentPageSize - 1) / commentPageSize}
	for _, c := range list {
		out.Comments = append(out.Comments, CommentToJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// commentPatch changes a comment's status and/or its fields.
type commentPatch struct {
	Status  *newsroom.CommentStatus `json:"status"`
	Name    *string                 `json:"name"`
	Email   *string                 `json:"email"`
	Website *string                 `json:"website"`
	Body    *string                 `json:"body"`
}

// patchComment lets a moderator set a comment's status
// (pending|approved|spam|trash) and edit its fields; it answers with the
// comment.
func (s *Server) patchComment(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), User(r.Context())
	if err := comments.MayModerate(u); err != nil {
		return err // before the body is read
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return newsroom.Errorf(newsroom.NotFound, "id", "no comment with that id")
	}
	var in commentPatch
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.Comments.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if in.Status != nil {
		// Checked before an edit is saved, so a bad status changes nothing.
		if err := in.Status.Check(); err != nil {
			return err
		}
	}
	if in.Name != nil || in.Email != nil || in.Website != nil || in.Body != nil {
		edit := newsroom.CommentInput{Name: c.Name, Email: c.Email, Website: c.Website, Body: c.Body}
		for _, p := range []struct{ dst, src *string }{{&edit.Name, in.Name}, {&edit.Email, in.Email}, {&edit.Website, in.Website}, {&edit.Body, in.Body}} {
			if p.src != nil {
				*p.dst = *p.src
			}
		}
		if c, err = s.Comments.Edit(ctx, u, id, edit); err != nil {
			return err
		}
	}
	if in.Status != nil {
		if _, err := s.Comments.SetStatus(ctx, u, []int64{id}, *in.Status); err != nil {
			return err
		}
		if c, err = s.Comments.Get(ctx, u, id); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, CommentToJSON(c))
	return nil
}
