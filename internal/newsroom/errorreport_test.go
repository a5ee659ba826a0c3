package newsroom

import (
	"strings"
	"testing"
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

func TestFoldText(t *testing.T) {
	tests := []struct{ a, b string }{
		{"“Hello” – he said…", `"Hello" -- he said...`},
		{"it’s", "it's"},
		{"«Гавань»", `"Гавань"`},
		{"two\u00a0words\nhere", "two words here"},
		{"soft\u00adhyphen", "softhyphen"},
	}
	for _, tt := range tests {
		if FoldText(tt.a) != FoldText(tt.b) {
			t.Errorf("FoldText(%q) = %q, FoldText(%q) = %q; want equal", tt.a, FoldText(tt.a), tt.b, FoldText(tt.b))
		}
	}
	if FoldText("Ёлка") == FoldText("Елка") {
		t.Error("ё and е must stay apart: a reader may report exactly that")
	}
	if SameText("a b", "ab") || !SameText("a \n b", "a b") {
		t.Error("SameText must collapse white space but keep it")
	}
}

func TestSentenceAround(t *testing.T) {
	text := "First one. The ferry was lata today! Next.\nOther line."
	i := strings.Index(text, "lata")
	before, after := sentenceAround(text, i, i+4)
	if before != "The ferry was " || after != " today!" {
		t.Errorf("sentence = %q + %q", before, after)
	}
	i = strings.Index(text, "Other")
	before, after = sentenceAround(text, i, i+5)
	if before != "" || after != " line." {
		t.Errorf("sentence after a line break = %q + %q", before, after)
	}
}

func TestDiffRunes(t *testing.T) {
	tests := []struct {
		old, new string
		want     []hunk
	}{
		{"teh", "the", []hunk{{1, 1, "h"}, {2, 3, ""}}},
		{"прошол", "прошёл", []hunk{{8, 10, "ё"}}},
		{"same", "same", nil},
		{"a b", "a\nb", nil},
		{"abc", "", []hunk{{0, 3, ""}}},
	}
	for _, tt := range tests {
		got := diffRunes(tt.old, tt.new)
		if len(got) != len(tt.want) {
			t.Errorf("diffRunes(%q, %q) = %v, want %v", tt.old, tt.new, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("diffRunes(%q, %q) = %v, want %v", tt.old, tt.new, got, tt.want)
				break
			}
		}
	}
}
