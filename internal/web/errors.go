package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
)

// statuses is the one table from an error code to an HTTP status. Status
// adds the one rule on top of it (invalid with a field is 422).
var statuses = map[newsroom.Code]int{
	newsroom.Invalid:       http.StatusBadRequest,
	newsroom.Unauthorized:  http.StatusUnauthorized,
	newsroom.Forbidden:     http.StatusForbidden,
	newsroom.NotFound:      http.StatusNotFound,
	newsroom.Conflict:      http.StatusConflict,
	newsroom.TooLarge:      http.StatusRequestEntityTooLarge,
	newsroom.Unprocessable: http.StatusUnprocessableEntity,
	newsroom.RateLimited:   http.StatusTooManyRequests,
	newsroom.Internal:      http.StatusInternalServerError,
	newsroom.Unavailable:   http.StatusServiceUnavailable,
}

// Status is the HTTP status every surface answers e with: its code's row in
// the table, except that an invalid input naming its field is 422 (the
// request was read; that field is wrong), and an unknown code is 500.
func Status(e *newsroom.Error) int {
	if e == nil {
		return http.StatusInternalServerError
	}
	if e.Code == newsroom.Invalid && e.Field != "" {
		return http.StatusUnprocessableEntity
	}
	if st, ok := statuses[e.Code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// FormStatus is the status of a form shown again with its problem named
// beside what was typed: 422 for any invalid input, else Status.
func FormStatus(e *newsroom.Error) int {
	if e != nil && e.Code == newsroom.Invalid {
		return http.StatusUnprocessableEntity
	}
	return Status(e)
}

// Problem is an error as a response shows it.
type Problem struct {
	// Error is what the client is told; for an internal error, a generic
	// sentence (never the detail).
	*newsroom.Error
	Status int
	// Cause is the error as returned; log it when Internal.
	Cause error
}

// Internal reports whether the problem is ours, not the client's.
func (p Problem) Internal() bool { return p.Code == newsroom.Internal }

// TooLargeMessage words a request body over its limit.
func TooLargeMessage(limit int64) string {
	return fmt.Sprintf("the request body is larger than %d bytes", limit)
}

// ProblemOf classifies err: a *newsroom.Error keeps its code, field,
// message and retry time; a body cut off by http.MaxBytesReader is
// too_large (worded by tooLarge, or TooLargeMessage when nil); anything else
// is internal and shows internalMessage.
func ProblemOf(err error, internalMessage string, tooLarge func(limit int64) string) Problem {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) && newsroom.AsError(err) == nil {
		if tooLarge == nil {
			tooLarge = TooLargeMessage
		}
		e := &newsroom.Error{Code: newsroom.TooLarge, Message: tooLarge(maxErr.Limit)}
		return Problem{Error: e, Status: Status(e), Cause: err}
	}
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal {
		e = &newsroom.Error{Code: newsroom.Internal, Message: internalMessage}
	}
	return Problem{Error: e, Status: Status(e), Cause: err}
}

// RetrySeconds is d in whole seconds, rounded up, at least 1: what a
// Retry-After header and a sentence to the client say.
func RetrySeconds(d time.Duration) int {
	return max(int((d+time.Second-1)/time.Second), 1)
}

// RetryAfter writes d as the value of a Retry-After header.
func RetryAfter(d time.Duration) string { return strconv.Itoa(RetrySeconds(d)) }

// SetRetryAfter sets Retry-After to d when d is positive.
func SetRetryAfter(w http.ResponseWriter, d time.Duration) {
	if d > 0 {
		w.Header().Set(HeaderRetryAfter, RetryAfter(d))
	}
}

// ErrorBody is the JSON error every surface sends:
// {"error":{"code","message","field","retry_after"}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of ErrorBody. RetryAfter is in whole seconds
// and appears only on rate_limited and unavailable errors.
type ErrorDetail struct {
	Code       newsroom.Code `json:"code"`
	Message    string        `json:"message"`
	Field      string        `json:"field,omitempty"`
	RetryAfter int           `json:"retry_after,omitempty"`
}

// BodyOf is the JSON body for p.
func BodyOf(p Problem) ErrorBody {
	b := ErrorBody{Error: ErrorDetail{Code: p.Code, Message: p.Message, Field: p.Field}}
	if (p.Code == newsroom.RateLimited || p.Code == newsroom.Unavailable) && p.Retry > 0 {
		b.Error.RetryAfter = RetrySeconds(p.Retry)
	}
	return b
}

// Responder turns a handler's error into the response of one surface.
// Build one per surface; it is safe for concurrent use.
type Responder struct {
	// Name starts the surface's log lines ("site", "desk", "api").
	Name string
	Log  *slog.Logger // nil = slog.Default()
	// Internal is the sentence shown for an internal error.
	Internal string
	// TooLarge words a body over its limit (nil: TooLargeMessage).
	TooLarge func(limit int64) string
	// Page writes the HTML error page in the surface's look. Nil: every
	// error is answered in JSON.
	Page func(w http.ResponseWriter, r *http.Request, p Problem) error
	// JSON picks the requests answered in JSON when Page is set (nil: none).
	JSON func(r *http.Request) bool
	// Challenge is the WWW-Authenticate value sent with a 401 (empty: none).
	Challenge string
	// LogRequests also logs the client's errors, at Info (not-found aside).
	LogRequests bool
}

// Problem classifies err for this surface (see ProblemOf).
func (x *Responder) Problem(err error) Problem {
	return ProblemOf(err, x.Internal, x.TooLarge)
}

func (x *Responder) log() *slog.Logger {
	if x.Log == nil {
		return slog.Default()
	}
	return x.Log
}

// Error is the one place this surface's errors become responses: it logs
// an internal error's detail, sets Retry-After on a 429 (from the error's
// retry time) and the challenge on a 401, then writes the HTML page or the
// JSON body.
func (x *Responder) Error(w http.ResponseWriter, r *http.Request, err error) {
	p := x.Problem(err)
	switch {
	case p.Internal():
		x.log().Error(x.Name+": request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case x.LogRequests && p.Code != newsroom.NotFound:
		x.log().Info(x.Name+": request error", "method", r.Method, "path", r.URL.Path, "status", p.Status, "err", err)
	}
	SetHeaders(w, p, x.Challenge)
	if x.Page == nil || x.JSON != nil && x.JSON(r) {
		_ = WriteJSON(w, p.Status, BodyOf(p))
		return
	}
	if perr := x.Page(w, r, p); perr != nil {
		x.log().Error(x.Name+": render error page", "err", errors.Join(err, perr))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(p.Status)
		_, _ = w.Write([]byte(http.StatusText(p.Status) + "\n"))
	}
}

// SetHeaders sets the headers p's status calls for: Retry-After on a 429
// or 503 that knows its retry time, and challenge (if any) as
// WWW-Authenticate on a 401.
func SetHeaders(w http.ResponseWriter, p Problem, challenge string) {
	switch p.Status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		SetRetryAfter(w, p.Retry)
	case http.StatusUnauthorized:
		if challenge != "" {
			w.Header().Set("WWW-Authenticate", challenge)
		}
	}
}
