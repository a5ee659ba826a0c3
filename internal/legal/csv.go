package legal

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// The registry's CSV format: a header row, then one row per entity and
// list. Rows with the same name are one entity on several lists. Cells
// holding several forms separate them with ";"; a form may give endings in
// braces ("Талибан{|а|ом}").
//
//	name,list,listed_from,listed_until,marker,forms_en,forms_ru,forms,note_en,note_ru,ignore_case
//
// name, list and listed_from are required columns; any forms_XX and
// note_XX column adds a language; "forms" holds forms for any language.
// Dates are YYYY-MM-DD (or DD.MM.YYYY, as official lists print them).
var csvHeader = []string{"name", "list", "listed_from", "listed_until", "marker", "forms_en", "forms_ru", "forms", "note_en", "note_ru", "ignore_case"}

// MaxCSVRows bounds an import.
const MaxCSVRows = 20000

// ParseCSV reads a registry in the CSV format above. Every row is
// checked; the first bad one stops the parse with an Invalid error whose
// Field is "line:N" (the line in the file) and whose message names the
// column at fault. Nothing is returned on error.
func ParseCSV(r io.Reader) ([]newsroom.LegalEntity, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	lineErr := func(line int, format string, args ...any) error {
		return newsroom.Errorf(newsroom.Invalid, "line:"+strconv.Itoa(line), "line %d: "+format, append([]any{line}, args...)...)
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, newsroom.Errorf(newsroom.Invalid, "line:1", "the file is empty; the first line names the columns")
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; dup {
			return nil, lineErr(1, "column %q appears twice", h)
		}
		switch {
		case slices.Contains(csvHeader, h), strings.HasPrefix(h, "forms_"), strings.HasPrefix(h, "note_"):
			col[h] = i
		default:
			return nil, lineErr(1, "unknown column %q (known: %s, and forms_XX, note_XX per language)", h, strings.Join(csvHeader, ", "))
		}
	}
	for _, need := range []string{"name", "list", "listed_from"} {
		if _, ok := col[need]; !ok {
			return nil, lineErr(1, "the %q column is missing", need)
		}
	}
	var out []newsroom.LegalEntity
	byName := map[string]int{}
	firstLine := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			return nil, lineErr(line, "%d cells, but the header has %d", len(rec), len(header))
		}
		if len(out) >= MaxCSVRows {
			return nil, lineErr(line, "more than %d entities in one file", MaxCSVRows)
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(unescapeCell(rec[i]))
			}
			return ""
		}
		name := strings.Join(strings.Fields(cell("name")), " ")
		if name == "" {
			return nil, lineErr(line, "name: the name is empty")
		}
		listing := newsroom.LegalListing{List: cell("list")}
		if listing.From, err = parseDate(cell("listed_from")); err != nil || listing.From.IsZero() {
			return nil, lineErr(line, "listed_from: %q is not a date (YYYY-MM-DD)", cell("listed_from"))
		}
		if listing.Until, err = parseDate(cell("listed_until")); err != nil {
			return nil, lineErr(line, "listed_until: %q is not a date (YYYY-MM-DD)", cell("listed_until"))
		}
		idx, seen := byName[name]
		if !seen {
			out = append(out, newsroom.LegalEntity{Name: name, Forms: map[string][]string{}, Notes: map[string]string{}})
			idx = len(out) - 1
			byName[name], firstLine[name] = idx, line
		}
		e := &out[idx]
		e.Listings = append(e.Listings, listing)
		if m := cell("marker"); m != "" {
			if e.Marker != "" && e.Marker != m {
				return nil, lineErr(line, "marker: %q differs from %q on line %d", m, e.Marker, firstLine[name])
			}
			e.Marker = m
		}
		switch strings.ToLower(cell("ignore_case")) {
		case "", "no", "false", "0":
		case "yes", "true", "1":
			e.IgnoreCase = true
		default:
			return nil, lineErr(line, "ignore_case: %q is not yes or no", cell("ignore_case"))
		}
		for h, i := range col {
			v := strings.TrimSpace(unescapeCell(rec[i]))
			if v == "" {
				continue
			}
			switch {
			case h == "forms" || strings.HasPrefix(h, "forms_"):
				lang := strings.TrimPrefix(strings.TrimPrefix(h, "forms"), "_")
				for _, f := range strings.Split(v, ";") {
					if f = strings.TrimSpace(f); f != "" && !slices.Contains(e.Forms[lang], f) {
						e.Forms[lang] = append(e.Forms[lang], f)
					}
				}
			case strings.HasPrefix(h, "note_"):
				lang := strings.TrimPrefix(h, "note_")
				if old := e.Notes[lang]; old != "" && old != v {
					return nil, lineErr(line, "%s: the note differs from line %d", h, firstLine[name])
				}
				e.Notes[lang] = v
			}
		}
		check := *e
		check.Normalize()
		if err := check.Validate(); err != nil {
			ve := newsroom.AsError(err)
			return nil, lineErr(line, "%s: %s", ve.Field, ve.Message)
		}
	}
	for i := range out {
		out[i].Normalize()
	}
	return out, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return newsroom.Errorf(newsroom.Invalid, "line:"+strconv.Itoa(pe.Line), "line %d: %v", pe.Line, pe.Err)
	}
	return fmt.Errorf("read csv: %w", err)
}

// parseDate reads YYYY-MM-DD or DD.MM.YYYY; "" is the zero time.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02", "02.01.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

// WriteCSV writes entities in the CSV format ParseCSV reads, one row per
// entity and list, with a forms_XX and note_XX column for every language
// in use.
func WriteCSV(w io.Writer, entities []newsroom.LegalEntity) error {
	langs := map[string]bool{"en": true, "ru": true}
	anyForms := false
	for _, e := range entities {
		for l := range e.Forms {
			if l == "" {
				anyForms = true
			} else {
				langs[l] = true
			}
		}
		for l := range e.Notes {
			langs[l] = true
		}
	}
	var ls []string
	for l := range langs {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	header := []string{"name", "list", "listed_from", "listed_until", "marker"}
	for _, l := range ls {
		header = append(header, "forms_"+l)
	}
	if anyForms {
		header = append(header, "forms")
	}
	for _, l := range ls {
		header = append(header, "note_"+l)
	}
	header = append(header, "ignore_case")
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	}
	for _, e := range entities {
		for _, l := range e.Listings {
			row := []string{e.Name, l.List, date(l.From), date(l.Until), e.Marker}
			for _, lang := range ls {
				row = append(row, strings.Join(e.Forms[lang], "; "))
			}
			if anyForms {
				row = append(row, strings.Join(e.Forms[""], "; "))
			}
			for _, lang := range ls {
				row = append(row, e.Notes[lang])
			}
			ic := "no"
			if e.IgnoreCase {
				ic = "yes"
			}
			row = append(row, ic)
			for i := range row {
				row[i] = escapeCell(row[i])
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// formulaStart reports whether a spreadsheet would read a cell that
// begins with c as a formula (=, +, -, @) or strip it (tab, CR).
func formulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// escapeCell keeps a spreadsheet from running a cell as a formula
// ("CSV injection"): a cell that begins with = + - @, a tab or a carriage
// return gets a leading apostrophe, which spreadsheets show as text.
func escapeCell(v string) string {
	if v != "" && formulaStart(v[0]) {
		return "'" + v
	}
	return v
}

// unescapeCell undoes escapeCell, so an exported file imports unchanged.
func unescapeCell(v string) string {
	if len(v) >= 2 && v[0] == '\'' && formulaStart(v[1]) {
		return v[1:]
	}
	return v
}
