package newsroom

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/quote"
)

// ReportStatus is where a reader's error report stands.
type ReportStatus string

const (
	ReportOpen        ReportStatus = "open"          // waiting for an editor
	ReportFixed       ReportStatus = "fixed"         // an editor fixed it (by applying a suggestion or by hand)
	ReportFixedByEdit ReportStatus = "fixed_by_edit" // an edit removed the reported text from its place
	ReportRejected    ReportStatus = "rejected"      // not an error
	ReportSpam        ReportStatus = "spam"
)

// Valid reports whether s is a known report status.
func (s ReportStatus) Valid() bool {
	switch s {
	case ReportOpen, ReportFixed, ReportFixedByEdit, ReportRejected, ReportSpam:
		return true
	}
	return false
}

// IsFixed reports whether the reported error was corrected, so a reader
// who asked may be told.
func (s ReportStatus) IsFixed() bool { return s == ReportFixed || s == ReportFixedByEdit }

// TextPart names a part of an article that readers can quote.
type TextPart string

const (
	PartHeadline   TextPart = "headline"
	PartStandfirst TextPart = "standfirst"
	PartCaption    TextPart = "caption" // the lead image's caption
	PartBody       TextPart = "body"
)

// Valid reports whether p is a known part.
func (p TextPart) Valid() bool {
	switch p {
	case PartHeadline, PartStandfirst, PartCaption, PartBody:
		return true
	}
	return false
}

// Quote identifies a place in an article's text: the exact text, with some
// of the text just before and just after it (see package quote, which
// finds it).
type Quote = quote.Quote

// ErrorReport is one place in an article that readers said is wrong, with
// everything they suggested. Reports of the same place merge into one.
type ErrorReport struct {
	ID        int64 `json:"id"`
	ArticleID int64 `json:"article_id"`
	// Revision is the article revision Place refers to.
	Revision int      `json:"revision"`
	Part     TextPart `json:"part"`
	// Place identifies the occurrence within that revision (part and
	// offsets in its shown text); reports with equal places merge.
	Place string `json:"-"`
	Quote
	// Before and After are the rest of the sentence around Exact, as shown
	// when the report was filed, for the desk and the e-mails.
	Before string       `json:"before"`
	After  string       `json:"after"`
	Status ReportStatus `json:"status"`
	// Count is how many readers (distinct addresses) reported the place.
	Count       int                `json:"count"`
	Suggestions []ReportSuggestion `json:"suggestions"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	ResolvedAt  time.Time          `json:"resolved_at"`
	ResolvedBy  int64              `json:"resolved_by,omitempty"`
}

// ReportSuggestion is what one reader sent about a place: an optional
// corrected text and an optional comment. Email, when given, is used once
// to say the error was fixed and then deleted; IP is kept only while the
// report is open, for rate limits and blocking spam.
type ReportSuggestion struct {
	ID        int64     `json:"id"`
	Text      string    `json:"suggestion"`
	Comment   string    `json:"comment"`
	Email     string    `json:"-"`
	IP        string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// ReportLimits bounds what a reader may send.
type ReportLimits struct {
	MaxExact      int // characters of the exact quote (default 300)
	MaxContext    int // characters of prefix and of suffix (default 200)
	MaxSuggestion int // characters (default 1000)
	MaxComment    int // characters (default 2000)
}

// DefaultReportLimits are the limits used when none are configured.
var DefaultReportLimits = ReportLimits{MaxExact: 300, MaxContext: 200, MaxSuggestion: 1000, MaxComment: 2000}

// WithDefaults fills zero limits with the defaults.
func (l ReportLimits) WithDefaults() ReportLimits {
	d := DefaultReportLimits
	if l.MaxExact > 0 {
		d.MaxExact = l.MaxExact
	}
	if l.MaxContext > 0 {
		d.MaxContext = l.MaxContext
	}
	if l.MaxSuggestion > 0 {
		d.MaxSuggestion = l.MaxSuggestion
	}
	if l.MaxComment > 0 {
		d.MaxComment = l.MaxComment
	}
	return d
}

// ReportSubmission is a reader's report as it arrives, before it is
// located in the article.
type ReportSubmission struct {
	ArticleID int64
	Revision  int // 0 means the current revision (the form without JavaScript)
	Part      TextPart
	Quote
	Suggestion string
	Comment    string
	Email      string
	IP         string
}

// Normalize trims the fields and turns line breaks in the one-line fields
// into spaces. A suggestion equal to the quote is no suggestion.
func (s *ReportSubmission) Normalize() {
	oneLine := func(v string) string {
		return strings.Join(strings.Fields(strings.ToValidUTF8(v, "")), " ")
	}
	s.Exact = strings.TrimSpace(strings.ToValidUTF8(s.Exact, ""))
	s.Prefix = strings.ToValidUTF8(s.Prefix, "")
	s.Suffix = strings.ToValidUTF8(s.Suffix, "")
	s.Suggestion = oneLine(s.Suggestion)
	s.Comment = strings.TrimSpace(strings.ToValidUTF8(s.Comment, ""))
	s.Email = strings.TrimSpace(s.Email)
	if s.Suggestion == oneLine(s.Exact) {
		s.Suggestion = ""
	}
}

// Validate checks a normalized submission against the limits. Errors are
// Invalid and name the field.
func (s *ReportSubmission) Validate(l ReportLimits) error {
	l = l.WithDefaults()
	if s.ArticleID <= 0 {
		return Errorf(Invalid, "article_id", "article_id is required")
	}
	if s.Revision < 0 {
		return Errorf(Invalid, "revision", "revision must be a positive number")
	}
	if s.Part != "" && !s.Part.Valid() {
		return Errorf(Invalid, "part", "part must be headline, standfirst, caption or body")
	}
	n := utf8.RuneCountInString(s.Exact)
	if n == 0 || quote.Fold(s.Exact) == "" {
		return Errorf(Invalid, "exact", "select or paste the words with the error")
	}
	if n > l.MaxExact {
		return Errorf(Invalid, "exact", "the quoted text is longer than %d characters; select just the words with the error", l.MaxExact)
	}
	if utf8.RuneCountInString(s.Prefix) > l.MaxContext {
		return Errorf(Invalid, "prefix", "prefix is longer than %d characters", l.MaxContext)
	}
	if utf8.RuneCountInString(s.Suffix) > l.MaxContext {
		return Errorf(Invalid, "suffix", "suffix is longer than %d characters", l.MaxContext)
	}
	if utf8.RuneCountInString(s.Suggestion) > l.MaxSuggestion {
		return Errorf(Invalid, "suggestion", "the suggestion is longer than %d characters", l.MaxSuggestion)
	}
	if utf8.RuneCountInString(s.Comment) > l.MaxComment {
		return Errorf(Invalid, "comment", "the comment is longer than %d characters", l.MaxComment)
	}
	if s.Email != "" {
		a, err := mail.ParseAddress(s.Email)
		if err != nil || a.Address != s.Email || len(s.Email) > 254 {
			return Errorf(Invalid, "email", "the e-mail address is not valid")
		}
	}
	return nil
}

// ErrorReportFilter selects reports. Zero fields do not filter. Without a
// status, open reports come first; within a status, the most recently
// reported first.
type ErrorReportFilter struct {
	Status    ReportStatus
	ArticleID int64
	Limit     int // 0 means 50
	Offset    int
}

// DigestItem is one reader's report not yet sent to the editors.
type DigestItem struct {
	SuggestionID int64
	Report       ErrorReport // without Suggestions
	Headline     string
	Suggestion   ReportSuggestion
}

// ReaderNotice is a reader's address waiting to hear that the error they
// reported was fixed.
type ReaderNotice struct {
	SuggestionID int64
	Email        string
	Report       ErrorReport // without Suggestions
	Headline     string
}

// ErrorReportStore keeps readers' error reports.
type ErrorReportStore interface {
	// FileErrorReport stores s as a report of r's place: merged into the
	// open report of the same article and Place if there is one (Count
	// grows when s comes from an address not seen on it), else as a new
	// open report. r is filled from the stored report (ID, Status, Count,
	// times); merged says whether it existed. An unknown article is
	// NotFound.
	FileErrorReport(ctx context.Context, r *ErrorReport, s *ReportSuggestion) (merged bool, err error)
	// ErrorReportByID returns a report with its suggestions, or NotFound.
	ErrorReportByID(ctx context.Context, id int64) (*ErrorReport, error)
	// FindErrorReports returns one page of reports with their suggestions,
	// and the total count.
	FindErrorReports(ctx context.Context, f ErrorReportFilter) ([]*ErrorReport, int, error)
	// CountErrorReports counts reports with the status.
	CountErrorReports(ctx context.Context, status ReportStatus) (int, error)
	// ResolveErrorReport sets the status of a report (by is the staff user,
	// 0 for the system). Leaving "open" forgets the reporters' addresses
	// (IP), and e-mail addresses too unless the error was fixed.
	ResolveErrorReport(ctx context.Context, id int64, status ReportStatus, by int64) error
	// MoveErrorReport re-anchors an open report to a place in a newer revision.
	MoveErrorReport(ctx context.Context, id int64, revision int, place string) error
	// BlockReporters adds the addresses that sent the report to the
	// blocklist and returns how many were added.
	BlockReporters(ctx context.Context, reportID int64) (int, error)
	// IPBlocked reports whether ip is on the blocklist.
	IPBlocked(ctx context.Context, ip string) (bool, error)
	// UndigestedReports lists readers' reports not yet sent to the editors
	// in a digest, oldest first, at most limit.
	UndigestedReports(ctx context.Context, limit int) ([]DigestItem, error)
	// MarkDigested records that the suggestions were sent in a digest.
	MarkDigested(ctx context.Context, suggestionIDs []int64) error
	// ReaderNotices lists addresses of readers whose report is fixed and
	// who have not been told yet, at most limit.
	ReaderNotices(ctx context.Context, limit int) ([]ReaderNotice, error)
	// ForgetReporterEmail deletes the e-mail address of one suggestion.
	ForgetReporterEmail(ctx context.Context, suggestionID int64) error
}

// Messages of the Unprocessable errors QuoteError returns on "exact", so
// that surfaces can say them in the reader's language.
const (
	MsgQuoteNotFound  = "the selected text was not found in this version of the article; reload the page and select it again"
	MsgQuoteAmbiguous = "these words appear more than once in the article; include a few words around them"
)

// QuoteError turns an error of quote.Locate or quote.Replace into the
// error a reader or editor is shown: an empty quote is Invalid on
// "exact", one not found or found in several places Unprocessable on
// "exact", a location in another part Invalid on "part", and text that
// changed since it was located a Conflict. Any other error (and nil) is
// returned as it is.
func QuoteError(err error) error {
	var pe *quote.PartError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, quote.ErrEmpty):
		return Errorf(Invalid, "exact", "the quoted text is empty")
	case errors.Is(err, quote.ErrNotFound):
		return Errorf(Unprocessable, "exact", "%s", MsgQuoteNotFound)
	case errors.Is(err, quote.ErrAmbiguous):
		return Errorf(Unprocessable, "exact", "%s", MsgQuoteAmbiguous)
	case errors.As(err, &pe):
		return Errorf(Invalid, "part", "%s", pe.Error())
	case errors.Is(err, quote.ErrChanged):
		return Errorf(Conflict, "", "the text changed since it was located")
	}
	return err
}
