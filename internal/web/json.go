package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"newsdesk/internal/newsroom"
)

// DecodeJSON reads one JSON object of at most limit bytes from r's body
// into v. A declared Content-Length over the limit is too_large before a
// byte is read, whatever the body holds; a body that grows past the limit
// is too_large too. Unknown fields, wrong types, bad syntax, an empty body
// and trailing values are invalid, naming the field or the byte at fault.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if limit > 0 {
		if r.ContentLength > limit {
			return newsroom.Errorf(newsroom.TooLarge, "", "%s", TooLargeMessage(limit))
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return newsroom.Errorf(newsroom.Invalid, "", "send one JSON object, not several")
	}
	return nil
}

func decodeError(err error) error {
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &maxErr):
		return newsroom.Errorf(newsroom.TooLarge, "", "%s", TooLargeMessage(maxErr.Limit))
	case errors.As(err, &typeErr):
		return newsroom.Errorf(newsroom.Invalid, typeErr.Field, "%s must be %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()))
	case errors.As(err, &syntaxErr):
		return newsroom.Errorf(newsroom.Invalid, "", "the body is not valid JSON (at byte %d)", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return newsroom.Errorf(newsroom.Invalid, f, "unknown field %q", f)
	case errors.Is(err, io.EOF):
		return newsroom.Errorf(newsroom.Invalid, "", "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newsroom.Errorf(newsroom.Invalid, "", "the body is not valid JSON: it ends too soon")
	default:
		return newsroom.Errorf(newsroom.Invalid, "", "the body is not valid JSON: %v", err)
	}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "int", "int64", "int32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "of another type"
}

// WriteJSON writes v as JSON with status, never to be cached.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}
