package desk

// DropFrontCache forgets the front page's cached charts (benchmarks).
func DropFrontCache(s *Server) { s.dropFrontCache() }
