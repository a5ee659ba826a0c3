package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdesk/internal/newsroom"
)

// ChangeChannel is the PostgreSQL NOTIFY channel on which the processes
// sharing one database tell each other about committed changes. A payload
// is the sending store's node id, a space and the change's space-separated
// keys; "*" instead of the keys means "everything changed".
const ChangeChannel = "newsdesk_cache"

// maxPayload keeps a payload under PostgreSQL's 8000-byte limit.
const maxPayload = 7900

// listener state, set in Open when Options.Remote is given on PostgreSQL.
type listener struct {
	node   string
	cancel context.CancelFunc
	done   chan struct{}
}

func newNodeID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// broadcast sends keys to the other processes on the same PostgreSQL
// database. It runs right after the commit, so a crash between the two
// loses the message; the receivers' cache lifetime bounds the damage.
func (s *Store) broadcast(ctx context.Context, keys []string) {
	if s.d != postgresDialect {
		return
	}
	payload := s.node + " " + strings.Join(keys, " ")
	if len(payload) > maxPayload {
		payload = s.node + " *"
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := s.wdb.ExecContext(ctx, "SELECT pg_notify($1, $2)", ChangeChannel, payload); err != nil {
		s.log.Error("sqlstore: broadcast change", "keys", len(keys), "err", err)
	}
}

// startListener listens on ChangeChannel on its own native pgx connection
// until Close, passing other processes' changes to remote. After every
// (re)connection it calls resync first: notifications sent while it was
// not listening are lost, so whatever was derived from the database must
// be dropped.
func (s *Store) startListener(dsn string, remote newsroom.Notifier, resync func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s.listen = &listener{node: s.node, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.listen.done)
		delay := 100 * time.Millisecond
		for {
			connected, err := s.listenOnce(ctx, dsn, remote, resync)
			if ctx.Err() != nil {
				return
			}
			if connected {
				delay = 100 * time.Millisecond
			}
			s.log.Warn("sqlstore: change listener disconnected; reconnecting", "in", delay, "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(delay):
			}
			delay = min(delay*2, 5*time.Second)
		}
	}()
}

// listenOnce connects, listens and dispatches until the connection fails
// or ctx ends. connected reports whether LISTEN took effect.
func (s *Store) listenOnce(ctx context.Context, dsn string, remote newsroom.Notifier, resync func()) (connected bool, err error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(cctx, dsn)
	cancel()
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ChangeChannel}.Sanitize()); err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	s.touch() // changes may have been missed: read the primary for a while
	if resync != nil {
		resync()
	}
	for {
		// Wake up now and then to check that the server is still there:
		// a connection lost without a FIN would otherwise wait forever.
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return true, fmt.Errorf("ping: %w", err)
			}
			continue
		}
		if err != nil {
			return true, err
		}
		node, keys, _ := strings.Cut(n.Payload, " ")
		if node == s.node {
			continue // this store's own change: already applied locally
		}
		s.touch()
		remote.Changed(ctx, newsroom.Change{Keys: strings.Fields(keys)})
	}
}

// stopListener ends the listener and waits for it.
func (s *Store) stopListener() {
	if s.listen == nil {
		return
	}
	s.listen.cancel()
	<-s.listen.done
	s.listen = nil
}
