package cache

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

func TestInvalidateIsPrecise(t *testing.T) {
	p := newPages(1000)
	c := New(Config{})
	h := c.Handler(p)
	for _, path := range []string{"/p/1", "/p/2", "/gone"} {
		get(h, "GET", path)
	}
	c.Changed(context.Background(), newsroom.Change{Keys: []string{"page:1"}})
	for path, want := range map[string]string{"/p/1": "miss", "/p/2": "hit", "/gone": "miss"} {
		if got := get(h, "GET", path).Header().Get(HeaderStatus); got != want {
			t.Errorf("after change of page:1, %s is a %s, want %s", path, got, want)
		}
	}
	if n := c.Invalidate("all"); n != 2 {
		t.Errorf("Invalidate(all) dropped %d entries, want 2", n)
	}
	c.Changed(context.Background(), newsroom.Change{Keys: []string{"*"}})
	if st := c.Stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Errorf("after a flush: %d entries, %d bytes", st.Entries, st.Bytes)
	}
}

// TestRenderOlderThanInvalidationIsNotStored: a render that read its data
// before a change and finishes after the change's invalidation must not
// be stored, or the page would be stale after the write returned.
func TestRenderOlderThanInvalidationIsNotStored(t *testing.T) {
	p := newPages(100)
	p.gate = make(chan struct{})
	c := New(Config{})
	h := c.Handler(p)
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- get(h, "GET", "/slow") }()
	for p.count("/slow") == 0 {
		time.Sleep(time.Millisecond)
	}
	p.version.Add(1) // the write...
	c.Invalidate("slow")
	close(p.gate) // ...then the old render finishes
	if w := <-done; !strings.Contains(w.Body.String(), "version 0") {
		t.Fatalf("the racing request got %q", w.Body.String())
	}
	if st := c.Stats(); st.Refused != 1 || st.Entries != 0 {
		t.Errorf("refused %d, entries %d; want the old render refused", st.Refused, st.Entries)
	}
	if w := get(h, "GET", "/slow"); !strings.Contains(w.Body.String(), "version 1") {
		t.Errorf("after the write: %q, want version 1", w.Body.String())
	}
}

// blockingWriter is a client that takes its time reading: Write waits
// until release is closed.
type blockingWriter struct {
	*httptest.ResponseRecorder
	writing chan struct{}
	release chan struct{}
}

func (b *blockingWriter) Write(p []byte) (int, error) {
	close(b.writing)
	<-b.release
	return b.ResponseRecorder.Write(p)
}

// TestFollowerOfAStoredFlightSeesTheWrite: a render is stored and its
// leader is still sending it to a slow client when a write invalidates
// the page; a request arriving after the write returned must not be
// handed the leader's (now stale) page while the flight is still listed.
func TestFollowerOfAStoredFlightSeesTheWrite(t *testing.T) {
	p := newPages(100)
	p.gate = make(chan struct{})
	close(p.gate)
	c := New(Config{})
	h := c.Handler(p)
	slow := &blockingWriter{ResponseRecorder: httptest.NewRecorder(), writing: make(chan struct{}), release: make(chan struct{})}
	leaderDone := make(chan struct{})
	go func() {
		h.ServeHTTP(slow, httptest.NewRequest("GET", "/slow", nil))
		close(leaderDone)
	}()
	<-slow.writing // stored, and now answering its own client
	p.version.Add(1)
	c.Invalidate("slow") // the write returns
	follower := make(chan *httptest.ResponseRecorder)
	go func() { follower <- get(h, "GET", "/slow") }()
	// Give the follower time to find the flight, then let the leader end.
	time.Sleep(50 * time.Millisecond)
	close(slow.release)
	<-leaderDone
	if w := <-follower; !strings.Contains(w.Body.String(), "version 1") {
		t.Fatalf("after the write returned, a request got %q, want version 1", w.Body.String())
	}
}
