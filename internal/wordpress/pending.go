package wordpress

import "context"

// pages and flushRedirects wait for newsdesk's static pages and stored
// redirects; until then pages are listed as not imported and old links
// are counted only.
func (r *run) pages(ctx context.Context, items []*Item, tick func()) error {
	for _, it := range items {
		tick()
		r.sum.Pages.Skipped++
		r.issue("page", itoa(it.PostID), it.Link, plainText(it.Title), "static pages are not imported by this version")
	}
	return nil
}

func (r *run) flushRedirects(ctx context.Context) error {
	r.redirects = r.redirects[:0]
	return nil
}
