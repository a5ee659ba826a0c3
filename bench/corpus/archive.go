package main

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
)

// The site's archive pages (internal/site/archive.go): page 1 of a list
// is its newest listPage stories; each page links the next older one by
// the day of its last story and a multiple of listPage ("?until=DAY" or
// "?until=DAY&skip=N"), and a chain stops before a skip of listMaxSkip.
// archive.txt lists exactly those links, computed here as the site
// computes them from the stories the corpus holds (archive_test.go walks
// the real site's "Older" links and checks that it finds the same set),
// so that a crawler walking archive.txt asks for what a real crawler
// following the site's links would.
const (
	listPage    = 20
	listMaxSkip = 10_000
)

// listed is one story of a list: its publication time (Unix
// microseconds, as stored) and id, for the order the site lists them in
// (newest first, then the higher id).
type listed struct{ at, id int64 }

// lists holds every public list's stories, by edition and path ("en
// /world/", "ru /tag/ferries").
type lists map[string][]listed

// add files a story under the lists of its sections (and every section
// above them: a section lists its children's stories), tags and authors,
// in its language's edition.
func (ls lists) add(tx *taxonomy, lang string, at time.Time, id int64, cats, tags, authors []int64) {
	e := listed{at: at.UnixMicro(), id: id}
	var secs []int64
	for _, c := range cats {
		for p := c; p != 0 && !slices.Contains(secs, p); p = tx.parent[p] {
			secs = append(secs, p)
		}
	}
	for _, c := range secs {
		ls[lang+" /"+tx.catSlug[c]+"/"] = append(ls[lang+" /"+tx.catSlug[c]+"/"], e)
	}
	for _, t := range tags {
		ls[lang+" /tag/"+tx.tagSl[t]] = append(ls[lang+" /tag/"+tx.tagSl[t]], e)
	}
	for _, a := range authors {
		ls[lang+" /author/"+tx.authorSl[a]] = append(ls[lang+" /author/"+tx.authorSl[a]], e)
	}
}

// pages returns every page of every list as the site links them,
// shuffled, at most limit.
func (ls lists) pages(def string, limit int, rng *rand.Rand) []string {
	keys := make([]string, 0, len(ls))
	for k := range ls {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same file for the same seed
	var out []string
	for _, k := range keys {
		lang, path := k[:2], k[3:]
		out = append(out, chain(newsroom.EditionPath(lang, def, path), ls[k])...)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// chain returns the pages of one list at path: page 1, then each page's
// "Older" link in turn. It sorts s.
func chain(path string, s []listed) []string {
	slices.SortFunc(s, func(a, b listed) int {
		if a.at != b.at {
			return cmp.Compare(b.at, a.at)
		}
		return cmp.Compare(b.id, a.id)
	})
	out := []string{path}
	if len(s) == 0 {
		return out
	}
	// older is the link a page of stories page (at most listPage+1 of
	// them, the one past the page telling there are more) prints, from
	// the page of day and skip (byDay false: page 1).
	older := func(page []listed, byDay bool, day time.Time, skip int) (time.Time, int, bool) {
		if len(page) <= listPage {
			return time.Time{}, 0, false
		}
		page = page[:listPage]
		last := dayOf(page[len(page)-1].at)
		var next int
		if byDay && last.Equal(day) {
			next = skip + listPage
		} else {
			for _, e := range page {
				if dayOf(e.at).Equal(last) {
					next++
				}
			}
		}
		next -= next % listPage
		return last, next, next < listMaxSkip
	}
	day, skip, ok := older(s[:min(len(s), listPage+1)], false, time.Time{}, 0)
	for ok {
		// The stories published before the end of day, from the skip-th.
		end := day.AddDate(0, 0, 1).UnixMicro()
		from := sort.Search(len(s), func(i int) bool { return s[i].at < end }) + skip
		if from >= len(s) {
			break // not found on the site either: no link leads here
		}
		u := path + "?until=" + day.Format(time.DateOnly)
		if skip > 0 {
			u += "&skip=" + strconv.Itoa(skip)
		}
		out = append(out, u)
		day, skip, ok = older(s[from:min(len(s), from+listPage+1)], true, day, skip)
	}
	return out
}

func dayOf(micros int64) time.Time {
	y, m, d := time.UnixMicro(micros).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
