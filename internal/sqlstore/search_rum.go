package sqlstore

import (
	"context"
	"database/sql"
	"errors"
)

// RUM (issue 19): PostgreSQL's GIN index finds a word's matches but not
// the newest of them, so a search of a common word reads every match in a
// date window from the heap to sort it. The RUM extension
// (github.com/postgrespro/rum, Debian's postgresql-15-rum) keeps each
// match's publication time in the index itself (rum_tsvector_addon_ops
// with published_at attached), so the index returns the newest matches in
// order and the heap is read for those alone. It is optional: when the
// extension can be had, start-up creates it and the index (once, under
// the migration lock), and searches use it; otherwise they use the GIN
// plan. SearchIndex says which, as do the start-up log line, the
// newsdesk_search_index metric and `newsdesk migrate --status`.

// The optional RUM indexes over article_search: the whole story's vector
// and the small lead vector (headline, standfirst, tags; 0130), which
// finds the newest older headline matches in order too (the GIN index of
// lead_tsv read every lead match in the archive for that: 25 ms of a
// common word's 80 ms at 100,000 stories).
var rumIndexes = []struct{ name, ddl string }{
	{"article_search_rum", "CREATE INDEX article_search_rum ON article_search USING rum (tsv rum_tsvector_addon_ops, published_at) WITH (attach = 'published_at', to = 'tsv')"},
	{"article_search_lead_rum", "CREATE INDEX article_search_lead_rum ON article_search USING rum (lead_tsv rum_tsvector_addon_ops, published_at) WITH (attach = 'published_at', to = 'lead_tsv')"},
}

// rumIndexNames is what the log and migrate --status name.
const rumIndexNames = "article_search_rum, article_search_lead_rum"

// Search index names, as SearchIndex returns them.
const (
	SearchFTS5 = "fts5" // SQLite
	SearchGIN  = "gin"  // PostgreSQL without RUM
	SearchRUM  = "rum"  // PostgreSQL with the RUM index
)

// SearchIndex names the index searches go through: SearchFTS5 on SQLite,
// SearchRUM or SearchGIN on PostgreSQL.
func (s *Store) SearchIndex() string {
	switch {
	case s.d != postgresDialect:
		return SearchFTS5
	case s.rum:
		return SearchRUM
	}
	return SearchGIN
}

// rumState reads whether the RUM index exists and can be used, and when
// not, why (for the log and migrate --status).
func rumState(ctx context.Context, q queryer) (ready bool, why string, err error) {
	var available, installed bool
	var found, valid int
	err = q.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum'),
		EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum'),
		(SELECT count(*) FROM pg_index i WHERE i.indexrelid IN (to_regclass($1), to_regclass($2))),
		(SELECT count(*) FROM pg_index i WHERE i.indexrelid IN (to_regclass($1), to_regclass($2)) AND i.indisvalid)`,
		rumIndexes[0].name, rumIndexes[1].name).Scan(&available, &installed, &found, &valid)
	switch {
	case err != nil:
		return false, "", err
	case installed && valid == len(rumIndexes):
		return true, "", nil
	case !available:
		return false, "the RUM extension is not installed on the server (Debian: postgresql-15-rum)", nil
	case !installed:
		return false, "the RUM extension is available but not created in this database", nil
	case found > valid:
		return false, "a RUM index (" + rumIndexNames + ") is not valid (an interrupted build)", nil
	}
	return false, "the RUM indexes (" + rumIndexNames + ") do not exist", nil
}

// setupRUM, on PostgreSQL, creates the RUM extension and index when the
// server has the extension and the database has not got them, on the
// migrating connection (which holds the migration lock, so one node of
// several builds it), and decides the search path. Nothing here is fatal:
// without RUM searches take the GIN plan.
func (s *Store) setupRUM(ctx context.Context, conn *sql.Conn, build bool) error {
	ready, why, err := rumState(ctx, conn)
	if err != nil {
		return err
	}
	if !ready && build && s.noRUM {
		why = "RUM turned off (Options.NoRUM)"
	}
	if !ready && build && !s.noRUM {
		var available bool
		if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')").Scan(&available); err != nil {
			return err
		}
		if available {
			ready, why, err = s.buildRUM(ctx, conn)
			if err != nil {
				return err
			}
		}
	}
	s.rum, s.rumIndexes = ready && !s.noRUM, ready
	if s.rum {
		s.log.Info("search index", "dialect", s.d.name, "index", SearchRUM, "detail", "RUM indexes "+rumIndexNames+": the newest matches in date order from the index")
	} else {
		if why == "" {
			why = "RUM turned off (Options.NoRUM)"
		}
		s.log.Info("search index", "dialect", s.d.name, "index", SearchGIN, "detail", "GIN bitmap over date windows; "+why)
	}
	return nil
}

// buildRUM creates the extension and the index. An error that only means
// RUM cannot be had here (no privilege to create the extension) is
// reported as the reason, not returned.
func (s *Store) buildRUM(ctx context.Context, conn *sql.Conn) (bool, string, error) {
	if _, err := conn.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS rum"); err != nil {
		if ctx.Err() != nil {
			return false, "", err
		}
		s.log.Warn("search index: cannot create the RUM extension; searches use the GIN index", "error", err)
		return false, "CREATE EXTENSION rum failed: " + err.Error(), nil
	}
	var n int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM article_search").Scan(&n); err != nil {
		return false, "", err
	}
	for _, ix := range rumIndexes {
		var valid sql.NullBool
		if err := conn.QueryRowContext(ctx, "SELECT (SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1))", ix.name).Scan(&valid); err != nil {
			return false, "", err
		}
		if valid.Valid && valid.Bool {
			continue
		}
		s.log.Info("search index: building a RUM index (once; about a minute per 100,000 stories here, writes to article_search wait)", "index", ix.name, "rows", n)
		if _, err := conn.ExecContext(ctx, "DROP INDEX IF EXISTS "+ix.name); err != nil {
			return false, "", err
		}
		if _, err := conn.ExecContext(ctx, ix.ddl); err != nil {
			if ctx.Err() != nil {
				return false, "", err
			}
			s.log.Warn("search index: cannot build a RUM index; searches use the GIN index", "index", ix.name, "error", err)
			return false, "building " + ix.name + " failed: " + err.Error(), nil
		}
	}
	ready, why, err := rumState(ctx, conn)
	if err == nil && !ready {
		err = errors.New("RUM index built but not usable: " + why)
	}
	return ready, why, err
}
