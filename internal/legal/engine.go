package legal

import (
	"sync/atomic"
	"time"

	"newsdesk/internal/newsroom"
)

// Engine holds the current Index and marks articles with it. Swapping the
// index (Load) is safe while articles are being marked.
type Engine struct {
	cur atomic.Pointer[Index]
	now newsroom.Clock
	loc *time.Location
}

// NewEngine returns an engine with an empty registry. now dates drafts;
// loc is the zone listing dates are read in (nil means UTC).
func NewEngine(now newsroom.Clock, loc *time.Location) *Engine {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	e := &Engine{now: now, loc: loc}
	e.cur.Store(Compile(nil, newsroom.LegalPolicy{}))
	return e
}

// Load makes ix the index used from now on.
func (e *Engine) Load(ix *Index) { e.cur.Store(ix) }

// Index returns the index in use.
func (e *Engine) Index() *Index { return e.cur.Load() }

// Hook marks a with the current index. Its signature is render.Hook, so
// main adds it to the renderer: renderer.AddHook(engine.Hook).
func (e *Engine) Hook(a *newsroom.Article) error {
	e.cur.Load().Mark(a, e.now(), e.loc)
	return nil
}

// Inspect returns what the current index finds in a, without changing it.
func (e *Engine) Inspect(a *newsroom.Article) []Finding {
	return e.cur.Load().Inspect(a, e.now(), e.loc)
}
