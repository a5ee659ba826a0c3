package newsroom

import (
	"strings"
	"testing"
	"time"
)

func TestCommentInputValidate(t *testing.T) {
	s := DefaultCommentSettings()
	ok := CommentInput{Name: "Ása Lind", Email: "asa@example.org", Website: "https://asa.example/x?y=1", Body: "Good piece."}
	tests := []struct {
		name           string
		change         func(in *CommentInput)
		field, reason  string
		requireEmailOf bool
	}{
		{"valid", func(*CommentInput) {}, "", "", true},
		{"no website is fine", func(in *CommentInput) { in.Website = "" }, "", "", true},
		{"missing comment", func(in *CommentInput) { in.Body = "   \n " }, "body", "required", true},
		{"comment at the limit", func(in *CommentInput) { in.Body = strings.Repeat("ж", 10_000) }, "", "", true},
		{"comment over the limit", func(in *CommentInput) { in.Body = strings.Repeat("ж", 10_001) }, "body", "too_long", true},
		{"missing name", func(in *CommentInput) { in.Name = " " }, "name", "required", true},
		{"long name", func(in *CommentInput) { in.Name = strings.Repeat("n", 101) }, "name", "too_long", true},
		{"missing e-mail", func(in *CommentInput) { in.Email = "" }, "email", "required", true},
		{"missing e-mail, not required", func(in *CommentInput) { in.Email = "" }, "", "", false},
		{"e-mail without @", func(in *CommentInput) { in.Email = "asa.example.org" }, "email", "email", true},
		{"e-mail with display name", func(in *CommentInput) { in.Email = "Ása <asa@example.org>" }, "email", "email", true},
		{"e-mail with script", func(in *CommentInput) { in.Email = `"><script>x</script>@a.b` }, "email", "email", true},
		{"e-mail without dot in domain", func(in *CommentInput) { in.Email = "asa@localhost" }, "email", "email", true},
		{"javascript website", func(in *CommentInput) { in.Website = "javascript:alert(1)" }, "website", "website", true},
		{"data website", func(in *CommentInput) { in.Website = "data:text/html,<b>x</b>" }, "website", "website", true},
		{"website breaking out of href", func(in *CommentInput) { in.Website = `https://a.example/"onmouseover="x` }, "website", "website", true},
		{"website without scheme", func(in *CommentInput) { in.Website = "asa.example" }, "website", "website", true},
		{"protocol-relative website", func(in *CommentInput) { in.Website = "//evil.example" }, "website", "website", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.change(&in)
			typed := in
			in.Normalize()
			cs := s
			cs.RequireEmail = tt.requireEmailOf
			err := in.Validate(cs)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v; want nil", err)
				}
				return
			}
			e := AsError(err)
			if e == nil || e.Code != Invalid || e.Field != tt.field || CommentReason(err) != tt.reason {
				t.Fatalf("Validate = %v (reason %q); want invalid on %s (%s)", err, CommentReason(err), tt.field, tt.reason)
			}
			if e.Message == "" {
				t.Error("error has no message")
			}
			if strings.TrimSpace(typed.Body) != in.Body {
				t.Error("Normalize changed what the reader typed beyond trimming")
			}
		})
	}
}

func TestCommentsOpen(t *testing.T) {
	pub := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a := &Article{Status: Published, PublishedAt: pub, CommentsOpen: true}
	s := DefaultCommentSettings()
	s.CloseAfterDays = 14
	tests := []struct {
		name string
		now  time.Time
		open bool
		days int
		edit func(a *Article)
		want bool
	}{
		{"just published", pub.Add(time.Minute), true, 14, nil, true},
		{"a second before closing", pub.AddDate(0, 0, 14).Add(-time.Second), true, 14, nil, true},
		{"at closing time", pub.AddDate(0, 0, 14), true, 14, nil, false},
		{"long after", pub.AddDate(1, 0, 0), true, 14, nil, false},
		{"never close", pub.AddDate(5, 0, 0), true, 0, nil, true},
		{"closed by an editor", pub.Add(time.Hour), false, 14, nil, false},
		{"not yet public", pub.Add(-time.Hour), true, 14, nil, false},
		{"draft", pub.Add(time.Hour), true, 14, func(a *Article) { a.Status = Draft }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := *a
			x.CommentsOpen = tt.open
			if tt.edit != nil {
				tt.edit(&x)
			}
			cs := s
			cs.CloseAfterDays = tt.days
			if got := CommentsOpen(&x, cs, tt.now); got != tt.want {
				t.Errorf("CommentsOpen = %v; want %v", got, tt.want)
			}
			err := CheckOpen(&x, cs, tt.now)
			if tt.want != (err == nil) {
				t.Errorf("CheckOpen = %v", err)
			}
			if err != nil && (ErrorCode(err) != Forbidden || CommentReason(err) != "closed") {
				t.Errorf("CheckOpen error = %v (%s); want forbidden/closed", err, CommentReason(err))
			}
		})
	}
}

func TestCheckReply(t *testing.T) {
	s := DefaultCommentSettings() // depth limit 5: depths 0..4
	tests := []struct {
		name      string
		parent    *Comment
		reason    string
		wantDepth int
	}{
		{"top-level parent", &Comment{ArticleID: 1, Status: CommentApproved, Depth: 0}, "", 1},
		{"deepest allowed", &Comment{ArticleID: 1, Status: CommentApproved, Depth: 3}, "", 4},
		{"too deep", &Comment{ArticleID: 1, Status: CommentApproved, Depth: 4}, "depth", 0},
		{"missing parent", nil, "parent", 0},
		{"other article", &Comment{ArticleID: 2, Status: CommentApproved}, "parent_article", 0},
		{"pending parent", &Comment{ArticleID: 1, Status: CommentPending}, "parent_status", 0},
		{"trashed parent", &Comment{ArticleID: 1, Status: CommentTrash}, "parent_status", 0},
		{"spam parent", &Comment{ArticleID: 1, Status: CommentSpam}, "parent_status", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			depth, err := CheckReply(tt.parent, 1, s)
			if tt.reason == "" {
				if err != nil || depth != tt.wantDepth {
					t.Errorf("CheckReply = %d, %v; want %d, nil", depth, err, tt.wantDepth)
				}
				return
			}
			if e := AsError(err); e == nil || e.Field != "parent_id" || CommentReason(err) != tt.reason {
				t.Errorf("CheckReply = %v (%s); want parent_id/%s", err, CommentReason(err), tt.reason)
			}
		})
	}
	s.MaxDepth = 1
	if _, err := CheckReply(&Comment{ArticleID: 1, Status: CommentApproved}, 1, s); CommentReason(err) != "depth" {
		t.Errorf("depth 1 allows replies: %v", err)
	}
}

func TestClassify(t *testing.T) {
	base := DefaultCommentSettings()
	base.ModerationWords = []string{"casino", "203.0.113."}
	base.SpamWords = []string{"cheap pills"}
	tests := []struct {
		name   string
		c      Comment
		known  bool
		change func(s *CommentSettings)
		want   CommentStatus
	}{
		{"first-time author held", Comment{Body: "Hello"}, false, nil, CommentPending},
		{"known author approved", Comment{Body: "Hello"}, true, nil, CommentApproved},
		{"first-time allowed when not holding", Comment{Body: "Hello"}, false, func(s *CommentSettings) { s.HoldFirstTime = false }, CommentApproved},
		{"two links pass", Comment{Body: "see https://a.example and http://b.example"}, true, nil, CommentApproved},
		{"three links held", Comment{Body: "https://a.example https://b.example www.c.example"}, true, nil, CommentPending},
		{"no link limit", Comment{Body: "https://a.example https://b.example https://c.example"}, true, func(s *CommentSettings) { s.MaxLinks = -1 }, CommentApproved},
		{"moderation word in text", Comment{Body: "Try the CASINO"}, true, nil, CommentPending},
		{"moderation address", Comment{Body: "hi", IP: "203.0.113.5"}, true, nil, CommentPending},
		{"spam word in name", Comment{Name: "Cheap Pills Shop", Body: "hi"}, true, nil, CommentSpam},
		{"spam beats manual approval", Comment{Body: "cheap pills"}, true, func(s *CommentSettings) { s.ManualApproval = true }, CommentSpam},
		{"manual approval holds all", Comment{Body: "hi"}, true, func(s *CommentSettings) { s.ManualApproval = true }, CommentPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			if tt.change != nil {
				tt.change(&s)
			}
			if got, reason := Classify(&tt.c, s, tt.known); got != tt.want {
				t.Errorf("Classify = %s (%s); want %s", got, reason, tt.want)
			}
		})
	}
}

func TestCommentSettings(t *testing.T) {
	var s CommentSettings
	s.Normalize()
	d := DefaultCommentSettings()
	if s.MaxLength != 10_000 || s.MaxDepth != 5 || s.PerPage != d.PerPage {
		t.Errorf("zero settings normalized to %+v", s)
	}
	if d.FloodSeconds != 15 || d.MaxLength != 10_000 || d.MaxDepth != 5 {
		t.Errorf("defaults = %+v", d)
	}
	if got := ParseWords(" Casino\n\nviagra, 203.0.113.\r\n"); strings.Join(got, "|") != "casino|viagra|203.0.113." {
		t.Errorf("ParseWords = %q", got)
	}
	bad := d
	bad.MaxDepth = 0
	if e := AsError(bad.Validate()); e == nil || e.Field != "max_depth" {
		t.Errorf("Validate(max_depth 0) = %v", e)
	}
}
