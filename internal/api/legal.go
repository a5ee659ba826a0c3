package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/legal/registry"
	"newsdesk/internal/newsroom"
)

// LegalEntityJSON is a registry entity in the API (DESIGN.md's contract:
// name, forms, marker, notes, list, listed_from, listed_until), extended
// with every list the entity is on and the forms by language.
type LegalEntityJSON struct {
	ID              int64               `json:"id"`
	Name            string              `json:"name"`
	Forms           []string            `json:"forms"`
	FormsByLanguage map[string][]string `json:"forms_by_language"`
	Marker          string              `json:"marker"`
	Notes           map[string]string   `json:"notes"`
	List            string              `json:"list"`
	ListedFrom      string              `json:"listed_from"`
	ListedUntil     *string             `json:"listed_until"`
	Lists           []LegalListingJSON  `json:"lists"`
	IgnoreCase      bool                `json:"ignore_case"`
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
}

// LegalListingJSON is one list an entity is on, with dates (YYYY-MM-DD).
type LegalListingJSON struct {
	List        string  `json:"list"`
	ListedFrom  string  `json:"listed_from"`
	ListedUntil *string `json:"listed_until"`
}

const dateLayout = "2006-01-02"

func datePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(dateLayout)
	return &s
}

// LegalToJSON converts a registry entity for the API.
func LegalToJSON(e *newsroom.LegalEntity) LegalEntityJSON {
	j := LegalEntityJSON{
		ID: e.ID, Name: e.Name, Forms: []string{}, FormsByLanguage: map[string][]string{},
		Marker: e.Marker, Notes: map[string]string{}, Lists: []LegalListingJSON{},
		IgnoreCase: e.IgnoreCase, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
	}
	langs := make([]string, 0, len(e.Forms))
	for l := range e.Forms {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		j.Forms = append(j.Forms, e.Forms[l]...)
		j.FormsByLanguage[l] = e.Forms[l]
	}
	for l, n := range e.Notes {
		j.Notes[l] = n
	}
	for i, l := range e.Listings {
		lj := LegalListingJSON{List: l.List, ListedUntil: datePtr(l.Until)}
		if !l.From.IsZero() {
			lj.ListedFrom = l.From.UTC().Format(dateLayout)
		}
		if i == 0 {
			j.List, j.ListedFrom, j.ListedUntil = lj.List, lj.ListedFrom, lj.ListedUntil
		}
		j.Lists = append(j.Lists, lj)
	}
	return j
}

// legalInput is a create or replace body.
type legalInput struct {
	Name        string             `json:"name"`
	Forms       json.RawMessage    `json:"forms"`
	Marker      string             `json:"marker"`
	Notes       map[string]string  `json:"notes"`
	List        string             `json:"list"`
	ListedFrom  string             `json:"listed_from"`
	ListedUntil *string            `json:"listed_until"`
	Lists       []LegalListingJSON `json:"lists"`
	IgnoreCase  bool               `json:"ignore_case"`
	// Read-only fields a client may send back unchanged.
	ID              int64           `json:"id"`
	FormsByLanguage json.RawMessage `json:"forms_by_language"`
	CreatedAt       json.RawMessage `json:"created_at"`
	UpdatedAt       json.RawMessage `json:"updated_at"`
}

func parseDay(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(dateLayout, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, newsroom.Errorf(newsroom.Invalid, field, "%s must be a date like 2025-04-17", field)
}

// entity turns the body into a domain entity; errors name the field.
func (in *legalInput) entity() (*newsroom.LegalEntity, error) {
	e := &newsroom.LegalEntity{Name: in.Name, Marker: in.Marker, Notes: in.Notes, IgnoreCase: in.IgnoreCase}
	forms := bytes.TrimSpace(in.Forms)
	switch {
	case len(forms) == 0 || string(forms) == "null":
	case forms[0] == '[':
		var list []string
		if err := json.Unmarshal(forms, &list); err != nil {
			return nil, newsroom.Errorf(newsroom.Invalid, "forms", "forms must be an array of strings, or an object of arrays by language")
		}
		e.Forms = map[string][]string{"": list}
	case forms[0] == '{':
		if err := json.Unmarshal(forms, &e.Forms); err != nil {
			return nil, newsroom.Errorf(newsroom.Invalid, "forms", "forms must be an array of strings, or an object of arrays by language")
		}
	default:
		return nil, newsroom.Errorf(newsroom.Invalid, "forms", "forms must be an array of strings, or an object of arrays by language")
	}
	lists := in.Lists
	if in.List != "" || in.ListedFrom != "" || in.ListedUntil != nil {
		first := LegalListingJSON{List: in.List, ListedFrom: in.ListedFrom, ListedUntil: in.ListedUntil}
		dup := len(lists) > 0 && lists[0].List == first.List && lists[0].ListedFrom == first.ListedFrom
		if !dup {
			lists = append([]LegalListingJSON{first}, lists...)
		}
	}
	for _, l := range lists {
		from, err := parseDay("listed_from", l.ListedFrom)
		if err != nil {
			return nil, err
		}
		var until time.Time
		if l.ListedUntil != nil {
			if until, err = parseDay("listed_until", *l.ListedUntil); err != nil {
				return nil, err
			}
		}
		e.Listings = append(e.Listings, newsroom.LegalListing{List: l.List, From: from, Until: until})
	}
	return e, nil
}

func (s *Server) legalEnabled() error {
	if s.Legal == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "the legal registry is not configured")
	}
	return nil
}

func (s *Server) listLegalEntities(w http.ResponseWriter, r *http.Request) error {
	if err := s.legalEnabled(); err != nil {
		return err
	}
	list, err := s.Legal.Entities(r.Context(), User(r.Context()))
	if err != nil {
		return err
	}
	out := struct {
		Entities []LegalEntityJSON    `json:"legal_entities"`
		Policy   newsroom.LegalPolicy `json:"policy"`
	}{Entities: []LegalEntityJSON{}, Policy: s.Legal.Policy()}
	for i := range list {
		out.Entities = append(out.Entities, LegalToJSON(&list[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) legalParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, newsroom.Errorf(newsroom.NotFound, "id", "no legal entity with that id")
	}
	return id, nil
}

func (s *Server) getLegalEntity(w http.ResponseWriter, r *http.Request) error {
	if err := s.legalEnabled(); err != nil {
		return err
	}
	id, err := s.legalParam(r)
	if err != nil {
		return err
	}
	e, err := s.Legal.Entity(r.Context(), User(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, LegalToJSON(e))
	return nil
}

func (s *Server) createLegalEntity(w http.ResponseWriter, r *http.Request) error {
	if err := s.legalEnabled(); err != nil {
		return err
	}
	var in legalInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	e, err := in.entity()
	if err != nil {
		return err
	}
	if err := s.Legal.Create(r.Context(), User(r.Context()), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, LegalToJSON(e))
	return nil
}

func (s *Server) replaceLegalEntity(w http.ResponseWriter, r *http.Request) error {
	if err := s.legalEnabled(); err != nil {
		return err
	}
	id, err := s.legalParam(r)
	if err != nil {
		return err
	}
	var in legalInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	e, err := in.entity()
	if err != nil {
		return err
	}
	e.ID = id
	if err := s.Legal.Update(r.Context(), User(r.Context()), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, LegalToJSON(e))
	return nil
}

func (s *Server) deleteLegalEntity(w http.ResponseWriter, r *http.Request) error {
	if err := s.legalEnabled(); err != nil {
		return err
	}
	id, err := s.legalParam(r)
	if err != nil {
		return err
	}
	if err := s.Legal.Delete(r.Context(), User(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) exportLegalCSV(w http.ResponseWriter, r *http.Request) error {
	if err := s.legalEnabled(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.Legal.ExportCSV(r.Context(), User(r.Context()), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="legal-registry.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) importLegalCSV(w http.ResponseWriter, r *http.Request) error {
	if err := s.legalEnabled(); err != nil {
		return err
	}
	res, err := s.Legal.ImportCSV(r.Context(), User(r.Context()), r.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) legalProgress(w http.ResponseWriter, r *http.Request) error {
	if err := s.legalEnabled(); err != nil {
		return err
	}
	if err := registry.MayEdit(User(r.Context())); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.Legal.Progress())
	return nil
}
