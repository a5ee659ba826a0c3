package wordpress

import (
	"context"
	"sort"
	"strconv"

	"newsdesk/internal/newsroom"
)

// finish writes what depends on everything else: the home page's lead
// and the old links of sections, tags, authors, feeds, dates and files.
func (r *run) finish(ctx context.Context) error {
	if len(r.sticky) > 0 {
		sort.Slice(r.sticky, func(i, j int) bool { return r.sticky[i].at.After(r.sticky[j].at) })
		if !r.opts.DryRun && r.sticky[0].id > 0 {
			if err := r.deps.Store.SetSetting(ctx, newsroom.SettingHomeLead, strconv.FormatInt(r.sticky[0].id, 10)); err != nil {
				return err
			}
		}
	}
	r.termRedirects(r.catTerms)
	r.feedRedirects()
	r.dateRedirects()
	for _, a := range r.atts {
		r.attachmentRedirects(a)
	}
	return r.flushRedirects(ctx)
}
