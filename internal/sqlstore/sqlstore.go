// Package sqlstore implements newsroom.Store on SQLite (modernc.org/sqlite,
// pure Go) and PostgreSQL (pgx through database/sql). Both share one set of
// queries written with $1, $2 placeholders; the few real differences live in
// a small dialect value. The schema is created by embedded migrations at Open.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"newsdesk/internal/newsroom"
)

// Options configures a Store.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now newsroom.Clock
	// Notifier is told about every committed change; may be nil.
	Notifier newsroom.Notifier
	// Logger receives migration and diagnostic messages; may be nil.
	Logger *slog.Logger
	// Remote, on PostgreSQL, is told about changes committed by the other
	// processes on the same database (LISTEN on ChangeChannel; every store
	// on PostgreSQL sends its changes there). Ignored on SQLite; may be nil.
	Remote newsroom.Notifier
	// Resync is called each time the Remote listener has (re)connected,
	// before any change is passed on: changes sent while it was not
	// listening are lost. May be nil.
	Resync func()
	// MigrateTo, when above zero, stops migrating at that version (a
	// restore loads a backup at its own version, then migrates the rest);
	// below zero, Open applies no migration (a backup reads a live
	// database as it stands).
	MigrateTo int
	// Observe, when set, hears the time of every database call.
	Observe QueryObserver
	// NoRUM, on PostgreSQL, keeps searches on the GIN index even where
	// the RUM extension and its index exist, and builds neither
	// (search_rum.go).
	NoRUM bool
	// ConnectTimeout, when above zero, bounds reaching the database (an
	// address that does not answer is an error within it), not the
	// migrations: a migration that fills a column of a large archive
	// takes as long as it takes, and stopping it halfway gains nothing.
	ConnectTimeout time.Duration
}

// Store is a newsroom.Store on SQLite or PostgreSQL. It is safe for
// concurrent use.
type Store struct {
	// wdb takes writes (and is DB()); rdb takes reads. On PostgreSQL rdb
	// is the same pool, or with a read replica (replica.go) a router that
	// sends a public reader's reads to the replica; on SQLite wdb has a
	// single connection that begins transactions IMMEDIATE, so writers
	// queue instead of failing as locked, and rdb is rpool, a pool of
	// read-only connections of its own.
	wdb   *sql.DB
	rdb   queryer
	rpool *sql.DB
	// rq runs the site's hot reads: rdb, through a statement cache on
	// SQLite (see stmtCache).
	rq      queryer
	replica *replica // nil without OpenReplica
	// changed is when this store last made or heard of a change
	// (nanoseconds on the monotonic clock since monoBase): a public read
	// within ReplicaWindow of it reads the primary.
	changed  atomic.Int64
	d        *dialect
	now      newsroom.Clock
	notifier newsroom.Notifier
	log      *slog.Logger
	density  sync.Map  // list -> density (see denseList)
	node     string    // this store's id in ChangeChannel payloads
	listen   *listener // nil unless Options.Remote on PostgreSQL
	path     string    // the SQLite file ("" on PostgreSQL or in memory)
	upTo     int       // Options.MigrateTo
	observe  QueryObserver
	leases   leaseSession // the session holding this node's leases (lease.go)
	noRUM    bool         // Options.NoRUM
	rum      bool         // searches use the RUM indexes (search_rum.go)
	// rumIndexes: the RUM indexes exist (whether searches use them or not).
	rumIndexes bool
	// span is the archive's first and last publication time as a search
	// last read them (archiveSpan).
	span struct {
		sync.Mutex
		at, first, last time.Time
	}
}

var _ newsroom.Store = (*Store)(nil)

// Open connects to dsn, applies pending migrations and returns the Store.
// dsn is a PostgreSQL URL (postgres:// or postgresql://) or a SQLite file
// path, optionally prefixed with "sqlite:".
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{now: opts.Now, notifier: opts.Notifier, log: opts.Logger, node: newNodeID(), upTo: opts.MigrateTo, observe: opts.Observe, noRUM: opts.NoRUM}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	err := s.connect(ctx, dsn, true, opts.ConnectTimeout)
	// Processes that open one new SQLite file at the same moment can find
	// it busy while another switches it to WAL, a step for which SQLite
	// does not wait on its busy timeout: try again for a few seconds.
	for attempt := 1; err != nil && isSQLiteBusy(err) && attempt <= 40; attempt++ {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("open store: %w", err)
		case <-time.After(time.Duration(attempt) * 10 * time.Millisecond):
		}
		err = s.connect(ctx, dsn, true, opts.ConnectTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if opts.Remote != nil && s.d == postgresDialect {
		s.startListener(dsn, opts.Remote, opts.Resync)
	}
	return s, nil
}

// connect opens the pools, checks that the database answers (within
// timeout, when above zero) and (when migrate is set) applies pending
// migrations; on failure it leaves nothing open.
func (s *Store) connect(ctx context.Context, dsn string, migrate bool, timeout time.Duration) error {
	pctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	var err error
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = s.openPostgres(dsn)
	default:
		err = s.openSQLite(pctx, strings.TrimPrefix(dsn, "sqlite:"))
	}
	if err != nil {
		return err
	}
	if err := s.Ping(pctx); err != nil {
		s.Close()
		return err
	}
	if !migrate {
		return nil
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return err
	}
	return nil
}

func (s *Store) openPostgres(dsn string) error {
	db, err := openDB("pgx", serialQueries(dsn), "write", s.observe)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.wdb, s.rdb, s.rq, s.d = db, db, db, postgresDialect
	return nil
}

// serialQueries asks PostgreSQL, through the DSN's run-time parameters,
// for no parallel workers per query (max_parallel_workers_per_gather 0),
// unless the DSN sets that or "options" itself. A page's query is a few
// milliseconds: a tag's ?page=50 at a million articles was planned with
// two workers and took 12.8 ms, 6 of them starting the workers, against
// 2.6 ms alone; searches ran as fast either way (bench/search at 1M).
func serialQueries(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // pgx reports it
	}
	q := u.Query()
	if q.Has("max_parallel_workers_per_gather") || q.Has("options") {
		return dsn
	}
	q.Set("max_parallel_workers_per_gather", "0")
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *Store) openSQLite(ctx context.Context, path string) error {
	if path == "" {
		return errors.New("empty SQLite path")
	}
	if strings.Contains(path, "?") {
		return errors.New("SQLite path may not contain '?'")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	common := q.Encode()
	q.Add("_pragma", "journal_mode(WAL)")
	q.Set("_txlock", "immediate")
	w, err := openDB("sqlite", path+"?"+q.Encode(), "write", s.observe)
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	s.wdb, s.rdb, s.rq, s.d = w, w, w, sqliteDialect
	if path == ":memory:" {
		return nil // one connection is the whole database
	}
	s.path = path
	// Switch the file to WAL before readers connect.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return err
	}
	r, err := openDB("sqlite", path+"?"+common, "read", s.observe)
	if err != nil {
		w.Close()
		return err
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.rdb, s.rpool, s.rq = r, r, newStmtCache(r)
	return nil
}

// DB returns the underlying pool that takes writes. Other packages may use
// it for tables this package does not know about. On SQLite this pool has a
// single connection that begins transactions IMMEDIATE: keep transactions
// short, close rows promptly, and never hold one while calling the Store.
func (s *Store) DB() *sql.DB { return s.wdb }

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.wdb.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if s.rpool != nil {
		if err := s.rpool.PingContext(ctx); err != nil {
			return fmt.Errorf("ping: %w", err)
		}
	}
	return nil
}

// Close closes the database pools.
func (s *Store) Close() error {
	s.stopListener()
	s.leases.close()
	var errs []error
	if s.replica != nil {
		errs = append(errs, s.replica.close())
	}
	if c, ok := s.rq.(*stmtCache); ok {
		errs = append(errs, c.Close())
	}
	if s.rpool != nil {
		errs = append(errs, s.rpool.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	return errors.Join(errs...)
}

// stamp returns the one "now" a transaction writes on every row.
func (s *Store) stamp() time.Time { return normTime(s.now()) }

// queryer is what both *sql.DB and *sql.Tx offer for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// inTx runs fn in a write transaction stamped with one now, commits, and
// then reports the keys fn returned to the notifier.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx, now time.Time) ([]string, error)) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	keys, err := fn(tx, s.stamp())
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.notify(ctx, keys)
	return nil
}

func (s *Store) notify(ctx context.Context, keys []string) {
	if len(keys) == 0 {
		return
	}
	s.touch()
	var out []string
	for _, k := range keys {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	if s.notifier != nil {
		s.notifier.Changed(ctx, newsroom.Change{Keys: out})
	}
	s.broadcast(ctx, out)
}

func notFound(what string) error {
	return newsroom.Errorf(newsroom.NotFound, "", "%s not found", what)
}

// execOne runs a statement that must change exactly one row of what, and
// returns a NotFound error when it changed none.
func execOne(ctx context.Context, tx *sql.Tx, what, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound(what)
	}
	return nil
}
