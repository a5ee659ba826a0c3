package newsroom

import (
	"cmp"
	"context"
	"strings"
	"unicode/utf8"
)

// Limits on taxonomy fields, in characters.
const (
	MaxTaxonomyName = 120
	MaxDescription  = 2000
	MaxBio          = 5000
)

// Validate trims and checks a section's own fields: a name, a valid slug
// that is not one of ReservedSlugs, a parent other than itself. It does
// not check that the parent exists or that parents form no cycle; the
// store does.
func (c *Category) Validate() error {
	c.Slug, c.Name, c.Description = strings.TrimSpace(c.Slug), strings.TrimSpace(c.Name), strings.TrimSpace(c.Description)
	if err := cmp.Or(checkRequired("name", c.Name, MaxTaxonomyName), checkSlug(c.Slug, ReservedSlugs, languageSlugs),
		checkLength("description", c.Description, MaxDescription)); err != nil {
		return err
	}
	if c.ParentID != 0 && c.ParentID == c.ID {
		return Errorf(Invalid, "parent_id", "a section cannot be its own parent")
	}
	var err error
	if c.Names, err = checkLanguageTexts("names", c.Names, MaxTaxonomyName, true); err != nil {
		return err
	}
	if c.Descriptions, err = checkLanguageTexts("descriptions", c.Descriptions, MaxDescription, false); err != nil {
		return err
	}
	return checkPosition("position", c.Position)
}

// checkLanguageTexts trims a text per language ({"ru": "…"}), drops the
// empty ones (nil when none is left) and refuses an unknown language, a
// text longer than max characters or, with oneLine, one with a line
// break. Errors name field.lang.
func checkLanguageTexts(field string, m map[string]string, max int, oneLine bool) (map[string]string, error) {
	var out map[string]string
	for lang, v := range m {
		if !ValidLanguage(lang) {
			return nil, Errorf(Invalid, field, "unknown language %q (use %s)", lang, strings.Join(Languages, " or "))
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if err := checkLength(field+"."+lang, v, max); err != nil {
			return nil, err
		}
		if oneLine && strings.ContainsAny(v, "\r\n") {
			return nil, Errorf(Invalid, field+"."+lang, "the name must be one line")
		}
		if out == nil {
			out = map[string]string{}
		}
		out[lang] = v
	}
	return out, nil
}

// Normalize trims a new tag's slug and name; a tag without a name is
// named by its slug.
func (t *Tag) Normalize() {
	t.Slug, t.Name = strings.TrimSpace(t.Slug), strings.TrimSpace(t.Name)
	if t.Name == "" {
		t.Name = t.Slug
	}
}

// Validate trims and checks a tag's name and slug.
func (t *Tag) Validate() error {
	t.Slug, t.Name = strings.TrimSpace(t.Slug), strings.TrimSpace(t.Name)
	return cmp.Or(checkRequired("name", t.Name, MaxTaxonomyName), checkSlug(t.Slug))
}

// Normalize trims a new author profile and fills its defaults: the slug
// is made from the name and the byline label is staff.
func (a *Author) Normalize() {
	a.Name, a.Slug = strings.TrimSpace(a.Name), strings.TrimSpace(a.Slug)
	if a.Slug == "" && a.Name != "" {
		a.Slug = Slugify(a.Name)
	}
	if a.Label == "" {
		a.Label = LabelStaff
	}
}

// Validate trims and checks an author profile's own fields.
func (a *Author) Validate() error {
	a.Name, a.Slug, a.Bio, a.PhotoURL = strings.TrimSpace(a.Name), strings.TrimSpace(a.Slug), strings.TrimSpace(a.Bio), strings.TrimSpace(a.PhotoURL)
	if err := cmp.Or(checkRequired("name", a.Name, MaxTaxonomyName), checkSlug(a.Slug)); err != nil {
		return err
	}
	switch {
	case !ValidLabel(a.Label):
		return Errorf(Invalid, "label", "unknown byline label %q", a.Label)
	case utf8.RuneCountInString(a.Bio) > MaxBio:
		return Errorf(Invalid, "bio", "bio is longer than %d characters", MaxBio)
	case a.PhotoURL != "" && !SafeURL(a.PhotoURL):
		return Errorf(Invalid, "photo_url", "photo link must be an http or https address")
	}
	return nil
}

// CheckMerge returns an Invalid error on "into" when tag from would be
// merged into itself.
func CheckMerge(from, into int64) error {
	if from == into {
		return Errorf(Invalid, "into", "a tag cannot be merged into itself")
	}
	return nil
}

// CheckSlugKept returns an Invalid error on "slug" when a section's slug
// would change from stored to next: its articles' addresses depend on it.
func CheckSlugKept(stored, next string) error {
	if stored != next {
		return Errorf(Invalid, "slug", "a section's slug cannot change: its articles' addresses depend on it")
	}
	return nil
}

// TagUse is a tag with the number of articles carrying it.
type TagUse struct {
	Tag
	Articles int `json:"articles"`
}

// TaxonomyAdmin is what the desk needs beyond Taxonomy to manage sections,
// tags and author profiles. Only editors and admins may call it (the
// caller checks). Every change is reported to the Notifier with the keys
// of the pages it touches ("home", "nav", "category:slug", "tag:slug",
// "author:ID").
type TaxonomyAdmin interface {
	// CategoryByID returns the section or NotFound.
	CategoryByID(ctx context.Context, id int64) (*Category, error)
	// UpdateCategory changes the name, parent, menu position and
	// description of section c.ID, and its names and descriptions in the
	// other editions' languages. The slug is fixed once created (article
	// URLs hang on it): a different slug is Invalid on "slug". A parent
	// that is unknown, the section itself or one of its descendants is
	// Invalid on "parent_id".
	UpdateCategory(ctx context.Context, c *Category) error
	// TagByID returns the tag or NotFound.
	TagByID(ctx context.Context, id int64) (*Tag, error)
	// TagUses lists every tag with its article count, by name.
	TagUses(ctx context.Context) ([]TagUse, error)
	// UpdateTag renames tag t.ID (name and slug). The old slug keeps
	// leading to the tag (TagBySlug follows it). A slug taken by another
	// tag is a Conflict on "slug".
	UpdateTag(ctx context.Context, t *Tag) error
	// MergeTags moves every article of tag from to tag into (articles that
	// had both keep one), deletes from, and makes from's slug, and every
	// slug that led to from, lead to into. It returns the survivor.
	// Merging a tag into itself is Invalid on "into".
	MergeTags(ctx context.Context, from, into int64) (*Tag, error)
	// UpdateAuthor changes the name, byline label, bio and photo of author
	// a.ID. The slug is kept. NotFound if there is none.
	UpdateAuthor(ctx context.Context, a *Author) error
}
