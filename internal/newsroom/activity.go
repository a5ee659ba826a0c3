package newsroom

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Action is what a member of staff did, as the activity log names it.
type Action string

// The actions the activity log keeps. Services record them from the one
// place each happens (editorial saves, a report's apply, the legal
// registry, the people actions).
const (
	ActPublished    Action = "published"   // a story went live (or its schedule)
	ActScheduled    Action = "scheduled"   // a story was scheduled
	ActUnpublished  Action = "unpublished" // a live story was taken down
	ActTrashed      Action = "trashed"     // a story was moved to the trash
	ActRestored     Action = "restored"    // a story came back from the trash
	ActPurged       Action = "purged"      // the trash was emptied of old stories
	ActAppliedFix   Action = "applied_fix" // a reader's error report was applied
	ActRoleChanged  Action = "role_changed"
	ActUserDisabled Action = "user_disabled"
	ActUserEnabled  Action = "user_enabled"
	ActInvited      Action = "invited"
	ActLegalCreated Action = "legal_created"
	ActLegalChanged Action = "legal_changed"
	ActLegalDeleted Action = "legal_deleted"
)

// Activity is one entry of the activity log: who did what to which thing,
// and when. UserID 0 is the system (the scheduler, the trash purge).
type Activity struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id"`
	UserName string    `json:"user_name"`
	Action   Action    `json:"action"`
	// Kind and TargetID name the thing acted on ("article" 12, "user" 3,
	// "legal" 7, "report" 40); Subject is its readable name at the time
	// (a headline, an address), Detail anything more ("editor → admin").
	Kind     string `json:"kind"`
	TargetID int64  `json:"target_id"`
	Subject  string `json:"subject"`
	Detail   string `json:"detail"`
}

// Limits on what an activity entry keeps.
const (
	maxActivitySubject = 300
	maxActivityDetail  = 1000
)

// Normalize trims the entry's text and cuts it to the kept lengths.
func (e *Activity) Normalize() {
	e.Subject = cutRunes(strings.TrimSpace(e.Subject), maxActivitySubject)
	e.Detail = cutRunes(strings.TrimSpace(e.Detail), maxActivityDetail)
	e.UserName = cutRunes(strings.TrimSpace(e.UserName), maxActivitySubject)
}

// Validate checks an entry before it is stored.
func (e *Activity) Validate() error {
	if e.Action == "" {
		return Errorf(Invalid, "action", "an activity needs its action")
	}
	if e.At.IsZero() {
		return Errorf(Invalid, "at", "an activity needs its time")
	}
	return nil
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// ActivityFilter selects a page of the activity log, newest first.
type ActivityFilter struct {
	Query    string // words in the subject, detail or user's name
	Action   Action
	UserID   int64
	Kind     string
	TargetID int64
	// Before keeps entries with an ID below it (keyset paging: the last
	// ID of the previous page); 0 starts at the newest.
	Before int64
	Limit  int // 0 means 50, at most 500
}

// ActivityLog keeps the activity log.
type ActivityLog interface {
	// RecordActivity stores e (Normalize and Validate first) and sets its ID.
	RecordActivity(ctx context.Context, e *Activity) error
	// Activities returns one page of the log, newest first.
	Activities(ctx context.Context, f ActivityFilter) ([]Activity, error)
}

// StatusAction is the activity a save from prev to next amounts to, or ""
// when it is only an edit: a story going live, scheduled, taken down,
// trashed or restored. prev is nil for a new story.
func StatusAction(prev, next *Article) Action {
	was := Status("")
	if prev != nil {
		was = prev.Status
	}
	if was == next.Status {
		return ""
	}
	switch {
	case next.Status == Trash:
		return ActTrashed
	case was == Trash:
		return ActRestored
	case next.Status == Published:
		return ActPublished
	case next.Status == Scheduled:
		return ActScheduled
	case was == Published:
		return ActUnpublished
	}
	return ""
}
