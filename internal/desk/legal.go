package desk

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/legal"
	"newsdesk/internal/legal/registry"
	"newsdesk/internal/newsroom"
)

// The legal registry (issue 6): admins and editors list, add, change and
// remove the entities the law says must be marked, import and export them
// as CSV, and watch the background re-render a change starts. Admins set
// the marking policy. In the article editor, a panel shows which entities
// the last save found and where, and lets editors switch one off for that
// story with a reason (kept in the revision history).

// legalListView is the registry page.
type legalListView struct {
	Page
	Entities []legalRow
	Lists    []string // every list name, for the filter
	List     string   // the filter
	Query    string
	Total    int
	Progress registry.Progress
	Policy   newsroom.LegalPolicy
	IsAdmin  bool
	Saved    string
	Error    string // a failed import or policy change
	CSV      string // what was pasted, kept when the import failed
}

type legalRow struct {
	newsroom.LegalEntity
	ListedToday bool
	FormCount   int
	Sample      string // the first forms, for the list
}

// legalEntityView is the form to add or change an entity.
type legalEntityView struct {
	Page
	E        newsroom.LegalEntity
	New      bool
	FormsEN  string
	FormsRU  string
	FormsAny string
	Listings []listingRow
	Err      *newsroom.Error
}

type listingRow struct {
	List, From, Until string
}

// legalSvc returns the registry or a 404 when the desk runs without one.
func (s *Server) legalSvc() (*registry.Service, error) {
	if s.cfg.Legal == nil {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	return s.cfg.Legal, nil
}

func (s *Server) handleLegal(w http.ResponseWriter, r *http.Request) error {
	v, err := s.legalListView(r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("saved") {
	case "created":
		v.Saved = s.t("desk.legal.created")
	case "saved":
		v.Saved = s.t("desk.legal.saved")
	case "removed":
		v.Saved = s.t("desk.legal.removed")
	case "policy":
		v.Saved = s.t("desk.legal.policy_saved")
	case "imported":
		q := r.URL.Query()
		c, _ := strconv.Atoi(q.Get("created"))
		u, _ := strconv.Atoi(q.Get("updated"))
		v.Saved = s.t("desk.legal.imported", c, u)
	}
	return s.render(w, r, http.StatusOK, "legal.html", v)
}

func (s *Server) legalListView(r *http.Request) (*legalListView, error) {
	svc, err := s.legalSvc()
	if err != nil {
		return nil, err
	}
	u := CurrentUser(r.Context())
	list, err := svc.Entities(r.Context(), u)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	v := &legalListView{Page: s.page(r, "desk.nav.legal", "legal"), List: q.Get("list"),
		Query: strings.TrimSpace(q.Get("q")), Total: len(list), Progress: svc.Progress(),
		Policy: svc.Policy(), IsAdmin: u.Role == newsroom.RoleAdmin}
	today := newsroom.DateOf(s.now(), s.loc())
	needle := strings.ToLower(v.Query)
	for _, e := range list {
		for _, l := range e.ListNames() {
			if !slices.Contains(v.Lists, l) {
				v.Lists = append(v.Lists, l)
			}
		}
		if v.List != "" && !slices.Contains(e.ListNames(), v.List) {
			continue
		}
		forms := e.AllForms()
		if needle != "" && !strings.Contains(strings.ToLower(e.Name+" "+strings.Join(forms, " ")), needle) {
			continue
		}
		row := legalRow{LegalEntity: e, ListedToday: e.ListedOn(today), FormCount: len(forms)}
		sample := forms
		if len(sample) > 3 {
			sample = sample[:3]
		}
		row.Sample = strings.Join(sample, ", ")
		if len(forms) > 3 {
			row.Sample += ", …"
		}
		v.Entities = append(v.Entities, row)
	}
	slices.Sort(v.Lists)
	return v, nil
}

func (s *Server) handleLegalNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.legalSvc(); err != nil {
		return err
	}
	v := s.legalEntityView(r, &newsroom.LegalEntity{Marker: newsroom.DefaultLegalMarker}, nil)
	return s.render(w, r, http.StatusOK, "legal_entity.html", v)
}

func (s *Server) handleLegalEntity(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.legalSvc()
	if err != nil {
		return err
	}
	e, err := svc.Entity(r.Context(), CurrentUser(r.Context()), pathID(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "legal_entity.html", s.legalEntityView(r, e, nil))
}

// legalEntityView fills the form from e; listings gets two empty rows to
// add lists without a script.
func (s *Server) legalEntityView(r *http.Request, e *newsroom.LegalEntity, verr *newsroom.Error) *legalEntityView {
	v := &legalEntityView{Page: s.page(r, "desk.legal.new", "legal"), E: *e, New: e.ID == 0, Err: verr}
	if !v.New {
		v.Title = e.Name
	}
	v.FormsEN = strings.Join(e.Forms["en"], "\n")
	v.FormsRU = strings.Join(e.Forms["ru"], "\n")
	var other []string
	for lang, list := range e.Forms {
		if lang != "en" && lang != "ru" {
			other = append(other, list...)
		}
	}
	slices.Sort(other)
	v.FormsAny = strings.Join(other, "\n")
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	}
	for _, l := range e.Listings {
		v.Listings = append(v.Listings, listingRow{List: l.List, From: day(l.From), Until: day(l.Until)})
	}
	v.Listings = append(v.Listings, listingRow{}, listingRow{})
	return v
}

// legalFromForm reads the entity form. Dates that do not parse are an
// Invalid error on listed_from or listed_until; rows without a list name
// and dates are skipped.
func legalFromForm(r *http.Request, e *newsroom.LegalEntity) *newsroom.Error {
	e.Name = r.PostFormValue("name")
	e.Marker = r.PostFormValue("marker")
	e.IgnoreCase = r.PostFormValue("ignore_case") == "1"
	lines := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	e.Forms = map[string][]string{"en": lines(r.PostFormValue("forms_en")), "ru": lines(r.PostFormValue("forms_ru")), "": lines(r.PostFormValue("forms_any"))}
	e.Notes = map[string]string{"en": r.PostFormValue("note_en"), "ru": r.PostFormValue("note_ru")}
	e.Listings = nil
	lists, froms, untils := r.PostForm["list"], r.PostForm["listed_from"], r.PostForm["listed_until"]
	var bad *newsroom.Error
	for i := range lists {
		l := newsroom.LegalListing{List: strings.TrimSpace(lists[i])}
		from, until := "", ""
		if i < len(froms) {
			from = strings.TrimSpace(froms[i])
		}
		if i < len(untils) {
			until = strings.TrimSpace(untils[i])
		}
		if l.List == "" && from == "" && until == "" {
			continue
		}
		var err error
		if from != "" {
			if l.From, err = time.Parse("2006-01-02", from); err != nil && bad == nil {
				bad = newsroom.Errorf(newsroom.Invalid, "listed_from", "%q is not a date", from)
			}
		}
		if until != "" {
			if l.Until, err = time.Parse("2006-01-02", until); err != nil && bad == nil {
				bad = newsroom.Errorf(newsroom.Invalid, "listed_until", "%q is not a date", until)
			}
		}
		e.Listings = append(e.Listings, l)
	}
	return bad
}

// legalFailed shows the form again with what was typed and the error.
func (s *Server) legalFailed(w http.ResponseWriter, r *http.Request, e *newsroom.LegalEntity, err error) error {
	ve := newsroom.AsError(err)
	if ve == nil || ve.Code == newsroom.Internal || ve.Code == newsroom.NotFound || ve.Code == newsroom.Forbidden {
		return err
	}
	st := http.StatusUnprocessableEntity
	if ve.Code == newsroom.Conflict {
		st = http.StatusConflict
	}
	return s.render(w, r, st, "legal_entity.html", s.legalEntityView(r, e, ve))
}

func (s *Server) handleLegalCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.legalSvc()
	if err != nil {
		return err
	}
	e := &newsroom.LegalEntity{}
	if bad := legalFromForm(r, e); bad != nil {
		return s.legalFailed(w, r, e, bad)
	}
	typed := *e
	if err := svc.Create(r.Context(), CurrentUser(r.Context()), e); err != nil {
		return s.legalFailed(w, r, &typed, err)
	}
	s.log.Info("desk: legal entity added", "by", CurrentUser(r.Context()).ID, "entity", e.ID)
	return s.redirect(w, r, "/desk/legal?saved=created")
}

func (s *Server) handleLegalSave(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.legalSvc()
	if err != nil {
		return err
	}
	e := &newsroom.LegalEntity{ID: pathID(r)}
	if bad := legalFromForm(r, e); bad != nil {
		return s.legalFailed(w, r, e, bad)
	}
	typed := *e
	if err := svc.Update(r.Context(), CurrentUser(r.Context()), e); err != nil {
		return s.legalFailed(w, r, &typed, err)
	}
	s.log.Info("desk: legal entity changed", "by", CurrentUser(r.Context()).ID, "entity", e.ID)
	return s.redirect(w, r, "/desk/legal?saved=saved")
}

func (s *Server) handleLegalDelete(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.legalSvc()
	if err != nil {
		return err
	}
	if err := svc.Delete(r.Context(), CurrentUser(r.Context()), pathID(r)); err != nil {
		return err
	}
	s.log.Info("desk: legal entity removed", "by", CurrentUser(r.Context()).ID, "entity", pathID(r))
	return s.redirect(w, r, "/desk/legal?saved=removed")
}

// handleLegalImport takes a CSV file (field "file") or pasted text (field
// "csv"). A malformed row stops the import: the page says which line and
// nothing is stored.
func (s *Server) handleLegalImport(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.legalSvc()
	if err != nil {
		return err
	}
	var src io.Reader
	pasted := r.FormValue("csv")
	if f, _, ferr := r.FormFile("file"); ferr == nil {
		defer f.Close()
		src = f
	} else if strings.TrimSpace(pasted) != "" {
		src = strings.NewReader(pasted)
	}
	var res registry.ImportResult
	if src == nil {
		err = newsroom.Errorf(newsroom.Invalid, "file", "%s", s.t("desk.legal.import_nothing"))
	} else {
		res, err = svc.ImportCSV(r.Context(), CurrentUser(r.Context()), src)
	}
	if err != nil {
		ve := newsroom.AsError(err)
		if ve == nil || ve.Code == newsroom.Internal || ve.Code == newsroom.Forbidden {
			return err
		}
		v, verr := s.legalListView(r)
		if verr != nil {
			return verr
		}
		v.Error, v.CSV = ve.Message, pasted
		return s.render(w, r, http.StatusUnprocessableEntity, "legal.html", v)
	}
	s.log.Info("desk: legal registry imported", "by", CurrentUser(r.Context()).ID, "created", res.Created, "updated", res.Updated)
	return s.redirect(w, r, "/desk/legal?"+url.Values{"saved": {"imported"},
		"created": {strconv.Itoa(res.Created)}, "updated": {strconv.Itoa(res.Updated)}}.Encode())
}

func (s *Server) handleLegalExport(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.legalSvc()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := svc.ExportCSV(r.Context(), CurrentUser(r.Context()), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="legal-registry.csv"`)
	_, err = w.Write(buf.Bytes())
	return err
}

func (s *Server) handleLegalPolicy(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.legalSvc()
	if err != nil {
		return err
	}
	p := newsroom.LegalPolicy{Marking: newsroom.LegalMarking(r.PostFormValue("marking")),
		Notes: newsroom.LegalNotePlacement(r.PostFormValue("notes"))}
	if err := svc.SetPolicy(r.Context(), CurrentUser(r.Context()), p); err != nil {
		ve := newsroom.AsError(err)
		if ve == nil || ve.Code != newsroom.Invalid {
			return err
		}
		v, verr := s.legalListView(r)
		if verr != nil {
			return verr
		}
		v.Error = ve.Message
		return s.render(w, r, http.StatusUnprocessableEntity, "legal.html", v)
	}
	return s.redirect(w, r, "/desk/legal?saved=policy")
}

// legalPanel is the editor's panel: what the last save found, entity by
// entity, and the switches.
type legalPanel struct {
	ArticleID int64
	Date      time.Time // the day listings were checked against
	Draft     bool      // dated today rather than by publication
	Rows      []legalPanelRow
	CanSwitch bool
	CSRF      string // the session's token, for the switch forms
}

type legalPanelRow struct {
	EntityID  int64
	Entity    string
	Marker    string
	Where     []string // headline, standfirst, body, caption
	Mentions  int
	State     string // marked, excluded or not_listed
	Exclusion *newsroom.LegalExclusion
}

// legalPanelFor builds the panel for a stored article, or nil for a new
// one or a desk without the registry.
func (s *Server) legalPanelFor(r *http.Request, a *newsroom.Article) *legalPanel {
	if s.cfg.Legal == nil || a.ID == 0 {
		return nil
	}
	u := CurrentUser(r.Context())
	p := &legalPanel{ArticleID: a.ID, CanSwitch: u != nil && u.Role.CanPublish(),
		Date: a.LegalDate(s.now())}
	switch a.Status {
	case newsroom.Published, newsroom.Unpublished:
		p.Draft = a.PublishedAt.IsZero()
	case newsroom.Scheduled:
		p.Draft = a.ScheduledAt.IsZero()
	default:
		p.Draft = true
	}
	if ss := currentSession(r.Context()); ss != nil {
		p.CSRF = ss.CSRFToken
	}
	rows := map[int64]*legalPanelRow{}
	var order []int64
	for _, f := range s.cfg.Legal.Inspect(a) {
		row := rows[f.EntityID]
		if row == nil {
			row = &legalPanelRow{EntityID: f.EntityID, Entity: f.Entity, Marker: f.Marker, State: f.State}
			rows[f.EntityID] = row
			order = append(order, f.EntityID)
		}
		row.Where = append(row.Where, f.Where)
		row.Mentions += f.Mentions
	}
	for i := range a.LegalExclusions {
		x := &a.LegalExclusions[i]
		row := rows[x.EntityID]
		if row == nil { // switched off, and no longer named in the text
			row = &legalPanelRow{EntityID: x.EntityID, Entity: x.Entity, State: legal.FoundExcluded}
			rows[x.EntityID] = row
			order = append(order, x.EntityID)
		}
		row.State, row.Exclusion = legal.FoundExcluded, x
	}
	for _, id := range order {
		p.Rows = append(p.Rows, *rows[id])
	}
	return p
}

// handleLegalSwitch switches an entity off for one article (action "off",
// with a reason) or back on ("on"), as an edit of the latest revision; the
// editor shows the result.
func (s *Server) handleLegalSwitch(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.legalSvc()
	if err != nil {
		return err
	}
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	entity, err := strconv.ParseInt(r.PathValue("entity"), 10, 64)
	if err != nil || entity <= 0 {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	// The switch applies to the latest saved state (it changes no text,
	// so it cannot overwrite anyone's words); autosave may have moved the
	// revision since the page was built.
	rev := a.Revision
	u := CurrentUser(r.Context())
	switch r.PostFormValue("action") {
	case "off":
		_, err = svc.SwitchOff(r.Context(), u, a.ID, rev, entity, r.PostFormValue("reason"))
	case "on":
		_, err = svc.SwitchOn(r.Context(), u, a.ID, rev, entity)
	default:
		err = newsroom.Errorf(newsroom.Invalid, "action", "%s", s.t("desk.legal.bad_action"))
	}
	if err != nil {
		var ve *newsroom.Error
		if errors.As(err, &ve) && ve.Field == "reason" {
			ve.Message = s.t("desk.legal.reason_needed")
		}
		return err
	}
	return s.redirect(w, r, "/desk/articles/"+strconv.FormatInt(a.ID, 10)+"?done=legal#legal")
}
