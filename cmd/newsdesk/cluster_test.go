package main

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// TestClusterJobRunsOnce: three nodes on one PostgreSQL database run the
// same cluster job; only one runs it at any time; when the holder's
// session ends (the server terminates it, as when the node is killed or
// its connection breaks) the holder stops the job and it runs again
// within a few seconds, on one node; when the holder stops, another node
// takes it over. (Killing a whole node: the several-nodes test.)
func TestClusterJobRunsOnce(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var running, maxRunning atomic.Int32
	var holder atomic.Int32
	type node struct {
		st     *sqlstore.Store
		cancel context.CancelFunc
		done   chan struct{}
	}
	var nodes []*node
	for i := range 3 {
		st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
		must(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		n := &node{st: st, cancel: cancel, done: make(chan struct{})}
		nodes = append(nodes, n)
		go func() {
			defer close(n.done)
			clusterJob(ctx, st.TryLease, log, "test job", func(ctx context.Context) {
				r := running.Add(1)
				for m := maxRunning.Load(); r > m && !maxRunning.CompareAndSwap(m, r); m = maxRunning.Load() {
				}
				holder.Store(int32(i + 1))
				<-ctx.Done()
				running.Add(-1)
			})
		}()
	}
	t.Cleanup(func() {
		for _, n := range nodes {
			n.cancel()
			<-n.done
			n.st.Close()
		}
	})
	if waitFor(5*time.Second, func() bool { return holder.Load() != 0 }) < 0 {
		t.Fatal("no node took the job")
	}
	time.Sleep(2500 * time.Millisecond) // the others try again meanwhile
	first := holder.Load()
	if maxRunning.Load() != 1 {
		t.Fatalf("%d nodes ran the job at once", maxRunning.Load())
	}
	// The server ends the holder's session.
	holder.Store(0)
	var killed int
	must(t, nodes[0].st.DB().QueryRowContext(context.Background(),
		`SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&killed))
	if killed != 1 {
		t.Fatalf("%d sessions held the lease", killed)
	}
	took := waitFor(10*time.Second, func() bool { return holder.Load() != 0 && running.Load() == 1 })
	if took < 0 {
		t.Fatalf("the job did not run again after node %d's session ended", first)
	}
	t.Logf("node %d runs the job %s after node %d's session ended", holder.Load(), took, first)
	// The holder stops: another node takes the job over.
	second := holder.Load()
	holder.Store(0)
	nodes[second-1].cancel()
	<-nodes[second-1].done
	took = waitFor(10*time.Second, func() bool { return holder.Load() != 0 && running.Load() == 1 })
	if took < 0 || holder.Load() == second {
		t.Fatalf("no other node took the job over after node %d stopped", second)
	}
	t.Logf("node %d took over %s after node %d stopped", holder.Load(), took, second)
	if maxRunning.Load() != 1 {
		t.Errorf("%d nodes ran the job at once", maxRunning.Load())
	}
}

// TestLeasesShareOneSession: a node holding the leases of all of serve's
// cluster jobs holds them on one PostgreSQL session (one connection of its
// pool, not one per job); a second try for a lease the node holds is
// refused; when that session ends every lease is lost at once and the
// other node takes them all.
func TestLeasesShareOneSession(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	node := newTestApp(t, dsn, false)
	other, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	must(t, err)
	t.Cleanup(func() { other.Close() })
	stores := []*sqlstore.Store{node.store, other}
	var names []string
	for _, j := range node.backgroundJobs() {
		if j.scope == perCluster {
			names = append(names, j.name)
		}
	}
	take := func(st *sqlstore.Store) []*sqlstore.Lease {
		var got []*sqlstore.Lease
		for _, n := range names {
			l, err := st.TryLease(ctx, n)
			must(t, err)
			if l != nil {
				got = append(got, l)
			}
		}
		return got
	}
	held := take(stores[0])
	if len(held) != len(names) {
		t.Fatalf("the first node took %d of %d leases", len(held), len(names))
	}
	if again := take(stores[0]); len(again) != 0 {
		t.Errorf("the holder took %d of its own leases a second time", len(again))
	}
	if other := take(stores[1]); len(other) != 0 {
		t.Errorf("the other node took %d leases the first holds", len(other))
	}
	var locks, sessions int
	must(t, stores[1].DB().QueryRowContext(ctx, `SELECT count(*), count(DISTINCT pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&locks, &sessions))
	if locks != len(names) || sessions != 1 {
		t.Errorf("%d leases held on %d sessions, want %d on one", locks, sessions, len(names))
	}
	// Releasing one frees it for the other node; the rest stay held.
	held[0].Release()
	if l, err := stores[1].TryLease(ctx, names[0]); err != nil || l == nil {
		t.Fatalf("after its release the other node could not take %q: %v", names[0], err)
	} else {
		l.Release()
	}
	// The holder's session ends: every lease it held is lost.
	var killed int
	must(t, stores[1].DB().QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM (SELECT DISTINCT pid FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) p`).Scan(&killed))
	if killed != 1 {
		t.Fatalf("terminated %d sessions, want the holder's one", killed)
	}
	for i, l := range held[1:] {
		select {
		case <-l.Lost:
		case <-time.After(10 * time.Second):
			t.Fatalf("lease %q not lost after its session ended", names[i+1])
		}
	}
	if got := take(stores[1]); len(got) != len(names) {
		t.Errorf("after the holder's session ended the other node took %d of %d leases", len(got), len(names))
	}
	if got := take(stores[0]); len(got) != 0 {
		t.Errorf("the first node, on a new session, took %d leases the other holds", len(got))
	}
}
