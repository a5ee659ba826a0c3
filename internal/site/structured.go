package site

import (
	"net/http"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// newsArticleLD is the schema.org NewsArticle of an article page, with its
// corrections as CorrectionComment, written as JSON-LD.
type newsArticleLD struct {
	Context          string         `json:"@context"`
	Type             string         `json:"@type"`
	Headline         string         `json:"headline"`
	Description      string         `json:"description,omitempty"`
	DatePublished    string         `json:"datePublished"`
	DateModified     string         `json:"dateModified,omitempty"`
	InLanguage       string         `json:"inLanguage,omitempty"`
	MainEntityOfPage string         `json:"mainEntityOfPage,omitempty"`
	Image            []string       `json:"image,omitempty"`
	Author           []ldPerson     `json:"author,omitempty"`
	Publisher        *ldPerson      `json:"publisher,omitempty"`
	Correction       []ldCorrection `json:"correction,omitempty"`
}

type ldPerson struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type ldCorrection struct {
	Type          string `json:"@type"`
	Text          string `json:"text"`
	DatePublished string `json:"datePublished"`
}

// structuredData describes article a for search engines.
func (s *Server) structuredData(r *http.Request, a *newsroom.Article, v *articleView) *newsArticleLD {
	ld := &newsArticleLD{
		Context: "https://schema.org", Type: "NewsArticle",
		Headline:         render.Text(string(v.Headline)),
		Description:      v.Description,
		DatePublished:    a.PublishedAt.UTC().Format(time.RFC3339),
		InLanguage:       a.Language,
		MainEntityOfPage: v.Canonical,
		Publisher:        &ldPerson{Type: "Organization", Name: s.cfg.SiteName, URL: s.absURL(r, "/")},
	}
	if !v.Edited.IsZero() {
		ld.DateModified = v.Edited.UTC().Format(time.RFC3339)
	}
	if v.OG != nil && v.OG.Image != "" {
		ld.Image = []string{v.OG.Image}
	}
	for _, b := range v.Bylines {
		p := ldPerson{Type: "Person", Name: b.Name}
		if b.Label == newsroom.LabelAgency {
			p.Type = "Organization"
		}
		if b.URL != "" {
			p.URL = s.absURL(r, b.URL)
		}
		ld.Author = append(ld.Author, p)
	}
	for _, c := range a.Corrections {
		ld.Correction = append(ld.Correction, ldCorrection{Type: "CorrectionComment", Text: c.Text,
			DatePublished: c.At.UTC().Format(time.RFC3339)})
	}
	return ld
}
