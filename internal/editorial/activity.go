package editorial

import (
	"context"

	"newsdesk/internal/newsroom"
)

// Record adds e to the activity log as done by u now (u nil: the system,
// such as the scheduler or the trash purge). It is the one function other
// services and the desk call for what they do (a reader's fix applied, a
// role changed, a legal entry edited); a failure is logged, never returned,
// since the action itself has already happened. Without an activity log
// it does nothing.
func (s *Service) Record(ctx context.Context, u *newsroom.User, e newsroom.Activity) {
	if s.activity == nil {
		return
	}
	e.At = s.now()
	e.UserID, e.UserName = 0, ""
	if u != nil {
		e.UserID, e.UserName = u.ID, u.Name
	}
	if err := s.activity.RecordActivity(context.WithoutCancel(ctx), &e); err != nil {
		s.logger.Error("activity log: record", "action", e.Action, "err", err)
	}
}

// recordStatus records the status change of a save from prev to next, if
// it is one the log keeps (see newsroom.StatusAction).
func (s *Service) recordStatus(ctx context.Context, u *newsroom.User, prev, next *newsroom.Article) {
	act := newsroom.StatusAction(prev, next)
	if act == "" {
		return
	}
	e := newsroom.Activity{Action: act, Kind: "article", TargetID: next.ID, Subject: next.Headline}
	if act == newsroom.ActScheduled {
		e.Detail = next.ScheduledAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	s.Record(ctx, u, e)
}

// Activities returns one page of the activity log. Editors and admins may
// read it; without an activity log it is empty.
func (s *Service) Activities(ctx context.Context, u *newsroom.User, f newsroom.ActivityFilter) ([]newsroom.Activity, error) {
	if u == nil {
		return nil, newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanPublish() {
		return nil, newsroom.Errorf(newsroom.Forbidden, "", "only editors and admins read the activity log")
	}
	if s.activity == nil {
		return []newsroom.Activity{}, nil
	}
	return s.activity.Activities(ctx, f)
}
