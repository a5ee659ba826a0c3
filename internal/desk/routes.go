package desk

import (
	"net/http"

	"newsdesk/internal/newsroom"
)

// registerRoutes registers every desk route with its access rule, and the
// nav counts. Keep them all here; features add their lines below theirs.
func (s *Server) registerRoutes() {
	// Reachable without a session.
	s.route("GET /desk", Public, func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, "/desk/", http.StatusMovedPermanently)
		return nil
	})
	s.route("GET /desk/assets/{name}", Public, s.handleAsset)
	s.route("GET /desk/signin", Public, s.handleSignInForm)
	s.route("POST /desk/signin", Public, s.handleSignIn)
	s.route("GET /desk/invite/{token}", Public, s.handleInviteForm)
	s.route("POST /desk/invite/{token}", Public, s.handleInviteAccept)
	s.route("POST /desk/signin/code", Public, s.handleSignInCode)
	s.route("GET /desk/forgot", Public, s.handleForgotForm)
	s.route("POST /desk/forgot", Public, s.handleForgot)
	s.route("GET /desk/reset/{token}", Public, s.handleResetForm)
	s.route("POST /desk/reset/{token}", Public, s.handleReset)

	// Every member of staff.
	s.route("GET /desk/{$}", Staff, s.handleFront)
	s.route("GET /desk/front.csv", Staff, s.handleFrontCSV)
	s.route("POST /desk/signout", Staff, s.handleSignOut)
	s.route("GET /desk/password", Staff, s.handlePasswordForm)
	s.route("POST /desk/password", Staff, s.handlePassword)

	// Stories.
	s.route("GET /desk/stories", Writers, s.handleStories)
	s.route("GET /desk/articles/new", Writers, s.handleNewArticle)
	s.route("POST /desk/articles", Writers, s.handleCreateArticle)
	s.route("GET /desk/articles/{id}", Writers, s.handleEditArticle)
	s.route("POST /desk/articles/{id}", Writers, s.handleSaveArticle)
	s.route("POST /desk/articles/{id}/autosave", Writers, s.handleAutosave)
	s.route("POST /desk/articles/{id}/presence", Writers, s.handlePresence) // presence.go
	s.route("POST /desk/articles/{id}/pending/discard", Writers, s.handleDiscardPending)
	s.route("GET /desk/articles/{id}/preview", Writers, s.handleStoredPreview)
	s.route("POST /desk/preview", Writers, s.handlePreview)
	s.route("GET /desk/articles/{id}/revisions", Writers, s.handleRevisions)
	s.route("POST /desk/articles/{id}/revisions/{n}/restore", Writers, s.handleRestoreRevision)
	s.route("POST /desk/articles/{id}/corrections", Editors, s.handleAddCorrection)
	s.route("POST /desk/articles/{id}/trash", Writers, s.handleTrash)
	s.route("POST /desk/articles/{id}/restore", Writers, s.handleRestore)
	s.route("POST /desk/stories/bulk", Writers, s.handleStoriesBulk)
	s.route("POST /desk/articles/{id}/quick", Writers, s.handleQuickEdit)
	s.route("GET /desk/activity", Editors, s.handleActivity)
	s.route("GET /desk/articles/{id}/stats", Writers, s.handleStoryStats)
	s.route("GET /desk/articles/{id}/stats.csv", Writers, s.handleStoryStatsCSV)
	// Translations and the glossary (languages.go).
	if s.cfg.Translate != nil {
		s.route("POST /desk/articles/{id}/translate", Writers, s.handleTranslate)
		s.route("POST /desk/articles/{id}/machine-translate", Writers, s.handleMachineTranslate)
		s.route("GET /desk/glossary", Writers, s.handleGlossary)
		s.route("POST /desk/glossary", Editors, s.handleSaveGlossary)
		s.route("POST /desk/glossary/{id}", Editors, s.handleSaveGlossary)
		s.route("POST /desk/glossary/{id}/delete", Editors, s.handleDeleteGlossary)
	}
	s.navCount("review", s.countStatus(newsroom.Review))
	s.navCount("scheduled", s.countStatus(newsroom.Scheduled))

	// Readers' error reports.
	if s.cfg.Reports != nil {
		s.route("GET /desk/error-reports", Moderators, s.handleErrorReports)
		s.route("POST /desk/error-reports/{id}/apply", Moderators, s.handleApplyReport)
		s.route("POST /desk/error-reports/{id}/status", Moderators, s.handleReportStatus)
		s.navCount("error-reports", s.openReports)
	}

	// People and settings.
	s.route("GET /desk/people", Admins, s.handlePeople)
	s.route("POST /desk/people/invites", Admins, s.handleCreateInvite)
	s.route("POST /desk/people/invites/{id}/revoke", Admins, s.handleRevokeInvite)
	s.route("POST /desk/people/invites/{id}/resend", Admins, s.handleResendInvite)
	s.route("POST /desk/people/{id}/disable", Admins, s.handleSetDisabled(true))
	s.route("POST /desk/people/{id}/enable", Admins, s.handleSetDisabled(false))
	s.route("POST /desk/people/{id}/role", Admins, s.handleSetRole)
	// A person's own page (account.go): themselves or an admin; anyone
	// else gets 404.
	s.route("GET /desk/me", Staff, s.handleMe)
	s.route("GET /desk/twofactor", Staff, s.handleTwoFactor)
	s.route("POST /desk/twofactor/enable", Staff, s.handleEnableTwoFactor)
	s.route("POST /desk/twofactor/disable", Staff, s.handleDisableTwoFactor)
	s.route("GET /desk/people/{id}", Staff, s.handleAccount)
	s.route("POST /desk/people/{id}/sessions/end", Staff, s.handleEndSessions)
	s.route("POST /desk/people/tokens/{id}/revoke", Staff, s.handleRevokeToken)
	s.route("GET /desk/settings", Admins, s.handleSettings)
	s.route("POST /desk/settings", Admins, s.handleSaveSettings)

	// Comments (comments.go): the moderation queue and its settings.
	if s.cfg.Comments != nil {
		s.route("GET /desk/comments", Moderators, s.handleComments)
		s.route("POST /desk/comments/bulk", Moderators, s.handleCommentsBulk)
		s.route("POST /desk/comments/{id}/{action}", Moderators, s.handleCommentAction)
		s.route("GET /desk/comments/{id}/edit", Moderators, s.handleCommentEditForm)
		s.route("POST /desk/comments/{id}/edit", Moderators, s.handleCommentEdit)
		s.route("GET /desk/comments/{id}/reply", Moderators, s.handleCommentReplyForm)
		s.route("POST /desk/comments/{id}/reply", Moderators, s.handleCommentReply)
		s.route("GET /desk/comments/settings", Editors, s.handleCommentSettings)
		s.route("POST /desk/comments/settings", Editors, s.handleSaveCommentSettings)
		s.navCount("comments", s.countPending)
	}

	// Media library (media.go): every writer uploads and uses pictures.
	s.list("/desk/media", Writers, s.handleMedia, s.handleUpload, s.handleMediaItem, s.handleSaveMediaItem)

	// Sections, tags and author profiles (taxonomy.go): editors and admins.
	s.list("/desk/sections", Editors, s.handleSections, s.handleCreateSection, s.handleSection, s.handleSaveSection)
	s.list("/desk/tags", Editors, s.handleTags, nil, s.handleTag, s.handleSaveTag) // tags are made by saving stories
	s.route("POST /desk/tags/merge", Editors, s.handleMergeTags)
	s.list("/desk/authors", Editors, s.handleAuthors, s.handleCreateAuthor, s.handleAuthor, s.handleSaveAuthor)

	// Static pages and the footer menu (pages.go), stored redirects
	// (redirects.go): editors and admins.
	if s.cfg.Pages != nil {
		s.list("/desk/pages", Editors, s.handlePages, s.handleCreatePage, s.handleEditPage, s.handleSavePage)
		s.route("GET /desk/pages/new", Editors, s.handleNewPage)
		s.route("POST /desk/pages/menu", Editors, s.handlePagesMenu)
		s.route("POST /desk/pages/{id}/delete", Editors, s.handleDeletePage)
	}
	if s.cfg.Redirects != nil {
		s.list("/desk/redirects", Editors, s.handleRedirects, s.handleCreateRedirect, s.handleEditRedirect, s.handleSaveRedirect)
		s.route("POST /desk/redirects/{id}/delete", Editors, s.handleDeleteRedirect)
	}

	// The WordPress import (import.go): administrators.
	if s.cfg.Import != nil && s.cfg.ImportDir != "" {
		s.route("GET /desk/import", Admins, s.handleImport)
		s.route("GET /desk/import/status", Admins, s.handleImportStatus)
		s.streamRoute("POST /desk/import", Admins, s.maxImport()+multipartOverhead, s.handleImportUpload)
	}

	// The legal registry (legal.go): editors and admins; the policy is
	// the admins'.
	if s.cfg.Legal != nil {
		s.list("/desk/legal", Editors, s.handleLegal, s.handleLegalCreate, s.handleLegalEntity, s.handleLegalSave)
		s.route("GET /desk/legal/new", Editors, s.handleLegalNew)
		s.route("GET /desk/legal/export.csv", Editors, s.handleLegalExport)
		s.route("POST /desk/legal/import", Editors, s.handleLegalImport)
		s.route("POST /desk/legal/policy", Admins, s.handleLegalPolicy)
		s.route("POST /desk/legal/{id}/delete", Editors, s.handleLegalDelete)
		s.route("POST /desk/articles/{id}/legal/{entity}", Editors, s.handleLegalSwitch)
	}

	// Anything else under /desk/ is a 404 in the desk's look.
	s.route("/desk/", Public, func(w http.ResponseWriter, r *http.Request) error {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	})
}

// list registers the routes of a desk list at base: GET base (the list),
// POST base (a new entry), GET base/{id} (one entry in its form) and POST
// base/{id} (that entry saved). A nil handler leaves its route out.
func (s *Server) list(base string, access Access, index, create, show, save handlerFunc) {
	for _, r := range []struct {
		pattern string
		h       handlerFunc
	}{{"GET " + base, index}, {"POST " + base, create}, {"GET " + base + "/{id}", show}, {"POST " + base + "/{id}", save}} {
		if r.h != nil {
			s.route(r.pattern, access, r.h)
		}
	}
}
