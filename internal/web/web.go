// Package web is newsdesk's HTTP edge, shared by the site, the desk and the
// API: who the client is, how an error becomes a response, how a JSON body
// is read within its limit, and the names of the cookies and headers the
// surfaces agree on. It imports only the standard library and newsroom.
package web

// Cookies newsdesk sets. main hands them to the packages that only look for
// them (the page cache and the view counter).
const (
	// SessionCookie is the desk's session. A request carrying it is staff:
	// the page cache and the view counter pass it by.
	SessionCookie = "nd_session"
	// PendingCommentsCookie lets a reader see their own comments while they
	// await moderation; pages for a request carrying it are not cached.
	PendingCommentsCookie = "nd_comments"
	// RememberCookie keeps a commenter's name, e-mail and website.
	RememberCookie = "nd_commenter"
)

// Headers newsdesk reads or writes beyond the standard ones.
const (
	// HeaderKeys lists, space-separated, the change keys a public response
	// depends on; the page cache reads it and it never leaves the server.
	HeaderKeys = "X-Newsdesk-Keys"
	// HeaderArticle is the id of the article a page shows, for view counts;
	// it never leaves the server either.
	HeaderArticle = "X-Newsdesk-Article"
	// HeaderCSRF carries the desk session's CSRF token from scripts.
	HeaderCSRF = "X-CSRF-Token"
	// HeaderForwardedFor and HeaderRealIP are read only with --trust-proxy.
	HeaderForwardedFor = "X-Forwarded-For"
	HeaderRealIP       = "X-Real-IP"
	// HeaderForwardedProto is the scheme the client used with the proxy
	// in front ("https"), read only with --trust-proxy.
	HeaderForwardedProto = "X-Forwarded-Proto"
	// HeaderRetryAfter says, in whole seconds, when a refused request may
	// be sent again.
	HeaderRetryAfter = "Retry-After"
)
