package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// ArticleJSON is an article as the API shows it (DESIGN.md's contract).
type ArticleJSON struct {
	ID           int64                 `json:"id"`
	Slug         string                `json:"slug"`
	URL          string                `json:"url"`
	Status       newsroom.Status       `json:"status"`
	Headline     string                `json:"headline"`
	Standfirst   string                `json:"standfirst"`
	Body         string                `json:"body"`
	BodyHTML     string                `json:"body_html"`
	Language     string                `json:"language"`
	PublishedAt  *time.Time            `json:"published_at"`
	ScheduledAt  *time.Time            `json:"scheduled_at,omitempty"`
	CreatedAt    time.Time             `json:"created_at"`
	UpdatedAt    time.Time             `json:"updated_at"`
	EditedAt     *time.Time            `json:"edited_at,omitempty"`
	TrashedAt    *time.Time            `json:"trashed_at,omitempty"`
	Revision     int                   `json:"revision"`
	Authors      []AuthorJSON          `json:"authors"`
	Categories   []string              `json:"categories"`
	Tags         []string              `json:"tags"`
	LeadImage    *newsroom.Image       `json:"lead_image"`
	Sources      []newsroom.Source     `json:"sources"`
	CommentsOpen bool                  `json:"comments_open"`
	CommentCount int                   `json:"comment_count"`
	ShareCounts  map[string]int        `json:"share_counts"`
	Corrections  []newsroom.Correction `json:"corrections"`
	LegalMarks   []newsroom.LegalMark  `json:"legal_marks"`
	// TranslationOf is the group's original when the article is a
	// translation (nil for an original or a story in no group).
	TranslationOf *int64 `json:"translation_of"`
	// Translations are the other members of its translation group the
	// caller may read.
	Translations      []TranslationJSON `json:"translations"`
	MachineTranslated bool              `json:"machine_translated"`
	// TranslationChecks are the glossary's warnings on a translation,
	// for staff on one article's answer (omitted in listings).
	TranslationChecks []newsroom.TranslationCheck `json:"translation_checks,omitempty"`
	// Search is set in search results (?q=): how the article matched.
	Search *SearchJSON `json:"search,omitempty"`
}

// SearchJSON is how a search result matched: its rank (higher is better,
// comparable within one result list) and its headline and a snippet as
// HTML-escaped text with the matched words in <mark>.
type SearchJSON struct {
	Rank         float64 `json:"rank"`
	HeadlineHTML string  `json:"headline_html"`
	SnippetHTML  string  `json:"snippet_html"`
}

// searcher is the full-text search a store may offer (sqlstore does).
type searcher interface {
	Search(ctx context.Context, q newsroom.SearchQuery) ([]newsroom.SearchHit, int, error)
}

// searchDate reads a YYYY-MM-DD date parameter; "" is zero.
func searchDate(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, newsroom.Errorf(newsroom.Invalid, name, "%s must be a date like 2026-03-10", name)
	}
	return t, nil
}

// TranslationJSON is one other language version of an article.
type TranslationJSON struct {
	ID       int64           `json:"id"`
	Language string          `json:"language"`
	URL      string          `json:"url"`
	Status   newsroom.Status `json:"status"`
	Original bool            `json:"original"`
}

// articleJSON is ToJSON with the site's addresses (the edition's path)
// and the translations the caller may read: every member for staff who
// write, only public ones for anyone else.
func (s *Server) articleJSON(r *http.Request, a *newsroom.Article) ArticleJSON {
	j := ToJSON(a)
	j.URL = newsroom.EditionPath(a.Language, s.Language, a.URL())
	j.Translations = []TranslationJSON{}
	u := User(r.Context())
	now := s.Now()
	for _, t := range a.Translations {
		if (u == nil || !u.Role.CanWrite()) && !t.IsPublic(now) {
			continue
		}
		j.Translations = append(j.Translations, TranslationJSON{ID: t.ID, Language: t.Language,
			URL: newsroom.EditionPath(t.Language, s.Language, t.URL()), Status: t.Status, Original: t.Original})
		if t.Original {
			id := t.ID
			j.TranslationOf = &id
		}
	}
	if j.TranslationOf == nil && !a.IsOriginal() {
		id := a.TranslationGroup
		j.TranslationOf = &id
	}
	return j
}

// AuthorJSON is a byline in the API.
type AuthorJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Label string `json:"label"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// ToJSON converts an article for the API.
func ToJSON(a *newsroom.Article) ArticleJSON {
	j := ArticleJSON{
		ID: a.ID, Slug: a.Slug, URL: a.URL(), Status: a.Status,
		Headline: a.Headline, Standfirst: a.Standfirst, Body: a.Body, BodyHTML: a.BodyHTML,
		Language: a.Language, PublishedAt: timePtr(a.PublishedAt), ScheduledAt: timePtr(a.ScheduledAt),
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), EditedAt: timePtr(a.EditedAt),
		TrashedAt: timePtr(a.TrashedAt), Revision: a.Revision, LeadImage: a.LeadImage, CommentsOpen: a.CommentsOpen,
		CommentCount: a.CommentCount,
		Authors:      []AuthorJSON{}, Categories: []string{}, Tags: []string{},
		Sources: a.Sources, ShareCounts: map[string]int{}, Corrections: a.Corrections, LegalMarks: a.LegalMarks,
		Translations: []TranslationJSON{}, MachineTranslated: a.MachineTranslated,
	}
	for _, b := range a.Authors {
		j.Authors = append(j.Authors, AuthorJSON{ID: b.AuthorID, Name: b.Name, Label: b.Label})
	}
	for _, c := range a.Categories {
		j.Categories = append(j.Categories, c.Slug)
	}
	for _, t := range a.Tags {
		j.Tags = append(j.Tags, t.Slug)
	}
	for _, n := range newsroom.Networks {
		j.ShareCounts[n] = a.ShareCounts[n]
	}
	if j.Sources == nil {
		j.Sources = []newsroom.Source{}
	}
	if j.Corrections == nil {
		j.Corrections = []newsroom.Correction{}
	}
	if j.LegalMarks == nil {
		j.LegalMarks = []newsroom.LegalMark{}
	}
	return j
}

// pageSize is how many articles one page of the listing holds.
const pageSize = 20

type listJSON struct {
	Articles []ArticleJSON `json:"articles"`
	Total    int           `json:"total"`
	// TotalEstimated says Total is an estimate (a search with more
	// matches than it ranks).
	TotalEstimated bool `json:"total_estimated,omitempty"`
	Page           int  `json:"page"`
	Pages          int  `json:"pages"`
}

// searchPages is how many pages of pageSize a search with total matches
// has: only the ranked candidates can be paged to, so a total beyond them
// (an estimate) adds no pages that would come back empty.
func searchPages(total int) int {
	return (min(total, newsroom.SearchCandidates) + pageSize - 1) / pageSize
}

func (s *Server) listArticles(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := newsroom.ArticleFilter{Category: q.Get("category"), Tag: q.Get("tag"), Query: q.Get("q"), Limit: pageSize}
	page, err := pageParam(q)
	if err != nil {
		return err
	}
	f.Offset = (page - 1) * pageSize
	u := User(r.Context())
	if st := q.Get("status"); st != "" {
		status := newsroom.Status(st)
		if err := status.Check(); err != nil {
			return err
		}
		if status != newsroom.Published && (u == nil || !u.Role.CanWrite()) {
			return newsroom.Errorf(newsroom.Unauthorized, "status", "listing unpublished articles needs a staff token")
		}
		f.Status = &status
	}
	if u == nil || !u.Role.CanWrite() {
		now := s.Now()
		f.PublicAt = &now
		f.Status = nil
	} else {
		// A correspondent lists what is public and their own stories.
		newsroom.ScopeFor(u, s.Now(), &f)
	}
	from, err := searchDate(q, "from")
	if err != nil {
		return err
	}
	to, err := searchDate(q, "to")
	if err != nil {
		return err
	}
	if sr, ok := s.Store.(searcher); ok && strings.TrimSpace(f.Query) != "" {
		// Full-text search: ranked, with marked headline and snippet;
		// from and to bound the publication date (to inclusive, UTC).
		sq := newsroom.SearchQuery{Text: f.Query, Category: f.Category, Tag: f.Tag, Status: f.Status,
			PublicAt: f.PublicAt, Visible: f.Visible, From: from, Limit: f.Limit, Offset: f.Offset}
		if !to.IsZero() {
			sq.To = to.AddDate(0, 0, 1)
		}
		hits, total, err := sr.Search(r.Context(), sq)
		if err != nil {
			return err
		}
		out := listJSON{Articles: []ArticleJSON{}, Total: total, TotalEstimated: total > newsroom.SearchCandidates,
			Page: page, Pages: searchPages(total)}
		for _, h := range hits {
			j := s.articleJSON(r, h.Article)
			j.Search = &SearchJSON{Rank: h.Rank, HeadlineHTML: h.HeadlineHTML, SnippetHTML: h.SnippetHTML}
			out.Articles = append(out.Articles, j)
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
	list, total, err := s.Store.FindArticles(r.Context(), f)
	if err != nil {
		return err
	}
	out := listJSON{Articles: []ArticleJSON{}, Total: total, Page: page, Pages: (total + pageSize - 1) / pageSize}
	for _, a := range list {
		out.Articles = append(out.Articles, s.articleJSON(r, a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) articleParam(r *http.Request) (*newsroom.Article, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return nil, newsroom.Errorf(newsroom.NotFound, "id", "no article with that id")
	}
	a, err := s.Store.ArticleByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	// A story the caller may not read does not exist for them.
	if !newsroom.CanRead(User(r.Context()), a, s.Now()) {
		return nil, newsroom.Errorf(newsroom.NotFound, "id", "no article with that id")
	}
	return a, nil
}

func (s *Server) getArticle(w http.ResponseWriter, r *http.Request) error {
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	j, err := s.fullJSON(r, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// articleInput is a create or patch body; absent fields are nil.
type articleInput struct {
	Revision     *int               `json:"revision"`
	Headline     *string            `json:"headline"`
	Standfirst   *string            `json:"standfirst"`
	Body         *string            `json:"body"`
	Slug         *string            `json:"slug"`
	Status       *newsroom.Status   `json:"status"`
	Language     *string            `json:"language"`
	PublishedAt  *time.Time         `json:"published_at"`
	ScheduledAt  *time.Time         `json:"scheduled_at"`
	Authors      *[]bylineInput     `json:"authors"`
	Categories   *[]string          `json:"categories"`
	Tags         *[]string          `json:"tags"`
	LeadImage    json.RawMessage    `json:"lead_image"`
	Sources      *[]newsroom.Source `json:"sources"`
	CommentsOpen *bool              `json:"comments_open"`
	// TranslationOf, on create only, makes the story a translation of
	// that article (see newsroom.Article.TranslationOf).
	TranslationOf *int64 `json:"translation_of"`
	// lead is LeadImage decoded and completed from the media library
	// (libraryLead), when it is one of its pictures.
	lead *newsroom.Image
}

// libraryLead completes a lead image sent as a library picture (its
// media_id, or the address of one of its renditions) with what the
// library knows: the address at the default width, srcset, the
// dimensions and any text left empty, as the desk does. Any other image
// is left to apply.
func (s *Server) libraryLead(ctx context.Context, in *articleInput) error {
	if s.MediaStore == nil || len(in.LeadImage) == 0 || string(in.LeadImage) == "null" {
		return nil
	}
	var img newsroom.Image
	if json.Unmarshal(in.LeadImage, &img) != nil {
		return nil // apply reports it
	}
	err := newsroom.CompleteLibraryImage(ctx, s.MediaStore, &img)
	if newsroom.IsNotFound(err) {
		return newsroom.Errorf(newsroom.Invalid, "lead_image.url", "no such picture in the media library")
	}
	if err != nil {
		return err
	}
	if img.MediaID != 0 {
		in.lead = &img
	}
	return nil
}

// schedulesByPublishedAt reports whether in schedules a (its status
// already applied) the way Ghost's Admin API does: status "scheduled"
// with the future published_at it goes out at, and no scheduled_at (ours,
// which stays as an alias and wins when both are sent). The story's
// publication time is then set when the scheduler publishes it.
func (in *articleInput) schedulesByPublishedAt(a *newsroom.Article) bool {
	return in.PublishedAt != nil && in.ScheduledAt == nil && a.Status == newsroom.Scheduled
}

// namedAsSent names published_at, the field the client sent, in an error
// about the schedule of a story scheduled by its published_at ("only
// editors schedule stories", "must be in the future").
func namedAsSent(err error, byPublishedAt bool) error {
	e := newsroom.AsError(err)
	if !byPublishedAt || e == nil || e.Field != "scheduled_at" {
		return err
	}
	renamed := *e
	renamed.Field, renamed.Message = "published_at", strings.ReplaceAll(e.Message, "scheduled_at", "published_at")
	return &renamed
}

type bylineInput struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
}

// apply copies the present fields of in onto a.
func (s *Server) apply(in *articleInput, a *newsroom.Article) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.Headline, in.Headline)
	set(&a.Standfirst, in.Standfirst)
	set(&a.Body, in.Body)
	set(&a.Slug, in.Slug)
	set(&a.Language, in.Language)
	if in.Status != nil {
		a.Status = *in.Status
	}
	switch {
	case in.schedulesByPublishedAt(a):
		a.ScheduledAt = in.PublishedAt.UTC()
	case in.PublishedAt != nil:
		a.PublishedAt = in.PublishedAt.UTC()
	}
	if in.ScheduledAt != nil {
		a.ScheduledAt = in.ScheduledAt.UTC()
	}
	if in.CommentsOpen != nil {
		a.CommentsOpen = *in.CommentsOpen
	}
	if in.Sources != nil {
		a.Sources = *in.Sources
	}
	// Authors, sections and tags are named here and resolved by the
	// editorial service after its role check (a refused save creates no
	// tag).
	if in.Authors != nil {
		a.Authors = a.Authors[:0:0]
		for _, b := range *in.Authors {
			if b.ID == 0 {
				return newsroom.Errorf(newsroom.Invalid, "authors", "no author with id %d", b.ID)
			}
			a.Authors = append(a.Authors, newsroom.Byline{AuthorID: b.ID, Label: b.Label})
		}
	}
	if in.Categories != nil {
		a.Categories = a.Categories[:0:0]
		for _, slug := range *in.Categories {
			if slug == "" {
				return newsroom.Errorf(newsroom.Invalid, "categories", "no section %q", slug)
			}
			a.Categories = append(a.Categories, newsroom.Category{Slug: slug})
		}
	}
	if in.Tags != nil {
		a.Tags = a.Tags[:0:0]
		for _, name := range *in.Tags {
			if strings.TrimSpace(name) == "" {
				return newsroom.Errorf(newsroom.Invalid, "tags", "tags may not be empty")
			}
			a.Tags = append(a.Tags, newsroom.Tag{Name: strings.TrimSpace(name)})
		}
	}
	if len(in.LeadImage) > 0 {
		if string(in.LeadImage) == "null" {
			a.LeadImage = nil
		} else if in.lead != nil {
			img := *in.lead
			a.LeadImage = &img
		} else {
			var img newsroom.Image
			if err := json.Unmarshal(in.LeadImage, &img); err != nil {
				return newsroom.Errorf(newsroom.Invalid, "lead_image", "lead_image must be an object with url, caption, credit, source_name, source_url, alt")
			}
			a.LeadImage = &img
		}
	}
	return nil
}

func (s *Server) createArticle(w http.ResponseWriter, r *http.Request) error {
	var in articleInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	if err := s.libraryLead(r.Context(), &in); err != nil {
		return err
	}
	a := &newsroom.Article{CommentsOpen: true}
	if err := s.apply(&in, a); err != nil {
		return err
	}
	if in.TranslationOf != nil {
		if *in.TranslationOf < 1 {
			return newsroom.Errorf(newsroom.Invalid, "translation_of", "translation_of must be an article id")
		}
		orig, err := s.mayTranslate(r, *in.TranslationOf)
		if err != nil {
			return err
		}
		a.TranslationOf = orig.ID
		if in.Language == nil {
			a.Language = newsroom.OtherLanguage(orig.Language)
		}
	}
	if in.Authors == nil {
		// No byline sent: the writer's own author profile (staff are authors).
		if err := s.ownByline(r, a); err != nil {
			return err
		}
	}
	if err := s.Editorial.Create(r.Context(), User(r.Context()), a); err != nil {
		return namedAsSent(err, in.schedulesByPublishedAt(a))
	}
	saved, err := s.Store.ArticleByID(r.Context(), a.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/articles/"+strconv.FormatInt(a.ID, 10))
	j, err := s.fullJSON(r, saved)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, j)
	return nil
}

func (s *Server) patchArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return newsroom.Errorf(newsroom.NotFound, "id", "no article with that id")
	}
	var in articleInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	if in.Revision == nil {
		return newsroom.Errorf(newsroom.Invalid, "revision", "revision is required: send the revision you edited")
	}
	if u := User(r.Context()); !u.Role.CanWrite() {
		return newsroom.Errorf(newsroom.Forbidden, "", "your role may not write articles")
	}
	if _, err := s.articleParam(r); err != nil {
		return err // another writer's draft is not found, not forbidden
	}
	if err := s.libraryLead(r.Context(), &in); err != nil {
		return err
	}
	byPublishedAt := false
	_, err = s.Editorial.Update(r.Context(), User(r.Context()), id, *in.Revision, func(a *newsroom.Article) error {
		err := s.apply(&in, a)
		byPublishedAt = in.schedulesByPublishedAt(a)
		return err
	})
	if err != nil {
		return namedAsSent(err, byPublishedAt)
	}
	saved, err := s.Store.ArticleByID(r.Context(), id)
	if err != nil {
		return err
	}
	j, err := s.fullJSON(r, saved)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// trashArticle moves the article to the trash (status "trash", restorable
// as a draft with PATCH {"status": "draft", "revision": N} for
// newsroom.ArticleTrashDays days) and answers 200 with it.
func (s *Server) trashArticle(w http.ResponseWriter, r *http.Request) error {
	a, err := s.articleParam(r)
	if err != nil {
		return err // another writer's draft is not found, not forbidden
	}
	if _, err := s.Editorial.Trash(r.Context(), User(r.Context()), a.ID); err != nil {
		return err
	}
	saved, err := s.Store.ArticleByID(r.Context(), a.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ToJSON(saved))
	return nil
}

type correctionInput struct {
	Kind newsroom.CorrectionKind `json:"kind"`
	Text string                  `json:"text"`
}

func (s *Server) addCorrection(w http.ResponseWriter, r *http.Request) error {
	a, err := s.articleParam(r)
	if err != nil {
		return err
	}
	var in correctionInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	c := &newsroom.Correction{ArticleID: a.ID, Kind: in.Kind, Text: strings.TrimSpace(in.Text)}
	if err := s.Editorial.AddCorrection(r.Context(), User(r.Context()), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return newsroom.Errorf(newsroom.NotFound, "", "no such API endpoint: %s %s", r.Method, r.URL.Path)
}

// mayTranslate checks that the caller may read the original id: a story
// they may not read does not exist for them (Invalid on translation_of).
func (s *Server) mayTranslate(r *http.Request, id int64) (*newsroom.Article, error) {
	orig, err := s.Store.ArticleByID(r.Context(), id)
	if newsroom.IsNotFound(err) || (err == nil && !newsroom.CanRead(User(r.Context()), orig, s.Now())) {
		return nil, newsroom.Errorf(newsroom.Invalid, "translation_of", "no article with id %d to translate", id)
	}
	return orig, err
}

// ownByline credits a to the signed-in user's author profile, if they
// have one.
func (s *Server) ownByline(r *http.Request, a *newsroom.Article) error {
	u := User(r.Context())
	if u == nil {
		return nil
	}
	authors, err := s.Store.Authors(r.Context())
	if err != nil {
		return err
	}
	for _, au := range authors {
		if au.UserID == u.ID {
			a.Authors = []newsroom.Byline{{AuthorID: au.ID}}
			return nil
		}
	}
	return nil
}
