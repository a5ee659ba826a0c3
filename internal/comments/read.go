package comments

import (
	"context"

	"newsdesk/internal/newsroom"
)

// The surfaces read comments only through these methods, which decide who
// sees what: moderators (editors and admins too) every status, readers
// approved comments and their own that wait for a moderator.

// List returns one page of the comments matching f and their total, for a
// moderator. An unknown f.Status is Invalid on "status".
func (s *Service) List(ctx context.Context, u *newsroom.User, f newsroom.CommentFilter) ([]*newsroom.Comment, int, error) {
	if err := MayModerate(u); err != nil {
		return nil, 0, err
	}
	if f.Status != "" {
		if err := f.Status.Check(); err != nil {
			return nil, 0, err
		}
	}
	return s.store.FindComments(ctx, f)
}

// Get returns comment id, whatever its status, for a moderator.
func (s *Service) Get(ctx context.Context, u *newsroom.User, id int64) (*newsroom.Comment, error) {
	if err := MayModerate(u); err != nil {
		return nil, err
	}
	return s.store.CommentByID(ctx, id)
}

// Count returns how many comments have each status, for a moderator.
func (s *Service) Count(ctx context.Context, u *newsroom.User) (map[newsroom.CommentStatus]int, error) {
	if err := MayModerate(u); err != nil {
		return nil, err
	}
	return s.store.CountComments(ctx)
}

// CountStatus returns how many comments have status, for a moderator.
func (s *Service) CountStatus(ctx context.Context, u *newsroom.User, status newsroom.CommentStatus) (int, error) {
	if err := MayModerate(u); err != nil {
		return 0, err
	}
	return s.store.CountCommentsWith(ctx, status)
}

// Approved returns one page of the approved comments matching f (its
// Status is ignored) and their total: what readers may see. Whether the
// article itself is public is the caller's check.
func (s *Service) Approved(ctx context.Context, f newsroom.CommentFilter) ([]*newsroom.Comment, int, error) {
	f.Status = newsroom.CommentApproved
	return s.store.FindComments(ctx, f)
}

// ApprovedByID returns comment id if it is approved, else a NotFound error.
func (s *Service) ApprovedByID(ctx context.Context, id int64) (*newsroom.Comment, error) {
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != newsroom.CommentApproved {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "comment not found")
	}
	return c, nil
}

// Owns reports whether any secret in keys (comment id to secret) is the
// secret of its comment, whatever that comment's status now.
func (s *Service) Owns(ctx context.Context, keys map[int64]string) (bool, error) {
	list, err := s.byKeys(ctx, keys)
	for _, c := range list {
		if OwnedBy(c, keys[c.ID]) {
			return true, nil
		}
	}
	return false, err
}

func (s *Service) byKeys(ctx context.Context, keys map[int64]string) ([]*newsroom.Comment, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(keys))
	for id := range keys {
		ids = append(ids, id)
	}
	return s.store.CommentsByID(ctx, ids)
}

// OwnPending returns the reader's comments that still wait for a
// moderator: keys maps comment ids to the secrets Post returned for them.
// A comment is returned only if its secret matches and it is neither
// approved (then it is shown to everyone) nor in the trash.
func (s *Service) OwnPending(ctx context.Context, keys map[int64]string) ([]*newsroom.Comment, error) {
	list, err := s.byKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	var out []*newsroom.Comment
	for _, c := range list {
		if c.Status == newsroom.CommentApproved || c.Status == newsroom.CommentTrash || !OwnedBy(c, keys[c.ID]) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}
