package newsroom

import (
	"testing"
	"time"
)

func TestRevisionReasonFor(t *testing.T) {
	at := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
	a := func(s Status, sched time.Time) *Article { return &Article{Status: s, ScheduledAt: sched} }
	for _, c := range []struct {
		name       string
		prev, next *Article
		want       string
	}{
		{"first draft", nil, a(Draft, time.Time{}), ReasonCreated},
		{"created live", nil, a(Published, time.Time{}), ReasonPublished},
		{"created scheduled", nil, a(Scheduled, at), ReasonScheduled},
		{"created for review", nil, a(Review, time.Time{}), ReasonReview},
		{"draft saved", a(Draft, time.Time{}), a(Draft, time.Time{}), ReasonSaved},
		{"published", a(Review, time.Time{}), a(Published, time.Time{}), ReasonPublished},
		{"live updated", a(Published, time.Time{}), a(Published, time.Time{}), ReasonUpdatedLive},
		{"schedule moved", a(Scheduled, at), a(Scheduled, at.Add(time.Hour)), ReasonScheduled},
		{"scheduled saved", a(Scheduled, at), a(Scheduled, at), ReasonSaved},
		{"taken down", a(Published, time.Time{}), a(Unpublished, time.Time{}), ReasonUnpublished},
		{"back to draft", a(Review, time.Time{}), a(Draft, time.Time{}), ReasonDraft},
	} {
		if got := RevisionReasonFor(c.prev, c.next); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
