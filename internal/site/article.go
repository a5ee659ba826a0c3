package site

import (
	"html"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/web"
)

type articleView struct {
	Page
	ID          int64
	URL         string
	Kicker      *navItem
	Headline    template.HTML
	Standfirst  template.HTML
	Bylines     []bylineView
	Published   time.Time
	Edited      time.Time // zero if never edited after publication
	EditedSame  bool      // edited the same day it was published
	Image       *imageView
	Caption     template.HTML // rendered on save (legal markers included)
	Credit      string
	SourceName  string
	SourceURL   string
	Body        template.HTML
	Sources     []newsroom.Source
	Corrections []newsroom.Correction
	Sections    []navItem
	Tags        []navItem
	Shares      []shareButton
	ShareTotal  int
	Comments    int
	CommentsOn  bool
	Related     []card
	RelatedIn   *navItem // the section "More in" names, when related stories ran short
	// MostReadBlock is where the page loads its Most read block from
	// (mostread.go): not rendered in, so a ranking move leaves the
	// cached page alone.
	MostReadBlock string
	// Discussion is the comments section; nil when comments are not wired.
	Discussion *discussionView
	// Revision is the revision shown, for error reports (not a token: a
	// cached page carries it until the article changes).
	Revision int
	// ReportOn says readers can send error reports from the page.
	ReportOn bool
}

type bylineView struct {
	Name, URL, Label string
}

type shareButton struct {
	Network, Action string
	Count           int
}

// handleArticle shows a public article at its one URL. A wrong section
// segment redirects to the right one; a path the article had before a
// slug or section change redirects to where it is now.
func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now()
	a, err := s.store.ArticleBySlug(ctx, r.PathValue("slug"))
	if err != nil && !newsroom.IsNotFound(err) {
		return err
	}
	if err != nil || !a.IsPublic(now) {
		return s.redirectOldPath(w, r)
	}
	if r.URL.Path != a.URL() || a.Language != s.lang {
		// A wrong section, or the story of another edition.
		tag(w, articleKey(a.ID))
		http.Redirect(w, r, s.articlePath(a), http.StatusMovedPermanently)
		return nil
	}
	v, err := s.articleView(r, a)
	if err != nil {
		return err
	}
	if err := s.addDiscussion(w, r, a, v, nil); err != nil {
		return err
	}
	tag(w, append(articlePageKeys(&v.Page, a, v.Related), newsroom.GroupKey(a.TranslationGroup))...)
	w.Header().Set(web.HeaderArticle, strconv.FormatInt(a.ID, 10))
	return s.render(w, http.StatusOK, "article.html", v)
}

// articleView builds the view of a public article page.
func (s *Server) articleView(r *http.Request, a *newsroom.Article) (*articleView, error) {
	ctx := r.Context()
	v := &articleView{
		Page:        s.page(ctx, r, render.Text(string(headlineHTML(a)))),
		ID:          a.ID,
		URL:         s.articlePath(a),
		Kicker:      s.sectionLink(a.PrimaryCategory()),
		Headline:    headlineHTML(a),
		Standfirst:  standfirstHTML(a),
		Published:   a.PublishedAt,
		Body:        template.HTML(s.mediaHTML(a.BodyHTML)), // sanitized at save time by render
		Sources:     a.Sources,
		Corrections: a.Corrections,
		Comments:    a.CommentCount,
		CommentsOn:  a.CommentsOpen,
		Revision:    a.Revision,
		ReportOn:    s.cfg.Reports != nil,
	}
	if a.Language == "en" || a.Language == "ru" {
		v.Lang = a.Language
	}
	v.Description = render.Excerpt(string(standfirstHTML(a)), 300)
	v.Canonical = s.absURL(r, s.articlePath(a))
	s.setArticleAlternates(r, &v.Page, a)
	v.MachineNote = a.MachineTranslated && s.machineNote(ctx)
	v.OG = &openGraph{Type: "article", Title: v.Title, Description: v.Description, URL: v.Canonical}
	if k := v.Kicker; k != nil {
		// The nav marks the top-level section the article belongs to.
		if top := v.topLevel(k.Slug); top != nil {
			v.Current = top.Slug
		}
	}
	if !a.EditedAt.IsZero() && a.EditedAt.After(a.PublishedAt) {
		v.Edited = a.EditedAt
		v.EditedSame = sameDay(a.EditedAt.In(s.loc()), a.PublishedAt.In(s.loc()))
	}
	for _, b := range a.Authors {
		bv := bylineView{Name: b.Name, Label: b.Label}
		if b.Slug != "" {
			bv.URL = s.path("/author/" + b.Slug)
		}
		v.Bylines = append(v.Bylines, bv)
	}
	if img := a.LeadImage; img != nil && img.URL != "" {
		v.Image = newImage(img, sizesFull, false)
		v.Image.High = true
		// The credit line continues the caption ("Photo: caption, credit, source – …"),
		// so a caption's own full stop would stand before a comma.
		v.Caption, v.Credit, v.SourceName = captionHTML(img), img.Credit, img.SourceName
		if newsroom.SafeURL(img.SourceURL) {
			v.SourceURL = img.SourceURL
		}
		if v.OG != nil {
			v.OG.Image = s.absURL(r, img.URL)
			if newsroom.SafeURL(img.URL) && !isRelative(img.URL) {
				v.OG.Image = img.URL
			}
			v.OG.ImageWidth, v.OG.ImageHeight, v.OG.ImageAlt = img.Width, img.Height, img.Alt
		}
	} else if v.OG != nil {
		// No lead picture: the generated share card (card.go).
		v.OG.Image = s.absURL(r, cardURL(a))
		v.OG.ImageWidth, v.OG.ImageHeight, v.OG.ImageAlt = CardWidth, CardHeight, a.Headline
	}
	for _, c := range a.Categories {
		v.Sections = append(v.Sections, *s.sectionLink(&c))
	}
	for _, t := range a.Tags {
		v.Tags = append(v.Tags, navItem{Name: t.Name, URL: s.path("/tag/" + t.Slug), Slug: t.Slug})
	}
	for _, n := range newsroom.Networks {
		c := a.ShareCounts[n]
		v.Shares = append(v.Shares, shareButton{Network: n, Count: c,
			Action: "/share/" + strconv.FormatInt(a.ID, 10) + "/" + n})
		v.ShareTotal += c
	}
	if err := s.related(r, v, a); err != nil {
		return nil, err
	}
	s.articleMeta(r, v, a)
	ld, err := s.articleLD(r, v, a)
	if err != nil {
		return nil, err
	}
	v.JSONLD = ld
	v.MostReadBlock = s.path(pathMostReadBlock)
	return v, nil
}

// captionHTML is the caption as rendered on save (legal markers included),
// or the escaped source for articles saved before captions were rendered,
// trimmed as render.CaptionText trims the source.
func captionHTML(img *newsroom.Image) template.HTML {
	if img.CaptionHTML != "" {
		return template.HTML(render.CaptionText(img.CaptionHTML)) // escaped at save time by render
	}
	return template.HTML(html.EscapeString(render.CaptionText(img.Caption)))
}

// captionText is the caption as plain text, as the page shows it (legal
// markers included), for feeds and structured data.
func captionText(img *newsroom.Image) string {
	if img.CaptionHTML != "" {
		return render.Text(img.CaptionHTML)
	}
	return img.Caption
}

func isRelative(u string) bool { return len(u) > 0 && u[0] == '/' }

// redirectOldPath answers a path that is not a current public article: a
// 301 to the article that once lived there, or not found.
func (s *Server) redirectOldPath(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := s.store.ArticleIDByOldPath(ctx, r.URL.Path)
	if err != nil {
		if newsroom.IsNotFound(err) {
			return errNotFound
		}
		return err
	}
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) || s.articlePath(a) == s.path(r.URL.Path) {
		return errNotFound
	}
	tag(w, articleKey(a.ID))
	http.Redirect(w, r, s.articlePath(a), http.StatusMovedPermanently)
	return nil
}

// handleUnknown answers every path no other route knows: an old article
// path redirects, a bare section name gains its slash, the rest is 404.
func (s *Server) handleUnknown(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errNotFound
	}
	err := s.redirectOldPath(w, r)
	if !newsroom.IsNotFound(err) {
		return err
	}
	if seg := r.URL.Path[1:]; seg != "" && newsroom.ValidSlug(seg) {
		if _, cerr := s.store.CategoryBySlug(r.Context(), seg); cerr == nil {
			tag(w, "category:"+seg)
			http.Redirect(w, r, s.path("/"+seg+"/"), http.StatusMovedPermanently)
			return nil
		}
	}
	return errNotFound
}

// related fills "More in <section>" with up to four other public articles
// from the article's section, then from its top-level section if the
// section alone has too few.
func (s *Server) related(r *http.Request, v *articleView, a *newsroom.Article) error {
	now := s.now()
	seen := map[int64]bool{a.ID: true}
	// Stories sharing tags and sections first (the store ranks them).
	list, err := s.store.Related(r.Context(), a, now, relatedSize)
	if err != nil {
		return err
	}
	for _, m := range list {
		if !seen[m.ID] {
			v.Related = append(v.Related, s.newCard(m, sizesRelated, true))
			seen[m.ID] = true
		}
	}
	// An article with no tags or a lonely section: the parent section's
	// latest fill the block, headed "More in".
	k := v.Kicker
	if len(v.Related) >= relatedSize || k == nil {
		return nil
	}
	slug := k.Slug
	if top := v.topLevel(k.Slug); top != nil {
		slug = top.Slug
	}
	more, _, err := s.store.FindArticles(r.Context(), newsroom.ArticleFilter{PublicAt: &now, Category: slug, Limit: relatedSize + 1, NoTotal: true})
	if err != nil {
		return err
	}
	for _, m := range more {
		if !seen[m.ID] && len(v.Related) < relatedSize {
			v.Related = append(v.Related, s.newCard(m, sizesRelated, true))
			seen[m.ID] = true
			v.RelatedIn = s.sectionLink(v.category(slug))
		}
	}
	return nil
}

// relatedSize is how many related stories an article page shows.
const relatedSize = 4

// articleMeta fills the Open Graph article properties.
func (s *Server) articleMeta(r *http.Request, v *articleView, a *newsroom.Article) {
	if v.OG == nil {
		return
	}
	v.OG.Published = ldTime(a.PublishedAt)
	if a.EditedAt.After(a.PublishedAt) {
		v.OG.Modified = ldTime(a.EditedAt)
	}
	if k := a.PrimaryCategory(); k != nil {
		v.OG.Section = k.NameIn(s.lang)
	}
	for _, t := range a.Tags {
		v.OG.Tags = append(v.OG.Tags, t.Name)
	}
}
