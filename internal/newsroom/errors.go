// Package newsroom holds the domain of newsdesk: articles, their authors,
// sections, tags, images, sources, revisions and corrections, the rules that
// govern them, the one error type every layer speaks, and the small store
// interfaces that adapters implement. It imports only the standard library.
package newsroom

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an Error. Each code maps to one HTTP status in one place,
// the table of the web package.
type Code string

const (
	Invalid       Code = "invalid"       // 400/422: a field is wrong
	NotFound      Code = "not_found"     // 404
	Conflict      Code = "conflict"      // 409: stale revision, duplicate slug
	Unauthorized  Code = "unauthorized"  // 401: no or bad credentials
	Forbidden     Code = "forbidden"     // 403: role may not do this
	TooLarge      Code = "too_large"     // 413
	RateLimited   Code = "rate_limited"  // 429
	Unprocessable Code = "unprocessable" // 422: well-formed but cannot apply
	Internal      Code = "internal"      // 500
	Unavailable   Code = "unavailable"   // 503: busy now, come back later
)

// Error is the error type of the domain. Message is a sentence fit for the
// person who caused it; Field names the input at fault, if any; Retry, on a
// RateLimited error, is how long until the same request may succeed.
type Error struct {
	Code    Code
	Field   string
	Message string
	Retry   time.Duration
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the Code of the first *Error in err's chain, or Internal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// RateLimitedf returns a RateLimited *Error that may be retried after
// retry, with a formatted message.
func RateLimitedf(retry time.Duration, format string, args ...any) *Error {
	return &Error{Code: RateLimited, Message: fmt.Sprintf(format, args...), Retry: retry}
}

// IsNotFound reports whether err is a not-found error.
func IsNotFound(err error) bool { return ErrorCode(err) == NotFound }

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
