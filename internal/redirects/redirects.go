// Package redirects is the one way staff manage the site's stored
// redirects (old addresses and where they lead now) from the desk or the
// JSON API: it checks who may, and reads a full URL on the site's own host
// as its path. Imports write in bulk through the store's AddRedirects.
package redirects

import (
	"context"
	"net/url"

	"newsdesk/internal/newsroom"
)

// Service manages redirects. It is safe for concurrent use.
type Service struct {
	Store newsroom.RedirectStore
	// Hosts are this site's host names (from its base URL): a full URL on
	// one of them is taken as its path; any other host is refused.
	Hosts []string
}

// HostsOf returns the host name of baseURL as a Hosts list (none if it
// has none).
func HostsOf(baseURL string) []string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		return nil
	}
	return []string{u.Hostname()}
}

func may(u *newsroom.User) error {
	if u == nil {
		return newsroom.Errorf(newsroom.Unauthorized, "", "sign in first")
	}
	if !u.Role.CanPublish() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only editors and admins manage redirects")
	}
	return nil
}

// List returns one page of redirects and the total, for u.
func (s *Service) List(ctx context.Context, u *newsroom.User, f newsroom.RedirectFilter) ([]newsroom.Redirect, int, error) {
	if err := may(u); err != nil {
		return nil, 0, err
	}
	return s.Store.Redirects(ctx, f)
}

// Get returns redirect id, for u.
func (s *Service) Get(ctx context.Context, u *newsroom.User, id int64) (*newsroom.Redirect, error) {
	if err := may(u); err != nil {
		return nil, err
	}
	return s.Store.RedirectByID(ctx, id)
}

// Create checks and stores a new redirect made by u.
func (s *Service) Create(ctx context.Context, u *newsroom.User, r *newsroom.Redirect) error {
	if err := may(u); err != nil {
		return err
	}
	if err := r.Normalize(s.Hosts...); err != nil {
		return err
	}
	return s.Store.CreateRedirect(ctx, r)
}

// Update checks and stores a changed redirect.
func (s *Service) Update(ctx context.Context, u *newsroom.User, r *newsroom.Redirect) error {
	if err := may(u); err != nil {
		return err
	}
	if err := r.Normalize(s.Hosts...); err != nil {
		return err
	}
	return s.Store.UpdateRedirect(ctx, r)
}

// Delete removes redirect id.
func (s *Service) Delete(ctx context.Context, u *newsroom.User, id int64) error {
	if err := may(u); err != nil {
		return err
	}
	return s.Store.DeleteRedirect(ctx, id)
}
