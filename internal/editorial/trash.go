package editorial

import (
	"context"
	"fmt"
	"time"

	"newsdesk/internal/newsroom"
)

// Trash moves article id to the trash as u (see newsroom.CheckEdit: editors
// any story, correspondents their own unpublished ones). A trashed story is
// not public: its pages answer 404 and leave the feeds, sitemaps, search
// and caches, since the save announces its keys like any other. It is
// purged newsroom.ArticleTrashDays later unless restored.
func (s *Service) Trash(ctx context.Context, u *newsroom.User, id int64) (*newsroom.Article, error) {
	return s.changeCurrent(ctx, u, id, (*newsroom.Article).MoveToTrash)
}

// Restore brings article id back from the trash as a draft.
func (s *Service) Restore(ctx context.Context, u *newsroom.User, id int64) (*newsroom.Article, error) {
	return s.changeCurrent(ctx, u, id, (*newsroom.Article).Restore)
}

// changeCurrent applies change to the stored revision of article id: a
// trash or restore is no edit of the text, so it does not ask which
// revision the caller saw. A save racing it is retried once.
func (s *Service) changeCurrent(ctx context.Context, u *newsroom.User, id int64, change func(*newsroom.Article) error) (*newsroom.Article, error) {
	if u == nil {
		return nil, newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	var err error
	for range 2 {
		var a *newsroom.Article
		if a, err = s.store.ArticleByID(ctx, id); err != nil {
			return nil, err
		}
		var saved *newsroom.Article
		saved, err = s.Update(ctx, u, id, a.Revision, change)
		if e := newsroom.AsError(err); e == nil || e.Code != newsroom.Conflict || e.Field != "revision" {
			return saved, err
		}
	}
	return nil, err
}

// trashBatch is how many stories one purge transaction deletes.
const trashBatch = 200

// PurgeTrash deletes the stories that have been in the trash longer than
// newsroom.ArticleTrashDays, in batches, and records how many went. It is
// one pass of the background job (RunTrashPurge), callable on its own by
// whatever schedules jobs.
func (s *Service) PurgeTrash(ctx context.Context) (int, error) {
	if s.trash == nil {
		return 0, nil
	}
	before := s.now().AddDate(0, 0, -newsroom.ArticleTrashDays)
	total := 0
	for {
		n, err := s.trash.PurgeTrash(ctx, before, trashBatch)
		total += n
		if err != nil {
			return total, err
		}
		if n < trashBatch {
			break
		}
	}
	if total > 0 {
		s.Record(ctx, nil, newsroom.Activity{Action: newsroom.ActPurged, Kind: "article",
			Detail: fmt.Sprintf("%d stories older than %d days in the trash", total, newsroom.ArticleTrashDays)})
	}
	return total, nil
}

// RunTrashPurge runs PurgeTrash now and then every interval until ctx
// ends; onJob, if set, hears each pass's error (for metrics).
func (s *Service) RunTrashPurge(ctx context.Context, interval time.Duration, onJob func(job string, err error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.PurgeTrash(ctx); err != nil && ctx.Err() == nil {
			s.logger.Error("editorial: empty the story trash", "err", err)
			if onJob != nil {
				onJob("article_purge", err)
			}
		} else if onJob != nil {
			onJob("article_purge", nil)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
