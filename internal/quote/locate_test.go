package quote

import (
	"strings"
	"testing"
)

func TestSentenceAround(t *testing.T) {
	text := "First one. The ferry was lata today! Next.\nOther line."
	i := strings.Index(text, "lata")
	before, after := sentenceAround(text, i, i+4)
	if before != "The ferry was " || after != " today!" {
		t.Errorf("sentence = %q + %q", before, after)
	}
	i = strings.Index(text, "Other")
	before, after = sentenceAround(text, i, i+5)
	if before != "" || after != " line." {
		t.Errorf("sentence after a line break = %q + %q", before, after)
	}
}
