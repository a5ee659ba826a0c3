package ops

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// LogBuffer gathers log lines and writes them at most every interval, so
// that a busy site does not make a system call for each request's line
// (in a profile of cache hits that write was 6% of the CPU). A line
// at WARN or above, written through Handler, is written at once together
// with the lines before it, so warnings and errors are never held back; a
// SIGKILL loses at most one interval of INFO lines. Close writes what is
// left and stops the timer. Safe for concurrent use.
type LogBuffer struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	stop chan struct{}
	done chan struct{}
	once sync.Once
	// closed: Close has run; lines go out as they come.
	closed bool
}

// logBufferMax is how many bytes wait before they are written anyway.
const logBufferMax = 32 << 10

// NewLogBuffer returns a LogBuffer writing to w every interval (at least
// 1ms).
func NewLogBuffer(w io.Writer, interval time.Duration) *LogBuffer {
	b := &LogBuffer{w: w, stop: make(chan struct{}), done: make(chan struct{})}
	interval = max(interval, time.Millisecond)
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write keeps p (one log line, as slog's handlers write them) for the
// next flush.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= logBufferMax {
		return len(p), b.flushLocked()
	}
	return len(p), nil
}

// Flush writes the waiting lines now.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *LogBuffer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	// Lines that could not be written are dropped rather than kept
	// growing: the writer is standard error.
	b.buf = b.buf[:0]
	if cap(b.buf) > 4*logBufferMax {
		b.buf = nil
	}
	return err
}

// Close stops the timer and writes what is left; writes after it go out
// at once.
func (b *LogBuffer) Close() error {
	b.once.Do(func() {
		close(b.stop)
		<-b.done
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.flushLocked()
	b.buf, b.closed = nil, true
	return err
}

// Handler wraps h (a handler writing to b) so that a record at WARN or
// above is written at once.
func (b *LogBuffer) Handler(h slog.Handler) slog.Handler {
	return &flushingHandler{Handler: h, b: b}
}

type flushingHandler struct {
	slog.Handler
	b *LogBuffer
}

func (h *flushingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.b.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h *flushingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &flushingHandler{Handler: h.Handler.WithAttrs(attrs), b: h.b}
}

func (h *flushingHandler) WithGroup(name string) slog.Handler {
	return &flushingHandler{Handler: h.Handler.WithGroup(name), b: h.b}
}
