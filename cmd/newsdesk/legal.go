package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"newsdesk/internal/demo"
	"newsdesk/internal/editorial"
	"newsdesk/internal/legal"
	"newsdesk/internal/legal/registry"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// legalRefresh is how often a node checks whether another node changed
// the legal registry.
const legalRefresh = 30 * time.Second

// newLegal builds the marking engine, adds it to the renderer as a hook,
// and loads the registry into it. The registry saves per-article switches
// through ed, the one editorial service, so they run its hooks.
func (a *app) newLegal(ctx context.Context, r *render.Renderer, ed *editorial.Service) (*registry.Service, error) {
	loc, err := time.LoadLocation(a.cfg.Timezone)
	if err != nil {
		loc = time.UTC
	}
	engine := legal.NewEngine(a.now, loc)
	r.AddHook(engine.Hook)
	svc := registry.New(registry.Config{
		OnJob:     a.metrics.JobDone,
		Store:     a.store,
		Engine:    engine,
		Render:    r.Article,
		Editorial: ed,
		Now:       a.now,
		Language:  a.cfg.Language,
		Logger:    a.log,
		Pause:     rerenderPause(),
	})
	if err := svc.Load(ctx); err != nil {
		return nil, fmt.Errorf("load legal registry: %w", err)
	}
	return svc, nil
}

// rerenderPause is the test-only pause before each article of a
// re-render job (NEWSDESK_TEST_RERENDER_PAUSE, a duration such as 50ms;
// TestRerenderJobSurvivesItsNode stops a node midway through a job).
func rerenderPause() time.Duration {
	d, _ := time.ParseDuration(os.Getenv("NEWSDESK_TEST_RERENDER_PAUSE"))
	return max(d, 0)
}

// demoLegalEntity is the demo outlet's designated organization as a
// registry entry.
func demoLegalEntity() newsroom.LegalEntity {
	org := demo.DesignatedOrganization
	return newsroom.LegalEntity{
		Name:     org.Name,
		Forms:    map[string][]string{"en": org.FormsEN, "ru": org.FormsRU},
		Marker:   org.Marker,
		Notes:    map[string]string{"en": org.NoteEN, "ru": org.NoteRU},
		Listings: []newsroom.LegalListing{{List: "Valdora: banned organizations", From: org.ListedFrom}},
	}
}

// seedLegalDemo registers the demo's designated organization (on first
// start, before the demo articles are rendered) and reloads the engine.
func (a *app) seedLegalDemo(ctx context.Context) error {
	e := demoLegalEntity()
	if err := a.store.CreateLegalEntity(ctx, &e); err != nil && newsroom.ErrorCode(err) != newsroom.Conflict {
		return fmt.Errorf("register the demo's designated organization: %w", err)
	}
	return a.legal.Load(ctx)
}
