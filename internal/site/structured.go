package site

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/i18n"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// schema.org types of an article page's JSON-LD.
type ldArticle struct {
	Context          string         `json:"@context"`
	Type             string         `json:"@type"`
	MainEntityOfPage ldPage         `json:"mainEntityOfPage"`
	URL              string         `json:"url"`
	Headline         string         `json:"headline"`
	Description      string         `json:"description,omitempty"`
	Image            []ldImage      `json:"image,omitempty"`
	DatePublished    string         `json:"datePublished"`
	DateModified     string         `json:"dateModified"`
	Author           []ldThing      `json:"author,omitempty"`
	Publisher        ldThing        `json:"publisher"`
	ArticleSection   []string       `json:"articleSection,omitempty"`
	Keywords         []string       `json:"keywords,omitempty"`
	InLanguage       string         `json:"inLanguage,omitempty"`
	IsFree           bool           `json:"isAccessibleForFree"`
	Correction       []ldCorrection `json:"correction,omitempty"`

	// TranslationOfWork names the original of a translation,
	// WorkTranslation an original's public translations.
	TranslationOfWork *ldWork  `json:"translationOfWork,omitempty"`
	WorkTranslation   []ldWork `json:"workTranslation,omitempty"`
}

// ldWork is another language version of an article.
type ldWork struct {
	Type       string `json:"@type"`
	ID         string `json:"@id"`
	URL        string `json:"url"`
	InLanguage string `json:"inLanguage"`
}

type ldThing struct {
	Type string   `json:"@type"`
	ID   string   `json:"@id,omitempty"`
	Name string   `json:"name,omitempty"`
	URL  string   `json:"url,omitempty"`
	Logo *ldImage `json:"logo,omitempty"`
}

// ldPage is the article's web page, carrying its breadcrumb trail.
type ldPage struct {
	Type       string        `json:"@type"`
	ID         string        `json:"@id"`
	URL        string        `json:"url"`
	Name       string        `json:"name,omitempty"`
	Breadcrumb ldBreadcrumbs `json:"breadcrumb"`
}

type ldImage struct {
	Type    string `json:"@type"`
	URL     string `json:"url"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
	Caption string `json:"caption,omitempty"`
}

type ldCorrection struct {
	Type          string `json:"@type"`
	Text          string `json:"text"`
	DatePublished string `json:"datePublished"`
}

type ldBreadcrumbs struct {
	Context string    `json:"@context"`
	Type    string    `json:"@type"`
	Items   []ldCrumb `json:"itemListElement"`
}

type ldCrumb struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

// maxLDHeadline is the headline length search engines show in full.
const maxLDHeadline = 110

// jsonLD marshals v for a <script type="application/ld+json"> element.
// encoding/json escapes <, > and & (and U+2028/U+2029), so no text can
// close the script element or open a comment.
func jsonLD(v any) (template.JS, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return template.JS(strings.TrimSpace(buf.String())), nil
}

func ldTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// publisher is the site as a schema.org NewsMediaOrganization with its logo.
func (s *Server) publisher(r *http.Request) ldThing {
	return ldThing{Type: "NewsMediaOrganization", Name: s.siteName(r.Context()), URL: s.absURL(r, "/"),
		Logo: &ldImage{Type: "ImageObject", URL: s.absURL(r, pathLogo), Width: LogoSize, Height: LogoSize}}
}

// leadImages lists the lead image in every width its srcset offers, as
// absolute URLs with their sizes (the largest first).
func (s *Server) leadImages(r *http.Request, img *newsroom.Image) []ldImage {
	if img == nil || img.URL == "" || !newsroom.SafeURL(img.URL) {
		return nil
	}
	abs := func(u string) string {
		if isRelative(u) {
			return s.absURL(r, u)
		}
		return u
	}
	var out []ldImage
	seen := map[string]bool{}
	for _, part := range strings.Split(img.Srcset, ",") {
		f := strings.Fields(part)
		if len(f) != 2 || !strings.HasSuffix(f[1], "w") || !newsroom.SafeURL(f[0]) {
			continue
		}
		w, err := strconv.Atoi(strings.TrimSuffix(f[1], "w"))
		if err != nil || w <= 0 {
			continue
		}
		im := ldImage{Type: "ImageObject", URL: abs(f[0]), Width: w, Caption: captionText(img)}
		if img.Width > 0 && img.Height > 0 {
			im.Height = w * img.Height / img.Width
		}
		out = append([]ldImage{im}, out...)
		seen[f[0]] = true
	}
	if !seen[img.URL] {
		out = append([]ldImage{{Type: "ImageObject", URL: abs(img.URL), Width: img.Width, Height: img.Height, Caption: captionText(img)}}, out...)
	}
	return out
}

// articleLD returns the NewsArticle of an article page as JSON-LD, with
// its corrections as CorrectionComment and the page's BreadcrumbList under
// mainEntityOfPage.breadcrumb (one object, so the page has one script).
func (s *Server) articleLD(r *http.Request, v *articleView, a *newsroom.Article) (template.JS, error) {
	headline := render.Text(string(headlineHTML(a)))
	if utf8.RuneCountInString(headline) > maxLDHeadline {
		headline = strings.TrimSpace(string([]rune(headline)[:maxLDHeadline-1])) + "…"
	}
	modified := a.PublishedAt
	if a.EditedAt.After(modified) {
		modified = a.EditedAt
	}
	art := ldArticle{
		Context: "https://schema.org", Type: "NewsArticle",
		MainEntityOfPage: ldPage{Type: "WebPage", ID: v.Canonical, URL: v.Canonical, Name: headline},
		URL:              v.Canonical,
		Headline:         headline,
		Description:      v.Description,
		Image:            s.leadImages(r, a.LeadImage),
		DatePublished:    ldTime(a.PublishedAt),
		DateModified:     ldTime(modified),
		Publisher:        s.publisher(r),
		InLanguage:       a.Language,
		IsFree:           true,
	}
	if len(art.Image) == 0 {
		// No lead picture: the generated share card, so image is never
		// missing (card.go).
		art.Image = []ldImage{{Type: "ImageObject", URL: s.absURL(r, cardURL(a)), Width: CardWidth, Height: CardHeight}}
	}
	for _, t := range a.PublicTranslations(s.now()) {
		u := s.absURL(r, newsroom.EditionPath(t.Language, s.def, t.URL()))
		w := ldWork{Type: "NewsArticle", ID: u, URL: u, InLanguage: t.Language}
		if t.Original {
			art.TranslationOfWork = &w
		} else if a.IsOriginal() {
			art.WorkTranslation = append(art.WorkTranslation, w)
		}
	}
	for _, b := range a.Authors {
		t := ldThing{Type: "Person", Name: b.Name}
		if b.Label == newsroom.LabelAgency {
			t.Type = "Organization"
		}
		if b.Slug != "" {
			t.URL = s.absURL(r, s.path("/author/"+b.Slug))
		}
		art.Author = append(art.Author, t)
	}
	if len(art.Author) == 0 {
		art.Author = []ldThing{{Type: "Organization", Name: s.siteName(r.Context()), URL: s.absURL(r, "/")}}
	}
	for _, c := range a.Categories {
		art.ArticleSection = append(art.ArticleSection, c.NameIn(s.lang))
	}
	for _, t := range a.Tags {
		art.Keywords = append(art.Keywords, t.Name)
	}
	for _, c := range a.Corrections {
		art.Correction = append(art.Correction, ldCorrection{Type: "CorrectionComment",
			Text: c.Text, DatePublished: ldTime(c.At)})
	}

	crumbs := &art.MainEntityOfPage.Breadcrumb
	crumbs.Type = "BreadcrumbList"
	add := func(name, item string) {
		crumbs.Items = append(crumbs.Items, ldCrumb{Type: "ListItem", Position: len(crumbs.Items) + 1, Name: name, Item: item})
	}
	add(i18n.T(s.lang, "site.home"), s.absURL(r, s.path("/")))
	if k := a.PrimaryCategory(); k != nil {
		var chain []*newsroom.Category
		for c, depth := v.category(k.Slug), 0; c != nil && depth < 10; depth++ {
			chain = append([]*newsroom.Category{c}, chain...)
			c = v.category(c.ParentID)
		}
		for _, c := range chain {
			add(c.NameIn(s.lang), s.absURL(r, s.path("/"+c.Slug+"/")))
		}
	}
	add(headline, v.Canonical)
	return jsonLD(art)
}

// category returns the section with the given slug (string) or id (int64)
// from the page's section list, or nil.
func (p *Page) category(key any) *newsroom.Category {
	for i := range p.cats {
		c := &p.cats[i]
		switch k := key.(type) {
		case string:
			if c.Slug == k {
				return c
			}
		case int64:
			if k != 0 && c.ID == k {
				return c
			}
		}
	}
	return nil
}
