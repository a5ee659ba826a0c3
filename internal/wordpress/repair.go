package wordpress

import (
	"bufio"
	"io"
	"unicode/utf8"
)

// Repairs counts what the repairing reader changed in a file.
type Repairs struct {
	// InvalidUTF8 is how many bytes that were not UTF-8 became U+FFFD.
	InvalidUTF8 int `json:"invalid_utf8"`
	// ControlChars is how many characters XML does not allow (C0 controls
	// other than tab, newline and carriage return; U+FFFE, U+FFFF) were
	// dropped.
	ControlChars int `json:"control_chars"`
}

// Total is the number of repairs.
func (r Repairs) Total() int { return r.InvalidUTF8 + r.ControlChars }

// repairReader passes UTF-8 text through, replacing bytes that are not
// UTF-8 with U+FFFD and dropping characters XML 1.0 forbids, so that one
// stray byte in a 600 MB export does not stop the import. It counts both.
type repairReader struct {
	src *bufio.Reader
	n   *Repairs
	out []byte // repaired bytes not yet returned
}

func newRepairReader(r io.Reader, n *Repairs) *repairReader {
	return &repairReader{src: bufio.NewReaderSize(r, 64<<10), n: n}
}

func (r *repairReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if err := r.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// fill repairs the next chunk of input into r.out.
func (r *repairReader) fill() error {
	// Peek a chunk; a rune cut at the end is left for the next call.
	chunk, err := r.src.Peek(32 << 10)
	if len(chunk) == 0 {
		if err == nil {
			err = io.EOF
		}
		return err
	}
	eof := err != nil
	out := r.out[:0]
	i := 0
	for i < len(chunk) {
		c := chunk[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				r.n.ControlChars++
			} else {
				out = append(out, c)
			}
			i++
			continue
		}
		if !eof && !utf8.FullRune(chunk[i:]) {
			break // finish this rune with the next chunk
		}
		ru, size := utf8.DecodeRune(chunk[i:])
		switch {
		case ru == utf8.RuneError && size == 1:
			r.n.InvalidUTF8++
			out = append(out, "\uFFFD"...)
		case ru == 0xFFFE || ru == 0xFFFF:
			r.n.ControlChars++
		default:
			out = append(out, chunk[i:i+size]...)
		}
		i += size
	}
	if _, derr := r.src.Discard(i); derr != nil {
		return derr
	}
	r.out = out
	return nil
}
