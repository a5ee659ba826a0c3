// Package translate is the newsroom's work between its two languages: the
// glossary of names (who may change it), the checks that a translation
// writes those names as the glossary says, and the optional machine
// translation of a story into a draft through a DeepL-compatible API
// (deepl.go). Used by the API and the desk.
package translate

import (
	"context"
	"fmt"

	"newsdesk/internal/editorial"
	"newsdesk/internal/newsroom"
)

// Store is what the service reads and writes.
type Store interface {
	newsroom.GlossaryStore
	ArticleByID(ctx context.Context, id int64) (*newsroom.Article, error)
}

// Service manages the glossary and translations. Client is nil when no
// translation service is configured. It is safe for concurrent use.
type Service struct {
	Store     Store
	Editorial *editorial.Service
	Client    *Client
	Now       newsroom.Clock
}

// MachineOn reports whether machine translation is configured.
func (s *Service) MachineOn() bool { return s != nil && s.Client != nil }

func mayEdit(u *newsroom.User) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanPublish() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors and admins change the glossary")
	}
	return nil
}

func mayRead(u *newsroom.User) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanWrite() {
		return newsroom.Errorf(newsroom.Forbidden, "", "your role does not write stories")
	}
	return nil
}

// Glossary lists the entries; every staff member who writes may read it.
func (s *Service) Glossary(ctx context.Context, u *newsroom.User) ([]newsroom.GlossaryEntry, error) {
	if err := mayRead(u); err != nil {
		return nil, err
	}
	return s.Store.GlossaryEntries(ctx)
}

// Entry returns one entry.
func (s *Service) Entry(ctx context.Context, u *newsroom.User, id int64) (*newsroom.GlossaryEntry, error) {
	if err := mayRead(u); err != nil {
		return nil, err
	}
	return s.Store.GlossaryEntry(ctx, id)
}

// Create adds an entry (editors and admins).
func (s *Service) Create(ctx context.Context, u *newsroom.User, e *newsroom.GlossaryEntry) error {
	if err := mayEdit(u); err != nil {
		return err
	}
	return s.Store.CreateGlossaryEntry(ctx, e)
}

// Update replaces an entry's forms and note (editors and admins).
func (s *Service) Update(ctx context.Context, u *newsroom.User, e *newsroom.GlossaryEntry) error {
	if err := mayEdit(u); err != nil {
		return err
	}
	return s.Store.UpdateGlossaryEntry(ctx, e)
}

// Delete removes an entry (editors and admins).
func (s *Service) Delete(ctx context.Context, u *newsroom.User, id int64) error {
	if err := mayEdit(u); err != nil {
		return err
	}
	return s.Store.DeleteGlossaryEntry(ctx, id)
}

// Checks returns the glossary warnings on a translation (none for an
// original or a story in no group): two reads, the original and the
// glossary.
func (s *Service) Checks(ctx context.Context, a *newsroom.Article) ([]newsroom.TranslationCheck, error) {
	if a.IsOriginal() {
		return []newsroom.TranslationCheck{}, nil
	}
	orig, err := s.Store.ArticleByID(ctx, a.TranslationGroup)
	if newsroom.IsNotFound(err) {
		return []newsroom.TranslationCheck{}, nil // the original was purged
	}
	if err != nil {
		return nil, err
	}
	entries, err := s.Store.GlossaryEntries(ctx)
	if err != nil {
		return nil, err
	}
	return newsroom.CheckTranslation(orig, a, entries), nil
}

// Draft returns a new draft translation of the article id into lang, from
// the original's fields (the desk's "Translate" action starts from it; a
// person writes the text): same sections, tags, authors, picture and
// sources, the text to be replaced. Nothing is stored.
func (s *Service) Draft(ctx context.Context, u *newsroom.User, id int64, lang string) (*newsroom.Article, error) {
	if err := mayRead(u); err != nil {
		return nil, err
	}
	orig, err := s.original(ctx, u, id, lang)
	if err != nil {
		return nil, err
	}
	return draftOf(orig, lang), nil
}

func (s *Service) original(ctx context.Context, u *newsroom.User, id int64, lang string) (*newsroom.Article, error) {
	if !newsroom.ValidLanguage(lang) {
		return nil, newsroom.Errorf(newsroom.Invalid, "language", "language must be en or ru")
	}
	orig, err := s.Store.ArticleByID(ctx, id)
	if newsroom.IsNotFound(err) || (err == nil && !newsroom.CanRead(u, orig, s.Now())) {
		return nil, newsroom.Errorf(newsroom.NotFound, "id", "no article with that id")
	}
	if err != nil {
		return nil, err
	}
	if orig.Language == lang {
		return nil, newsroom.Errorf(newsroom.Invalid, "language", "the story is already in %s", lang)
	}
	for _, t := range orig.Translations {
		if t.Language == lang {
			return nil, newsroom.Errorf(newsroom.Conflict, "language", "the story already has a translation in %s (article %d)", lang, t.ID)
		}
	}
	return orig, nil
}

func draftOf(orig *newsroom.Article, lang string) *newsroom.Article {
	a := &newsroom.Article{
		Status: newsroom.Draft, Language: lang, TranslationOf: orig.ID,
		Headline: orig.Headline, Standfirst: orig.Standfirst, Body: orig.Body,
		CommentsOpen: orig.CommentsOpen, Sources: append([]newsroom.Source(nil), orig.Sources...),
	}
	for _, b := range orig.Authors {
		a.Authors = append(a.Authors, newsroom.Byline{AuthorID: b.AuthorID, Label: b.Label})
	}
	for _, c := range orig.Categories {
		a.Categories = append(a.Categories, newsroom.Category{ID: c.ID, Slug: c.Slug})
	}
	for _, t := range orig.Tags {
		a.Tags = append(a.Tags, newsroom.Tag{ID: t.ID, Slug: t.Slug, Name: t.Name})
	}
	if orig.LeadImage != nil {
		img := *orig.LeadImage
		a.LeadImage = &img
	}
	return a
}

// Machine translates the article id into lang through the configured
// service and saves the result as a draft translation marked
// MachineTranslated: never public until an editor publishes it. Glossary
// names come back as the glossary writes them and the Markdown structure
// is kept (deepl.go). Without a configured service it is a NotFound error
// (the endpoint does not exist).
func (s *Service) Machine(ctx context.Context, u *newsroom.User, id int64, lang string) (*newsroom.Article, error) {
	if s.Client == nil {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "machine translation is not configured")
	}
	if err := mayRead(u); err != nil {
		return nil, err
	}
	orig, err := s.original(ctx, u, id, lang)
	if err != nil {
		return nil, err
	}
	entries, err := s.Store.GlossaryEntries(ctx)
	if err != nil {
		return nil, err
	}
	a := draftOf(orig, lang)
	texts := []string{orig.Headline, orig.Standfirst}
	blocks := splitBlocks(orig.Body)
	texts = append(texts, blocks...)
	out, err := s.Client.Translate(ctx, texts, orig.Language, lang, entries)
	if err != nil {
		return nil, err
	}
	a.Headline, a.Standfirst = out[0], out[1]
	a.Body = joinBlocks(out[2:])
	a.Slug = newsroom.Slugify(a.Headline)
	a.MachineTranslated = true
	if err := s.Editorial.Create(ctx, u, a); err != nil {
		return nil, fmt.Errorf("save machine translation: %w", err)
	}
	return a, nil
}

// CheckTranslationGlossary is the pre-publish finding code of a glossary
// warning on a translation.
const CheckTranslationGlossary = "translation_glossary"

// Findings are the glossary warnings on a translation as pre-publish
// findings (editorial.Config.Checks): warnings, never blockers. A failing
// read is logged by nobody and gives none: the check must not stop a
// story going out.
func (s *Service) Findings(ctx context.Context, a *newsroom.Article) []newsroom.Finding {
	checks, err := s.Checks(ctx, a)
	if err != nil {
		return nil
	}
	var out []newsroom.Finding
	for _, c := range checks {
		out = append(out, newsroom.Finding{Code: CheckTranslationGlossary, Severity: newsroom.Warning, Field: "body",
			Message: c.Message, Args: []string{c.Found, c.Want}})
	}
	return out
}
