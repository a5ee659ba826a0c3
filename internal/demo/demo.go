// Package demo holds the demo outlet that a fresh newsdesk site starts with:
// The Skerrow Courier, a fictional regional paper on the fictional Skerrow
// Coast of the fictional Republic of Valdora. Everything here is original
// writing about invented places, people and institutions.
//
// The content is data (see content.go and content_ru.go); Seed turns it into
// sections, authors, tags and articles in a store, and paints a lead image
// for every article with the generator in images.go.
package demo

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// DemoStore is the part of the store that Seed writes to and reads from.
type DemoStore interface {
	newsroom.Taxonomy
	newsroom.ArticleWriter
	newsroom.ArticleReader
}

// Deps is what Seed needs.
type Deps struct {
	Store DemoStore
	// Render fills BodyHTML, HeadlineHTML and StandfirstHTML of an article
	// from its Markdown; it is called once per article before it is stored.
	Render func(a *newsroom.Article) error
	// MediaDir is the media root (e.g. <data>/media); images are written to
	// MediaDir/demo and served as /media/demo/....
	MediaDir string
	// Now anchors every date in the demo, so the site always looks current.
	Now time.Time
	// Language is the site's interface language ("en" or "ru"); section
	// names are loaded in it.
	Language string
}

// Stats says what Seed created.
type Stats struct {
	Articles int // articles created
	Sections int // sections created or found
	Authors  int // authors created or found
	Tags     int // tags ensured
	Images   int // lead images painted (each in len(ImageWidths) sizes)
}

// Outlet returns the demo outlet's name and tagline in a language ("en" or
// "ru"; anything else gets English).
func Outlet(lang string) (name, tagline string) {
	if lang == "ru" {
		return "Скерроу Курьер", "Новости Скерроуского побережья и соседей с 1894 года"
	}
	return "The Skerrow Courier", "News from the Skerrow Coast and its neighbours since 1894"
}

// Organization describes a designated (banned) organization: the names it
// appears under in text and the note a marked mention carries.
type Organization struct {
	Name       string    // canonical English name
	FormsEN    []string  // every English form that must be marked
	FormsRU    []string  // every Russian form (all inflections) that must be marked
	Marker     string    // the sign placed after a mention
	NoteEN     string    // the note at the first mention, in English
	NoteRU     string    // the note at the first mention, in Russian
	ListedFrom time.Time // when the ban took effect
}

// DesignatedOrganization is the fictional banned organization that the demo
// articles mention, marked by hand the way the law requires: "Name *" in the
// standfirst and "Name * (note)" at the first mention in the body. The
// legal-markers registry can register it from here.
var DesignatedOrganization = Organization{
	Name:    "Grey Strait Brotherhood",
	FormsEN: []string{"Grey Strait Brotherhood"},
	FormsRU: []string{
		"Братство Серого пролива",
		"Братства Серого пролива",
		"Братству Серого пролива",
		"Братством Серого пролива",
		"Братстве Серого пролива",
	},
	Marker:     "*",
	NoteEN:     "the organization is banned in Valdora",
	NoteRU:     "организация запрещена в Вальдоре",
	ListedFrom: time.Date(2019, time.March, 14, 0, 0, 0, 0, time.UTC),
}

// Sections returns the demo sections in display order. ParentID is zero;
// Parent names the parent section's slug where there is one.
func Sections() []Section {
	out := make([]Section, len(sections))
	copy(out, sections)
	return out
}

// Section is a demo section with its parent named by slug.
type Section struct {
	newsroom.Category
	Parent string // parent slug, "" for a top-level section
	// NameRU and DescriptionRU are used on a site whose language is Russian.
	NameRU, DescriptionRU string
}

// Authors returns the demo authors (IDs zero).
func Authors() []newsroom.Author {
	out := make([]newsroom.Author, len(authors))
	copy(out, authors)
	return out
}

// Tags returns the demo tags (IDs zero).
func Tags() []newsroom.Tag {
	out := make([]newsroom.Tag, len(tags))
	copy(out, tags)
	return out
}

// Articles returns the demo articles as they would be stored at time now,
// oldest first, with categories, tags and bylines filled in by slug and name
// (IDs zero) and nothing rendered. Tests and fixtures elsewhere may use it.
func Articles(now time.Time) []*newsroom.Article {
	cats := map[string]newsroom.Category{}
	for _, s := range sections {
		cats[s.Slug] = s.Category
	}
	auth := map[string]newsroom.Author{}
	for _, a := range authors {
		auth[a.Slug] = a
	}
	tg := map[string]newsroom.Tag{}
	for _, t := range tags {
		tg[t.Slug] = t
	}
	all := allStories()
	out := make([]*newsroom.Article, 0, len(all))
	for _, s := range all {
		out = append(out, s.article(now, cats, auth, tg))
	}
	sort.SliceStable(out, func(i, j int) bool { return sortKey(out[i]).Before(sortKey(out[j])) })
	return out
}

// sortKey orders articles by the time they (will) go out; drafts come last.
func sortKey(a *newsroom.Article) time.Time {
	switch {
	case !a.PublishedAt.IsZero():
		return a.PublishedAt
	case !a.ScheduledAt.IsZero():
		return a.ScheduledAt
	}
	return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
}

// Seed loads the demo outlet. It is the caller's job to call it only on a
// fresh database; sections, authors and articles that already exist (by
// slug) are reused or skipped, so a Seed interrupted halfway can be rerun.
func Seed(ctx context.Context, d Deps) (Stats, error) {
	var st Stats
	if d.Store == nil {
		return st, errors.New("demo: Deps.Store is nil")
	}
	if d.Render == nil {
		return st, errors.New("demo: Deps.Render is nil")
	}
	if d.MediaDir == "" {
		return st, errors.New("demo: Deps.MediaDir is empty")
	}
	now := d.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()

	// Sections, parents first (the table is ordered that way).
	cats := map[string]newsroom.Category{}
	for _, s := range sections {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		// The site's language names the section; the other edition gets
		// its own name (Names, Descriptions).
		c := s.Category
		if s.NameRU != "" {
			if d.Language == "ru" {
				c.Name, c.Description = s.NameRU, s.DescriptionRU
				c.Names, c.Descriptions = map[string]string{"en": s.Name}, map[string]string{"en": s.Description}
			} else {
				c.Names, c.Descriptions = map[string]string{"ru": s.NameRU}, map[string]string{"ru": s.DescriptionRU}
			}
		}
		if s.Parent != "" {
			p, ok := cats[s.Parent]
			if !ok {
				return st, fmt.Errorf("demo: section %q: parent %q not created yet", c.Slug, s.Parent)
			}
			c.ParentID = p.ID
		}
		if old, err := d.Store.CategoryBySlug(ctx, c.Slug); err == nil && old != nil {
			c = *old
		} else if err := d.Store.CreateCategory(ctx, &c); err != nil {
			return st, fmt.Errorf("demo: section %q: %w", c.Slug, err)
		}
		cats[c.Slug] = c
		st.Sections++
	}

	auth := map[string]newsroom.Author{}
	for _, a := range authors {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		a := a
		if old, err := d.Store.AuthorBySlug(ctx, a.Slug); err == nil && old != nil {
			a = *old
		} else if err := d.Store.CreateAuthor(ctx, &a); err != nil {
			return st, fmt.Errorf("demo: author %q: %w", a.Slug, err)
		}
		auth[a.Slug] = a
		st.Authors++
	}

	tg := map[string]newsroom.Tag{}
	for _, t := range tags {
		got, err := d.Store.EnsureTag(ctx, t.Slug, t.Name)
		if err != nil {
			return st, fmt.Errorf("demo: tag %q: %w", t.Slug, err)
		}
		tg[t.Slug] = *got
		st.Tags++
	}

	all := allStories()
	var jobs []ImageJob
	for _, s := range all {
		if s.pic.scene != "" {
			jobs = append(jobs, ImageJob{Slug: s.slug, Scene: s.pic.scene})
		}
	}
	n, err := WriteImages(ctx, d.MediaDir, jobs)
	st.Images = n
	if err != nil {
		return st, err
	}

	arts := make([]*newsroom.Article, 0, len(all))
	for _, s := range all {
		arts = append(arts, s.article(now, cats, auth, tg))
	}
	sort.SliceStable(arts, func(i, j int) bool { return sortKey(arts[i]).Before(sortKey(arts[j])) })
	// Originals first, then their translations (linked by slug).
	sort.SliceStable(arts, func(i, j int) bool {
		return translations[arts[i].Slug] == "" && translations[arts[j].Slug] != ""
	})
	ids := map[string]int64{}
	for _, a := range arts {
		if orig := translations[a.Slug]; orig != "" {
			a.TranslationOf = ids[orig]
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if old, err := d.Store.ArticleBySlug(ctx, a.Slug); err == nil && old != nil {
			ids[a.Slug] = old.ID
			continue
		}
		a.Normalize()
		if err := a.Validate(); err != nil {
			return st, fmt.Errorf("demo: article %q: %w", a.Slug, err)
		}
		if err := d.Render(a); err != nil {
			return st, fmt.Errorf("demo: render %q: %w", a.Slug, err)
		}
		if err := d.Store.CreateArticle(ctx, a); err != nil {
			return st, fmt.Errorf("demo: article %q: %w", a.Slug, err)
		}
		ids[a.Slug] = a.ID
		st.Articles++
	}
	return st, nil
}

// story is one demo article as written: the content tables are slices of it.
type story struct {
	slug     string
	lang     string // "" is English
	sections []string
	// authors are author slugs; "slug:label" overrides the author's label.
	authors []string
	tags    []string
	// hoursAgo is the publication time before now; for a scheduled story,
	// a negative number puts it in the future. Drafts ignore it.
	hoursAgo float64
	status   newsroom.Status // "" is published
	// editedAfter, when set, is how many hours after publication the story
	// was last changed in public ("updated 11:40").
	editedAfter float64
	closed      bool // comments closed

	headline, standfirst, body string
	sources                    []newsroom.Source
	pic                        pic
}

// pic is a story's lead image as captioned; the picture itself is painted.
type pic struct {
	scene   string // image scene, see ParseScene; "" for none
	caption string
	credit  string // photographer or agency
	source  string // source name
	url     string // source link
}

func (s story) article(now time.Time, cats map[string]newsroom.Category, auth map[string]newsroom.Author, tg map[string]newsroom.Tag) *newsroom.Article {
	a := &newsroom.Article{
		Slug:         s.slug,
		Status:       s.status,
		Headline:     s.headline,
		Standfirst:   s.standfirst,
		Body:         strings.TrimSpace(s.body) + "\n",
		Language:     s.lang,
		CommentsOpen: !s.closed,
		Sources:      append([]newsroom.Source(nil), s.sources...),
	}
	if a.Status == "" {
		a.Status = newsroom.Published
	}
	if a.Language == "" {
		a.Language = "en"
	}
	at := now.Add(-time.Duration(s.hoursAgo * float64(time.Hour))).Truncate(time.Minute)
	switch a.Status {
	case newsroom.Published:
		a.PublishedAt = at
		if s.editedAfter > 0 {
			e := at.Add(time.Duration(s.editedAfter * float64(time.Hour))).Truncate(time.Minute)
			if e.After(now) {
				e = now
			}
			a.EditedAt = e
		}
	case newsroom.Scheduled:
		a.ScheduledAt = at
	}
	for _, slug := range s.sections {
		a.Categories = append(a.Categories, cats[slug])
	}
	for _, slug := range s.tags {
		a.Tags = append(a.Tags, tg[slug])
	}
	for _, ref := range s.authors {
		slug, label, _ := strings.Cut(ref, ":")
		au := auth[slug]
		if label == "" {
			label = au.Label
		}
		a.Authors = append(a.Authors, newsroom.Byline{AuthorID: au.ID, Name: au.Name, Slug: au.Slug, Label: label})
	}
	if s.pic.scene != "" {
		a.LeadImage = &newsroom.Image{
			URL:        ImageURL(s.slug, 960),
			Caption:    s.pic.caption,
			Credit:     s.pic.credit,
			SourceName: s.pic.source,
			SourceURL:  s.pic.url,
			Alt:        ImageAlt(s.slug, s.pic.scene, a.Language),
			Width:      960,
			Height:     640,
			Srcset:     ImageSrcset(s.slug),
		}
	}
	return a
}

// translations links demo stories told in both languages: the
// translation's slug to its original's. Two went from Russian into
// English, two the other way.
var translations = map[string]string{
	"two-men-jailed-for-funding-grey-strait-brotherhood": "sud-v-port-oldere-bratstvo-serogo-proliva",
	"ostra-line-cuts-winter-sailings-to-the-outer-isles": "parom-na-ostra-mor-zimnee-raspisanie",
	"vybory-v-ketterlande-bez-pobeditelya":               "ketterland-election-hung-parliament",
	"festival-lantern-quay-programma":                    "lantern-quay-festival-announces-line-up",
}

// allStories is every demo story, English then Russian.
func allStories() []story {
	out := make([]story, 0, len(storiesEN)+len(storiesRU))
	out = append(out, storiesEN...)
	return append(out, storiesRU...)
}
