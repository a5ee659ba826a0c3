package wordpress

import (
	"net/url"
	"path"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// redirect is an old address of the site and where it leads now.
type redirect struct {
	from, to string
}

// oldPath is the site path of an old address: its path and, for the
// query-keyed forms WordPress answers (?p=123, ?page_id=5,
// ?attachment_id=7, ?cat=3, ?tag=x, ?author=2, ?m=202401), that one
// parameter. "" if the address is not on the old site.
func (r *run) oldPath(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.Host != "" && !strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), strings.TrimPrefix(r.host, "www.")) {
		return ""
	}
	p := u.Path
	if p == "" {
		p = "/"
	}
	// A site in a folder (example.org/news/): paths are kept as they were,
	// since the new site answers at the root of the same host.
	q := u.Query()
	for _, k := range []string{"p", "page_id", "attachment_id", "cat", "tag", "author", "m", "feed"} {
		if v := q.Get(k); v != "" {
			return p + "?" + k + "=" + url.QueryEscape(v)
		}
	}
	return p
}

func (r *run) addRedirect(from, to string) {
	if from == "" || to == "" {
		return
	}
	if strings.TrimRight(from, "/") == strings.TrimRight(to, "/") {
		return // served at the same path (the site adds or drops the slash)
	}
	if from == "/" {
		return
	}
	r.redirects = append(r.redirects, redirect{from: from, to: to})
}

// postRedirects are a post's old addresses: its permalink (whatever the
// structure), ?p=ID, its GUID, its old slugs, and its comment feed.
func (r *run) postRedirects(it *Item, a *newsroom.Article) {
	if a.Status != newsroom.Published && a.Status != newsroom.Scheduled {
		return // never public: no reader has its address
	}
	to := a.URL()
	link := r.oldPath(it.Link)
	r.addRedirect(link, to)
	r.addRedirect("/?p="+itoa(it.PostID), to)
	r.addRedirect(r.oldPath(it.GUID), to)
	if link != "" && !strings.Contains(link, "?") {
		base := strings.TrimRight(link, "/")
		r.addRedirect(base+"/feed", "/comments/feed/"+itoa(a.ID))
		r.addRedirect(base+"/amp", to)
		// The permalink with an old slug: the same structure, the last
		// segment replaced.
		if it.Name != "" && strings.HasSuffix(base, "/"+it.Name) {
			for _, old := range it.MetaValues("_wp_old_slug") {
				old = strings.TrimSpace(old)
				if old != "" && old != it.Name {
					r.addRedirect(strings.TrimSuffix(base, it.Name)+old, to)
				}
			}
		}
		if strings.HasPrefix(base, "/archives/") {
			return
		}
	}
	r.addRedirect("/archives/"+itoa(it.PostID), to)
	if !a.PublishedAt.IsZero() {
		r.days[r.zone.day(a.PublishedAt)] = true
	}
}

// pageRedirects are a page's old addresses.
func (r *run) pageRedirects(it *Item, to string) {
	r.addRedirect(r.oldPath(it.Link), to)
	r.addRedirect("/?page_id="+itoa(it.PostID), to)
	r.addRedirect(r.oldPath(it.GUID), to)
}

// attachmentRedirects lead an attachment's page and every file WordPress
// made of it (wp-content/uploads/…, each size) to the picture or file as
// newsdesk serves it.
func (r *run) attachmentRedirects(a *attachment) {
	var to string
	switch {
	case a.item != nil:
		to = a.item.URL(a.item.Sizes[len(a.item.Sizes)-1])
	case a.fileURL != "":
		to = a.fileURL // a PDF, a recording: the file as newsdesk keeps it
	default:
		return
	}
	r.addRedirect(r.oldPath(a.link), to)
	r.addRedirect("/?attachment_id="+itoa(a.id), to)
	base := "/wp-content/uploads/"
	if p := r.oldPath(a.url); p != "" && strings.Contains(p, "/uploads/") {
		base = p[:strings.Index(p, "/uploads/")+len("/uploads/")]
	}
	if a.file != "" {
		r.addRedirect(base+a.file, to)
		dir := path.Dir(a.file)
		for _, s := range a.sizes {
			r.addRedirect(base+path.Join(dir, s), to)
		}
	}
}

// termRedirects lead the category, tag and author archives and their
// feeds to the sections, tags and authors.
func (r *run) termRedirects(cats map[string]*Term) {
	for wpSlug, c := range r.cats {
		t := cats[wpSlug]
		// /category/parent/child/ as WordPress writes it, and /category/child/.
		chain := []string{wpSlug}
		for p, n := t, 0; p != nil && p.Parent != "" && n < 20; n++ {
			chain = append([]string{p.Parent}, chain...)
			p = cats[p.Parent]
		}
		to := "/" + c.Slug + "/"
		feed := "/feeds/section/" + c.Slug + "/rss.xml"
		for _, from := range []string{"/category/" + strings.Join(chain, "/"), "/category/" + wpSlug} {
			r.addRedirect(from, to)
			r.addRedirect(from+"/feed", feed)
		}
		if t != nil && t.ID != "" {
			r.addRedirect("/?cat="+t.ID, to)
		}
	}
	for wpSlug, t := range r.tags {
		r.addRedirect("/tag/"+wpSlug, "/tag/"+t.Slug)
		r.addRedirect("/tag/"+wpSlug+"/feed", "/feeds/tag/"+t.Slug+"/rss.xml")
		r.addRedirect("/?tag="+url.QueryEscape(wpSlug), "/tag/"+t.Slug)
	}
	for login, b := range r.authors {
		nice := slugFrom(login, login)
		for _, from := range []string{"/author/" + login, "/author/" + nice} {
			r.addRedirect(from, "/author/"+b.Slug)
			r.addRedirect(from+"/feed", "/feeds/author/"+b.Slug+"/rss.xml")
		}
	}
}

// feedRedirects lead WordPress's feeds to ours.
func (r *run) feedRedirects() {
	for from, to := range map[string]string{
		"/feed": "/feed.xml", "/feed/rss2": "/feed.xml", "/feed/rss": "/feed.xml", "/feed/rdf": "/feed.xml",
		"/feed/atom": "/atom.xml", "/?feed=rss2": "/feed.xml", "/?feed=atom": "/atom.xml",
		"/comments/feed": "/comments/feed", "/comments/feed/atom": "/comments/feed",
		"/wp-sitemap.xml": "/sitemap.xml", "/sitemap_index.xml": "/sitemap.xml",
	} {
		r.addRedirect(from, to)
	}
}

// dateRedirects lead the date archives (/2024/, /2024/01/, /2024/01/02/,
// ?m=20240102) to the search page for those dates, newsdesk's way to
// list a period.
func (r *run) dateRedirects() {
	years, months := map[string]bool{}, map[string]bool{}
	for day := range r.days {
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			continue
		}
		y, m := t.Format("2006"), t.Format("2006/01")
		if !years[y] {
			years[y] = true
			r.addRedirect("/"+y, "/search?from="+y+"-01-01&to="+y+"-12-31")
			r.addRedirect("/?m="+y, "/search?from="+y+"-01-01&to="+y+"-12-31")
		}
		if !months[m] {
			months[m] = true
			first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
			span := "/search?from=" + first.Format(time.DateOnly) + "&to=" + first.AddDate(0, 1, -1).Format(time.DateOnly)
			r.addRedirect("/"+m, span)
			r.addRedirect("/?m="+t.Format("200601"), span)
		}
		r.addRedirect("/"+t.Format("2006/01/02"), "/search?from="+day+"&to="+day)
		r.addRedirect("/?m="+t.Format("20060102"), "/search?from="+day+"&to="+day)
	}
}
