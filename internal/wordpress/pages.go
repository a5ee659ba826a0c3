package wordpress

import (
	"context"
	"sort"
	"strings"

	"newsdesk/internal/newsroom"
)

// PageService saves static pages (package pages): it checks who may,
// renders the body and keeps a moved page's old address.
type PageService interface {
	Create(ctx context.Context, u *newsroom.User, p *newsroom.Page) error
	Update(ctx context.Context, u *newsroom.User, id int64, change func(p *newsroom.Page) error) (*newsroom.Page, error)
}

// pages brings in the static pages, parents before their children, in
// the old site's footer menu if it listed them there.
func (r *run) pages(ctx context.Context, items []*Item, tick func()) error {
	byID := map[int64]*Item{}
	for _, it := range items {
		byID[it.PostID] = it
	}
	depth := func(it *Item) int {
		d := 0
		for p := byID[it.Parent]; p != nil && d < 10; p = byID[p.Parent] {
			d++
		}
		return d
	}
	sort.SliceStable(items, func(i, j int) bool { return depth(items[i]) < depth(items[j]) })
	local := map[int64]int64{} // WordPress page id → ours
	for _, it := range items {
		tick()
		if err := r.page(ctx, it, local); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) page(ctx context.Context, it *Item, local map[int64]int64) error {
	id := itoa(it.PostID)
	title := headline(it)
	var status newsroom.Status
	switch it.Status {
	case "publish":
		status = newsroom.Published
	case "trash", "auto-draft", "inherit":
		r.sum.Pages.Skipped++
		return nil
	default: // draft, pending, private, future: pages are drafts or published
		status = newsroom.Draft
	}
	if it.Password != "" {
		status = newsroom.Draft
		r.issue("page", id, it.Link, title, "password-protected on the old site; imported as a draft")
	}
	if r.deps.Pages == nil {
		r.sum.Pages.Skipped++
		r.issue("page", id, it.Link, title, "not imported: no static pages service")
		return nil
	}
	conv := r.converter()
	body := conv.Convert(it.Content())
	r.noteConversion("page", it, conv)
	d := digest(postDigest(it), body)
	old, err := r.deps.Store.ImportedItem(ctx, r.site, "page", id)
	if err != nil && !newsroom.IsNotFound(err) {
		return err
	}
	var cur *newsroom.Page
	if old != nil {
		if cur, err = r.deps.Store.PageByID(ctx, old.LocalID); err != nil && !newsroom.IsNotFound(err) {
			return err
		}
	}
	if status != newsroom.Published {
		r.sum.Drafts++
	}
	if cur != nil && old.Digest == d {
		local[it.PostID] = cur.ID
		r.sum.Pages.Unchanged++
		if cur.IsPublic() {
			r.pageRedirects(it, cur.Path)
		}
		return nil
	}
	p := &newsroom.Page{
		ParentID: local[it.Parent], Slug: slugFrom(it.Name, title), Title: title,
		Body: body, Status: status,
	}
	if p.Title == "" {
		p.Title = "Untitled (WordPress page " + id + ")"
	}
	if pos, ok := r.menu[it.PostID]; ok {
		p.InMenu, p.MenuPosition = true, pos
	}
	if len(p.Body) > newsroom.MaxBody {
		p.Body = p.Body[:newsroom.MaxBody]
		r.issue("page", id, it.Link, title, "the body is longer than newsdesk keeps; it was cut")
	}
	if it.Parent != 0 && p.ParentID == 0 {
		r.issue("page", id, it.Link, title, "its parent page ("+itoa(it.Parent)+") was not imported; it is a top-level page")
	}
	switch {
	case r.opts.DryRun:
		p.ID = r.nextFakeID()
		if cur != nil {
			p.ID = cur.ID
			r.sum.Pages.Updated++
		} else {
			r.sum.Pages.Imported++
		}
	case cur != nil:
		saved, err := r.deps.Pages.Update(ctx, r.user, cur.ID, func(np *newsroom.Page) error {
			np.Title, np.Body, np.Status, np.ParentID = p.Title, p.Body, p.Status, p.ParentID
			return nil
		})
		if err != nil {
			r.sum.Pages.Failed++
			r.issue("page", id, it.Link, title, "not updated: "+errText(err))
			return nil
		}
		p = saved
		r.sum.Pages.Updated++
	default:
		err := r.deps.Pages.Create(ctx, r.user, p)
		if e := newsroom.AsError(err); e != nil && e.Field == "slug" && (e.Code == newsroom.Conflict || e.Code == newsroom.Invalid) {
			taken := p.Slug
			p.Slug = strings.Trim(truncateRunes(taken, newsroom.MaxSlug-12), "-") + "-page"
			if e.Code == newsroom.Conflict {
				p.Slug = strings.Trim(truncateRunes(taken, newsroom.MaxSlug-12), "-") + "-" + id
			}
			r.issue("page", id, it.Link, title, "the address \""+taken+"\" is taken or reserved; this page is at \""+p.Slug+"\"")
			err = r.deps.Pages.Create(ctx, r.user, p)
		}
		if err != nil {
			r.sum.Pages.Failed++
			r.issue("page", id, it.Link, title, "not imported: "+errText(err))
			return nil
		}
		r.sum.Pages.Imported++
	}
	local[it.PostID] = p.ID
	if p.Path != "" && status == newsroom.Published {
		r.pageRedirects(it, p.Path)
	}
	return r.record(ctx, "page", id, p.ID, d, "")
}

// flushRedirects stores the old links in batches. A link that would not
// be a valid redirect is listed; one that already has a redirect (a
// second run, or an editor's) is left as it is.
func (r *run) flushRedirects(ctx context.Context) error {
	seen := map[string]bool{}
	var batch []newsroom.Redirect
	r.report("redirects", 0, len(r.redirects), true)
	flush := func() error {
		for len(batch) > 0 {
			if r.opts.DryRun {
				r.sum.Redirects += len(batch)
				batch = batch[:0]
				return nil
			}
			n, err := r.deps.Store.AddRedirects(ctx, batch)
			if err == nil {
				r.sum.Redirects += n
				batch = batch[:0]
				return nil
			}
			// One link would make a loop with others: list it, try the rest.
			e := newsroom.AsError(err)
			var i int
			if e == nil || !strings.HasPrefix(e.Field, "redirects[") {
				return err
			}
			if _, serr := fmtSscanf(e.Field, &i); serr != nil || i < 0 || i >= len(batch) {
				return err
			}
			r.issue("redirect", "", batch[i].From, "", "old link not kept: "+e.Message+" (to "+batch[i].To+")")
			batch = append(batch[:i], batch[i+1:]...)
		}
		return nil
	}
	for i, rd := range r.redirects {
		red := newsroom.Redirect{From: rd.from, To: rd.to, Source: newsroom.RedirectWordPress}
		if err := red.Normalize(); err != nil {
			r.issue("redirect", "", rd.from, "", "old link not kept: "+errText(err))
			continue
		}
		if seen[red.From] {
			continue
		}
		seen[red.From] = true
		batch = append(batch, red)
		if len(batch) == 500 {
			if err := flush(); err != nil {
				return err
			}
			r.report("redirects", i+1, len(r.redirects), false)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	r.report("redirects", len(r.redirects), len(r.redirects), true)
	r.redirects = nil
	return nil
}
