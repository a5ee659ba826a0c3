package site

import (
	"context"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/newsroom"
)

// A never-viewed page should cost its own rows, not the site's chrome: the
// sections (navigation), the footer menu, a few settings and each
// edition's Most read lists are read on nearly every page and change
// seldom. With Config.HearsChanges the site keeps them in memory between
// the changes that concern them: Changed (which hears every committed
// write, the other nodes' too on PostgreSQL, and "*" after the listener
// reconnects) drops each on the change keys the page cache drops the
// pages on. memoTTL bounds how long a value is kept all the same, for
// what no write announces (a scheduled story whose time came, the day
// turning).

// memoTTL is the longest a remembered value is used without a re-read.
const memoTTL = time.Minute

// memoSlot is one remembered value. A read that raced with a change is
// used once but not kept (gen moved on meanwhile).
type memoSlot[T any] struct {
	mu   sync.Mutex
	gen  uint64
	ok   bool
	at   time.Time
	val  T
	tick string // the value's own validity (the view day of Most read)
}

// get returns the remembered value, or reads it with read and keeps it.
func (m *memoSlot[T]) get(now time.Time, tick string, read func() (T, error)) (T, error) {
	m.mu.Lock()
	if m.ok && m.tick == tick && now.Sub(m.at) < memoTTL && !now.Before(m.at) {
		v := m.val
		m.mu.Unlock()
		return v, nil
	}
	gen := m.gen
	m.mu.Unlock()
	v, err := read()
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	if m.gen == gen {
		m.val, m.at, m.tick, m.ok = v, now, tick, true
	}
	m.mu.Unlock()
	return v, nil
}

// drop forgets the value.
func (m *memoSlot[T]) drop() {
	m.mu.Lock()
	m.ok = false
	m.gen++
	m.mu.Unlock()
}

// memo is what every edition shares; the per-edition values are keyed by
// language.
type memo struct {
	on       bool
	cats     memoSlot[[]newsroom.Category]
	menu     memoSlot[[]newsroom.Page]
	mu       sync.Mutex
	settings map[string]*memoSlot[string]         // by setting key
	mostRead map[string]*memoSlot[*mostReadLists] // by edition language
}

// mostReadLists are an edition's two lists as the store gave them.
type mostReadLists struct {
	today, week []*newsroom.Article
}

func newMemo(on bool) *memo {
	return &memo{on: on, settings: map[string]*memoSlot[string]{}, mostRead: map[string]*memoSlot[*mostReadLists]{}}
}

func (m *memo) setting(key string) *memoSlot[string] {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.settings[key]
	if s == nil {
		s = new(memoSlot[string])
		m.settings[key] = s
	}
	return s
}

func (m *memo) mostReadIn(lang string) *memoSlot[*mostReadLists] {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.mostRead[lang]
	if s == nil {
		s = new(memoSlot[*mostReadLists])
		m.mostRead[lang] = s
	}
	return s
}

// changed drops what the change keys touch: "nav" and a section's key
// the sections, "nav" and a static page's key the footer menu, a
// setting's key (and "site") that setting, "most-read" (the view
// counter's ranking moved) and any story's keys ("home" is among every
// article's) the Most read lists; "*" all of it.
func (m *memo) changed(keys []string) {
	var cats, menu, most, allSettings bool
	var settings []string
	for _, k := range keys {
		switch {
		case k == "*":
			cats, menu, most, allSettings = true, true, true, true
		case k == keyNav:
			cats, menu = true, true
		case strings.HasPrefix(k, "category:"):
			cats = true
		case strings.HasPrefix(k, "page:"):
			menu = true
		case k == "site":
			allSettings = true
		case strings.HasPrefix(k, "setting:"):
			settings = append(settings, strings.TrimPrefix(k, "setting:"))
		case k == keyMostRead || k == "home" || strings.HasPrefix(k, "article:"):
			most = true
		}
	}
	if cats {
		m.cats.drop()
	}
	if menu {
		m.menu.drop()
	}
	m.mu.Lock()
	var slots []interface{ drop() }
	for key, s := range m.settings {
		for _, k := range settings {
			if k == key {
				slots = append(slots, s)
			}
		}
		if allSettings {
			slots = append(slots, s)
		}
	}
	if most {
		for _, s := range m.mostRead {
			slots = append(slots, s)
		}
	}
	m.mu.Unlock()
	for _, s := range slots {
		s.drop()
	}
}

// categories returns every section, from memory when the site hears changes.
func (s *Server) categories(ctx context.Context) ([]newsroom.Category, error) {
	if !s.memo.on {
		return s.store.Categories(ctx)
	}
	return s.memo.cats.get(s.now(), "", func() ([]newsroom.Category, error) { return s.store.Categories(ctx) })
}

// menuPages returns the footer menu's pages (every edition's), likewise.
func (s *Server) menuPages(ctx context.Context) ([]newsroom.Page, error) {
	if !s.memo.on {
		return s.cfg.Pages.MenuPages(ctx)
	}
	return s.memo.menu.get(s.now(), "", func() ([]newsroom.Page, error) { return s.cfg.Pages.MenuPages(ctx) })
}

// setting returns a stored setting's value, likewise.
func (s *Server) setting(ctx context.Context, key string) (string, error) {
	if !s.memo.on {
		return s.store.Setting(ctx, key)
	}
	return s.memo.setting(key).get(s.now(), "", func() (string, error) { return s.store.Setting(ctx, key) })
}
