// Package pages is the one way staff change the site's static pages (About
// us, Contacts, policies) and its footer menu, from the desk, the JSON API
// or an import: it checks who may, renders the Markdown body with the
// articles' renderer, and keeps a moved page's old address redirecting.
package pages

import (
	"context"
	"fmt"
	"strings"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// Service saves static pages. It is safe for concurrent use.
type Service struct {
	Store newsroom.PageStore
	// Redirects, when set, keeps a moved page's old address (and those of
	// the pages below it) leading to the new one.
	Redirects newsroom.RedirectStore
	Render    *render.Renderer
	Now       newsroom.Clock
	// Language is the site's default language: its pages are kept with
	// no Language (plain paths), the others' under "/LANG/". A page's
	// language decides the renderer's hooks.
	Language string
}

// def is the site's default language.
func (s *Service) def() string {
	if newsroom.ValidLanguage(s.Language) {
		return s.Language
	}
	return "en"
}

// shown turns a stored page's edition into its language, as the desk
// and the API show it.
func (s *Service) shown(p *newsroom.Page) *newsroom.Page {
	if p == nil {
		return nil
	}
	if p.Language == "" {
		p.Language = s.def()
	}
	for i := range p.Translations {
		if p.Translations[i].Language == "" {
			p.Translations[i].Language = s.def()
		}
	}
	return p
}

// stored turns a page's language into its edition as the store keeps it
// ("" for the default language).
func (s *Service) stored(p *newsroom.Page) {
	p.Language = strings.TrimSpace(p.Language)
	if p.Language == s.def() {
		p.Language = ""
	}
}

// may checks that u may manage pages: editors and admins.
func may(u *newsroom.User) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanPublish() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors and admins manage static pages")
	}
	return nil
}

// List returns every page by path, for u (editors and admins).
func (s *Service) List(ctx context.Context, u *newsroom.User) ([]newsroom.Page, error) {
	if err := may(u); err != nil {
		return nil, err
	}
	list, err := s.Store.Pages(ctx)
	for i := range list {
		s.shown(&list[i])
	}
	return list, err
}

// Get returns page id, drafts included, for u (editors and admins).
func (s *Service) Get(ctx context.Context, u *newsroom.User, id int64) (*newsroom.Page, error) {
	if err := may(u); err != nil {
		return nil, err
	}
	p, err := s.Store.PageByID(ctx, id)
	return s.shown(p), err
}

// render fills BodyHTML from Body through the articles' renderer (its
// hooks, such as legal markers, included).
func (s *Service) render(p *newsroom.Page) error {
	lang := p.Language
	if lang == "" {
		lang = s.def()
	}
	a := &newsroom.Article{Headline: p.Title, Body: p.Body, Language: lang, Status: newsroom.Published}
	if s.Now != nil {
		a.PublishedAt = s.Now()
	}
	if err := s.Render.Article(a); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	p.BodyHTML = a.BodyHTML
	return nil
}

// Create checks, renders and stores a new page made by u. On success p
// carries its ID and Path.
func (s *Service) Create(ctx context.Context, u *newsroom.User, p *newsroom.Page) error {
	if err := may(u); err != nil {
		return err
	}
	s.stored(p)
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	if err := s.render(p); err != nil {
		return err
	}
	if err := s.Store.CreatePage(ctx, p); err != nil {
		return err
	}
	s.reread(ctx, p)
	return nil
}

// reread fills p, just saved, with what the store holds (its group's
// members), as the desk and the API show it; a failed read leaves it as
// it was saved.
func (s *Service) reread(ctx context.Context, p *newsroom.Page) {
	if saved, err := s.Store.PageByID(ctx, p.ID); err == nil {
		*p = *saved
	}
	s.shown(p)
}

// Update loads page id, lets change modify a copy, then checks, renders
// and stores it. When its address changes, the old address of the page
// and of every page below it redirects to the new one.
func (s *Service) Update(ctx context.Context, u *newsroom.User, id int64, change func(p *newsroom.Page) error) (*newsroom.Page, error) {
	if err := may(u); err != nil {
		return nil, err
	}
	prev, err := s.Store.PageByID(ctx, id)
	if err != nil {
		return nil, err
	}
	next := *prev
	s.shown(&next)
	next.Translations = nil
	if err := change(&next); err != nil {
		return nil, err
	}
	next.ID = prev.ID
	s.stored(&next)
	next.Normalize()
	if err := next.Validate(); err != nil {
		return nil, err
	}
	if err := s.render(&next); err != nil {
		return nil, err
	}
	var below []newsroom.Page
	if s.Redirects != nil {
		all, err := s.Store.Pages(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range all {
			if o.ID != prev.ID && strings.HasPrefix(o.Path, prev.Path) {
				below = append(below, o)
			}
		}
	}
	if err := s.Store.UpdatePage(ctx, &next); err != nil {
		return nil, err
	}
	defer s.reread(ctx, &next)
	if s.Redirects != nil && next.Path != prev.Path {
		moves := []newsroom.Redirect{{From: prev.Path, To: next.Path, Source: newsroom.RedirectPage}}
		for _, o := range below {
			moves = append(moves, newsroom.Redirect{From: o.Path, To: next.Path + strings.TrimPrefix(o.Path, prev.Path), Source: newsroom.RedirectPage})
		}
		if err := s.redirectMoves(ctx, moves); err != nil {
			return &next, fmt.Errorf("page saved, but its old address does not redirect: %w", err)
		}
	}
	return &next, nil
}

// redirectMoves stores the redirects of moved pages, first removing any
// redirect away from an address a page now holds (a page moved back),
// which would otherwise make a loop.
func (s *Service) redirectMoves(ctx context.Context, moves []newsroom.Redirect) error {
	for _, m := range moves {
		key, _ := newsroom.RedirectKey(m.To, "", "")
		old, err := s.Redirects.RedirectFor(ctx, []string{key})
		if err == nil {
			if err := s.Redirects.DeleteRedirect(ctx, old.ID); err != nil && !newsroom.IsNotFound(err) {
				return err
			}
		} else if !newsroom.IsNotFound(err) {
			return err
		}
	}
	_, err := s.Redirects.AddRedirects(ctx, moves)
	return err
}

// Delete removes page id. A page with pages below it is a Conflict.
func (s *Service) Delete(ctx context.Context, u *newsroom.User, id int64) error {
	if err := may(u); err != nil {
		return err
	}
	return s.Store.DeletePage(ctx, id)
}

// SetMenu sets the footer menu to the pages of order, in that order.
func (s *Service) SetMenu(ctx context.Context, u *newsroom.User, order []int64) error {
	if err := may(u); err != nil {
		return err
	}
	return s.Store.SetMenu(ctx, order)
}
