package comments

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"newsdesk/internal/mail"
	"newsdesk/internal/newsroom"
)

// SettingDigestAt is the settings key holding when the last digest was
// made (RFC 3339); comments after it go into the next one.
const SettingDigestAt = "comments.digest_at"

// SendDigest mails, when the digest interval has passed, one plain-text
// message per recipient listing the comments (pending or approved) received
// since the last digest: editors and moderators get every comment, an
// article's authors who have staff accounts get those on their articles.
// It returns how many messages were sent. Without a mail sender, or with
// digests off, it does nothing.
func (s *Service) SendDigest(ctx context.Context) (int, error) {
	if s.mail == nil {
		return 0, nil
	}
	cs, err := s.Settings(ctx)
	if err != nil || cs.DigestMinutes == 0 {
		return 0, err
	}
	now := s.now().UTC()
	interval := time.Duration(cs.DigestMinutes) * time.Minute
	since := now.Add(-interval)
	if v, err := s.store.Setting(ctx, SettingDigestAt); err != nil {
		return 0, err
	} else if v != "" {
		last, err := time.Parse(time.RFC3339Nano, v)
		if err == nil {
			if now.Sub(last) < interval {
				return 0, nil
			}
			since = last
		}
	}
	var fresh []*newsroom.Comment
	for _, st := range []newsroom.CommentStatus{newsroom.CommentPending, newsroom.CommentApproved} {
		list, _, err := s.store.FindComments(ctx, newsroom.CommentFilter{Status: st, Since: since, Until: now, OldestFirst: true, Limit: 1000})
		if err != nil {
			return 0, err
		}
		for _, c := range list {
			if !c.Staff {
				fresh = append(fresh, c)
			}
		}
	}
	// Mark the period done first: a failed delivery is logged, not repeated
	// every minute.
	if err := s.store.SetSetting(ctx, SettingDigestAt, now.Format(time.RFC3339Nano)); err != nil {
		return 0, err
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].CreatedAt.Before(fresh[j].CreatedAt) })

	users, err := s.store.ListUsers(ctx)
	if err != nil {
		return 0, err
	}
	byEmail := map[string][]*newsroom.Comment{}
	for _, u := range users {
		if !u.Disabled && (u.Role == newsroom.RoleEditor || u.Role == newsroom.RoleModerator) {
			byEmail[u.Email] = fresh
		}
	}
	articles := map[int64]*newsroom.Article{}
	for _, c := range fresh {
		if _, ok := articles[c.ArticleID]; !ok {
			a, err := s.store.ArticleByID(ctx, c.ArticleID)
			if err != nil {
				return 0, err
			}
			articles[c.ArticleID] = a
		}
	}
	for id, a := range articles {
		for _, b := range a.Authors {
			au, err := s.store.AuthorByID(ctx, b.AuthorID)
			if err != nil || au.UserID == 0 {
				continue
			}
			u, err := s.store.UserByID(ctx, au.UserID)
			if err != nil || u.Disabled {
				continue
			}
			if _, all := byEmail[u.Email]; all && (u.Role == newsroom.RoleEditor || u.Role == newsroom.RoleModerator) {
				continue
			}
			for _, c := range fresh {
				if c.ArticleID == id && !containsComment(byEmail[u.Email], c) {
					byEmail[u.Email] = append(byEmail[u.Email], c)
				}
			}
		}
	}
	emails := make([]string, 0, len(byEmail))
	for e := range byEmail {
		emails = append(emails, e)
	}
	sort.Strings(emails)
	sent := 0
	for _, e := range emails {
		list := byEmail[e]
		sort.Slice(list, func(i, j int) bool { return list[i].CreatedAt.Before(list[j].CreatedAt) })
		m := mail.Message{To: []string{e}, Subject: s.digestSubject(len(list)), Text: s.digestText(list, articles, since)}
		if err := s.mail.Send(ctx, m); err != nil {
			s.log().Error("comments: digest not delivered", "to", e, "err", err)
			continue
		}
		sent++
	}
	s.log().Info("comments: digest sent", "comments", len(fresh), "messages", sent)
	return sent, nil
}

func containsComment(list []*newsroom.Comment, c *newsroom.Comment) bool {
	for _, x := range list {
		if x.ID == c.ID {
			return true
		}
	}
	return false
}

func (s *Service) digestSubject(n int) string {
	site := s.siteName
	if site == "" {
		site = "newsdesk"
	}
	if n == 1 {
		return fmt.Sprintf("1 new comment on %s", site)
	}
	return fmt.Sprintf("%d new comments on %s", n, site)
}

// digestText is the plain-text body: what readers typed appears as text in
// a text/plain message, so nothing in it can act as markup.
func (s *Service) digestText(list []*newsroom.Comment, articles map[int64]*newsroom.Article, since time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "New comments since %s UTC:\n", since.UTC().Format("2006-01-02 15:04"))
	var lastArticle int64
	for _, c := range list {
		a := articles[c.ArticleID]
		if c.ArticleID != lastArticle {
			headline := ""
			if a != nil {
				headline = a.Headline
			}
			fmt.Fprintf(&b, "\n== %s\n", oneLine(headline))
			lastArticle = c.ArticleID
		}
		link := ""
		if a != nil {
			link = s.baseURL + a.URL() + fmt.Sprintf("#comment-%d", c.ID)
		}
		fmt.Fprintf(&b, "\n-- %s <%s> (%s), %s UTC\n", oneLine(c.Name), oneLine(c.Email), c.Status, c.CreatedAt.UTC().Format("2006-01-02 15:04"))
		if c.Website != "" {
			fmt.Fprintf(&b, "   website: %s\n", oneLine(c.Website))
		}
		if c.Status == newsroom.CommentApproved && link != "" {
			fmt.Fprintf(&b, "   %s\n", link)
		}
		for _, line := range strings.Split(c.Body, "\n") {
			fmt.Fprintf(&b, "   %s\n", line)
		}
	}
	fmt.Fprintf(&b, "\nModerate: %s/desk/comments?status=pending\n", s.baseURL)
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
