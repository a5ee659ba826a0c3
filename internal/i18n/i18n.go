// Package i18n is newsdesk's one message catalog: every interface string in
// English and Russian, with plural forms and dates formatted per language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

// Languages are the interface languages the catalog is complete in.
var Languages = []string{"en", "ru"}

// pluralCount is how many plural forms each language has.
var pluralCount = map[string]int{"en": 2, "ru": 3}

// files are the messages, one JSON file per surface, each key giving every
// language at once: a string is a plain message, an array a set of plural
// forms (English: one, other; Russian: one, few, many):
//
//	{"article.updated": {"en": "updated %s", "ru": "обновлено %s"},
//	 "comments.count": {"en": ["%d comment", "%d comments"],
//	                    "ru": ["%d комментарий", "%d комментария", "%d комментариев"]}}
//
//go:embed messages/*.json
var files embed.FS

type entry struct {
	text   string
	plural []string
}

var catalog = map[string]map[string]entry{} // key -> lang -> entry

func init() {
	if err := load(files); err != nil {
		panic("i18n: " + err.Error())
	}
}

func load(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "messages/*.json")
	if err != nil {
		return err
	}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		var raw map[string]map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for key, langs := range raw {
			if _, dup := catalog[key]; dup {
				return fmt.Errorf("%s: key %q is defined twice", name, key)
			}
			m := map[string]entry{}
			for lang, v := range langs {
				var e entry
				if err := json.Unmarshal(v, &e.text); err != nil {
					if err := json.Unmarshal(v, &e.plural); err != nil {
						return fmt.Errorf("%s: %s.%s: want a string or an array of strings", name, key, lang)
					}
				}
				m[lang] = e
			}
			catalog[key] = m
		}
	}
	return nil
}

// Check reports every key that is missing a language or has the wrong
// number of plural forms. Tests call it; an empty result means complete.
func Check() []string {
	var problems []string
	for key, m := range catalog {
		plural := false
		for _, e := range m {
			if e.plural != nil {
				plural = true
			}
		}
		for _, lang := range Languages {
			e, ok := m[lang]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s: no %s", key, lang))
			case plural && len(e.plural) != pluralCount[lang]:
				problems = append(problems, fmt.Sprintf("%s: %s needs %d plural forms", key, lang, pluralCount[lang]))
			case !plural && strings.TrimSpace(e.text) == "":
				problems = append(problems, fmt.Sprintf("%s: %s is empty", key, lang))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// Has reports whether key is in the catalog.
func Has(key string) bool { _, ok := catalog[key]; return ok }

// Lang returns lang if the catalog has it, else "en".
func Lang(lang string) string {
	if lang == "ru" {
		return "ru"
	}
	return "en"
}

// T returns the message for key in lang, formatted with args. A missing key
// is returned in brackets so that it shows up in screenshots and tests.
func T(lang, key string, args ...any) string {
	e, ok := catalog[key][Lang(lang)]
	if !ok {
		return "[" + key + "]"
	}
	s := e.text
	if len(e.plural) > 0 {
		s = e.plural[len(e.plural)-1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// N returns the plural form of key for n in lang, formatted with n (and any
// further args).
func N(lang, key string, n int, args ...any) string {
	lang = Lang(lang)
	e, ok := catalog[key][lang]
	if !ok || len(e.plural) == 0 {
		return "[" + key + "]"
	}
	form := PluralForm(lang, n)
	if form >= len(e.plural) {
		form = len(e.plural) - 1
	}
	s := e.plural[form]
	if strings.Contains(s, "%") {
		return fmt.Sprintf(s, append([]any{n}, args...)...)
	}
	return s
}

// PluralForm returns the index of the plural form for n in lang.
// English: 0 one, 1 other. Russian: 0 one (1, 21, 101), 1 few (2–4, 22–24),
// 2 many (0, 5–20, 25–30, 11–14).
func PluralForm(lang string, n int) int {
	if n < 0 {
		n = -n
	}
	switch Lang(lang) {
	case "ru":
		mod10, mod100 := n%10, n%100
		switch {
		case mod10 == 1 && mod100 != 11:
			return 0
		case mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14):
			return 1
		default:
			return 2
		}
	default:
		if n == 1 {
			return 0
		}
		return 1
	}
}

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var monthsENLong = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// Russian month names in the genitive, as used in dates ("7 октября 2021").
var monthsRU = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

// Date formats a calendar date: "Oct 7, 2021" or "7 октября 2021".
func Date(lang string, t time.Time) string {
	if Lang(lang) == "ru" {
		return fmt.Sprintf("%d %s %d", t.Day(), monthsRU[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%s %d, %d", monthsEN[t.Month()-1], t.Day(), t.Year())
}

// LongDate formats a date with the month in full: "8 October 2021" or
// "8 октября 2021", as in correction notes.
func LongDate(lang string, t time.Time) string {
	if Lang(lang) == "ru" {
		return Date(lang, t)
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsENLong[t.Month()-1], t.Year())
}

// Clock formats a time of day, 24-hour: "09:12".
func Clock(t time.Time) string { return t.Format("15:04") }

// DateTime formats a date and time: "Oct 7, 2021, 09:12" or "7 октября 2021, 09:12".
func DateTime(lang string, t time.Time) string {
	return Date(lang, t) + ", " + Clock(t)
}

// Number formats an integer with its thousands grouped: "47,000" or
// "47 000" (a no-break space, as Russian typesetting has it).
func Number(lang string, n int) string {
	sep := ","
	if Lang(lang) == "ru" {
		sep = "\u00a0"
	}
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
