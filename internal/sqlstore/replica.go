package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A PostgreSQL streaming replica (a hot standby, pg_basebackup -R) can take
// the reads of public pages (OpenReplica). Only reads whose context says
// they serve a reader without a session (PublicRead) go there, and only
// while the replica is known to be close behind the primary and no change
// was made or heard of in the last ReplicaWindow: the desk, the API, every
// read inside or before a write, and the page rendered right after a change
// (the cache just dropped it; it must show the change) read the primary.

// ReplicaWindow is how long after a change this store made or heard of
// (its own commit, another node's notification, a listener reconnection)
// public reads still go to the primary: the replica may not have replayed
// the change yet.
const ReplicaWindow = 2 * time.Second

// ReplicaCheck is how often the replica's replay position is compared
// with the primary's: a replica that has not replayed up to where the
// primary's WAL stood at the previous check (it is more than one interval
// behind), or does not answer, takes no reads until it has caught up.
const ReplicaCheck = 500 * time.Millisecond

// monoBase is the origin of Store.changed (monotonic clock).
var monoBase = time.Now()

func monoNow() int64 { return int64(time.Since(monoBase)) }

// touch records that a change was made or heard of just now.
func (s *Store) touch() { s.changed.Store(monoNow()) }

type publicReadKey struct{}

// PublicRead marks ctx as serving a public page (GET or HEAD) to a reader
// without a session or comments of their own awaiting moderation: its
// reads may come from the read replica. Without a replica it changes
// nothing.
func PublicRead(ctx context.Context) context.Context {
	return context.WithValue(ctx, publicReadKey{}, true)
}

// replica is the standby's pool and what is known of its state.
type replica struct {
	db, primary *sql.DB
	log         *slog.Logger
	// usable says the last check found the replica reachable, in recovery
	// and caught up; a failed read clears it until the next good check.
	usable atomic.Bool
	mu     sync.Mutex // orders the transitions of usable and their log lines
	since  time.Time  // when the current fallback to the primary began
	// prev is the primary's WAL position at the previous check (only the
	// checker touches it).
	prev   uint64
	cancel context.CancelFunc
	done   chan struct{}
	// reads and fallbacks count reads served by the replica and public
	// reads sent to the primary instead.
	reads, fallbacks atomic.Int64
}

// OpenReplica connects to a PostgreSQL streaming replica of this store's
// database at dsn and from then on sends public reads there (see
// PublicRead), checking it every ReplicaCheck. It fails if the store is
// not on PostgreSQL, dsn is not a PostgreSQL URL, or the replica does not
// answer.
func (s *Store) OpenReplica(ctx context.Context, dsn string) error {
	if s.d != postgresDialect {
		return errors.New("a read replica needs a PostgreSQL database")
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return errors.New("a read replica is a postgres:// URL")
	}
	if s.replica != nil {
		return errors.New("the store has a read replica already")
	}
	db, err := openDB("pgx", dsn, "replica", s.observe)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return fmt.Errorf("the replica does not answer: %w", err)
	}
	rp := &replica{db: db, primary: s.wdb, log: s.log, done: make(chan struct{})}
	rp.usable.Store(true)
	if _, err := rp.check(pctx); err != nil {
		db.Close()
		return fmt.Errorf("the replica does not answer: %w", err)
	}
	var cctx context.Context
	cctx, rp.cancel = context.WithCancel(context.Background())
	go rp.run(cctx)
	s.replica = rp
	r := &routed{s: s, rp: rp}
	s.rdb, s.rq = r, r
	return nil
}

// ReplicaReads returns how many reads the replica served and how many
// public reads went to the primary instead (it was behind, unreachable,
// or a change was recent); zeros without a replica.
func (s *Store) ReplicaReads() (replica, primary int64) {
	if s.replica == nil {
		return 0, 0
	}
	return s.replica.reads.Load(), s.replica.fallbacks.Load()
}

func (rp *replica) run(ctx context.Context) {
	defer close(rp.done)
	t := time.NewTicker(ReplicaCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, _ = rp.check(ctx)
		}
	}
}

// check compares the replica's replayed WAL position with the primary's
// at the previous check and sets usable (logging a change). It reports
// whether the replica is a standby, and the error that made it
// unreachable.
func (rp *replica) check(ctx context.Context) (standby bool, err error) {
	cctx, cancel := context.WithTimeout(ctx, ReplicaCheck)
	defer cancel()
	var replay sql.NullString
	err = rp.db.QueryRowContext(cctx, "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text").Scan(&standby, &replay)
	// The primary's position now is what the replica must have replayed
	// by the next check.
	var cur string
	if perr := rp.primary.QueryRowContext(cctx, "SELECT pg_current_wal_lsn()::text").Scan(&cur); perr == nil {
		defer func() { rp.prev, _ = parseLSN(cur) }()
	}
	if ctx.Err() != nil {
		return standby, err
	}
	switch {
	case err != nil:
		rp.set(false, "unreachable: "+err.Error())
	case !standby:
		rp.set(false, "not a standby (not in recovery)")
	default:
		pos, perr := parseLSN(replay.String)
		if perr != nil || pos < rp.prev {
			rp.set(false, "behind the primary (replayed up to "+replay.String+")")
		} else {
			rp.set(true, "")
		}
	}
	return standby, err
}

// set records the replica's state, with one log line when a fallback to
// the primary starts and one when it ends.
func (rp *replica) set(ok bool, why string) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.usable.Load() == ok {
		return
	}
	rp.usable.Store(ok)
	if ok {
		rp.log.Info("sqlstore: read replica caught up: public reads go to it again", "after", time.Since(rp.since).Round(time.Millisecond).String())
		return
	}
	rp.since = time.Now()
	rp.log.Warn("sqlstore: read replica not used: public reads go to the primary", "reason", why)
}

// failed takes note of a read that failed on the replica (it is retried on
// the primary): unless the error is one of the query's own, the replica
// takes no reads until the next good check.
func (rp *replica) failed(err error) {
	switch c := pgCode(err); {
	case c == "":
	case strings.HasPrefix(c, "08"), strings.HasPrefix(c, "57"), strings.HasPrefix(c, "53"):
	default:
		return // the query's own error (or a conflict with recovery): retried, the replica stays
	}
	rp.set(false, "a read failed: "+err.Error())
}

func (rp *replica) close() error {
	if rp.cancel != nil {
		rp.cancel()
		<-rp.done
	}
	return rp.db.Close()
}

// parseLSN reads a PostgreSQL WAL position ("16/B374D848").
func parseLSN(s string) (uint64, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("not a WAL position: %q", s)
	}
	h, err := strconv.ParseUint(hi, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("not a WAL position: %q", s)
	}
	l, err := strconv.ParseUint(lo, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("not a WAL position: %q", s)
	}
	return h<<32 | l, nil
}

// routed is a Store's reader with a replica: a public read goes to the
// replica when it may (see PublicRead), everything else to the primary. A
// read that fails on the replica is tried once more on the primary, so a
// replica going away between two checks costs no reader a page.
type routed struct {
	s  *Store
	rp *replica
}

var _ queryer = (*routed)(nil)

func (r *routed) onReplica(ctx context.Context) bool {
	if ctx.Value(publicReadKey{}) == nil {
		return false
	}
	if r.rp.usable.Load() && time.Duration(monoNow()-r.s.changed.Load()) >= ReplicaWindow {
		return true
	}
	r.rp.fallbacks.Add(1)
	return false
}

// QueryContext runs a read query.
func (r *routed) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if r.onReplica(ctx) {
		rows, err := r.rp.db.QueryContext(ctx, query, args...)
		if err == nil || ctx.Err() != nil {
			r.rp.reads.Add(1)
			return rows, err
		}
		r.rp.failed(err)
	}
	return r.s.wdb.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a read query that returns at most one row.
func (r *routed) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if r.onReplica(ctx) {
		row := r.rp.db.QueryRowContext(ctx, query, args...)
		if err := row.Err(); err == nil || ctx.Err() != nil {
			r.rp.reads.Add(1)
			return row
		}
		r.rp.failed(row.Err())
	}
	return r.s.wdb.QueryRowContext(ctx, query, args...)
}

// ExecContext runs a statement: always on the primary.
func (r *routed) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.s.wdb.ExecContext(ctx, query, args...)
}
