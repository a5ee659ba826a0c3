package desk

import "testing"

func render(ops []diffOp) string {
	out := ""
	for _, op := range ops {
		switch op.Op {
		case "del":
			out += "[-" + op.Text + "-]"
		case "ins":
			out += "{+" + op.Text + "+}"
		default:
			out += op.Text
		}
	}
	return out
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name, a, b, want string
		lines            bool
	}{
		{"same", "One two.", "One two.", "One two.", false},
		{"one word", "The ferry sails on Monday.", "The ferry sails on Tuesday.", "The ferry sails on [-Monday-]{+Tuesday+}.", false},
		{"phrase", "Tickets are unchanged.", "Tickets cost two euros more.", "Tickets [-are unchanged-]{+cost two euros more+}.", false},
		{"insert", "A quay.", "A new quay.", "A {+new +}quay.", false},
		{"empty to text", "", "Text.", "{+Text.+}", false},
		{"cyrillic", "Паром вышел в понедельник.", "Паром вышел во вторник.", "Паром вышел [-в понедельник-]{+во вторник+}.", false},
		{"lines", "First para.\n\nSecond para here.\n\nThird.", "First para.\n\nSecond paragraph here.\n\nThird.",
			"First para.\n\nSecond [-para-]{+paragraph+} here.\n\nThird.", true},
		{"line added", "One.\nTwo.", "One.\nOne and a half.\nTwo.", "One.\n{+One and a half.\n+}Two.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []diffOp
			if tt.lines {
				got = diffText(tt.a, tt.b)
			} else {
				got = diffWords(tt.a, tt.b)
			}
			if s := render(got); s != tt.want {
				t.Errorf("diff(%q, %q)\n got %q\nwant %q", tt.a, tt.b, s, tt.want)
			}
		})
	}
}

func TestDiffLargeInputFallsBack(t *testing.T) {
	a, b := "", ""
	for i := 0; i < 5000; i++ {
		a += "alpha "
		b += "beta "
	}
	ops := diffWords(a, b)
	if render(ops) != "[-"+a[:len(a)-1]+"-]{+"+b[:len(b)-1]+"+} " {
		t.Errorf("large diff fell back to %d ops", len(ops))
	}
}
