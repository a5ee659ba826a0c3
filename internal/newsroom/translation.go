package newsroom

import "time"

// Languages are the languages a story may be written in, the site's
// default first in no particular sense: the order is the switcher's.
var Languages = []string{"en", "ru"}

// ValidLanguage reports whether l is one of Languages.
func ValidLanguage(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// OtherLanguage returns the first of Languages that is not l.
func OtherLanguage(l string) string {
	for _, x := range Languages {
		if x != l {
			return x
		}
	}
	return l
}

// EditionPath returns path (a site path such as "/world/a-story" or "/")
// as it is served in the edition of lang on a site whose default language
// is def: unchanged in the default edition, under "/LANG" in the others.
func EditionPath(lang, def, path string) string {
	if lang == "" || lang == def {
		return path
	}
	if path == "/" || path == "" {
		return "/" + lang + "/"
	}
	return "/" + lang + path
}

// Translation is one other member of an article's translation group, as
// the article lists it: enough to link to it and decide who may see it.
type Translation struct {
	ID          int64
	Language    string
	Slug        string
	Section     string // primary section slug ("" for none)
	Status      Status
	PublishedAt time.Time
	// Original is true for the group's original (the story the others
	// were translated from).
	Original bool
}

// URL is the member's public path in its edition's shape without the
// language prefix, like Article.URL.
func (t Translation) URL() string {
	section := t.Section
	if section == "" {
		section = "news"
	}
	return "/" + section + "/" + t.Slug
}

// IsPublic reports whether readers may see the member at time now.
func (t Translation) IsPublic(now time.Time) bool {
	return t.Status == Published && !t.PublishedAt.IsZero() && !t.PublishedAt.After(now)
}

// PublicTranslations returns the members of a's group readers may see at
// now (never a itself).
func (a *Article) PublicTranslations(now time.Time) []Translation {
	var out []Translation
	for _, t := range a.Translations {
		if t.IsPublic(now) {
			out = append(out, t)
		}
	}
	return out
}

// IsOriginal reports whether a is its group's original (or in no group).
func (a *Article) IsOriginal() bool {
	return a.TranslationGroup == 0 || a.TranslationGroup == a.ID
}

// GroupKey is the cache key every page of a translation group depends on
// (each lists the others); "" for an article in no group.
func GroupKey(group int64) string {
	if group == 0 {
		return ""
	}
	return "translations:" + itoa(group)
}

// SettingMachineNote is the settings key that shows readers "Machine
// translation, reviewed by the editors" on published machine
// translations: "off" hides it, anything else (unset) shows it.
const SettingMachineNote = "machine_translation_note"
