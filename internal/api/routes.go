package api

// routes registers every API route. Keep them all here.
func (s *Server) routes() {
	s.mux.Handle("GET /api/v1/articles", s.handle(s.withUser(s.listArticles)))
	s.mux.Handle("POST /api/v1/articles", s.handle(s.requireUser(s.createArticle)))
	s.mux.Handle("GET /api/v1/articles/{id}", s.handle(s.withUser(s.getArticle)))
	s.mux.Handle("PATCH /api/v1/articles/{id}", s.handle(s.requireUser(s.patchArticle)))
	s.mux.Handle("POST /api/v1/articles/{id}/corrections", s.handle(s.requireUser(s.addCorrection)))
	s.mux.Handle("POST /api/v1/articles/{id}/comments", s.handle(s.postComment))
	s.mux.Handle("GET /api/v1/comments", s.handle(s.requireUser(s.listComments)))
	s.mux.Handle("PATCH /api/v1/comments/{id}", s.handle(s.requireUser(s.patchComment)))
	s.mux.Handle("POST /api/v1/error-reports", s.handle(s.createErrorReport))
	s.mux.Handle("GET /api/v1/error-reports", s.handle(s.requireUser(s.listErrorReports)))
	s.mux.Handle("GET /api/v1/error-reports/{id}", s.handle(s.requireUser(s.getErrorReport)))
	s.mux.Handle("PATCH /api/v1/error-reports/{id}", s.handle(s.requireUser(s.patchErrorReport)))
	s.mux.Handle("GET /api/v1/legal-entities", s.handle(s.requireUser(s.listLegalEntities)))
	s.mux.Handle("POST /api/v1/legal-entities", s.handle(s.requireUser(s.createLegalEntity)))
	s.mux.Handle("GET /api/v1/legal-entities.csv", s.handle(s.requireUser(s.exportLegalCSV)))
	s.mux.Handle("POST /api/v1/legal-entities/import", s.handle(s.requireUser(s.importLegalCSV)))
	s.mux.Handle("GET /api/v1/legal-entities/progress", s.handle(s.requireUser(s.legalProgress)))
	s.mux.Handle("GET /api/v1/legal-entities/{id}", s.handle(s.requireUser(s.getLegalEntity)))
	s.mux.Handle("PUT /api/v1/legal-entities/{id}", s.handle(s.requireUser(s.replaceLegalEntity)))
	s.mux.Handle("DELETE /api/v1/legal-entities/{id}", s.handle(s.requireUser(s.deleteLegalEntity)))
	s.mux.Handle("/api/", s.handle(s.notFound))
}
