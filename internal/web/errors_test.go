package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		err        *newsroom.Error
		status     int
		formStatus int
	}{
		{newsroom.Errorf(newsroom.Invalid, "", "x"), 400, 422},
		{newsroom.Errorf(newsroom.Invalid, "headline", "x"), 422, 422},
		{newsroom.Errorf(newsroom.Unauthorized, "", "x"), 401, 401},
		{newsroom.Errorf(newsroom.Forbidden, "", "x"), 403, 403},
		{newsroom.Errorf(newsroom.NotFound, "id", "x"), 404, 404},
		{newsroom.Errorf(newsroom.Conflict, "revision", "x"), 409, 409},
		{newsroom.Errorf(newsroom.TooLarge, "", "x"), 413, 413},
		{newsroom.Errorf(newsroom.Unprocessable, "exact", "x"), 422, 422},
		{newsroom.RateLimitedf(time.Second, "x"), 429, 429},
		{newsroom.Errorf(newsroom.Internal, "", "x"), 500, 500},
		{newsroom.Errorf(newsroom.Unavailable, "", "x"), 503, 503},
		{newsroom.Errorf("no_such_code", "", "x"), 500, 500},
		{nil, 500, 500},
	}
	for _, tt := range tests {
		if got := Status(tt.err); got != tt.status {
			t.Errorf("Status(%v) = %d, want %d", tt.err, got, tt.status)
		}
		if got := FormStatus(tt.err); got != tt.formStatus {
			t.Errorf("FormStatus(%v) = %d, want %d", tt.err, got, tt.formStatus)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Second:        "15",
		14*time.Second + 1:      "15",
		300 * time.Millisecond:  "1",
		0:                       "1",
		5 * time.Minute:         "300",
		59*time.Second + 999999: "60",
	} {
		if got := RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %q, want %q", d, got, want)
		}
	}
}

// responder answers HTML through a page that shows the status and message,
// and JSON when the request asks for it.
func responder(logs io.Writer) *Responder {
	return &Responder{
		Name: "test", Log: slog.New(slog.NewTextHandler(logs, nil)), Internal: "Something broke on our side.",
		Page: func(w http.ResponseWriter, r *http.Request, p Problem) error {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(p.Status)
			_, err := fmt.Fprintf(w, "<h1>%d</h1><p>%s</p>", p.Status, p.Message)
			return err
		},
		JSON:      func(r *http.Request) bool { return r.Header.Get("Accept") == "application/json" },
		Challenge: `Bearer realm="t"`,
	}
}

func TestResponder(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		retryAfter string
		challenge  bool
		body       ErrorDetail
	}{
		{name: "invalid field", err: newsroom.Errorf(newsroom.Invalid, "email", "e-mail is odd"), status: 422,
			body: ErrorDetail{Code: newsroom.Invalid, Field: "email", Message: "e-mail is odd"}},
		{name: "invalid request", err: newsroom.Errorf(newsroom.Invalid, "", "send JSON"), status: 400,
			body: ErrorDetail{Code: newsroom.Invalid, Message: "send JSON"}},
		{name: "wrapped", err: fmt.Errorf("save: %w", newsroom.Errorf(newsroom.Conflict, "revision", "stale")), status: 409,
			body: ErrorDetail{Code: newsroom.Conflict, Field: "revision", Message: "stale"}},
		{name: "rate limited carries its wait", err: newsroom.RateLimitedf(15*time.Second, "slow down"), status: 429, retryAfter: "15",
			body: ErrorDetail{Code: newsroom.RateLimited, Message: "slow down", RetryAfter: 15}},
		{name: "unavailable carries its wait", err: &newsroom.Error{Code: newsroom.Unavailable, Message: "busy", Retry: 2 * time.Second}, status: 503, retryAfter: "2",
			body: ErrorDetail{Code: newsroom.Unavailable, Message: "busy", RetryAfter: 2}},
		{name: "unauthorized challenges", err: newsroom.Errorf(newsroom.Unauthorized, "", "token"), status: 401, challenge: true,
			body: ErrorDetail{Code: newsroom.Unauthorized, Message: "token"}},
		{name: "body over its limit", err: fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 10}), status: 413,
			body: ErrorDetail{Code: newsroom.TooLarge, Message: "the request body is larger than 10 bytes"}},
		{name: "internal detail never shown", err: errors.New("disk on fire"), status: 500,
			body: ErrorDetail{Code: newsroom.Internal, Message: "Something broke on our side."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, asJSON := range []bool{false, true} {
				var logs bytes.Buffer
				x := responder(&logs)
				r := httptest.NewRequest("POST", "/x", nil)
				if asJSON {
					r.Header.Set("Accept", "application/json")
				}
				w := httptest.NewRecorder()
				x.Error(w, r, tt.err)
				if w.Code != tt.status {
					t.Errorf("json=%v: status %d, want %d", asJSON, w.Code, tt.status)
				}
				if got := w.Header().Get("Retry-After"); got != tt.retryAfter {
					t.Errorf("json=%v: Retry-After %q, want %q", asJSON, got, tt.retryAfter)
				}
				if got := w.Header().Get("WWW-Authenticate") != ""; got != tt.challenge {
					t.Errorf("json=%v: WWW-Authenticate %q", asJSON, w.Header().Get("WWW-Authenticate"))
				}
				if strings.Contains(w.Body.String(), "disk on fire") {
					t.Errorf("json=%v: internal detail shown: %s", asJSON, w.Body)
				}
				if internal := tt.body.Code == newsroom.Internal; internal != strings.Contains(logs.String(), "disk on fire") {
					t.Errorf("json=%v: internal %v, log %q", asJSON, internal, logs.String())
				}
				if !asJSON {
					if want := fmt.Sprintf("<h1>%d</h1><p>%s</p>", tt.status, tt.body.Message); w.Body.String() != want {
						t.Errorf("page %q, want %q", w.Body, want)
					}
					continue
				}
				if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
				var got ErrorBody
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
					t.Fatalf("body %s: %v", w.Body, err)
				}
				if got.Error != tt.body {
					t.Errorf("body %+v, want %+v", got.Error, tt.body)
				}
			}
		})
	}
}

// A surface without a page answers JSON to every request; a page that fails
// to render still leaves the status.
func TestResponderFallbacks(t *testing.T) {
	x := &Responder{Name: "api", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w := httptest.NewRecorder()
	x.Error(w, httptest.NewRequest("GET", "/", nil), newsroom.Errorf(newsroom.NotFound, "", "no such thing"))
	if w.Code != 404 || !strings.Contains(w.Body.String(), `"code":"not_found"`) {
		t.Errorf("JSON-only: %d %s", w.Code, w.Body)
	}
	x.Page = func(http.ResponseWriter, *http.Request, Problem) error { return errors.New("template broke") }
	w = httptest.NewRecorder()
	x.Error(w, httptest.NewRequest("GET", "/", nil), newsroom.Errorf(newsroom.Forbidden, "", "no"))
	if w.Code != 403 || w.Body.String() != "Forbidden\n" {
		t.Errorf("broken page: %d %q", w.Code, w.Body)
	}
}
