package sqlstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"time"
)

// Leases let one node of a cluster do a piece of background work at a
// time. On PostgreSQL a lease is a session advisory lock held on a
// connection of its own: when the holder dies (even by SIGKILL) its
// session ends, the server releases the lock, and another node's next try
// takes it. On SQLite (one node) every lease is granted at once.

// Lease is a held lease; Lost is closed when it is no longer held (the
// connection failed), and Release gives it up.
type Lease struct {
	Lost    <-chan struct{}
	release func()
}

// Release gives the lease up.
func (l *Lease) Release() { l.release() }

// TryLease takes the lease called name if no other node holds it, or
// returns nil (and no error) when one does.
func (s *Store) TryLease(ctx context.Context, name string) (*Lease, error) {
	lost := make(chan struct{})
	if s.d != postgresDialect {
		return &Lease{Lost: lost, release: func() {}}, nil
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lease %s: %w", name, err)
	}
	h := fnv.New64a()
	h.Write([]byte("newsdesk lease " + name))
	key := int64(h.Sum64())
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // do not reuse a broken session
		conn.Close()
		return nil, fmt.Errorf("lease %s: %w", name, err)
	}
	if !ok {
		conn.Close()
		return nil, nil
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				pctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
				err := conn.PingContext(pctx)
				cancel()
				if err != nil {
					close(lost)
					return
				}
			}
		}
	}()
	var released bool
	return &Lease{Lost: lost, release: func() {
		if released {
			return
		}
		released = true
		close(stop)
		<-done
		uctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			// The session is gone or broken: never hand it back to the
			// pool with the lock possibly held.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}}, nil
}
