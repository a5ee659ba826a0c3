package newsroom

import (
	"errors"
	"strings"
	"testing"

	"newsdesk/internal/quote"
)

func TestReportSubmissionValidate(t *testing.T) {
	ok := ReportSubmission{ArticleID: 1, Revision: 2, Quote: Quote{Exact: "teh", Prefix: "in ", Suffix: " end"}, Suggestion: "the", Email: "reader@example.com"}
	tests := []struct {
		name   string
		change func(s *ReportSubmission)
		field  string
	}{
		{"valid", func(s *ReportSubmission) {}, ""},
		{"no article", func(s *ReportSubmission) { s.ArticleID = 0 }, "article_id"},
		{"negative revision", func(s *ReportSubmission) { s.Revision = -1 }, "revision"},
		{"empty exact", func(s *ReportSubmission) { s.Exact = "   " }, "exact"},
		{"invisible exact", func(s *ReportSubmission) { s.Exact = "\u00ad\u200b" }, "exact"},
		{"exact too long", func(s *ReportSubmission) { s.Exact = strings.Repeat("я", 301) }, "exact"},
		{"exact at the limit", func(s *ReportSubmission) { s.Exact = strings.Repeat("я", 300) }, ""},
		{"prefix too long", func(s *ReportSubmission) { s.Prefix = strings.Repeat("a", 201) }, "prefix"},
		{"suffix too long", func(s *ReportSubmission) { s.Suffix = strings.Repeat("a", 201) }, "suffix"},
		{"suggestion too long", func(s *ReportSubmission) { s.Suggestion = strings.Repeat("a", 1001) }, "suggestion"},
		{"comment too long", func(s *ReportSubmission) { s.Comment = strings.Repeat("a", 2001) }, "comment"},
		{"bad e-mail", func(s *ReportSubmission) { s.Email = "Reader <r@example.com>" }, "email"},
		{"bad part", func(s *ReportSubmission) { s.Part = "footer" }, "part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.change(&s)
			s.Normalize()
			err := s.Validate(ReportLimits{})
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if e := AsError(err); e == nil || e.Code != Invalid || e.Field != tt.field {
				t.Errorf("Validate: %v, want invalid %s", err, tt.field)
			}
		})
	}
	// The limit on the quote is configurable.
	s := ok
	s.Exact = "twelve chars"
	if err := s.Validate(ReportLimits{MaxExact: 10}); AsError(err) == nil || AsError(err).Field != "exact" {
		t.Errorf("MaxExact 10: %v", err)
	}
}

func TestReportSubmissionNormalize(t *testing.T) {
	s := ReportSubmission{Quote: Quote{Exact: "  teh\n"}, Suggestion: "teh", Comment: " c \n"}
	s.Normalize()
	if s.Exact != "teh" || s.Suggestion != "" || s.Comment != "c" {
		t.Errorf("normalized: %+v (a suggestion equal to the quote is no suggestion)", s)
	}
	s = ReportSubmission{Quote: Quote{Exact: "a b"}, Suggestion: "a\n  c"}
	s.Normalize()
	if s.Suggestion != "a c" {
		t.Errorf("suggestion = %q, want line breaks as spaces", s.Suggestion)
	}
}

func TestQuoteError(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		code      Code
		field     string
		message   string
		unchanged bool
	}{
		{"empty", quote.ErrEmpty, Invalid, "exact", "the quoted text is empty", false},
		{"not found", quote.ErrNotFound, Unprocessable, "exact", MsgQuoteNotFound, false},
		{"ambiguous", quote.ErrAmbiguous, Unprocessable, "exact", MsgQuoteAmbiguous, false},
		{"other part", &quote.PartError{Located: "body", Given: "headline"}, Invalid, "part", "the location is in the body, not the headline", false},
		{"changed", quote.ErrChanged, Conflict, "", "the text changed since it was located", false},
		{"anything else", errors.New("disk on fire"), Internal, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := QuoteError(tt.err)
			if tt.unchanged {
				if got != tt.err {
					t.Fatalf("QuoteError(%v) = %v, want it unchanged", tt.err, got)
				}
				return
			}
			var e *Error
			if !errors.As(got, &e) {
				t.Fatalf("QuoteError(%v) = %v, want a *newsroom.Error", tt.err, got)
			}
			if e.Code != tt.code || e.Field != tt.field || e.Message != tt.message {
				t.Errorf("QuoteError(%v) = {%s %q %q}, want {%s %q %q}", tt.err, e.Code, e.Field, e.Message, tt.code, tt.field, tt.message)
			}
		})
	}
	if QuoteError(nil) != nil {
		t.Error("QuoteError(nil) must be nil")
	}
}
