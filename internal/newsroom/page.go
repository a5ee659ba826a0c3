package newsroom

import (
	"cmp"
	"context"
	"strings"
	"time"
)

// Page is a static page of the site (About us, Contacts, Editorial policy,
// Corrections policy, Privacy): a title and a Markdown body at its own
// path. Pages nest: a page with a parent lives under the parent's path
// ("/about-us/team/"). Pages the editor puts in the menu are listed in the
// footer of every page, in MenuPosition order.
type Page struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id,omitempty"`
	Slug     string `json:"slug"`
	// Path is where the page is served, "/slug/" or "/parent/slug/"; the
	// store sets it from the parent's path and the slug.
	Path     string `json:"url"`
	Title    string `json:"title"`
	Body     string `json:"body"`      // Markdown source
	BodyHTML string `json:"body_html"` // rendered and sanitized on save
	// Status is Draft (seen only in the desk) or Published.
	Status       Status    `json:"status"`
	InMenu       bool      `json:"in_menu"`
	MenuPosition int       `json:"menu_position"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	// Language is the page's edition. In the store, "" is the site's
	// default language (plain paths) and any other language's code puts
	// the page under "/LANG/" ("/ru/o-nas/"); pages.Service shows and
	// takes the language itself, mapping the default one to "".
	Language string `json:"language"`
	// TranslationOf links the page as a translation of another page
	// (0: none). Read back, it is the group's original, 0 on the
	// original itself. A group holds one page per language.
	TranslationOf int64 `json:"translation_of,omitempty"`
	// TranslationGroup is the original's id, shared by every member (0:
	// no group); Translations are the group's other members, drafts
	// included (PageByID, PageByPath).
	TranslationGroup int64             `json:"-"`
	Translations     []PageTranslation `json:"translations,omitempty"`
}

// PageTranslation is another language's version of a page.
type PageTranslation struct {
	ID       int64  `json:"id"`
	Language string `json:"language"` // as Page.Language
	Path     string `json:"url"`
	Title    string `json:"title"`
	Status   Status `json:"status"`
	Original bool   `json:"original,omitempty"`
}

// PagePrefix is the path prefix of a page's edition ("" or "/ru"), for
// Page.Language as the store keeps it.
func PagePrefix(lang string) string {
	if lang == "" {
		return ""
	}
	return "/" + lang
}

// PageDepth is how deep a page at path sits (1: top level), its
// edition's prefix not counted.
func PageDepth(path, lang string) int {
	return strings.Count(strings.TrimPrefix(path, PagePrefix(lang)), "/") - 1
}

// PageGroupKey is the cache key of a page translation group: every page
// of it shows the others in its hreflang links and switcher.
func PageGroupKey(group int64) string {
	if group == 0 {
		return ""
	}
	return "page-group:" + itoa(group)
}

// Limits on page fields.
const (
	MaxPageTitle = 300
	MaxPageDepth = 5 // levels of nesting, the top level included
)

// PageReservedSlugs may not be the slug of a top-level page beyond
// ReservedSlugs: paths the site serves other things under.
var PageReservedSlugs = map[string]bool{"news": true, "feeds": true, "sitemaps": true}

// languageSlugs are the editions' prefixes: no top-level page or
// section may take one.
var languageSlugs = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range Languages {
		m[l] = true
	}
	return m
}()

// IsPublic reports whether readers may see the page.
func (p *Page) IsPublic() bool { return p.Status == Published }

// Normalize trims fields and fills defaults that need no I/O: an empty
// slug is made from the title, an empty status is a draft.
func (p *Page) Normalize() {
	p.Title = strings.TrimSpace(p.Title)
	p.Slug = strings.TrimSpace(p.Slug)
	if p.Slug == "" && p.Title != "" {
		p.Slug = Slugify(p.Title)
	}
	if p.Status == "" {
		p.Status = Draft
	}
}

// Validate checks the page's own fields. It does not check that the parent
// exists, that the slug is free among its siblings or that a top-level
// slug is not a section's; the store does (Conflict on "slug", Invalid on
// "parent_id").
func (p *Page) Validate() error {
	reserved := []map[string]bool{ReservedSlugs, PageReservedSlugs, languageSlugs}
	if p.ParentID != 0 {
		reserved = nil // only top-level pages stand beside the site's paths
	}
	if err := cmp.Or(checkRequired("title", p.Title, MaxPageTitle), checkSlug(p.Slug, reserved...)); err != nil {
		return err
	}
	switch {
	case len(p.Body) > MaxBody:
		return Errorf(TooLarge, "body", "body is longer than %d bytes", MaxBody)
	case p.Status != Draft && p.Status != Published:
		return Errorf(Invalid, "status", "status must be draft or published")
	case p.ParentID < 0 || (p.ParentID != 0 && p.ParentID == p.ID):
		return Errorf(Invalid, "parent_id", "a page cannot be its own parent")
	case p.Language != "" && !ValidLanguage(p.Language):
		return Errorf(Invalid, "language", "language must be %s", strings.Join(Languages, " or "))
	case p.TranslationOf < 0 || (p.TranslationOf != 0 && p.TranslationOf == p.ID):
		return Errorf(Invalid, "translation_of", "a page cannot be its own translation")
	}
	return checkPosition("menu_position", p.MenuPosition)
}

// PageKeys returns the cache keys a change from before to after touches
// (either may be nil, for a creation or a deletion): the page itself, its
// parent's page (which lists the pages below it), and "nav" (every page's
// footer) when the footer menu may show it differently.
func PageKeys(before, after *Page) []string {
	var keys []string
	menu := func(p *Page) bool { return p != nil && p.InMenu && p.IsPublic() }
	for _, p := range []*Page{before, after} {
		if p != nil {
			keys = append(keys, "page:"+itoa(p.ID))
			if p.ParentID != 0 {
				keys = append(keys, "page:"+itoa(p.ParentID))
			}
			if p.TranslationGroup != 0 {
				keys = append(keys, PageGroupKey(p.TranslationGroup))
			}
		}
	}
	switch {
	case menu(before) != menu(after):
		keys = append(keys, "nav")
	case menu(before) && (before.Title != after.Title || before.Path != after.Path || before.MenuPosition != after.MenuPosition ||
		before.Language != after.Language):
		keys = append(keys, "nav")
	}
	return keys
}

// PageReader reads static pages. The public site gets only this.
type PageReader interface {
	// PageByPath returns the page served at path ("/about-us/team/",
	// "/ru/o-nas/"), with its Translations, or NotFound. It does not
	// check the status.
	PageByPath(ctx context.Context, path string) (*Page, error)
	// MenuPages lists the published pages in the footer menu, by
	// MenuPosition, then title, every edition's (each page's Language
	// says which). Bodies are left empty.
	MenuPages(ctx context.Context) ([]Page, error)
	// PagesBelow lists the pages whose parent is id, drafts included, by
	// MenuPosition, then title. Bodies are left empty.
	PagesBelow(ctx context.Context, id int64) ([]Page, error)
}

// PageStore reads and writes static pages. Every change is reported to
// the Notifier with the keys PageKeys gives.
type PageStore interface {
	PageReader
	// Pages lists every page, by path. Bodies are left empty.
	Pages(ctx context.Context) ([]Page, error)
	// PageByID returns the page, with its Translations, or NotFound.
	PageByID(ctx context.Context, id int64) (*Page, error)
	// CreatePage normalizes and validates p, stores it (BodyHTML rendered
	// by the caller) and sets its ID, Path (under its edition's prefix),
	// TranslationGroup, CreatedAt and UpdatedAt. A parent in another
	// language is Invalid on "parent_id"; a TranslationOf that is unknown
	// or in the page's language is Invalid on "translation_of", one whose
	// group has the language already a Conflict on it. A slug taken by a sibling, or by a section
	// for a top-level page, is a Conflict on "slug"; an unknown parent, or
	// one MaxPageDepth deep, is Invalid on "parent_id".
	CreatePage(ctx context.Context, p *Page) error
	// UpdatePage replaces page p.ID's fields, sets Path and UpdatedAt, and
	// moves the paths of the pages below it with it. Errors as CreatePage;
	// a parent that is the page itself or below it is Invalid on
	// "parent_id"; NotFound if there is no such page.
	UpdatePage(ctx context.Context, p *Page) error
	// DeletePage removes the page. A page with pages below it is a
	// Conflict on "id"; NotFound if there is none.
	DeletePage(ctx context.Context, id int64) error
	// SetMenu puts the pages of order in the footer menu in that order
	// (positions 1, 2, ...) and takes every other page out of it.
	// An unknown id is Invalid on "menu".
	SetMenu(ctx context.Context, order []int64) error
}
