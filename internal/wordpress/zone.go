package wordpress

import (
	"sort"
	"time"
)

// zone turns the dates an export gives only in the old site's local time
// (post_date when post_date_gmt is 0000-00-00: drafts, very old posts and
// comments) into UTC. With --timezone it is that zone; otherwise the
// offset comes from the export itself: every item and comment that has
// both dates tells the offset on its day, and a local-only date takes the
// offset of the nearest such day (or the nearest in the season), so a
// site that keeps summer time gets +01:00 in July and +00:00 in January.
type zone struct {
	loc  *time.Location // --timezone, or nil
	offs map[string]int // local day (YYYY-MM-DD) → offset in seconds
	days []string       // offs' keys, sorted
	near map[string]int // memo of offsetOn
}

func newZone(loc *time.Location) *zone {
	return &zone{loc: loc, offs: map[string]int{}, near: map[string]int{}}
}

// learn records the offset a pair of dates shows.
func (z *zone) learn(gmt, local string) {
	if z.loc != nil {
		return
	}
	g, e1 := parseWPTime(gmt, time.UTC)
	l, e2 := parseWPTime(local, time.UTC)
	if e1 != nil || e2 != nil {
		return
	}
	o := int(l.Sub(g).Round(15*time.Minute) / time.Second)
	if o < -14*3600 || o > 14*3600 {
		return
	}
	day := l.Format(time.DateOnly)
	if _, ok := z.offs[day]; !ok {
		z.offs[day] = o
		z.days = nil
	}
}

// offsetOn is the offset of the nearest day the export showed one for,
// or, when that is more than 45 days away, of the day nearest in the year
// (0 if it showed none).
func (z *zone) offsetOn(day string) int {
	if len(z.offs) == 0 {
		return 0
	}
	if o, ok := z.offs[day]; ok {
		return o
	}
	if o, ok := z.near[day]; ok {
		return o
	}
	if z.days == nil {
		for d := range z.offs {
			z.days = append(z.days, d)
		}
		sort.Strings(z.days)
	}
	i := sort.SearchStrings(z.days, day)
	best := ""
	switch {
	case i == 0:
		best = z.days[0]
	case i == len(z.days):
		best = z.days[len(z.days)-1]
	default:
		before, _ := time.Parse(time.DateOnly, z.days[i-1])
		after, _ := time.Parse(time.DateOnly, z.days[i])
		at, _ := time.Parse(time.DateOnly, day)
		best = z.days[i]
		if at.Sub(before) <= after.Sub(at) {
			best = z.days[i-1]
		}
	}
	at, _ := time.Parse(time.DateOnly, day)
	if b, _ := time.Parse(time.DateOnly, best); absDays(at.Sub(b)) > 45 {
		// Far from every sample: summer time goes by the season, so take
		// the sample nearest in the year, whatever its year.
		bestGap := 1000
		for _, d := range z.days {
			dt, _ := time.Parse(time.DateOnly, d)
			gap := absInt(dt.YearDay() - at.YearDay())
			gap = min(gap, 365-gap)
			if gap < bestGap {
				best, bestGap = d, gap
			}
		}
	}
	z.near[day] = z.offs[best]
	return z.offs[best]
}

func absDays(d time.Duration) int { return absInt(int(d.Hours() / 24)) }

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// utc reads a local date of the old site.
func (z *zone) utc(local string) (time.Time, error) {
	if z.loc != nil {
		t, err := parseWPTime(local, z.loc)
		return t.UTC(), err
	}
	t, err := parseWPTime(local, time.UTC)
	if err != nil {
		return t, err
	}
	return t.Add(-time.Duration(z.offsetOn(t.Format(time.DateOnly))) * time.Second), nil
}

// day is the old site's local calendar day of t, as its date archives
// (/2024/03/14/) name it.
func (z *zone) day(t time.Time) string {
	if z.loc != nil {
		return t.In(z.loc).Format(time.DateOnly)
	}
	u := t.UTC()
	return u.Add(time.Duration(z.offsetOn(u.Format(time.DateOnly))) * time.Second).Format(time.DateOnly)
}
