package desk

import (
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// Sections, tags and author profiles are managed by editors and admins on
// three pages under the "Sections" item of the navigation. Every change
// goes through newsroom.TaxonomyAdmin (or Taxonomy for creation), whose
// store reports the pages it touches so cached pages refresh.

// labels are the byline labels offered for author profiles, in order.
var labels = []string{newsroom.LabelStaff, newsroom.LabelOwnCorr, newsroom.LabelAgency,
	newsroom.LabelGuest, newsroom.LabelEditor, newsroom.LabelColumnist}

// sectionRow is a section in the list, indented by depth.
type sectionRow struct {
	newsroom.Category
	Depth  int
	Parent string
}

// taxonomyView is shared by the sections, tags and authors pages: the
// lists, and one form with what was typed and the error, if any.
type taxonomyView struct {
	Page
	Tab      string // sections, tags or authors
	Sections []sectionRow
	Tags     []newsroom.TagUse
	Authors  []newsroom.Author
	Labels   []string

	// The form on the page: a section, tag or author being created or
	// edited, and for authors the library picture chosen.
	Section newsroom.Category
	Tag     newsroom.Tag
	Author  newsroom.Author
	PhotoID string
	Merge   struct{ From, Into int64 }
	Error   string
	Field   string
	Saved   string // a sentence saying what was just done

	defLang string // the site's default edition: Section.Name is its name
}

// editionText is a section's name and description in one other
// edition's language, for the form.
type editionText struct {
	Lang, LangName    string
	Name, Description string
}

// SectionEditions are the section's texts in the languages of the
// editions other than the default one.
func (v *taxonomyView) SectionEditions() []editionText {
	var out []editionText
	for _, l := range newsroom.Languages {
		if l != v.defLang {
			out = append(out, editionText{Lang: l, LangName: i18n.T(l, "site.language_name"),
				Name: v.Section.Names[l], Description: v.Section.Descriptions[l]})
		}
	}
	return out
}

func (s *Server) taxonomyAdmin() (newsroom.TaxonomyAdmin, error) {
	if s.cfg.TaxonomyAdmin == nil {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	return s.cfg.TaxonomyAdmin, nil
}

func (s *Server) taxonomyView(r *http.Request, tab string) (*taxonomyView, error) {
	if _, err := s.taxonomyAdmin(); err != nil {
		return nil, err
	}
	v := &taxonomyView{Page: s.page(r, "desk.tax."+tab, "sections"), Tab: tab, Labels: labels, defLang: s.lang}
	switch r.URL.Query().Get("saved") {
	case "created":
		v.Saved = s.t("desk.tax.created")
	case "saved":
		v.Saved = s.t("desk.tax.saved")
	case "merged":
		v.Saved = s.t("desk.tax.merged")
	}
	ctx := r.Context()
	switch tab {
	case "sections":
		cats, err := s.store.Categories(ctx)
		if err != nil {
			return nil, err
		}
		v.Sections = sectionTree(cats)
	case "tags":
		tags, err := s.cfg.TaxonomyAdmin.TagUses(ctx)
		if err != nil {
			return nil, err
		}
		v.Tags = tags
	case "authors":
		authors, err := s.store.Authors(ctx)
		if err != nil {
			return nil, err
		}
		v.Authors = authors
		v.Author.Label = newsroom.LabelStaff
	}
	return v, nil
}

// sectionTree orders sections as the menu shows them: each top-level
// section (by position) followed by its subsections, at any depth.
func sectionTree(cats []newsroom.Category) []sectionRow {
	children := map[int64][]newsroom.Category{}
	names := map[int64]string{}
	known := map[int64]bool{}
	for _, c := range cats {
		known[c.ID] = true
		names[c.ID] = c.Name
	}
	for _, c := range cats {
		parent := c.ParentID
		if !known[parent] {
			parent = 0
		}
		children[parent] = append(children[parent], c)
	}
	var out []sectionRow
	seen := map[int64]bool{}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, c := range children[parent] {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			out = append(out, sectionRow{Category: c, Depth: min(depth, 6), Parent: names[c.ParentID]}) // depth-N classes go to 6
			walk(c.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

func pathID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return n
}

// taxFailed re-renders page with the error of a rejected form, keeping
// what was typed (the caller put it in v), as 422 for field errors and
// 409 for conflicts.
func (s *Server) taxFailed(w http.ResponseWriter, r *http.Request, page string, v *taxonomyView, err error) error {
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal || e.Code == newsroom.NotFound {
		return err
	}
	v.Error, v.Field = e.Message, e.Field
	st := http.StatusUnprocessableEntity
	if e.Code == newsroom.Conflict {
		st = http.StatusConflict
	}
	return s.render(w, r, st, page, v)
}

// --- Sections

func (s *Server) handleSections(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "sections")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "sections.html", v)
}

func sectionFromForm(r *http.Request, c *newsroom.Category) {
	c.Name = r.PostFormValue("name")
	c.ParentID = formID(r, "parent_id")
	c.Position = int(formID(r, "position"))
	c.Description = r.PostFormValue("description")
	// The other editions' name and description ("name_ru"); an empty
	// field leaves that edition with the default ones.
	for _, l := range newsroom.Languages {
		if r.PostForm.Has("name_" + l) {
			c.Names = setLangText(c.Names, l, r.PostFormValue("name_"+l))
		}
		if r.PostForm.Has("description_" + l) {
			c.Descriptions = setLangText(c.Descriptions, l, r.PostFormValue("description_"+l))
		}
	}
}

// setLangText returns m with lang's text set to v (removed when v is
// blank), copying m first.
func setLangText(m map[string]string, lang, v string) map[string]string {
	out := map[string]string{}
	for k, x := range m {
		out[k] = x
	}
	if strings.TrimSpace(v) == "" {
		delete(out, lang)
	} else {
		out[lang] = v
	}
	return out
}

// handleCreateSection adds a section. An empty slug is made from the name.
func (s *Server) handleCreateSection(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "sections")
	if err != nil {
		return err
	}
	c := &v.Section
	sectionFromForm(r, c)
	c.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	if c.Slug == "" && strings.TrimSpace(c.Name) != "" {
		c.Slug = newsroom.Slugify(c.Name)
	}
	if err := c.Validate(); err != nil {
		return s.taxFailed(w, r, "sections.html", v, err)
	}
	if err := s.store.CreateCategory(r.Context(), c); err != nil {
		return s.taxFailed(w, r, "sections.html", v, err)
	}
	s.log.Info("desk: section created", "by", CurrentUser(r.Context()).ID, "slug", c.Slug)
	return s.redirect(w, r, "/desk/sections?saved=created")
}

func (s *Server) handleSection(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "sections")
	if err != nil {
		return err
	}
	c, err := s.cfg.TaxonomyAdmin.CategoryByID(r.Context(), pathID(r))
	if err != nil {
		return err
	}
	v.Section = *c
	v.Title = c.Name
	return s.render(w, r, http.StatusOK, "section.html", v)
}

// handleSaveSection renames, moves or reorders a section.
func (s *Server) handleSaveSection(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "sections")
	if err != nil {
		return err
	}
	c, err := s.cfg.TaxonomyAdmin.CategoryByID(r.Context(), pathID(r))
	if err != nil {
		return err
	}
	v.Title = c.Name
	sectionFromForm(r, c)
	v.Section = *c
	if err := s.cfg.TaxonomyAdmin.UpdateCategory(r.Context(), c); err != nil {
		return s.taxFailed(w, r, "section.html", v, err)
	}
	s.log.Info("desk: section changed", "by", CurrentUser(r.Context()).ID, "slug", c.Slug)
	return s.redirect(w, r, "/desk/sections?saved=saved")
}

// --- Tags

func (s *Server) handleTags(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "tags")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tags.html", v)
}

func (s *Server) handleTag(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "tags")
	if err != nil {
		return err
	}
	t, err := s.cfg.TaxonomyAdmin.TagByID(r.Context(), pathID(r))
	if err != nil {
		return err
	}
	v.Tag, v.Title = *t, t.Name
	return s.render(w, r, http.StatusOK, "tag.html", v)
}

// handleSaveTag renames a tag; a new slug leaves the old address
// redirecting to the new one.
func (s *Server) handleSaveTag(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "tags")
	if err != nil {
		return err
	}
	t, err := s.cfg.TaxonomyAdmin.TagByID(r.Context(), pathID(r))
	if err != nil {
		return err
	}
	v.Title = t.Name
	t.Name, t.Slug = r.PostFormValue("name"), r.PostFormValue("slug")
	v.Tag = *t
	if err := s.cfg.TaxonomyAdmin.UpdateTag(r.Context(), t); err != nil {
		return s.taxFailed(w, r, "tag.html", v, err)
	}
	s.log.Info("desk: tag renamed", "by", CurrentUser(r.Context()).ID, "id", t.ID, "slug", t.Slug)
	return s.redirect(w, r, "/desk/tags?saved=saved")
}

// handleMergeTags moves every article of one tag to another and retires
// the first; its address then redirects to the survivor's.
func (s *Server) handleMergeTags(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "tags")
	if err != nil {
		return err
	}
	v.Merge.From, v.Merge.Into = formID(r, "from"), formID(r, "into")
	if v.Merge.From == 0 {
		return s.taxFailed(w, r, "tags.html", v, newsroom.Errorf(newsroom.Invalid, "from", "%s", s.t("desk.tax.merge_pick")))
	}
	if v.Merge.Into == 0 {
		return s.taxFailed(w, r, "tags.html", v, newsroom.Errorf(newsroom.Invalid, "into", "%s", s.t("desk.tax.merge_pick")))
	}
	if _, err := s.cfg.TaxonomyAdmin.TagByID(r.Context(), v.Merge.From); newsroom.IsNotFound(err) {
		return s.taxFailed(w, r, "tags.html", v, newsroom.Errorf(newsroom.Invalid, "from", "%s", s.t("desk.tax.merge_pick")))
	}
	survivor, err := s.cfg.TaxonomyAdmin.MergeTags(r.Context(), v.Merge.From, v.Merge.Into)
	if err != nil {
		return s.taxFailed(w, r, "tags.html", v, err)
	}
	s.log.Info("desk: tags merged", "by", CurrentUser(r.Context()).ID, "from", v.Merge.From, "into", survivor.Slug)
	return s.redirect(w, r, "/desk/tags?saved=merged")
}

// --- Authors

func (s *Server) handleAuthors(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "authors")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "authors.html", v)
}

// authorFromForm reads an author profile form. The photo is a picture of
// the media library, by number ("photo_media_id"), shown at its smallest
// width; "remove_photo" clears it.
func (s *Server) authorFromForm(r *http.Request, a *newsroom.Author, v *taxonomyView) error {
	a.Name, a.Label, a.Bio = r.PostFormValue("name"), r.PostFormValue("label"), r.PostFormValue("bio")
	v.PhotoID = strings.TrimSpace(r.PostFormValue("photo_media_id"))
	if r.PostFormValue("remove_photo") == "1" {
		a.PhotoURL = ""
	}
	if v.PhotoID == "" {
		return nil
	}
	id, err := strconv.ParseInt(v.PhotoID, 10, 64)
	if err != nil || s.cfg.MediaStore == nil {
		return newsroom.Errorf(newsroom.Invalid, "photo_media_id", "%s", s.t("desk.tax.photo_unknown"))
	}
	m, err := s.cfg.MediaStore.MediaByID(r.Context(), id)
	if newsroom.IsNotFound(err) {
		return newsroom.Errorf(newsroom.Invalid, "photo_media_id", "%s", s.t("desk.tax.photo_unknown"))
	} else if err != nil {
		return err
	}
	a.PhotoURL = m.URL(m.Sizes[0])
	return nil
}

func (s *Server) handleCreateAuthor(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "authors")
	if err != nil {
		return err
	}
	a := &v.Author
	err = s.authorFromForm(r, a, v)
	a.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	if err == nil {
		err = s.store.CreateAuthor(r.Context(), a)
	}
	if err != nil {
		return s.taxFailed(w, r, "authors.html", v, err)
	}
	s.log.Info("desk: author created", "by", CurrentUser(r.Context()).ID, "slug", a.Slug)
	return s.redirect(w, r, "/desk/authors?saved=created")
}

func (s *Server) handleAuthor(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "authors")
	if err != nil {
		return err
	}
	a, err := s.store.AuthorByID(r.Context(), pathID(r))
	if err != nil {
		return err
	}
	v.Author, v.Title = *a, a.Name
	return s.render(w, r, http.StatusOK, "author.html", v)
}

// handleSaveAuthor changes an author's name, byline label, bio and photo.
func (s *Server) handleSaveAuthor(w http.ResponseWriter, r *http.Request) error {
	v, err := s.taxonomyView(r, "authors")
	if err != nil {
		return err
	}
	a, err := s.store.AuthorByID(r.Context(), pathID(r))
	if err != nil {
		return err
	}
	v.Title = a.Name
	err = s.authorFromForm(r, a, v)
	v.Author = *a
	if err == nil {
		err = s.cfg.TaxonomyAdmin.UpdateAuthor(r.Context(), a)
	}
	if err != nil {
		return s.taxFailed(w, r, "author.html", v, err)
	}
	s.log.Info("desk: author changed", "by", CurrentUser(r.Context()).ID, "id", a.ID)
	return s.redirect(w, r, "/desk/authors?saved=saved")
}
