package backup

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress draws one bar on a terminal line ("\r" redraws it), at most
// ten times a second, and ends the line when the phase is done. A nil
// writer draws nothing.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	unit  string // "rows", "bytes"
	total int64
	done  int64
	start time.Time
	drawn time.Time
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

// phase starts a new bar.
func (p *progress) phase(label, unit string, total int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label, p.unit, p.total, p.done, p.start, p.drawn = label, unit, total, 0, time.Now(), time.Time{}
	p.draw(false)
}

// add moves the bar on by n.
func (p *progress) add(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if time.Since(p.drawn) >= 100*time.Millisecond {
		p.draw(false)
	}
}

// finish draws the full bar and ends its line.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(true)
}

func (p *progress) draw(final bool) {
	if p.w == nil {
		return
	}
	p.drawn = time.Now()
	const width = 30
	frac := 1.0
	if p.total > 0 {
		frac = min(1, float64(p.done)/float64(p.total))
	}
	filled := int(frac * width)
	bar := strings.Repeat("#", filled) + strings.Repeat(".", width-filled)
	secs := max(time.Since(p.start).Seconds(), 1e-3)
	var amount string
	if p.unit == "bytes" {
		amount = fmt.Sprintf("%s / %s  %s/s", sizeOf(p.done), sizeOf(p.total), sizeOf(int64(float64(p.done)/secs)))
	} else {
		amount = fmt.Sprintf("%d / %d %s  %.0f/s", p.done, p.total, p.unit, float64(p.done)/secs)
	}
	end := ""
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%-8s [%s] %3.0f%%  %s\033[K%s", p.label, bar, frac*100, amount, end)
}

// sizeOf writes a byte count for people.
func sizeOf(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
