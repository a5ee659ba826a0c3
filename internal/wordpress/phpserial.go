package wordpress

import (
	"errors"
	"strconv"
)

// unserialize reads the PHP serialize() format WordPress keeps attachment
// metadata in (_wp_attachment_metadata): arrays become map[string]any
// (keys as strings), strings string, integers int64, floats float64,
// booleans bool, null nil. Objects are refused. Nesting is bounded.
func unserialize(s string) (any, error) {
	p := &phpParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	return v, nil
}

type phpParser struct {
	s string
	i int
}

var errPHP = errors.New("malformed serialized PHP value")

func (p *phpParser) until(c byte) (string, error) {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != c {
		p.i++
	}
	if p.i >= len(p.s) {
		return "", errPHP
	}
	out := p.s[start:p.i]
	p.i++
	return out, nil
}

func (p *phpParser) value(depth int) (any, error) {
	if depth > 16 || p.i+1 >= len(p.s) {
		return nil, errPHP
	}
	kind := p.s[p.i]
	if kind == 'N' && p.s[p.i+1] == ';' {
		p.i += 2
		return nil, nil
	}
	if p.s[p.i+1] != ':' {
		return nil, errPHP
	}
	p.i += 2
	switch kind {
	case 'i':
		v, err := p.until(';')
		if err != nil {
			return nil, err
		}
		return strconv.ParseInt(v, 10, 64)
	case 'd':
		v, err := p.until(';')
		if err != nil {
			return nil, err
		}
		return strconv.ParseFloat(v, 64)
	case 'b':
		v, err := p.until(';')
		return v == "1", err
	case 's':
		n, err := p.until(':')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(n)
		if err != nil || size < 0 || p.i+size+2 > len(p.s) || p.s[p.i] != '"' {
			return nil, errPHP
		}
		v := p.s[p.i+1 : p.i+1+size]
		p.i += size + 2
		if p.i >= len(p.s) || p.s[p.i-1] != '"' || p.s[p.i] != ';' {
			return nil, errPHP
		}
		p.i++
		return v, nil
	case 'a':
		n, err := p.until(':')
		if err != nil {
			return nil, err
		}
		count, err := strconv.Atoi(n)
		if err != nil || count < 0 || count > len(p.s) || p.i >= len(p.s) || p.s[p.i] != '{' {
			return nil, errPHP
		}
		p.i++
		m := make(map[string]any, count)
		for k := 0; k < count; k++ {
			key, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			switch kk := key.(type) {
			case string:
				m[kk] = v
			case int64:
				m[strconv.FormatInt(kk, 10)] = v
			default:
				return nil, errPHP
			}
		}
		if p.i >= len(p.s) || p.s[p.i] != '}' {
			return nil, errPHP
		}
		p.i++
		return m, nil
	}
	return nil, errPHP
}
