package editorial

import (
	"context"

	"newsdesk/internal/newsroom"
)

// Check is the pre-publish check of a as it would go live: a copy is
// rendered as a save would render it (legal markers included), then the
// domain's checks (newsroom.PrePublish) and the service's further Checks
// list what is missing or risky. Anyone who may write may check; a is not
// changed. Blockers are refused by Create and Update too.
func (s *Service) Check(ctx context.Context, u *newsroom.User, a *newsroom.Article) ([]newsroom.Finding, error) {
	c := *a
	if c.LeadImage != nil {
		img := *c.LeadImage
		c.LeadImage = &img
	}
	if err := s.Preview(ctx, u, &c); err != nil {
		return nil, err
	}
	p := newsroom.PrePublish{Hosts: s.hosts}
	if s.resolves != nil {
		p.Resolves = func(path string) bool { return s.resolves(ctx, path) }
	}
	out := p.Check(&c)
	for _, check := range s.checks {
		out = append(out, check(ctx, &c)...)
	}
	if out == nil {
		out = []newsroom.Finding{}
	}
	return out, nil
}
