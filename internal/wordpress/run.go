package wordpress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// run is one import's working state.
type run struct {
	deps     Deps
	opts     Options
	progress func(Progress)
	sum      *Summary
	start    time.Time
	lastTick time.Time
	user     *newsroom.User

	site string // the ledger's name for the old site: its base URL
	host string // the old site's host name
	zone *zone
	lang string

	counts map[string]int // items per post type, from the check

	authors map[string]newsroom.Byline // WordPress login (or guest author login) → profile
	cats    map[string]newsroom.Category
	tags    map[string]newsroom.Tag
	atts    map[int64]*attachment
	byPath  map[string]int64 // uploads path without size suffix → attachment id
	byFile  map[string]int64 // uploads path (lower case) of a file that is not a picture → attachment id
	ledger  map[string]map[string]newsroom.ImportedItem

	redirects []redirect
	days      map[string]bool // days with published posts (date archives)
	catTerms  map[string]*Term
	menu      map[int64]int // page id → position in the old site's menu
	sticky    []stickyPost
	fakeID    int64 // ids a dry run hands out
}

type stickyPost struct {
	id int64
	at time.Time
}

func newRun(deps Deps, opts Options, progress func(Progress)) (*run, error) {
	if deps.Store == nil || deps.Editorial == nil || deps.RenderComment == nil {
		return nil, errors.New("wordpress: Deps needs Store, Editorial and RenderComment")
	}
	if len(opts.Files) == 0 {
		return nil, newsroom.Errorf(newsroom.Invalid, "file", "give at least one export file")
	}
	if opts.Fetch && opts.Uploads != "" {
		return nil, newsroom.Errorf(newsroom.Invalid, "uploads", "use either an uploads folder or fetching, not both")
	}
	if opts.Uploads != "" {
		if st, err := os.Stat(opts.Uploads); err != nil || !st.IsDir() {
			return nil, newsroom.Errorf(newsroom.Invalid, "uploads", "%s is not a folder (give a copy of the old site's wp-content/uploads)", opts.Uploads)
		}
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	u := deps.User
	if u == nil {
		u = &newsroom.User{Name: "WordPress import", Role: newsroom.RoleAdmin}
	}
	if !u.Role.CanPublish() {
		return nil, newsroom.Errorf(newsroom.Forbidden, "", "only editors and administrators import")
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	r := &run{deps: deps, opts: opts, progress: progress, user: u,
		sum:     &Summary{DryRun: opts.DryRun, Unknown: map[string]int{}},
		authors: map[string]newsroom.Byline{}, cats: map[string]newsroom.Category{},
		tags: map[string]newsroom.Tag{}, atts: map[int64]*attachment{}, byPath: map[string]int64{}, byFile: map[string]int64{},
		ledger: map[string]map[string]newsroom.ImportedItem{}, counts: map[string]int{},
		days: map[string]bool{}, catTerms: map[string]*Term{}, menu: map[int64]int{},
	}
	for _, f := range opts.Files {
		r.sum.Files = append(r.sum.Files, f.Name)
	}
	return r, nil
}

func (r *run) now() time.Time { return r.deps.Now() }

func (r *run) report(phase string, done, total int, force bool) {
	t := time.Now()
	if !force && t.Sub(r.lastTick) < 200*time.Millisecond {
		return
	}
	r.lastTick = t
	r.progress(Progress{Phase: phase, Done: done, Total: total, Elapsed: time.Since(r.start)})
}

func (r *run) issue(kind, id, link, title, problem string) {
	if len(r.sum.Issues) >= MaxIssues {
		r.sum.Unknown["issues not listed"]++
		return
	}
	r.sum.Issues = append(r.sum.Issues, Issue{Kind: kind, WPID: id, Link: link, Title: title, Problem: problem})
}

func (r *run) run(ctx context.Context) (*Summary, error) {
	r.start = time.Now()
	if err := r.check(ctx); err != nil {
		return nil, err
	}
	if err := r.loadLedger(ctx); err != nil {
		return nil, err
	}
	if err := r.passTerms(ctx); err != nil {
		return nil, err
	}
	if err := r.passPosts(ctx); err != nil {
		return nil, err
	}
	if err := r.finish(ctx); err != nil {
		return nil, err
	}
	r.sum.Duration = time.Since(r.start)
	r.report("done", r.sum.Items, r.sum.Items, true)
	return r.sum, nil
}

// each reads every file and calls fn for each event.
func (r *run) each(ctx context.Context, fn func(f File, ev Event) error) error {
	for _, f := range r.opts.Files {
		if _, err := readFile(ctx, f, func(ev Event) error { return fn(f, ev) }); err != nil {
			return err
		}
	}
	return nil
}

// readFile reads one file to its end, calling fn for each event, and returns
// the reader for what it learned of the channel and the repairs it made.
func readFile(ctx context.Context, f File, fn func(ev Event) error) (*Reader, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	rd := NewReader(f.Name, rc)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ev, err := rd.Next()
		if err == io.EOF {
			return rd, nil
		}
		if err != nil {
			return nil, err
		}
		if err := fn(ev); err != nil {
			return nil, err
		}
	}
}

// check reads every file to the end before anything is written: a file
// that is not well-formed, or not a WordPress export, stops the import
// here. It also learns the site, its time zone and how many items there are.
func (r *run) check(ctx context.Context) error {
	r.zone = newZone(r.opts.Location)
	items := 0
	for _, f := range r.opts.Files {
		rd, err := readFile(ctx, f, func(ev Event) error {
			if it := ev.Item; it != nil {
				items++
				r.counts[it.Type]++
				r.zone.learn(it.PostDateGMT, it.PostDate)
				for _, c := range it.Comments {
					r.zone.learn(c.DateGMT, c.Date)
				}
				if items%2000 == 0 {
					r.report("checking", items, 0, false)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if rd.Channel.WXRVersion == "" {
			return &SyntaxError{File: f.Name, Line: 1, Column: 1, Msg: "not a WordPress export: no <wp:wxr_version> in the channel"}
		}
		site := rd.Channel.BaseSiteURL
		if site == "" {
			site = rd.Channel.Link
		}
		site = strings.TrimRight(strings.ToLower(site), "/")
		if r.site == "" {
			r.site = site
			r.lang = "en"
			if strings.HasPrefix(strings.ToLower(rd.Channel.Language), "ru") {
				r.lang = "ru"
			}
			if u, err := url.Parse(rd.Channel.Link); err == nil && u.Hostname() != "" {
				r.host = strings.ToLower(u.Hostname())
			} else if u, err := url.Parse(site); err == nil {
				r.host = strings.ToLower(u.Hostname())
			}
		} else if site != r.site {
			return newsroom.Errorf(newsroom.Invalid, "file", "%s is an export of %s, not of %s: import one site at a time", f.Name, site, r.site)
		}
		r.sum.Repairs.InvalidUTF8 += rd.Repairs.InvalidUTF8
		r.sum.Repairs.ControlChars += rd.Repairs.ControlChars
	}
	if r.site == "" {
		return newsroom.Errorf(newsroom.Invalid, "file", "the export names no site (no <link> or <wp:base_site_url> in its channel)")
	}
	r.sum.Site = r.site
	r.sum.Items = items
	r.report("checking", items, items, true)
	return nil
}

func (r *run) loadLedger(ctx context.Context) error {
	for _, kind := range []string{"author", "category", "tag", "attachment", "file"} {
		m, err := r.deps.Store.ImportedItems(ctx, r.site, kind)
		if err != nil {
			return err
		}
		r.ledger[kind] = m
	}
	return nil
}

// record writes a ledger entry (not in a dry run).
func (r *run) record(ctx context.Context, kind, id string, local int64, digest, email string) error {
	if r.opts.DryRun {
		return nil
	}
	return r.deps.Store.RecordImport(ctx, &newsroom.ImportedItem{Site: r.site, Kind: kind, SourceID: id, LocalID: local, Digest: digest, Email: email})
}

func (r *run) nextFakeID() int64 {
	r.fakeID--
	return r.fakeID
}

// digest is a hash of what an item was when it was imported.
func digest(parts ...any) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, p := range parts {
		_ = enc.Encode(p)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

const wpTimeLayout = "2006-01-02 15:04:05"

func parseWPTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000") {
		return time.Time{}, errors.New("no date")
	}
	return time.ParseInLocation(wpTimeLayout, s, loc)
}

// when is an item's time: the GMT form, or else the local one in the
// export's zone (WordPress leaves post_date_gmt 0000-00-00 on drafts and
// on posts written before a zone was set).
func (r *run) when(gmt, local string) time.Time {
	if t, err := parseWPTime(gmt, time.UTC); err == nil {
		return t.UTC()
	}
	if t, err := r.zone.utc(local); err == nil {
		return t
	}
	return time.Time{}
}

// slugFrom makes a newsdesk slug from a WordPress one (which may be
// percent-encoded UTF-8), or from fallback.
func slugFrom(wp, fallback string) string {
	s := wp
	if d, err := url.PathUnescape(wp); err == nil {
		s = d
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if newsroom.ValidSlug(s) {
		return s
	}
	if strings.TrimSpace(s) != "" {
		if out := newsroom.Slugify(s); out != "article" || s == "article" {
			return out
		}
	}
	return newsroom.Slugify(fallback)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// fmtSscanf reads the index out of "redirects[12].to".
func fmtSscanf(field string, i *int) (int, error) {
	return fmt.Sscanf(field, "redirects[%d]", i)
}
