package desk

import (
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// settingsView is the Settings page: the site's settings in force, the
// defaults the flags give, and the field a refused save names.
type settingsView struct {
	Page
	S        newsroom.SiteSettings
	Defaults newsroom.SiteSettings
	Purposes []crawlerChoice
	Saved    bool
	// Err is a refused save's error, naming its field.
	Err *newsroom.Error
	// Links lead to the settings that have pages of their own.
	Comments, Legal, Menu bool

	defLang string // the default edition: S.SiteName is its name
}

// EditionNames are the site's name and description in each edition
// other than the default one, for the form.
func (v *settingsView) EditionNames() []editionText {
	var out []editionText
	for _, l := range newsroom.Languages {
		if l != v.defLang {
			e := v.S.Editions[l]
			out = append(out, editionText{Lang: l, LangName: i18n.T(l, "site.language_name"), Name: e.SiteName, Description: e.Description})
		}
	}
	return out
}

// crawlerChoice is one line of the crawlers' fieldset.
type crawlerChoice struct {
	Key    string // the form field and CrawlerPolicy's JSON name
	Allow  bool
	Agents string
}

func (s *Server) settingsView(r *http.Request, v newsroom.SiteSettings) *settingsView {
	sv := &settingsView{Page: s.page(r, "desk.nav.settings", "settings"), S: v, Defaults: s.settings.Defaults(),
		Comments: s.cfg.Comments != nil, Legal: s.cfg.Legal != nil, Menu: s.cfg.Pages != nil, defLang: s.lang}
	sv.Purposes = append(sv.Purposes, crawlerChoice{Key: "search", Allow: v.Crawlers.Search, Agents: "Googlebot, Bingbot, YandexBot, DuckDuckBot…"})
	for _, p := range newsroom.CrawlerPurposes {
		sv.Purposes = append(sv.Purposes, crawlerChoice{Key: p.Key, Allow: v.Crawlers.Allows(p.Key), Agents: strings.Join(p.Agents, ", ")})
	}
	return sv
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.settings.Current(r.Context())
	if err != nil {
		return err
	}
	v := s.settingsView(r, cur)
	v.Saved = r.URL.Query().Get("saved") == "1"
	return s.render(w, r, http.StatusOK, "settings.html", v)
}

// handleSaveSettings saves the whole form; a wrong field is answered 422
// with what was typed and that field marked.
func (s *Server) handleSaveSettings(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.settings.Current(r.Context())
	if err != nil {
		return err
	}
	next, field := settingsFromForm(r, cur)
	if field != "" {
		v := s.settingsView(r, next)
		v.Err = newsroom.Errorf(newsroom.Invalid, field, "%s", s.t("desk.settings.err_number"))
		return s.render(w, r, http.StatusUnprocessableEntity, "settings.html", v)
	}
	if err := s.settings.Save(r.Context(), CurrentUser(r.Context()), next); err != nil {
		if e := newsroom.AsError(err); e != nil && e.Code == newsroom.Invalid {
			v := s.settingsView(r, next)
			v.Err = e
			return s.render(w, r, http.StatusUnprocessableEntity, "settings.html", v)
		}
		return err
	}
	s.log.Info("desk: settings saved", "by", CurrentUser(r.Context()).ID)
	return s.redirect(w, r, "/desk/settings?saved=1")
}

// settingsFromForm reads the form over cur; a number that does not parse
// comes back as the field to name.
func settingsFromForm(r *http.Request, cur newsroom.SiteSettings) (newsroom.SiteSettings, string) {
	v := cur
	f := r.PostFormValue
	// An unticked box sends nothing: boxes count only in the whole form
	// (its hidden "form" field), or when sent ticked.
	whole := f("form") == "settings" // parses the form, for PostForm below
	text := func(dst *string, name string) {
		if r.PostForm.Has(name) {
			*dst = f(name)
		}
	}
	text(&v.SiteName, "site_name")
	text(&v.Description, "description")
	text(&v.Language, "language")
	text(&v.TimeZone, "time_zone")
	text(&v.FeedContent, "feed_content")
	// The other editions' name and description ("site_name_ru"); empty:
	// that edition shows the ones above.
	eds := map[string]newsroom.EditionNames{}
	for l, e := range cur.Editions {
		eds[l] = e
	}
	for _, l := range newsroom.Languages {
		e := eds[l]
		text(&e.SiteName, "site_name_"+l)
		text(&e.Description, "description_"+l)
		eds[l] = e
	}
	v.Editions = eds
	check := func(dst *bool, name string) {
		if whole || f(name) != "" {
			*dst = f(name) == "true"
		}
	}
	check(&v.HomeSections, "home_sections")
	check(&v.HomeMostRead, "home_most_read")
	check(&v.CorrespondentsMayPublish, "correspondents_may_publish")
	check(&v.RequireTwoFactor, "require_two_factor")
	check(&v.Crawlers.Search, "search")
	check(&v.Crawlers.AITraining, "ai_training")
	check(&v.Crawlers.AISearch, "ai_search")
	check(&v.Crawlers.AIUser, "ai_user")
	bad := ""
	num := func(dst *int, name string) {
		if strings.TrimSpace(f(name)) == "" && !whole {
			return
		}
		n, err := strconv.Atoi(strings.TrimSpace(f(name)))
		if err != nil && bad == "" {
			bad = name
		}
		if err == nil {
			*dst = n
		}
	}
	num(&v.HomeLatest, "home_latest")
	num(&v.ReportMaxExact, "report_max_exact")
	num(&v.ReportPerIP, "report_per_ip")
	num(&v.ReportPerArticle, "report_per_article")
	return v, bad
}
