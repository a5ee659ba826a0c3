package site

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

// LogoSize is the width and height of the publisher logo, in pixels.
const LogoSize = 512

// drawLogo paints the publisher logo: a folded newspaper in white on the
// site's accent colour, a masthead rule and three columns of "text". It is
// drawn in Go at startup, so nothing is downloaded or checked in.
func drawLogo() ([]byte, error) {
	accent := color.RGBA{0xa3, 0x16, 0x1a, 0xff}
	paper := color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink := color.RGBA{0x1b, 0x1b, 0x1b, 0xff}
	img := image.NewRGBA(image.Rect(0, 0, LogoSize, LogoSize))
	fill := func(c color.Color, x0, y0, x1, y1 int) {
		draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{c}, image.Point{}, draw.Src)
	}
	fill(accent, 0, 0, LogoSize, LogoSize)
	// The sheet, with a darker fold on its right edge.
	fill(paper, 96, 80, 416, 432)
	fill(color.RGBA{0xe4, 0xe0, 0xda, 0xff}, 400, 80, 416, 432)
	// Masthead and its rule.
	fill(accent, 128, 112, 384, 164)
	fill(ink, 128, 180, 384, 186)
	// Lead picture and three columns of lines.
	fill(color.RGBA{0x6b, 0x6b, 0x6b, 0xff}, 128, 204, 248, 284)
	for col := 0; col < 3; col++ {
		x0 := 128 + col*88
		for y := 300; y+8 <= 404; y += 20 {
			fill(ink, x0, y, x0+72, y+8)
		}
	}
	for y := 204; y+8 <= 284; y += 20 {
		fill(ink, 264, y, 384, y+8)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
