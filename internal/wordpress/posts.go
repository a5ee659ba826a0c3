package wordpress

import (
	"context"
	"html"
	"sort"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// skippedTypes are item types that carry no content of their own.
var skippedTypes = map[string]string{
	"revision": "a revision", "nav_menu_item": "a menu entry", "custom_css": "the theme's CSS",
	"customize_changeset": "a theme change", "oembed_cache": "a cached embed", "wp_global_styles": "theme styles",
	"wp_template": "a theme template", "wp_template_part": "a theme template", "wp_navigation": "a menu",
	"user_request": "a privacy request", "wp_font_family": "a font", "wp_font_face": "a font",
}

// passPosts reads the files again for posts and pages. Posts are brought
// in as they come (memory holds one); pages, a few dozen on any site, are
// kept until the end so that parents come before their children.
func (r *run) passPosts(ctx context.Context) error {
	total := r.counts["post"] + r.counts["page"]
	done := 0
	var pages []*Item
	r.report("posts", 0, total, true)
	err := r.each(ctx, func(f File, ev Event) error {
		it := ev.Item
		if it == nil {
			return nil
		}
		switch it.Type {
		case "post":
			done++
			if err := r.post(ctx, it); err != nil {
				return err
			}
			r.report("posts", done, total, false)
		case "page":
			pages = append(pages, it)
		case "nav_menu_item":
			// A menu entry for a page puts the page in the footer menu.
			if it.MetaValue("_menu_item_object") == "page" {
				if id := atoi64(it.MetaValue("_menu_item_object_id")); id != 0 {
					if _, ok := r.menu[id]; !ok {
						r.menu[id] = it.MenuOrder
					}
				}
			}
		case "attachment", "guest-author":
			// brought in by the first pass
		case "wp_block":
			r.sum.Unknown["reusable block (wp_block)"]++
			r.issue("wp_block", itoa(it.PostID), it.Link, plainText(it.Title), "a reusable block: posts that use it show its markup for an editor to replace")
		default:
			if _, ok := skippedTypes[it.Type]; !ok {
				r.sum.Unknown["post type "+it.Type]++
				r.issue(it.Type, itoa(it.PostID), it.Link, plainText(it.Title), "items of type \""+it.Type+"\" are not imported")
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := r.pages(ctx, pages, func() {
		done++
		r.report("posts", done, total, false)
	}); err != nil {
		return err
	}
	r.report("posts", total, total, true)
	return nil
}

// status maps a WordPress status to ours; ok is false for items that are
// not imported (trash, auto-drafts, revisions).
func (r *run) status(it *Item, at time.Time) (newsroom.Status, bool) {
	switch it.Status {
	case "publish":
		return newsroom.Published, true
	case "future":
		if at.After(r.now()) {
			return newsroom.Scheduled, true
		}
		return newsroom.Published, true // its time came while the site was moving
	case "draft":
		return newsroom.Draft, true
	case "pending":
		return newsroom.Review, true
	case "private":
		return newsroom.Unpublished, true
	case "trash", "auto-draft", "inherit":
		return "", false
	}
	return newsroom.Draft, true
}

// postDigest is what a post was, without its comments (each comment is
// remembered on its own).
func postDigest(it *Item) string {
	c := *it
	c.Comments = nil
	return digest(&c)
}

// post brings in one post, its comments and its old links.
func (r *run) post(ctx context.Context, it *Item) error {
	id := itoa(it.PostID)
	batch := &newsroom.ImportBatch{Site: r.site}
	title := headline(it)
	at := r.when(it.PostDateGMT, it.PostDate)
	status, ok := r.status(it, at)
	if !ok {
		r.sum.Posts.Skipped++
		return nil
	}
	// The digest covers what the post became, too: a picture that arrives
	// in a later run changes the body, and the post is updated.
	next, conv := r.article(it, title, status, at)
	lead := ""
	if next.LeadImage != nil {
		lead = next.LeadImage.URL
	}
	d := digest(postDigest(it), next.Body, lead)
	r.noteConversion("post", it, conv)
	old, err := r.deps.Store.ImportedItem(ctx, r.site, "post", id)
	if err != nil && !newsroom.IsNotFound(err) {
		return err
	}
	var a *newsroom.Article
	if old != nil {
		a, err = r.deps.Store.ArticleByID(ctx, old.LocalID)
		if err != nil && !newsroom.IsNotFound(err) {
			return err
		}
	}
	if a != nil && old.Digest == d {
		r.sum.Posts.Unchanged++
		if a.Status != newsroom.Published {
			r.sum.Drafts++
		}
	} else {
		if a == nil {
			if err := r.createArticle(ctx, it, next); err != nil {
				return err
			}
		} else {
			if err := r.updateArticle(ctx, it, a, next); err != nil {
				return err
			}
		}
		if next.ID == 0 {
			return nil // failed, and listed
		}
		a = next
		if a.Status != newsroom.Published {
			r.sum.Drafts++
		}
		// The post's ledger record is written with its comments, in one
		// transaction.
		batch.Records = append(batch.Records, newsroom.ImportedItem{Kind: "post", SourceID: id, LocalID: a.ID, Digest: d})
	}
	if it.Sticky == 1 && a.Status == newsroom.Published {
		r.sticky = append(r.sticky, stickyPost{id: a.ID, at: a.PublishedAt})
	}
	r.postRedirects(it, a)
	if err := r.comments(ctx, it, a, batch); err != nil {
		return err
	}
	return r.writeBatch(ctx, it, batch)
}

// writeBatch stores one post's ledger records and new comments in one
// transaction. Should that fail, they are written one by one, so that
// one bad comment is listed and the rest (and the post's own record, which
// keeps the next run from bringing the post in twice) are kept.
func (r *run) writeBatch(ctx context.Context, it *Item, b *newsroom.ImportBatch) error {
	if r.opts.DryRun || len(b.Records)+len(b.Comments) == 0 {
		return nil
	}
	if err := r.deps.Store.ImportBatch(ctx, b); err == nil {
		r.sum.Comments.Imported += len(b.Comments)
		return nil
	} else if ctx.Err() != nil {
		return err
	}
	for _, rec := range b.Records {
		if err := r.record(ctx, rec.Kind, rec.SourceID, rec.LocalID, rec.Digest, rec.Email); err != nil {
			return err
		}
	}
	for _, ci := range b.Comments {
		c := ci.Comment
		c.ID, c.Depth = 0, 0
		if ci.Parent > 0 {
			c.ParentID = b.Comments[ci.Parent-1].Comment.ID // 0 if that one failed: the reply stands alone
		}
		if err := r.deps.Store.ImportComment(ctx, c); err != nil {
			c.ID = 0
			r.sum.Comments.Failed++
			r.issue("comment", ci.SourceID, it.Link+"#comment-"+ci.SourceID, c.Name, "not imported: "+errText(err))
			continue
		}
		r.sum.Comments.Imported++
		if err := r.record(ctx, "comment", ci.SourceID, c.ID, ci.Digest, ""); err != nil {
			return err
		}
	}
	return nil
}

// headline is the item's title as plain text.
func headline(it *Item) string {
	t := strings.TrimSpace(render.Text(it.Title))
	if t == "" {
		t = strings.TrimSpace(html.UnescapeString(it.Title))
	}
	return truncateRunes(t, newsroom.MaxHeadline)
}

// article maps a post to an article (not yet stored).
func (r *run) article(it *Item, title string, status newsroom.Status, at time.Time) (*newsroom.Article, *converter) {
	conv := r.converter()
	body := conv.Convert(it.Content())
	a := &newsroom.Article{
		Slug:         slugFrom(it.Name, title),
		Status:       status,
		Headline:     title,
		Standfirst:   truncateRunes(plainText(it.Excerpt()), newsroom.MaxStandfirst),
		Body:         body,
		Language:     r.lang,
		CommentsOpen: it.CommentStatus == "open",
	}
	if a.Headline == "" {
		a.Headline = "Untitled (WordPress post " + itoa(it.PostID) + ")"
		r.issue("post", itoa(it.PostID), it.Link, "", "the post has no title; it was given \""+a.Headline+"\"")
	}
	switch status {
	case newsroom.Published, newsroom.Unpublished:
		a.PublishedAt = at
	case newsroom.Scheduled:
		a.ScheduledAt = at
		a.PublishedAt = at
	}
	if it.Password != "" {
		a.Status = newsroom.Unpublished
		r.issue("post", itoa(it.PostID), it.Link, title, "password-protected on the old site; imported as not public")
	}
	a.Authors = r.bylines(it)
	seenCat := map[int64]bool{}
	for _, t := range it.Terms {
		switch t.Domain {
		case "category":
			if c, ok := r.cats[t.Nicename]; ok && !seenCat[c.ID] {
				seenCat[c.ID] = true
				a.Categories = append(a.Categories, newsroom.Category{ID: c.ID, Slug: c.Slug})
			}
		case "post_tag":
			tg, ok := r.tags[t.Nicename]
			if !ok {
				// A tag only the post names (exports from some plugins).
				if err := r.tag(context.Background(), "", t.Nicename, t.Name, t); err == nil {
					tg, ok = r.tags[t.Nicename]
				}
			}
			if ok && !containsTag(a.Tags, tg.ID) {
				a.Tags = append(a.Tags, newsroom.Tag{ID: tg.ID, Slug: tg.Slug})
			}
		}
	}
	if thumb := atoi64(it.MetaValue("_thumbnail_id")); thumb != 0 {
		if att, ok := r.atts[thumb]; ok && att.item != nil {
			img := att.item.Image()
			if img.Alt == "" {
				img.Alt = firstNonEmpty(att.caption, att.title, title)
			}
			a.LeadImage = img
		} else if ok && r.opts.DryRun && att.ref.URL != "" {
			a.LeadImage = &newsroom.Image{URL: "/media/dry-run.jpg", Alt: "dry run"}
		} else {
			conv.Missing = append(conv.Missing, "featured image (attachment "+itoa(thumb)+")")
		}
	}
	if len(a.Body) > newsroom.MaxBody {
		a.Body = a.Body[:newsroom.MaxBody]
		r.issue("post", itoa(it.PostID), it.Link, title, "the body is longer than newsdesk keeps; it was cut")
	}
	return a, conv
}

func containsTag(ts []newsroom.Tag, id int64) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func (r *run) converter() *converter {
	return &converter{Image: r.imageFor, Attachment: r.attachmentRef, File: r.fileFor, OldHost: r.host}
}

// noteConversion lists what the converter kept for a person.
func (r *run) noteConversion(kind string, it *Item, c *converter) {
	for _, u := range c.Unknown {
		r.sum.Unknown[u]++
		r.issue(kind, itoa(it.PostID), it.Link, plainText(it.Title), "kept for an editor: "+u)
	}
	for _, m := range c.Missing {
		r.issue(kind, itoa(it.PostID), it.Link, plainText(it.Title), "picture not found: "+m)
	}
}

// bylines are the post's authors: Co-Authors Plus's list when there is
// one, else the post's author.
func (r *run) bylines(it *Item) []newsroom.Byline {
	var out []newsroom.Byline
	seen := map[int64]bool{}
	add := func(login string) {
		if b, ok := r.authors[login]; ok && !seen[b.AuthorID] {
			seen[b.AuthorID] = true
			out = append(out, newsroom.Byline{AuthorID: b.AuthorID, Slug: b.Slug})
		}
	}
	for _, t := range it.Terms {
		if t.Domain == "author" {
			before := len(out)
			add(strings.TrimPrefix(t.Nicename, "cap-"))
			if len(out) == before {
				add(strings.TrimSpace(t.Name))
			}
		}
	}
	if len(out) == 0 {
		add(strings.TrimSpace(it.Creator))
	}
	return out
}

// createArticle stores a new article; a slug taken by another article
// gets the WordPress id added, and is listed.
func (r *run) createArticle(ctx context.Context, it *Item, a *newsroom.Article) error {
	if r.opts.DryRun {
		if _, err := r.deps.Store.ArticleBySlug(ctx, a.Slug); err == nil {
			r.issue("post", itoa(it.PostID), it.Link, a.Headline, "the slug \""+a.Slug+"\" is taken; it would be \""+a.Slug+"-"+itoa(it.PostID)+"\"")
		}
		a.ID = r.nextFakeID()
		r.sum.Posts.Imported++
		return nil
	}
	err := r.deps.Editorial.Create(ctx, r.user, a)
	if newsroom.ErrorCode(err) == newsroom.Conflict && newsroom.AsError(err).Field == "slug" {
		taken := a.Slug
		a.Slug = strings.Trim(truncateRunes(taken, newsroom.MaxSlug-12), "-") + "-" + itoa(it.PostID)
		r.issue("post", itoa(it.PostID), it.Link, a.Headline, "the slug \""+taken+"\" was taken; this post is at \""+a.Slug+"\"")
		err = r.deps.Editorial.Create(ctx, r.user, a)
	}
	if err != nil {
		r.sum.Posts.Failed++
		a.ID = 0
		r.issue("post", itoa(it.PostID), it.Link, a.Headline, "not imported: "+errText(err))
		return nil
	}
	r.sum.Posts.Imported++
	return nil
}

// updateArticle brings a later export's version of a post over the one
// imported before.
func (r *run) updateArticle(ctx context.Context, it *Item, prev, next *newsroom.Article) error {
	if r.opts.DryRun {
		next.ID = prev.ID
		r.sum.Posts.Updated++
		return nil
	}
	saved, err := r.deps.Editorial.Update(ctx, r.user, prev.ID, prev.Revision, func(a *newsroom.Article) error {
		a.Headline, a.Standfirst, a.Body = next.Headline, next.Standfirst, next.Body
		a.Status, a.PublishedAt, a.ScheduledAt = next.Status, next.PublishedAt, next.ScheduledAt
		a.Authors, a.Categories, a.Tags = next.Authors, next.Categories, next.Tags
		a.CommentsOpen = next.CommentsOpen
		if next.LeadImage != nil {
			a.LeadImage = next.LeadImage
		}
		return nil
	})
	if err != nil {
		r.sum.Posts.Failed++
		next.ID = 0
		r.issue("post", itoa(it.PostID), it.Link, next.Headline, "not updated: "+errText(err))
		return nil
	}
	*next = *saved
	r.sum.Posts.Updated++
	return nil
}

// comments brings in a post's comments, parents before replies, with
// their status, dates, names and websites. Staff comments (written by a
// user of the old site) are marked as the newsroom's; e-mail addresses
// are kept privately as for our own comments. New comments go into the
// post's batch; the ledger is read once for all of them.
func (r *run) comments(ctx context.Context, it *Item, a *newsroom.Article, batch *newsroom.ImportBatch) error {
	if len(it.Comments) == 0 {
		return nil
	}
	cs := append([]WPComment(nil), it.Comments...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = itoa(c.ID)
	}
	ledger, err := r.deps.Store.ImportedItemsOf(ctx, r.site, "comment", ids)
	if err != nil {
		return err
	}
	cb := &commentBatch{batch: batch, ledger: ledger, local: map[int64]int64{}, inBatch: map[int64]int{}}
	done := func(id int64) bool { _, ok := cb.local[id]; _, ok2 := cb.inBatch[id]; return ok || ok2 }
	pending := cs
	for round := 0; len(pending) > 0 && round < 8; round++ {
		var later []WPComment
		for _, c := range pending {
			if c.Parent != 0 && !done(c.Parent) && containsComment(pending, c.Parent) {
				later = append(later, c) // its parent comes later in the file
				continue
			}
			if err := r.comment(ctx, it, a, c, cb); err != nil {
				return err
			}
		}
		if len(later) == len(pending) {
			for _, c := range later { // a loop of parents: bring them in flat
				c.Parent = 0
				if err := r.comment(ctx, it, a, c, cb); err != nil {
					return err
				}
			}
			break
		}
		pending = later
	}
	return nil
}

// commentBatch is what one post's comments know of each other while they
// are brought in.
type commentBatch struct {
	batch   *newsroom.ImportBatch
	ledger  map[string]newsroom.ImportedItem
	local   map[int64]int64 // WordPress comment id → ours, for comments stored before
	inBatch map[int64]int   // WordPress comment id → 1-based position in the batch
}

func containsComment(cs []WPComment, id int64) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}

func commentStatus(s string) (newsroom.CommentStatus, bool) {
	switch strings.TrimSpace(s) {
	case "1", "approve", "approved":
		return newsroom.CommentApproved, true
	case "0", "hold":
		return newsroom.CommentPending, true
	case "spam":
		return newsroom.CommentSpam, true
	case "trash", "post-trashed":
		return newsroom.CommentTrash, true
	}
	return "", false
}

func (r *run) comment(ctx context.Context, it *Item, a *newsroom.Article, c WPComment, cb *commentBatch) error {
	id := itoa(c.ID)
	if c.Type == "pingback" || c.Type == "trackback" {
		r.sum.Comments.Skipped++
		return nil
	}
	status, ok := commentStatus(c.Approved)
	if !ok {
		r.sum.Comments.Skipped++
		r.issue("comment", id, it.Link+"#comment-"+id, c.Author, "unknown comment status \""+c.Approved+"\"")
		return nil
	}
	d := digest(c)
	body := htmlToText(c.Content)
	if old, ok := cb.ledger[id]; ok {
		cur, err := r.deps.Store.CommentByID(ctx, old.LocalID)
		if err == nil {
			cb.local[c.ID] = cur.ID
			if old.Digest == d {
				r.sum.Comments.Unchanged++
				return nil
			}
			if !r.opts.DryRun {
				cur.Body, cur.BodyHTML = body, r.deps.RenderComment(body)
				cur.Name, cur.Website = commentName(c.Author), commentWebsite(c.AuthorURL)
				if err := r.deps.Store.UpdateComment(ctx, cur); err != nil {
					return err
				}
				if cur.Status != status {
					if _, err := r.deps.Store.SetCommentStatus(ctx, []int64{cur.ID}, status); err != nil {
						return err
					}
				}
			}
			r.sum.Comments.Updated++
			cb.batch.Records = append(cb.batch.Records, newsroom.ImportedItem{Kind: "comment", SourceID: id, LocalID: cur.ID, Digest: d})
			return nil
		} else if !newsroom.IsNotFound(err) {
			return err
		}
	}
	if r.opts.DryRun || a.ID < 0 {
		cb.local[c.ID] = r.nextFakeID()
		r.sum.Comments.Imported++
		return nil
	}
	nc := &newsroom.Comment{
		ArticleID: a.ID, ParentID: cb.local[c.Parent], Status: status,
		Name: commentName(c.Author), Email: truncateRunes(strings.TrimSpace(c.AuthorEmail), 254),
		Website: commentWebsite(c.AuthorURL), Body: body, BodyHTML: r.deps.RenderComment(body),
		IP: truncateRunes(strings.TrimSpace(c.AuthorIP), 64), Staff: c.UserID != 0,
		CreatedAt: r.when(c.DateGMT, c.Date),
	}
	if nc.Body == "" {
		nc.Body, nc.BodyHTML = "…", r.deps.RenderComment("…")
	}
	parent := cb.inBatch[c.Parent]
	if parent > 0 {
		nc.ParentID = 0
	}
	cb.batch.Comments = append(cb.batch.Comments, newsroom.CommentImport{Comment: nc, Parent: parent, SourceID: id, Digest: d})
	cb.inBatch[c.ID] = len(cb.batch.Comments)
	return nil
}

func commentName(s string) string {
	s = strings.TrimSpace(html.UnescapeString(s))
	if s == "" {
		return "Anonymous"
	}
	return truncateRunes(s, 200)
}

func commentWebsite(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || s == "http://" || !newsroom.SafeURL(s) || !strings.HasPrefix(strings.ToLower(s), "http") {
		return ""
	}
	return truncateRunes(s, 500)
}
