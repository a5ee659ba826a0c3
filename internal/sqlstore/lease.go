package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// Leases let one node of a cluster do a piece of background work at a
// time. On PostgreSQL a lease is a session advisory lock. All of a node's
// leases are held on one connection of their own, so a node holding every
// job's lease keeps one connection from its pool, not one per job: when
// the holder dies (even by SIGKILL) its session ends, the server releases
// its locks, and another node's next try takes them. On SQLite (one node)
// every lease is granted at once.

// Lease is a held lease; Lost is closed when it is no longer held (the
// connection holding it failed), and Release gives it up.
type Lease struct {
	Lost    <-chan struct{}
	release func()
}

// Release gives the lease up.
func (l *Lease) Release() { l.release() }

// leaseSession is the connection holding a node's leases, opened with
// the first try and kept; it is pinged every second, and when a ping or a
// query fails every lease on it is lost at once (the next try opens a new
// session).
type leaseSession struct {
	mu   sync.Mutex
	conn *sql.Conn          // nil: none open
	lost chan struct{}      // closed when conn fails
	stop chan struct{}      // closed to stop conn's pinger
	held map[int64]struct{} // the keys locked on conn
}

// leaseTimeout bounds each query on the lease session.
const leaseTimeout = 3 * time.Second

// TryLease takes the lease called name if no node holds it (this one
// included: a second try for a held name is refused too), or returns nil
// (and no error) when one does.
func (s *Store) TryLease(ctx context.Context, name string) (*Lease, error) {
	if s.d != postgresDialect {
		return &Lease{Lost: make(chan struct{}), release: func() {}}, nil
	}
	h := fnv.New64a()
	h.Write([]byte("newsdesk lease " + name))
	key := int64(h.Sum64())
	l := &s.leases
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.held[key]; ok {
		return nil, nil // advisory locks nest within a session: refuse it here
	}
	if l.conn == nil {
		conn, err := s.wdb.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("lease %s: %w", name, err)
		}
		l.conn, l.lost, l.stop, l.held = conn, make(chan struct{}), make(chan struct{}), map[int64]struct{}{}
		go l.ping(conn, l.stop)
	}
	// The lock is asked on a context of its own: one job's context ending
	// mid-query must not break the session the other jobs' leases hold.
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaseTimeout)
	defer cancel()
	var ok bool
	if err := l.conn.QueryRowContext(qctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok); err != nil {
		l.drop()
		return nil, fmt.Errorf("lease %s: %w", name, err)
	}
	if !ok {
		return nil, nil
	}
	l.held[key] = struct{}{}
	conn := l.conn
	return &Lease{Lost: l.lost, release: sync.OnceFunc(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.conn != conn {
			return // that session is gone, and its locks with it
		}
		delete(l.held, key)
		uctx, cancel := context.WithTimeout(context.Background(), leaseTimeout)
		defer cancel()
		if _, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			l.drop() // never keep a session that may still hold the lock
		}
	})}, nil
}

// ping checks conn every second until stop is closed; a failed ping
// drops the session, and with it every lease on it.
func (l *leaseSession) ping(conn *sql.Conn, stop chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		l.mu.Lock()
		if l.conn != conn {
			l.mu.Unlock()
			return
		}
		pctx, cancel := context.WithTimeout(context.Background(), leaseTimeout)
		err := conn.PingContext(pctx)
		cancel()
		if err != nil {
			l.drop()
		}
		l.mu.Unlock()
	}
}

// drop ends the session: its leases are lost, and the connection is
// closed rather than handed back to the pool (where its session, and a
// lock it may still hold, would live on). l.mu is held.
func (l *leaseSession) drop() {
	if l.conn == nil {
		return
	}
	close(l.lost)
	close(l.stop)
	_ = l.conn.Raw(func(any) error { return driver.ErrBadConn })
	l.conn.Close()
	l.conn, l.held = nil, nil
}

// close gives every lease up as the store closes.
func (l *leaseSession) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drop()
}
