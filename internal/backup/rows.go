package backup

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// Rows are written one JSON array per line, in primary-key order, with
// engine-neutral values: null, numbers, strings, {"$b": base64} for bytes
// and {"$t": base64} for text that is not valid UTF-8. The same encoder
// writes a backup and checks a restore, so equal rows give equal bytes.

const hexDigits = "0123456789abcdef"

// appendRow appends a row and a newline.
func appendRow(b []byte, row []any) ([]byte, error) {
	b = append(b, '[')
	for i, v := range row {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValue(b, v); err != nil {
			return b, err
		}
	}
	return append(b, ']', '\n'), nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return b, fmt.Errorf("cannot write %v", x)
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64), nil
	case string:
		if !utf8.ValidString(x) {
			b = append(b, `{"$t":"`...)
			b = base64.StdEncoding.AppendEncode(b, []byte(x))
			return append(b, `"}`...), nil
		}
		return appendString(b, x), nil
	case []byte:
		b = append(b, `{"$b":"`...)
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, `"}`...), nil
	}
	return b, fmt.Errorf("cannot write a value of type %T", v)
}

// appendString appends s (valid UTF-8) as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// decodeRow reads one line written by appendRow.
func decodeRow(line []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var row []any
	if err := dec.Decode(&row); err != nil {
		return nil, err
	}
	for i, v := range row {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		if s, ok := m["$b"].(string); ok && len(m) == 1 {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, err
			}
			row[i] = b
		} else if s, ok := m["$t"].(string); ok && len(m) == 1 {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, err
			}
			row[i] = string(b)
		} else {
			return nil, fmt.Errorf("value %d: unknown object", i+1)
		}
	}
	return row, nil
}
