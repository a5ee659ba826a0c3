package site

import (
	"context"

	"newsdesk/internal/newsroom"
)

// SettingsReader gives the site's settings in force (the desk's Settings
// over the flags' defaults), from memory until one changes.
type SettingsReader interface {
	Must(ctx context.Context) newsroom.SiteSettings
}

// keySettings tags every page: each shows the site's name and follows
// its settings, so saving them drops every cached page.
const keySettings = "setting:" + newsroom.SettingSite

// conf returns the settings in force as this edition shows them (its
// own site name and description): Config.Settings, or without one the
// Config's own values.
func (s *Server) conf(ctx context.Context) newsroom.SiteSettings {
	if s.cfg.Settings != nil {
		return s.cfg.Settings.Must(ctx).InEdition(s.lang)
	}
	d := newsroom.DefaultSiteSettings()
	d.SiteName, d.Description, d.Language = s.cfg.SiteName, s.cfg.Tagline, s.lang
	if s.cfg.FeedSummaries {
		d.FeedContent = "summary"
	}
	switch v, err := s.setting(ctx, newsroom.SettingFeedFullText); {
	case err != nil:
		s.log.Warn("site: read feed setting", "err", err)
	case v == "true":
		d.FeedContent = "full"
	case v == "false":
		d.FeedContent = "summary"
	}
	return d
}

func (s *Server) siteName(ctx context.Context) string { return s.conf(ctx).SiteName }

func (s *Server) tagline(ctx context.Context) string { return s.conf(ctx).Description }
