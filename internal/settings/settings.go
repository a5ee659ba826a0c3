// Package settings is the site's settings as editors change them in the
// desk: one typed value (newsroom.SiteSettings) over the defaults that
// flags and environment give, stored in the database, read through a
// cache that a change drops (on this node at once, on the others when
// their change listener hears it).
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"newsdesk/internal/newsroom"
)

// Service reads and saves the site's settings. It is a newsroom.Notifier:
// main passes it every committed change (and the other nodes' changes),
// so a saved setting is read anew on the next Current. Safe for
// concurrent use.
type Service struct {
	store    newsroom.Settings
	defaults newsroom.SiteSettings

	mu  sync.Mutex
	cur *newsroom.SiteSettings // nil: read on the next Current
	gen uint64                 // moves on every change, so a read racing one is not kept

	zoneName string         // the TimeZone zone was loaded for
	zone     *time.Location // loaded once per change of TimeZone
}

// keys are the settings keys the value is made of; a change to any drops
// the cache.
var keys = []string{"setting:" + newsroom.SettingSite, "setting:" + newsroom.SettingFeedFullText,
	"setting:" + newsroom.SettingCorrespondentsMayPublish}

// New returns a Service over store whose unset fields are defaults (the
// flags' values; start from newsroom.DefaultSiteSettings).
func New(store newsroom.Settings, defaults newsroom.SiteSettings) *Service {
	return &Service{store: store, defaults: defaults}
}

// Defaults returns what the flags and environment set.
func (s *Service) Defaults() newsroom.SiteSettings { return s.defaults }

// Current returns the settings in force: the stored document over the
// defaults. Served from memory after the first read until a change.
func (s *Service) Current(ctx context.Context) (newsroom.SiteSettings, error) {
	s.mu.Lock()
	if s.cur != nil {
		v := *s.cur
		s.mu.Unlock()
		return v, nil
	}
	gen := s.gen
	s.mu.Unlock()
	v, err := s.load(ctx)
	if err != nil {
		return s.defaults, err
	}
	s.mu.Lock()
	if s.gen == gen {
		s.cur = &v
	}
	s.mu.Unlock()
	return v, nil
}

// Must returns Current, or the defaults when the database cannot be read
// (pages still render with the flags' values).
func (s *Service) Must(ctx context.Context) newsroom.SiteSettings {
	v, _ := s.Current(ctx)
	return v
}

// Location returns the time zone in force (the settings' TimeZone, UTC
// if it does not load). The zone is loaded once per change of the
// setting, so pages may ask on every request.
func (s *Service) Location(ctx context.Context) *time.Location {
	v := s.Must(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.zone == nil || s.zoneName != v.TimeZone {
		s.zone, s.zoneName = v.Location(), v.TimeZone
	}
	return s.zone
}

func (s *Service) load(ctx context.Context) (newsroom.SiteSettings, error) {
	v := s.defaults
	doc, err := s.store.Setting(ctx, newsroom.SettingSite)
	if err != nil {
		return v, fmt.Errorf("settings: %w", err)
	}
	if doc != "" {
		// Fields present in the document win; absent ones keep the default.
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			return s.defaults, fmt.Errorf("settings: stored document: %w", err)
		}
		if v.SiteName == "" {
			v.SiteName = s.defaults.SiteName
		}
		if v.Description == "" {
			v.Description = s.defaults.Description
		}
		if v.Language == "" {
			v.Language = s.defaults.Language
		}
		if v.TimeZone == "" {
			v.TimeZone = s.defaults.TimeZone
		}
	}
	switch feed, err := s.store.Setting(ctx, newsroom.SettingFeedFullText); {
	case err != nil:
		return s.defaults, fmt.Errorf("settings: %w", err)
	case feed == "true":
		v.FeedContent = "full"
	case feed == "false":
		v.FeedContent = "summary"
	}
	mayPublish, err := s.store.Setting(ctx, newsroom.SettingCorrespondentsMayPublish)
	if err != nil {
		return s.defaults, fmt.Errorf("settings: %w", err)
	}
	v.CorrespondentsMayPublish = mayPublish == "true"
	return v, nil
}

// Save checks v and stores it; only admins may. An Invalid error names the
// wrong field (its JSON name) and nothing is stored. Text fields left
// empty keep following the defaults.
func (s *Service) Save(ctx context.Context, actor *newsroom.User, v newsroom.SiteSettings) error {
	if actor == nil || actor.Disabled || actor.Role != newsroom.RoleAdmin {
		return newsroom.Errorf(newsroom.Forbidden, "", "only admins change the site's settings")
	}
	if err := v.Validate(); err != nil {
		return err
	}
	doc, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if err := s.store.SetSetting(ctx, newsroom.SettingSite, string(doc)); err != nil {
		return err
	}
	feed := "true"
	if v.FeedContent == "summary" {
		feed = "false"
	}
	if v.FeedContent != "" {
		if err := s.store.SetSetting(ctx, newsroom.SettingFeedFullText, feed); err != nil {
			return err
		}
	}
	may := "false"
	if v.CorrespondentsMayPublish {
		may = "true"
	}
	if err := s.store.SetSetting(ctx, newsroom.SettingCorrespondentsMayPublish, may); err != nil {
		return err
	}
	s.drop() // the store's notice does this too; without a notifier as well
	return nil
}

// Changed drops the cached value when a change touches the settings.
func (s *Service) Changed(_ context.Context, c newsroom.Change) {
	for _, k := range c.Keys {
		if slices.Contains(keys, k) {
			s.drop()
			return
		}
	}
}

// Flush drops the cached value (after the change listener reconnects:
// changes sent while it was away are lost).
func (s *Service) Flush() { s.drop() }

func (s *Service) drop() {
	s.mu.Lock()
	s.cur = nil
	s.gen++
	s.mu.Unlock()
}
