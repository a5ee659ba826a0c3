package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"newsdesk/internal/newsroom"
)

func TestDecodeJSON(t *testing.T) {
	type in struct {
		Name  string   `json:"name"`
		Count int      `json:"count"`
		Tags  []string `json:"tags"`
	}
	tests := []struct {
		name   string
		body   string
		length int64 // declared Content-Length (-1: unknown)
		limit  int64
		code   newsroom.Code
		field  string
		msg    string
	}{
		{name: "ok", body: `{"name":"a","count":2,"tags":["x"]}`, limit: 100},
		{name: "declared length over the limit, bad JSON", body: `not json at all`, length: 1 << 20, limit: 100,
			code: newsroom.TooLarge, msg: "larger than 100 bytes"},
		{name: "declared length over the limit, good JSON", body: `{"name":"a"}`, length: 101, limit: 100,
			code: newsroom.TooLarge, msg: "larger than 100 bytes"},
		{name: "undeclared body over the limit", body: `{"name":"` + strings.Repeat("a", 200) + `"}`, length: -1, limit: 100,
			code: newsroom.TooLarge, msg: "larger than 100 bytes"},
		{name: "unknown field", body: `{"nme":"a"}`, limit: 100, code: newsroom.Invalid, field: "nme", msg: `unknown field "nme"`},
		{name: "wrong type", body: `{"count":"two"}`, limit: 100, code: newsroom.Invalid, field: "count", msg: "count must be a number"},
		{name: "wrong type in array", body: `{"tags":[1]}`, limit: 100, code: newsroom.Invalid, field: "tags", msg: "must be a string"},
		{name: "syntax", body: `{"name":}`, limit: 100, code: newsroom.Invalid, msg: "not valid JSON (at byte 9)"},
		{name: "cut short", body: `{"name":"a"`, limit: 100, code: newsroom.Invalid, msg: "ends too soon"},
		{name: "empty", body: ``, limit: 100, code: newsroom.Invalid, msg: "the body is empty"},
		{name: "two objects", body: `{"name":"a"} {"name":"b"}`, limit: 100, code: newsroom.Invalid, msg: "not several"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			switch {
			case tt.length > 0:
				r.ContentLength = tt.length
			case tt.length < 0:
				r.ContentLength = -1
			}
			var v in
			err := DecodeJSON(httptest.NewRecorder(), r, &v, tt.limit)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("err %v", err)
				}
				if v.Name != "a" || v.Count != 2 || len(v.Tags) != 1 {
					t.Errorf("decoded %+v", v)
				}
				return
			}
			e := newsroom.AsError(err)
			if e == nil || e.Code != tt.code || e.Field != tt.field || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("err %v, want %s %q containing %q", err, tt.code, tt.field, tt.msg)
			}
		})
	}
}
