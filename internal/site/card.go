package site

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"newsdesk/internal/newsroom"
)

// The share card: a story without a lead picture still gets an og:image
// and a JSON-LD image, a 1200×630 PNG with its headline and the site's
// name, drawn here in Go (the Go fonts, which cover Latin and Cyrillic)
// the first time it is asked for, and kept in a small bounded cache.

// Share card size, as the large link previews expect (1.91:1).
const (
	CardWidth  = 1200
	CardHeight = 630
)

// pathCards is where share cards are served: /share-card/{id}-{revision}.png.
const pathCards = "/share-card/"

// cardCacheSize bounds the cards kept in memory (about 30 KB each).
const cardCacheSize = 256

var (
	cardFontsOnce        sync.Once
	cardBold, cardNormal *opentype.Font
	cardFontsErr         error
)

func cardFonts() (*opentype.Font, *opentype.Font, error) {
	cardFontsOnce.Do(func() {
		if cardBold, cardFontsErr = opentype.Parse(gobold.TTF); cardFontsErr != nil {
			return
		}
		cardNormal, cardFontsErr = opentype.Parse(goregular.TTF)
	})
	return cardBold, cardNormal, cardFontsErr
}

// cardURL is the share card's path for a.
func cardURL(a *newsroom.Article) string {
	return pathCards + strconv.FormatInt(a.ID, 10) + "-" + strconv.Itoa(a.Revision) + ".png"
}

// wrap breaks text into lines no wider than width in face, at most max
// lines (the last ending in "…" when the text is longer).
func wrap(face font.Face, text string, width fixed.Int26_6, max int) []string {
	var lines []string
	line := ""
	words := strings.Fields(text)
	for i, w := range words {
		try := strings.TrimSpace(line + " " + w)
		if line != "" && font.MeasureString(face, try) > width {
			lines = append(lines, line)
			line = w
			if len(lines) == max {
				last := lines[max-1]
				for font.MeasureString(face, last+"…") > width && strings.Contains(last, " ") {
					last = last[:strings.LastIndex(last, " ")]
				}
				lines[max-1] = last + "…"
				return lines
			}
		} else {
			line = try
		}
		_ = i
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// drawCard paints the share card of a story: the site's name on the
// accent band, the headline large on paper, a rule at the foot.
func drawCard(headline, siteName string) ([]byte, error) {
	bold, normal, err := cardFonts()
	if err != nil {
		return nil, err
	}
	accent := color.RGBA{0xa3, 0x16, 0x1a, 0xff}
	paper := color.RGBA{0xfb, 0xfa, 0xf7, 0xff}
	ink := color.RGBA{0x1b, 0x1b, 0x1b, 0xff}
	img := image.NewRGBA(image.Rect(0, 0, CardWidth, CardHeight))
	draw.Draw(img, img.Bounds(), &image.Uniform{paper}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, CardWidth, 110), &image.Uniform{accent}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(80, CardHeight-60, CardWidth-80, CardHeight-54), &image.Uniform{ink}, image.Point{}, draw.Src)

	name, err := opentype.NewFace(normal, &opentype.FaceOptions{Size: 44, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	defer name.Close()
	d := &font.Drawer{Dst: img, Src: &image.Uniform{color.White}, Face: name, Dot: fixed.P(80, 72)}
	d.DrawString(siteName)

	size := 72.0
	var lines []string
	var face font.Face
	for {
		face, err = opentype.NewFace(bold, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		lines = wrap(face, headline, fixed.I(CardWidth-160), 5)
		if len(lines) <= 4 || size <= 52 {
			break
		}
		face.Close()
		size -= 10
	}
	defer face.Close()
	lineHeight := int(size * 1.18)
	d = &font.Drawer{Dst: img, Src: &image.Uniform{ink}, Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(80, 110+40+int(size)+i*lineHeight)
		d.DrawString(l)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cardCache keeps drawn share cards by path, dropping everything when full
// (a card is drawn again on demand in a few milliseconds).
type cardCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *cardCache) get(key string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

func (c *cardCache) put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cardCacheSize {
		c.m = map[string][]byte{}
	}
	c.m[key] = b
}

// handleCard serves the share card of a public story. An older revision's
// address redirects to the current one; anything else is 404.
func (s *Server) handleCard(w http.ResponseWriter, r *http.Request) error {
	file := strings.TrimSuffix(r.PathValue("file"), ".png")
	idText, revText, ok := strings.Cut(file, "-")
	id, err1 := strconv.ParseInt(idText, 10, 64)
	rev, err2 := strconv.Atoi(revText)
	notFound := newsroom.Errorf(newsroom.NotFound, "", "no such picture")
	if !ok || err1 != nil || err2 != nil || !strings.HasSuffix(r.PathValue("file"), ".png") {
		return notFound
	}
	a, err := s.cfg.Store.ArticleByID(r.Context(), id)
	if newsroom.IsNotFound(err) || err == nil && !a.IsPublic(s.now()) {
		return notFound
	} else if err != nil {
		return err
	}
	if rev != a.Revision {
		http.Redirect(w, r, cardURL(a), http.StatusMovedPermanently)
		return nil
	}
	// The card carries the site's name as the story's edition shows it.
	name := s.siteName(r.Context())
	if e := s.edition(a.Language); e != nil {
		name = e.siteName(r.Context())
	}
	key := cardURL(a) + "\x00" + name
	b := s.cards.get(key)
	if b == nil {
		if b, err = drawCard(a.Headline, name); err != nil {
			return fmt.Errorf("share card %d: %w", id, err)
		}
		s.cards.put(key, b)
	}
	// The address names the revision, so the bytes never change.
	serveBytes(w, r, "image/png", b, a.UpdatedAt, 86400)
	return nil
}

// handleIcon serves one of the icons drawn at startup.
func (s *Server) handleIcon(ctype string, b func() []byte) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		serveBytes(w, r, ctype, b(), time.Time{}, 86400)
		return nil
	}
}

// Icons: /favicon.ico (a 32- and 16-pixel PNG in an ICO container) and
// the touch icon (180 pixels), scaled from the publisher logo at startup.

func scaledPNG(src []byte, size int) ([]byte, error) {
	m, err := png.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), m, m.Bounds(), xdraw.Src, nil)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawIcons returns the favicon (ICO) and the touch icon (PNG).
func drawIcons(logo []byte) (ico, touch []byte, err error) {
	sizes := []int{32, 16}
	var pngs [][]byte
	for _, n := range sizes {
		p, err := scaledPNG(logo, n)
		if err != nil {
			return nil, nil, err
		}
		pngs = append(pngs, p)
	}
	var b bytes.Buffer
	le16 := func(v int) { b.WriteByte(byte(v)); b.WriteByte(byte(v >> 8)) }
	le32 := func(v int) { le16(v & 0xffff); le16(v >> 16) }
	le16(0)
	le16(1) // icon
	le16(len(pngs))
	offset := 6 + 16*len(pngs)
	for i, p := range pngs {
		b.WriteByte(byte(sizes[i]))
		b.WriteByte(byte(sizes[i]))
		b.WriteByte(0) // no palette
		b.WriteByte(0)
		le16(1)  // colour planes
		le16(32) // bits per pixel
		le32(len(p))
		le32(offset)
		offset += len(p)
	}
	for _, p := range pngs {
		b.Write(p)
	}
	if touch, err = scaledPNG(logo, 180); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), touch, nil
}
