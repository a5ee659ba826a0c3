package main

import (
	"context"
	"net/http"

	"newsdesk/internal/sqlstore"
	"newsdesk/internal/web"
)

// openReplica connects the store to --db-read; a replica that cannot be
// reached at start is the operator's mistake (exit status 2).
func (a *app) openReplica(ctx context.Context) error {
	if a.cfg.Nodes.DBRead == "" {
		return nil
	}
	if err := a.store.OpenReplica(ctx, a.cfg.Nodes.DBRead); err != nil {
		return usagef("--db-read (NEWSDESK_DB_READ) %s: %v", redactDSN(a.cfg.Nodes.DBRead), err)
	}
	a.log.Info("public reads from the replica", "replica", redactDSN(a.cfg.Nodes.DBRead))
	return nil
}

// publicReads marks the requests whose reads may come from the read
// replica: GET and HEAD of the public site from a reader with neither a
// session nor comments awaiting moderation (those see pages of their
// own, right after their own writes). The desk and the API are not
// behind it; the store itself keeps reads on the primary right after a
// change and while the replica is behind or away.
func publicReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if _, err := r.Cookie(web.SessionCookie); err != nil {
				if _, err := r.Cookie(web.PendingCommentsCookie); err != nil {
					r = r.WithContext(sqlstore.PublicRead(r.Context()))
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
