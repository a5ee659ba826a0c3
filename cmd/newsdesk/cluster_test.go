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
