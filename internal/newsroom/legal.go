package newsroom

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// LegalListing says that an entity is on one official list between two
// calendar days: From (inclusive) and Until (exclusive; zero when it was
// never removed). Only the date part of each time counts.
type LegalListing struct {
	List  string    `json:"list"`
	From  time.Time `json:"listed_from"`
	Until time.Time `json:"listed_until"`
}

// Covers reports whether the listing was in force on day (a calendar date
// in the site's zone, given as midnight UTC of that date).
func (l LegalListing) Covers(day time.Time) bool {
	if !l.From.IsZero() && day.Before(dateOf(l.From)) {
		return false
	}
	if !l.Until.IsZero() && !day.Before(dateOf(l.Until)) {
		return false
	}
	return true
}

// dateOf returns midnight UTC of t's calendar date (in t's own zone).
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOf returns midnight UTC of the calendar date t falls on in loc (UTC
// when loc is nil): the form listing dates are compared in.
func DateOf(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return dateOf(t.In(loc))
}

// Legal markers.
const (
	// DefaultLegalMarker follows a banned or liquidated organization's name.
	DefaultLegalMarker = "*"
	// ForeignAgentMarker is the usual sign for foreign agents.
	ForeignAgentMarker = "**"
)

// LegalEntity is an organization (or person) that the law says must be
// marked whenever an article names it: the forms its name takes in text,
// the sign placed after it, the note the article carries once, and the
// official lists it is on, with dates.
type LegalEntity struct {
	ID   int64  `json:"id"`
	Name string `json:"name"` // display name in the registry
	// Forms are the name forms to recognise, by language ("" for any).
	// A form may hold alternatives in braces, so a stem with its endings
	// is one form: "Талибан{|а|у|ом|е}" stands for five forms.
	Forms map[string][]string `json:"forms"`
	// Marker is placed right after a marked mention ("*" by default).
	Marker string `json:"marker"`
	// Notes are the explanations an article carries once, by language
	// ("the organization is banned in …").
	Notes map[string]string `json:"notes"`
	// Listings are the lists the entity is on, each with its dates. An
	// article is marked when its date falls within any of them.
	Listings []LegalListing `json:"listings"`
	// IgnoreCase matches any letter case. By default a form matches as
	// written, in capitals, or with a capital first letter.
	IgnoreCase bool      `json:"ignore_case"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Limits on legal entities.
const (
	MaxLegalForms     = 200 // forms after expanding alternatives
	MaxLegalFormLen   = 200 // characters per form
	MaxLegalNoteLen   = 500
	MaxLegalListings  = 20
	MaxLegalMarkerLen = 4
)

// Normalize trims the entity's fields, drops empty forms and notes, sorts
// and de-duplicates forms per language, and fills the default marker.
func (e *LegalEntity) Normalize() {
	e.Name = strings.TrimSpace(e.Name)
	e.Marker = strings.TrimSpace(e.Marker)
	if e.Marker == "" {
		e.Marker = DefaultLegalMarker
	}
	forms := map[string][]string{}
	for lang, list := range e.Forms {
		lang = strings.ToLower(strings.TrimSpace(lang))
		for _, f := range list {
			f = strings.Join(strings.Fields(f), " ")
			if f != "" && !slices.Contains(forms[lang], f) {
				forms[lang] = append(forms[lang], f)
			}
		}
	}
	e.Forms = forms
	notes := map[string]string{}
	for lang, n := range e.Notes {
		lang = strings.ToLower(strings.TrimSpace(lang))
		if n = strings.Join(strings.Fields(n), " "); n != "" {
			notes[lang] = n
		}
	}
	e.Notes = notes
	for i := range e.Listings {
		l := &e.Listings[i]
		l.List = strings.TrimSpace(l.List)
		if !l.From.IsZero() {
			l.From = dateOf(l.From)
		}
		if !l.Until.IsZero() {
			l.Until = dateOf(l.Until)
		}
	}
}

// Validate checks the entity; errors name the field at fault (name, forms,
// marker, notes, list, listed_from, listed_until).
func (e *LegalEntity) Validate() error {
	if e.Name == "" {
		return Errorf(Invalid, "name", "name is required")
	}
	if utf8.RuneCountInString(e.Name) > MaxLegalFormLen {
		return Errorf(Invalid, "name", "name is longer than %d characters", MaxLegalFormLen)
	}
	if utf8.RuneCountInString(e.Marker) > MaxLegalMarkerLen {
		return Errorf(Invalid, "marker", "marker is longer than %d characters", MaxLegalMarkerLen)
	}
	for _, r := range e.Marker {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || r == '<' || r == '>' || r == '&' {
			return Errorf(Invalid, "marker", "marker must be signs such as * or **, not letters, digits or spaces")
		}
	}
	n := 0
	for lang, list := range e.Forms {
		if lang != "" && !validLang(lang) {
			return Errorf(Invalid, "forms", "unknown language %q for forms", lang)
		}
		for _, f := range list {
			exp, err := ExpandLegalForm(f)
			if err != nil {
				return err
			}
			n += len(exp)
		}
	}
	if n == 0 {
		return Errorf(Invalid, "forms", "give at least one name form to recognise")
	}
	if n > MaxLegalForms {
		return Errorf(Invalid, "forms", "%d forms after expanding alternatives; at most %d", n, MaxLegalForms)
	}
	for lang, note := range e.Notes {
		if !validLang(lang) {
			return Errorf(Invalid, "notes", "unknown language %q for a note", lang)
		}
		if utf8.RuneCountInString(note) > MaxLegalNoteLen {
			return Errorf(Invalid, "notes", "the %s note is longer than %d characters", lang, MaxLegalNoteLen)
		}
	}
	if len(e.Notes) == 0 {
		return Errorf(Invalid, "notes", "give the note in at least one language")
	}
	if len(e.Listings) == 0 {
		return Errorf(Invalid, "list", "name the list the entity is on")
	}
	if len(e.Listings) > MaxLegalListings {
		return Errorf(Invalid, "list", "at most %d lists", MaxLegalListings)
	}
	for _, l := range e.Listings {
		if l.List == "" {
			return Errorf(Invalid, "list", "every listing needs the name of its list")
		}
		if utf8.RuneCountInString(l.List) > MaxLegalFormLen {
			return Errorf(Invalid, "list", "list name is longer than %d characters", MaxLegalFormLen)
		}
		if l.From.IsZero() {
			return Errorf(Invalid, "listed_from", "give the date %q was listed", l.List)
		}
		if !l.Until.IsZero() && !l.Until.After(l.From) {
			return Errorf(Invalid, "listed_until", "the removal date must come after the listing date")
		}
	}
	return nil
}

func validLang(l string) bool {
	if len(l) < 2 || len(l) > 8 {
		return false
	}
	for _, r := range l {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

// ExpandLegalForm expands the alternatives in braces of one form:
// "Талибан{|а|ом}" gives "Талибан", "Талибана", "Талибаном". Several
// groups multiply. Unbalanced or nested braces are an Invalid error on
// field "forms".
func ExpandLegalForm(f string) ([]string, error) {
	out := []string{""}
	rest := f
	for rest != "" {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			for k := range out {
				out[k] += rest
			}
			break
		}
		if rest[i] == '}' {
			return nil, Errorf(Invalid, "forms", "%q has a } without its {", f)
		}
		j := strings.IndexAny(rest[i+1:], "{}")
		if j < 0 || rest[i+1+j] == '{' {
			return nil, Errorf(Invalid, "forms", "%q has a { without its }", f)
		}
		alts := strings.Split(rest[i+1:i+1+j], "|")
		next := make([]string, 0, len(out)*len(alts))
		for _, o := range out {
			for _, a := range alts {
				next = append(next, o+rest[:i]+strings.TrimSpace(a))
			}
		}
		if len(next) > MaxLegalForms {
			return nil, Errorf(Invalid, "forms", "%q stands for more than %d forms", f, MaxLegalForms)
		}
		out = next
		rest = rest[i+1+j+1:]
	}
	var clean []string
	for _, o := range out {
		o = strings.Join(strings.Fields(o), " ")
		if o == "" {
			continue
		}
		if utf8.RuneCountInString(o) > MaxLegalFormLen {
			return nil, Errorf(Invalid, "forms", "a form is longer than %d characters", MaxLegalFormLen)
		}
		if !slices.Contains(clean, o) {
			clean = append(clean, o)
		}
	}
	return clean, nil
}

// AllForms returns every form of the entity, alternatives expanded, in
// every language, sorted. Invalid forms are skipped (Validate reports them).
func (e *LegalEntity) AllForms() []string {
	var out []string
	for _, list := range e.Forms {
		for _, f := range list {
			exp, _ := ExpandLegalForm(f)
			for _, x := range exp {
				if !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Note returns the note in lang, else in English, else any note.
func (e *LegalEntity) Note(lang string) string {
	if n := e.Notes[lang]; n != "" {
		return n
	}
	if n := e.Notes["en"]; n != "" {
		return n
	}
	keys := make([]string, 0, len(e.Notes))
	for k := range e.Notes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if e.Notes[k] != "" {
			return e.Notes[k]
		}
	}
	return ""
}

// DisplayName returns how a footnote names the entity in lang: the first
// form given for that language, or Name.
func (e *LegalEntity) DisplayName(lang string) string {
	if list := e.Forms[lang]; len(list) > 0 {
		if exp, err := ExpandLegalForm(list[0]); err == nil && len(exp) > 0 {
			return exp[0]
		}
	}
	return e.Name
}

// ListedOn reports whether the entity was on any of its lists on day
// (midnight UTC of a calendar date, see DateOf).
func (e *LegalEntity) ListedOn(day time.Time) bool {
	for _, l := range e.Listings {
		if l.Covers(day) {
			return true
		}
	}
	return false
}

// ListNames returns the names of the lists the entity is on, in order.
func (e *LegalEntity) ListNames() []string {
	var out []string
	for _, l := range e.Listings {
		if !slices.Contains(out, l.List) {
			out = append(out, l.List)
		}
	}
	return out
}

// LegalMarking is how articles are marked: the site-wide policy.
type LegalMarking string

const (
	// MarkFirst marks the first mention in each of headline, standfirst,
	// body and caption (the default, as on printed pages).
	MarkFirst LegalMarking = "first"
	// MarkEvery marks every mention.
	MarkEvery LegalMarking = "every"
)

// LegalNotePlacement says where an article's notes go.
type LegalNotePlacement string

const (
	// NoteInline puts the note in parentheses after the first mention in
	// the body (the default).
	NoteInline LegalNotePlacement = "inline"
	// NoteFootnote puts the notes at the end of the body.
	NoteFootnote LegalNotePlacement = "footnote"
)

// LegalPolicy is the site's marking policy.
type LegalPolicy struct {
	Marking LegalMarking       `json:"marking"`
	Notes   LegalNotePlacement `json:"notes"`
}

// Settings keys of the legal policy.
const (
	SettingLegalMarking = "legal_marking" // "first" or "every"
	SettingLegalNotes   = "legal_notes"   // "inline" or "footnote"
)

// Normalize fills the defaults.
func (p *LegalPolicy) Normalize() {
	if p.Marking == "" {
		p.Marking = MarkFirst
	}
	if p.Notes == "" {
		p.Notes = NoteInline
	}
}

// Validate checks the policy; errors name the field.
func (p LegalPolicy) Validate() error {
	if p.Marking != MarkFirst && p.Marking != MarkEvery {
		return Errorf(Invalid, "marking", "marking must be first or every")
	}
	if p.Notes != NoteInline && p.Notes != NoteFootnote {
		return Errorf(Invalid, "notes", "notes must be inline or footnote")
	}
	return nil
}

// LegalExclusion switches one entity off for one article: an editor
// decided the mention does not need the mark there, and said why.
type LegalExclusion struct {
	EntityID int64     `json:"entity_id"`
	Entity   string    `json:"entity"` // the entity's name when switched off
	Reason   string    `json:"reason"`
	By       int64     `json:"by,omitempty"` // user id
	At       time.Time `json:"at"`
}

// MaxLegalReason is the longest reason for an exclusion, in characters.
const MaxLegalReason = 500

// Validate checks an exclusion.
func (x *LegalExclusion) Validate() error {
	x.Reason = strings.TrimSpace(x.Reason)
	if x.EntityID <= 0 {
		return Errorf(Invalid, "entity_id", "choose the entity to switch off")
	}
	if x.Reason == "" {
		return Errorf(Invalid, "reason", "say why the mark is not needed in this article")
	}
	if utf8.RuneCountInString(x.Reason) > MaxLegalReason {
		return Errorf(Invalid, "reason", "reason is longer than %d characters", MaxLegalReason)
	}
	return nil
}

// ValidateExclusions checks an article's switches: each one valid, no
// entity switched off twice. Errors are on field "legal_exclusions".
func ValidateExclusions(list []LegalExclusion) error {
	seen := map[int64]bool{}
	for i := range list {
		x := &list[i]
		if err := x.Validate(); err != nil {
			return Errorf(Invalid, "legal_exclusions", "%s", AsError(err).Message)
		}
		if seen[x.EntityID] {
			return Errorf(Invalid, "legal_exclusions", "entity %d is switched off twice", x.EntityID)
		}
		seen[x.EntityID] = true
	}
	return nil
}

// ValidateImport normalizes and checks a list of entities to import as
// one: if any entity is invalid, or two share a name, the error's Field is
// "row:N" (N counting from 1 in list) with the entity's own field in the
// message.
func ValidateImport(list []LegalEntity) error {
	seen := map[string]int{}
	for i := range list {
		e := &list[i]
		e.Normalize()
		if err := e.Validate(); err != nil {
			ve := AsError(err)
			return Errorf(ve.Code, "row:"+itoa(int64(i+1)), "row %d: %s: %s", i+1, ve.Field, ve.Message)
		}
		if j, dup := seen[e.Name]; dup {
			return Errorf(Invalid, "row:"+itoa(int64(i+1)), "row %d: name: %q is also in row %d", i+1, e.Name, j)
		}
		seen[e.Name] = i + 1
	}
	return nil
}

// Excluded reports whether the article switched entity id off.
func (a *Article) Excluded(entityID int64) bool {
	for _, x := range a.LegalExclusions {
		if x.EntityID == entityID {
			return true
		}
	}
	return false
}

// LegalDate returns the moment whose listing day decides whether an
// article is marked: its publication time once published, its scheduled
// time when scheduled, and now for anything else (drafts, review).
func (a *Article) LegalDate(now time.Time) time.Time {
	switch {
	case a.Status == Scheduled && !a.ScheduledAt.IsZero():
		return a.ScheduledAt
	case !a.PublishedAt.IsZero() && (a.Status == Published || a.Status == Unpublished):
		return a.PublishedAt
	}
	return now
}

// LegalEntityChange is the result of a registry write: which entities
// changed, before and after, so that affected articles can be re-rendered.
type LegalEntityChange struct {
	Before []LegalEntity // the stored state before the write (nil for new)
	After  []LegalEntity // the stored state after it (nil for removed)
}

// LegalStore keeps the registry of marked entities, the per-article
// switches, and writes re-rendered article fields.
type LegalStore interface {
	// LegalEntities returns the whole registry, by name.
	LegalEntities(ctx context.Context) ([]LegalEntity, error)
	// LegalEntity returns one entity or a NotFound error.
	LegalEntity(ctx context.Context, id int64) (*LegalEntity, error)
	// CreateLegalEntity validates and stores a new entity and sets its ID
	// and times. A name in use is a Conflict on "name".
	CreateLegalEntity(ctx context.Context, e *LegalEntity) error
	// UpdateLegalEntity validates and replaces an entity; NotFound if absent.
	UpdateLegalEntity(ctx context.Context, e *LegalEntity) error
	// DeleteLegalEntity removes an entity and its per-article switches.
	DeleteLegalEntity(ctx context.Context, id int64) (*LegalEntity, error)
	// ImportLegalEntities stores all of list in one transaction: entities
	// whose name exists are replaced, others created. Any invalid entity
	// stops the import and nothing is stored; the error names the entity's
	// index in list (Field "row:N").
	ImportLegalEntities(ctx context.Context, list []LegalEntity) (LegalEntityChange, error)
	// LegalRegistryVersion returns a number that grows with every registry
	// write, so other nodes notice changes.
	LegalRegistryVersion(ctx context.Context) (int64, error)
	// ArticleIDsAfter returns up to limit article ids greater than after,
	// ascending: the pages a re-render job walks.
	ArticleIDsAfter(ctx context.Context, after int64, limit int) ([]int64, error)
	// UpdateRendered writes only the rendered fields of a (HeadlineHTML,
	// StandfirstHTML, BodyHTML, the lead image's CaptionHTML, LegalMarks) if
	// the stored revision is still a.Revision. It does not bump the
	// revision or any time: a registry change is not an editorial edit.
	// A moved revision is a Conflict error (that save rendered afresh).
	UpdateRendered(ctx context.Context, a *Article) error
}

// Where a legal mark was made, in LegalMark.Where.
const (
	WhereHeadline   = "headline"
	WhereStandfirst = "standfirst"
	WhereBody       = "body"
	WhereCaption    = "caption"
)

// RerenderJob is a re-render of the articles after a registry change,
// kept in the database so that it survives the node running it: the node
// holding the job lease runs it and saves its progress (LastID, the last
// article done, with the counts so far) as it goes; when that node dies
// another (or the same one, restarted) resumes after LastID.
type RerenderJob struct {
	ID     int64
	Reason string
	// Entities are the changed entities, before and after the change:
	// articles naming one of them, or marked for one, are re-rendered.
	Entities []LegalEntity
	// All re-renders every article that names any entity (the policy
	// changed).
	All    bool
	Status RerenderStatus
	// LastID is the id of the last article done (articles are walked by
	// ascending id).
	LastID int64
	// Total is how many articles there were when the job started; the
	// others count what was done so far.
	Total, Scanned, Affected, Updated, Skipped int
	Error                                      string
	CreatedAt, StartedAt, FinishedAt           time.Time
}

// RerenderStatus is where a RerenderJob stands.
type RerenderStatus string

const (
	RerenderPending RerenderStatus = "pending" // queued, not started
	RerenderRunning RerenderStatus = "running" // started (or stopped midway: resumed after LastID)
	RerenderDone    RerenderStatus = "done"
	RerenderFailed  RerenderStatus = "failed" // gave up (Error says why)
)

// RerenderJobs keeps the durable re-render jobs.
type RerenderJobs interface {
	// EnqueueRerender stores j as a new pending job and sets its ID and
	// CreatedAt.
	EnqueueRerender(ctx context.Context, j *RerenderJob) error
	// ClaimRerender returns the oldest job neither done nor failed, marked
	// running (StartedAt set when it starts now), or nil when there is
	// none. A pending job claimed takes in the later pending ones (their
	// entities, All and reasons; those rows are removed): one walk over
	// the articles does them all. Only the holder of the job lease calls
	// it.
	ClaimRerender(ctx context.Context, now time.Time) (*RerenderJob, error)
	// SaveRerender writes j's status, progress, counts, error and finish
	// time.
	SaveRerender(ctx context.Context, j *RerenderJob) error
	// RerenderState returns the newest job (nil if none) and whether any
	// job is neither done nor failed.
	RerenderState(ctx context.Context) (latest *RerenderJob, unfinished bool, err error)
}
