package reports

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"newsdesk/internal/i18n"
	"newsdesk/internal/mail"
)

// digestMax bounds one digest; more waits for the next.
const digestMax = 200

// SendDigest sends the editors one e-mail listing every reader's report
// not sent before, and returns how many it listed. Nothing is sent when
// there is nothing new or no mail is configured.
func (s *Service) SendDigest(ctx context.Context) (int, error) {
	if s.cfg.Mail == nil {
		return 0, nil
	}
	items, err := s.cfg.Store.UndigestedReports(ctx, digestMax)
	if err != nil || len(items) == 0 {
		return 0, err
	}
	to, err := s.digestRecipients(ctx)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.SuggestionID
	}
	if len(to) == 0 {
		// Nobody to tell; do not pile the reports up for later.
		return 0, s.cfg.Store.MarkDigested(ctx, ids)
	}
	lang := s.cfg.Language
	var b strings.Builder
	b.WriteString(i18n.N(lang, "reports.mail.digest_intro", len(items)) + "\n\n")
	last := int64(0)
	for _, it := range items {
		r := it.Report
		if r.ID != last {
			fmt.Fprintf(&b, "%s\n", plain(it.Headline))
			fmt.Fprintf(&b, "%s\n", i18n.T(lang, "reports.mail.place", plain(r.Before), plain(r.Exact), plain(r.After)))
			fmt.Fprintf(&b, "%s\n", i18n.N(lang, "reports.mail.readers", r.Count))
			last = r.ID
		}
		if it.Suggestion.Text != "" {
			fmt.Fprintf(&b, "  %s\n", i18n.T(lang, "reports.mail.suggestion", plain(it.Suggestion.Text)))
		}
		if it.Suggestion.Comment != "" {
			fmt.Fprintf(&b, "  %s\n%s\n", i18n.T(lang, "reports.mail.comment"), quoted(it.Suggestion.Comment))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s\n%s/desk/error-reports\n", i18n.T(lang, "reports.mail.queue"), s.cfg.BaseURL)
	subject := i18n.N(lang, "reports.mail.digest_subject", len(items), s.cfg.SiteName)
	if err := s.cfg.Mail.Send(ctx, mail.Message{To: to, Subject: subject, Text: b.String()}); err != nil {
		return 0, fmt.Errorf("send error report digest: %w", err)
	}
	if err := s.cfg.Store.MarkDigested(ctx, ids); err != nil {
		return 0, err
	}
	return len(items), nil
}

func (s *Service) digestRecipients(ctx context.Context) ([]string, error) {
	if len(s.cfg.DigestTo) > 0 {
		return s.cfg.DigestTo, nil
	}
	users, err := s.cfg.Store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	var to []string
	for _, u := range users {
		if !u.Disabled && u.Role.CanModerate() {
			to = append(to, u.Email)
		}
	}
	return to, nil
}

// SendNotices tells each reader who left an address that the error they
// reported is fixed, once, and deletes the address. It returns how many
// were told.
func (s *Service) SendNotices(ctx context.Context) (int, error) {
	if s.cfg.Mail == nil {
		return 0, nil
	}
	notices, err := s.cfg.Store.ReaderNotices(ctx, 100)
	if err != nil {
		return 0, err
	}
	lang := s.cfg.Language
	sent := 0
	for _, n := range notices {
		url := ""
		if a, err := s.cfg.Store.ArticleByID(ctx, n.Report.ArticleID); err == nil && a.IsPublic(s.cfg.Now()) {
			url = s.cfg.BaseURL + a.URL()
		}
		text := i18n.T(lang, "reports.mail.notice_text", plain(n.Headline), plain(n.Report.Exact)) + "\n"
		if url != "" {
			text += "\n" + url + "\n"
		}
		text += "\n" + i18n.T(lang, "reports.mail.notice_forget") + "\n\n" + s.cfg.SiteName + "\n"
		msg := mail.Message{To: []string{n.Email}, Subject: i18n.T(lang, "reports.mail.notice_subject", s.cfg.SiteName), Text: text}
		if err := s.cfg.Mail.Send(ctx, msg); err != nil {
			s.log.Warn("error reports: tell a reader", "report", n.Report.ID, "err", err)
			continue
		}
		if err := s.cfg.Store.ForgetReporterEmail(ctx, n.SuggestionID); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// Run sends readers' notices every minute and the editors' digest every
// digestEvery (no digest if zero), until ctx ends.
func (s *Service) jobDone(job string, err error) {
	if s.cfg.OnJob != nil {
		s.cfg.OnJob(job, err)
	}
}

func (s *Service) Run(ctx context.Context, digestEvery time.Duration) {
	if s.cfg.Mail == nil {
		return
	}
	tick := time.Minute
	if digestEvery > 0 && digestEvery < tick {
		tick = digestEvery
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	lastDigest := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			_, err := s.SendNotices(ctx)
			if err != nil {
				s.log.Error("error reports: reader notices", "err", err)
			}
			s.jobDone("report_notices", err)
			if digestEvery > 0 && now.Sub(lastDigest) >= digestEvery {
				lastDigest = now
				_, err := s.SendDigest(ctx)
				if err != nil {
					s.log.Error("error reports: digest", "err", err)
				}
				s.jobDone("report_digest", err)
			}
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// plain makes reader text safe for one line of a plain-text e-mail: no
// control characters or line breaks, at most 300 characters.
func plain(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = spaces.ReplaceAllString(s, " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

// quoted sets a reader's multi-line text apart, every line prefixed "> ".
func quoted(s string) string {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		lines = append(lines, "    > "+plain(l))
	}
	return strings.Join(lines, "\n")
}
