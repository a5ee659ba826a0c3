package site

import (
	"bytes"
	"image/png"
	"os"
	"strings"
	"testing"
)

// TestDrawCard draws cards for a short, a long and a Cyrillic headline:
// each is a 1200×630 PNG; a very long headline is cut with "…" rather
// than overflowing. NEWSDESK_CARD_OUT=dir keeps them to look at.
func TestDrawCard(t *testing.T) {
	for name, h := range map[string]string{
		"short":    "Ferry returns",
		"long":     strings.Repeat("The harbour master says the new lamps use a third of the power ", 4),
		"cyrillic": "Паром «Аврора» снова ходит в Варде после зимы на верфи",
	} {
		b, err := drawCard(h, "The Skerrow Courier")
		if err != nil {
			t.Fatal(err)
		}
		m, err := png.Decode(bytes.NewReader(b))
		if err != nil || m.Bounds().Dx() != CardWidth || m.Bounds().Dy() != CardHeight {
			t.Errorf("%s: %v %v", name, m.Bounds(), err)
		}
		if dir := os.Getenv("NEWSDESK_CARD_OUT"); dir != "" {
			_ = os.WriteFile(dir+"/card-"+name+".png", b, 0o644)
		}
	}
}
