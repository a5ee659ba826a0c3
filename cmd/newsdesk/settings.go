package main

import "newsdesk/internal/newsroom"

// settingsDefaults are the site's settings as the flags and environment
// give them; what an editor saves in the desk's Settings wins where set.
func (a *app) settingsDefaults(name, tagline string) newsroom.SiteSettings {
	d := newsroom.DefaultSiteSettings()
	d.SiteName, d.Description = name, tagline
	d.Language, d.TimeZone = a.cfg.Language, a.cfg.Timezone
	if a.cfg.Reports.MaxExact > 0 {
		d.ReportMaxExact = a.cfg.Reports.MaxExact
	}
	if a.cfg.Reports.PerIP != 0 {
		d.ReportPerIP = a.cfg.Reports.PerIP
	}
	if a.cfg.Reports.PerArticle != 0 {
		d.ReportPerArticle = a.cfg.Reports.PerArticle
	}
	if a.cfg.FeedContent == "summary" {
		d.FeedContent = "summary"
	}
	return d
}
