package newsroom

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// GlossaryEntry is a name the newsroom writes one fixed way in each
// language (an agency, a place, a person): Forms maps a language to its
// form ("ru": "Маяк Варде", "en": "Mayak Varde").
type GlossaryEntry struct {
	ID        int64             `json:"id"`
	Forms     map[string]string `json:"forms"`
	Note      string            `json:"note"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// MaxGlossaryForm and MaxGlossaryNote bound an entry's texts.
const (
	MaxGlossaryForm = 200
	MaxGlossaryNote = 1000
)

// Normalize trims the forms and note and drops empty forms.
func (e *GlossaryEntry) Normalize() {
	for l, f := range e.Forms {
		f = strings.Join(strings.Fields(f), " ")
		if f == "" {
			delete(e.Forms, l)
		} else {
			e.Forms[l] = f
		}
	}
	e.Note = strings.TrimSpace(e.Note)
}

// Validate checks an entry: forms in at least two of Languages (a name
// with one form protects nothing), each a known language and not too
// long, and a note within its limit. Errors are Invalid naming "forms"
// (or "forms.LANG") or "note".
func (e *GlossaryEntry) Validate() error {
	for l, f := range e.Forms {
		if !ValidLanguage(l) {
			return Errorf(Invalid, "forms", "unknown language %q: forms are given as en and ru", l)
		}
		if utf8.RuneCountInString(f) > MaxGlossaryForm {
			return Errorf(Invalid, "forms."+l, "the %s form is longer than %d characters", l, MaxGlossaryForm)
		}
	}
	if len(e.Forms) < 2 {
		return Errorf(Invalid, "forms", "an entry needs its form in both languages (en and ru)")
	}
	return checkLength("note", e.Note, MaxGlossaryNote)
}

// GlossaryStore keeps the glossary.
type GlossaryStore interface {
	// GlossaryEntries lists every entry, by its first form.
	GlossaryEntries(ctx context.Context) ([]GlossaryEntry, error)
	// GlossaryEntry returns one entry or a NotFound error.
	GlossaryEntry(ctx context.Context, id int64) (*GlossaryEntry, error)
	// CreateGlossaryEntry stores a validated entry and sets its ID and
	// times; UpdateGlossaryEntry replaces its forms and note (NotFound
	// for an unknown id); DeleteGlossaryEntry removes it (NotFound too).
	CreateGlossaryEntry(ctx context.Context, e *GlossaryEntry) error
	UpdateGlossaryEntry(ctx context.Context, e *GlossaryEntry) error
	DeleteGlossaryEntry(ctx context.Context, id int64) error
}

// TranslationCheck is a warning on a translation: the original names a
// glossary entry in its language and the translation lacks the entry's
// form in its own.
type TranslationCheck struct {
	Code    string `json:"code"` // "glossary"
	EntryID int64  `json:"entry_id"`
	Found   string `json:"found"` // the original's form
	Want    string `json:"want"`  // the form the translation should carry
	Message string `json:"message"`
}

// GlossaryText is the text of an article a glossary check reads: its
// headline, standfirst, body and lead image caption, folded (lower case,
// ё as е, spaces collapsed).
func GlossaryText(a *Article) string {
	parts := []string{a.Headline, a.Standfirst, a.Body}
	if a.LeadImage != nil {
		parts = append(parts, a.LeadImage.Caption)
	}
	return foldName(strings.Join(parts, "\n"))
}

func foldName(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.NewReplacer("ё", "е", "\u00a0", " ").Replace(s)
}

// CheckTranslation returns a warning for every entry whose form in the
// original's language the original contains while the translation lacks
// the entry's form in its language, in entry order.
func CheckTranslation(original, translation *Article, entries []GlossaryEntry) []TranslationCheck {
	out := []TranslationCheck{}
	if original == nil || translation == nil || original.Language == translation.Language {
		return out
	}
	src, dst := GlossaryText(original), GlossaryText(translation)
	for _, e := range entries {
		from, to := e.Forms[original.Language], e.Forms[translation.Language]
		if from == "" || to == "" || !strings.Contains(src, foldName(from)) || strings.Contains(dst, foldName(to)) {
			continue
		}
		out = append(out, TranslationCheck{Code: "glossary", EntryID: e.ID, Found: from, Want: to,
			Message: "the original names “" + from + "”; the glossary writes it “" + to + "” in " + translation.Language + ", and this translation does not"})
	}
	return out
}

// SortGlossary orders entries by their first form in Languages order.
func SortGlossary(list []GlossaryEntry) {
	key := func(e GlossaryEntry) string {
		for _, l := range Languages {
			if f := e.Forms[l]; f != "" {
				return strings.ToLower(f)
			}
		}
		return ""
	}
	sort.SliceStable(list, func(i, j int) bool { return key(list[i]) < key(list[j]) })
}
