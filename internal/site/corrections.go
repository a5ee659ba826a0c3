package site

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
)

// correctionsPerPage is the length of a corrections page and of the feed.
const correctionsPerPage = 50

type correctionsView struct {
	Page
	Items   []newsroom.PublicCorrection
	Total   int
	PageNo  int
	Pages   int
	PrevURL string
	NextURL string
	FeedURL string
}

// corrections returns the correction reader, or a not-found error when the
// store has none.
func (s *Server) corrections() (newsroom.CorrectionReader, error) {
	cr, ok := s.cfg.Store.(newsroom.CorrectionReader) // the edition's wrapper hides it
	if !ok {
		return nil, errNotFound
	}
	return cr, nil
}

// handleCorrections lists every correction, clarification and update on
// public articles, newest first: the outlet's record of its own mistakes.
func (s *Server) handleCorrections(w http.ResponseWriter, r *http.Request) error {
	cr, err := s.corrections()
	if err != nil {
		return err
	}
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pageNo = max(pageNo, 1)
	items, total, err := cr.PublicCorrections(r.Context(), s.now(), correctionsPerPage, (pageNo-1)*correctionsPerPage)
	if err != nil {
		return err
	}
	pages := max((total+correctionsPerPage-1)/correctionsPerPage, 1)
	if pageNo > pages {
		return errNotFound
	}
	v := correctionsView{Page: s.page(r.Context(), r, i18n.T(s.lang, "site.corrections_page")),
		Items: items, Total: total, PageNo: pageNo, Pages: pages, FeedURL: "/corrections/feed"}
	v.Description = i18n.T(s.lang, "site.corrections_intro")
	v.Canonical = s.absURL(r, "/corrections")
	if pageNo > 1 {
		v.PrevURL = "/corrections?page=" + strconv.Itoa(pageNo-1)
	}
	if pageNo < pages {
		v.NextURL = "/corrections?page=" + strconv.Itoa(pageNo+1)
	}
	tag(w, "corrections", "feeds")
	return s.render(w, http.StatusOK, "corrections.html", &v)
}

type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Description string  `xml:"description"`
	Category    string  `xml:"category"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// handleCorrectionsFeed is the RSS 2.0 feed of the corrections page.
func (s *Server) handleCorrectionsFeed(w http.ResponseWriter, r *http.Request) error {
	cr, err := s.corrections()
	if err != nil {
		return err
	}
	items, _, err := cr.PublicCorrections(r.Context(), s.now(), correctionsPerPage, 0)
	if err != nil {
		return err
	}
	feed := rssFeed{Version: "2.0", Channel: rssChannel{
		Title:       s.siteName(r.Context()) + ": " + i18n.T(s.lang, "site.corrections_page"),
		Link:        s.absURL(r, "/corrections"),
		Description: i18n.T(s.lang, "site.corrections_intro"),
		Language:    s.lang,
	}}
	for _, c := range items {
		kind := i18n.T(s.lang, "site.kind."+string(c.Kind))
		link := s.absURL(r, c.URL) + "#corrections"
		feed.Channel.Items = append(feed.Channel.Items, rssItem{
			Title:       kind + ": " + c.Headline,
			Link:        link,
			GUID:        rssGUID{Value: s.absURL(r, "/corrections") + "#c" + strconv.FormatInt(c.ID, 10)},
			PubDate:     c.At.UTC().Format(time.RFC1123Z),
			Description: kind + ", " + i18n.LongDate(s.lang, c.At.In(s.loc())) + ": " + c.Text,
			Category:    string(c.Kind),
		})
	}
	out, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		return err
	}
	tag(w, "corrections", "feeds")
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(append([]byte(xml.Header), out...))
	return nil
}
