package desk

import (
	"strings"
	"unicode"
)

// diffOp is one piece of a diff: text both sides share ("eq"), text only
// the old side has ("del") or only the new side ("ins").
type diffOp struct {
	Op   string
	Text string
}

// maxDiffCells bounds the work of one longest-common-subsequence table;
// longer inputs fall back to a coarser diff.
const maxDiffCells = 4 << 20

// diffText compares two texts line by line, then word by word within the
// lines that changed, so a fixed typo shows as one word, not a paragraph.
func diffText(a, b string) []diffOp {
	lines := diffTokens(splitLines(a), splitLines(b))
	var out []diffOp
	for i := 0; i < len(lines); {
		if lines[i].Op == "eq" {
			out = appendOp(out, lines[i])
			i++
			continue
		}
		// A run of changed lines: diff its old and new text by words.
		var del, ins strings.Builder
		for ; i < len(lines) && lines[i].Op != "eq"; i++ {
			if lines[i].Op == "del" {
				del.WriteString(lines[i].Text)
			} else {
				ins.WriteString(lines[i].Text)
			}
		}
		for _, op := range diffWords(del.String(), ins.String()) {
			out = appendOp(out, op)
		}
	}
	return out
}

// diffWords compares two texts word by word.
func diffWords(a, b string) []diffOp { return tidy(diffTokens(splitWords(a), splitWords(b))) }

// tidy makes a diff read like an editor's markup: the spaces between two
// changed words join the change, and each run of changes shows what was
// removed, then what was added ("are unchanged" → "cost two euros more"
// rather than word-by-word interleaving).
func tidy(ops []diffOp) []diffOp {
	var out []diffOp
	for i := 0; i < len(ops); {
		if ops[i].Op == "eq" {
			out = appendOp(out, ops[i])
			i++
			continue
		}
		var del, ins strings.Builder
		for ; i < len(ops); i++ {
			op := ops[i]
			if op.Op == "eq" {
				// Only short white space between two changes joins the run.
				if i+1 >= len(ops) || strings.TrimSpace(op.Text) != "" || len(op.Text) > 2 || ops[i+1].Op == "eq" {
					break
				}
				del.WriteString(op.Text)
				ins.WriteString(op.Text)
				continue
			}
			if op.Op == "del" {
				del.WriteString(op.Text)
			} else {
				ins.WriteString(op.Text)
			}
		}
		out = appendOp(out, diffOp{"del", del.String()})
		out = appendOp(out, diffOp{"ins", ins.String()})
	}
	return out
}

// Changed reports whether a diff has any insertion or deletion.
func changed(ops []diffOp) bool {
	for _, op := range ops {
		if op.Op != "eq" {
			return true
		}
	}
	return false
}

func appendOp(out []diffOp, op diffOp) []diffOp {
	if op.Text == "" {
		return out
	}
	if n := len(out); n > 0 && out[n-1].Op == op.Op {
		out[n-1].Text += op.Text
		return out
	}
	return append(out, op)
}

// diffTokens is a longest-common-subsequence diff of two token lists,
// after trimming their common prefix and suffix.
func diffTokens(a, b []string) []diffOp {
	var out []diffOp
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out = appendOp(out, diffOp{"eq", strings.Join(a[:pre], "")})
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(ma), len(mb)
	if n*m > maxDiffCells {
		out = appendOp(out, diffOp{"del", strings.Join(ma, "")})
		out = appendOp(out, diffOp{"ins", strings.Join(mb, "")})
	} else if n > 0 || m > 0 {
		// lcs[i][j] is the LCS length of ma[i:] and mb[j:].
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i] == mb[j]:
				out = appendOp(out, diffOp{"eq", ma[i]})
				i, j = i+1, j+1
			case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
				out = appendOp(out, diffOp{"ins", mb[j]})
				j++
			default:
				out = appendOp(out, diffOp{"del", ma[i]})
				i++
			}
		}
	}
	return appendOp(out, diffOp{"eq", strings.Join(a[len(a)-suf:], "")})
}

// splitLines splits s after every newline, keeping the newlines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.SplitAfter(s, "\n")
}

// splitWords splits s into words, runs of spaces and single punctuation
// marks, so that joining the tokens gives s back.
func splitWords(s string) []string {
	var out []string
	start := -1
	kind := 0 // 1 letters/digits, 2 space
	flush := func(i int) {
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	for i, r := range s {
		k := 3
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’':
			k = 1
		case unicode.IsSpace(r):
			k = 2
		}
		if k == 3 || k != kind {
			flush(i)
		}
		if start < 0 {
			start = i
		}
		kind = k
		if k == 3 {
			flush(i + len(string(r)))
			kind = 0
		}
	}
	flush(len(s))
	return out
}
