package desk_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"newsdesk/internal/newsroom"
)

// countingBody counts what a handler reads of a request body.
type countingBody struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingBody) Close() error { return nil }

// multipartBody is a form with a file part of size bytes.
func multipartBody(t *testing.T, size int) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", "big.jpg")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(bytes.Repeat([]byte{0xff}, size))
	_ = mw.WriteField("_csrf", "whatever")
	_ = mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// TestDeskChecksWhoBeforeReadingTheBody posts a 3 MB multipart form to
// every POST route of the desk: signed out, and as a role the route does
// not admit. The answer (401, 403, or 413 on a public route, whose forms
// are small) comes without one byte of the body read. A declared length
// over the limit is 413 unread, whatever the body starts with.
func TestDeskChecksWhoBeforeReadingTheBody(t *testing.T) {
	e := newEnv(t)
	data, ct := multipartBody(t, 3<<20)
	cookies := map[newsroom.Role]string{}
	for _, role := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent, newsroom.RoleModerator} {
		cookies[role] = e.session(e.users[role]).cookie().String()
	}
	post := func(path, contentType, cookie string, body []byte, declared int64) (int, int64) {
		t.Helper()
		cb := &countingBody{r: bytes.NewReader(body)}
		req := httptest.NewRequest("POST", path, nil)
		req.Body, req.ContentLength = cb, declared
		req.Header.Set("Content-Type", contentType)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		e.desk.Handler().ServeHTTP(rec, req)
		return rec.Code, cb.n.Load()
	}
	checked := 0
	for _, rt := range e.desk.Routes() {
		if rt.Method() != http.MethodPost {
			continue
		}
		path := pathParam.ReplaceAllString(rt.Path(), "1")
		if rt.Access.Public() {
			if st, n := post(path, ct, "", data, int64(len(data))); st != http.StatusRequestEntityTooLarge || n != 0 {
				t.Errorf("%s signed out: %d after reading %d bytes; want 413 unread", rt.Pattern, st, n)
			}
			continue
		}
		if st, n := post(path, ct, "", data, int64(len(data))); st != http.StatusUnauthorized || n != 0 {
			t.Errorf("%s signed out: %d after reading %d bytes; want 401 unread", rt.Pattern, st, n)
		}
		for role, cookie := range cookies {
			if rt.Access.Allows(e.users[role]) {
				continue
			}
			if st, n := post(path, ct, cookie, data, int64(len(data))); st != http.StatusForbidden || n != 0 {
				t.Errorf("%s as %s: %d after reading %d bytes; want 403 unread", rt.Pattern, role, st, n)
			}
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d staff POST routes checked", checked)
	}

	// A declared length over the limit: 413 before the body is read, for
	// an upload (limit: the library's, 20 MB) and for a form (2 MB), with
	// a well-formed start or garbage.
	editor := cookies[newsroom.RoleEditor]
	for _, tt := range []struct {
		name, path, ct string
		body           []byte
		declared       int64
	}{
		{"upload", "/desk/media", ct, data, 64 << 20},
		{"upload, garbage", "/desk/media", ct, []byte("\x00\x01not multipart at all"), 64 << 20},
		{"form", "/desk/articles", "application/x-www-form-urlencoded", []byte("headline=x&body=y"), 3 << 20},
		{"form, garbage", "/desk/articles", "application/x-www-form-urlencoded", []byte("%%%\x00"), 3 << 20},
		{"sign-in form", "/desk/signin", "application/x-www-form-urlencoded", []byte("email=a"), 3 << 20},
	} {
		if st, n := post(tt.path, tt.ct, editor, tt.body, tt.declared); st != http.StatusRequestEntityTooLarge || n != 0 {
			t.Errorf("%s: %d after reading %d bytes; want 413 unread", tt.name, st, n)
		}
	}
	// A body longer than it claims is cut off at the limit: 413.
	long := bytes.Repeat([]byte("a"), 3<<20)
	if st, _ := post("/desk/articles", "application/x-www-form-urlencoded", editor, append([]byte("headline="), long...), -1); st != http.StatusRequestEntityTooLarge && st != http.StatusForbidden {
		t.Errorf("unbounded form body: %d; want 413 (or 403: the CSRF check could not read it)", st)
	}
	if !strings.Contains(ct, "multipart/form-data") {
		t.Fatalf("content type %q", ct)
	}
}
