package main

import (
	"context"

	"newsdesk/internal/comments"
	"newsdesk/internal/desk"
	"newsdesk/internal/editorial"
	"newsdesk/internal/media"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/pages"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/wordpress"
)

// deskImport is the desk's Import page's way into the WordPress importer:
// the same dependencies as `newsdesk import wordpress`, acting as the
// signed-in administrator.
func deskImport(st *sqlstore.Store, ed *editorial.Service, pg *pages.Service, lib *media.Library, now newsroom.Clock) desk.ImportFunc {
	return func(ctx context.Context, u *newsroom.User, opts wordpress.Options, progress func(wordpress.Progress)) (*wordpress.Summary, error) {
		deps := wordpress.Deps{Store: st, Editorial: ed, Pages: pg, Media: lib, RenderComment: comments.Render, User: u, Now: now}
		return wordpress.Import(ctx, deps, opts, progress)
	}
}
