package ops

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to read while the LogBuffer's
// timer writes to it.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func (l *lockedBuffer) String() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.writes
}

// TestLogBufferGathersInfoAndWritesWarningsAtOnce: request lines wait for
// the timer and go out in one write; a warning goes out at once with the
// lines before it, in order; Close writes the rest and later lines go
// straight through.
func TestLogBufferGathersInfoAndWritesWarningsAtOnce(t *testing.T) {
	out := &lockedBuffer{}
	lb := NewLogBuffer(out, time.Hour) // the timer never fires here
	log := slog.New(lb.Handler(slog.NewTextHandler(lb, nil)))

	for i := range 100 {
		log.Info("request", "n", i)
	}
	if s, w := out.String(); s != "" || w != 0 {
		t.Fatalf("INFO lines written before a flush: %d writes, %q", w, s)
	}
	log.Warn("slow request", "n", 100)
	s, w := out.String()
	if w != 1 {
		t.Fatalf("%d writes for 100 INFO lines and a WARN, want 1", w)
	}
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) != 101 || !strings.Contains(lines[0], "n=0") || !strings.Contains(lines[100], "slow request") {
		t.Fatalf("%d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}

	log.With("component", "x").Info("request", "n", 101)
	if err := lb.Close(); err != nil {
		t.Fatal(err)
	}
	if s, _ := out.String(); !strings.Contains(s, "component=x") || !strings.Contains(s, "n=101") {
		t.Fatalf("Close did not write the last line: %q", s)
	}
	log.Info("after close")
	if s, _ := out.String(); !strings.Contains(s, "after close") {
		t.Fatal("a line after Close was not written at once")
	}
}

// TestLogBufferTimerAndBound: the timer writes waiting lines by itself,
// and a full buffer is written without waiting for it.
func TestLogBufferTimerAndBound(t *testing.T) {
	out := &lockedBuffer{}
	lb := NewLogBuffer(out, 20*time.Millisecond)
	defer lb.Close()
	lb.Write([]byte("one line\n"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		if s, _ := out.String(); s == "one line\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the timer did not write the waiting line")
		}
		time.Sleep(5 * time.Millisecond)
	}

	out2 := &lockedBuffer{}
	lb2 := NewLogBuffer(out2, time.Hour)
	defer lb2.Close()
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for range logBufferMax / len(line) {
		lb2.Write(line)
	}
	if s, w := out2.String(); w != 1 || len(s) != logBufferMax {
		t.Fatalf("a full buffer: %d writes, %d bytes; want 1 write of %d", w, len(s), logBufferMax)
	}
}
