package demo

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// ImageWidths are the widths every demo image is written in; heights are
// two thirds of the width (3:2).
var ImageWidths = []int{480, 960, 1600}

// JPEGQuality is the quality demo images are encoded with.
const JPEGQuality = 80

// ImageURL is the public path of a demo image of the given width.
func ImageURL(slug string, width int) string {
	return fmt.Sprintf("/media/demo/%s-%d.jpg", slug, width)
}

// ImageSrcset is the srcset attribute value listing every width of a demo image.
func ImageSrcset(slug string) string {
	parts := make([]string, len(ImageWidths))
	for i, w := range ImageWidths {
		parts[i] = fmt.Sprintf("%s %dw", ImageURL(slug, w), w)
	}
	return strings.Join(parts, ", ")
}

// ImageJob asks for one demo image: a scene (see ParseScene) seeded by slug.
type ImageJob struct {
	Slug  string
	Scene string
}

// WriteImages paints every job in every ImageWidths size and writes them as
// JPEG files <mediaDir>/demo/<slug>-<width>.jpg, using all CPUs. It returns
// how many jobs were written completely.
func WriteImages(ctx context.Context, mediaDir string, jobs []ImageJob) (int, error) {
	dir := filepath.Join(mediaDir, "demo")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("demo: media dir: %w", err)
	}
	type task struct {
		job   int
		width int
	}
	// Biggest first, so the tail of the queue is short work.
	var tasks []task
	for wi := len(ImageWidths) - 1; wi >= 0; wi-- {
		for j := range jobs {
			tasks = append(tasks, task{j, ImageWidths[wi]})
		}
	}
	ch := make(chan task)
	var (
		mu       sync.Mutex
		firstErr error
		failed   = map[int]bool{}
		wg       sync.WaitGroup
	)
	workers := runtime.GOMAXPROCS(0)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range ch {
				j := jobs[t.job]
				path := filepath.Join(dir, fmt.Sprintf("%s-%d.jpg", j.Slug, t.width))
				if err := writeJPEG(path, Paint(j.Slug, j.Scene, t.width)); err != nil {
					mu.Lock()
					failed[t.job] = true
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, t := range tasks {
		if ctx.Err() != nil {
			break
		}
		ch <- t
	}
	close(ch)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return len(jobs) - len(failed), firstErr
}

func writeJPEG(path string, img image.Image) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*.jpg")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := jpeg.Encode(bw, img, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Scene kinds and times of day understood by ParseScene.
var (
	SceneKinds = []string{"harbour", "coast", "city", "hills", "wind", "field", "isles"}
	SceneTimes = []string{"dawn", "day", "golden", "overcast", "night"}
)

// ParseScene splits "kind" or "kind:time" (e.g. "harbour:golden"). An
// unknown kind becomes "coast"; a missing or unknown time is left empty,
// and the painter picks one from the seed.
func ParseScene(s string) (kind, tod string) {
	kind, tod, _ = strings.Cut(s, ":")
	ok := false
	for _, k := range SceneKinds {
		ok = ok || k == kind
	}
	if !ok {
		kind = "coast"
	}
	ok = false
	for _, t := range SceneTimes {
		ok = ok || t == tod
	}
	if !ok {
		tod = ""
	}
	return kind, tod
}

// ImageAlt describes what the painted image shows, in "en" or "ru".
func ImageAlt(slug, sceneSpec, lang string) string {
	sc := newScene(slug, sceneSpec)
	return sc.alt(lang)
}

// Paint draws the scene for slug at the given width (height is 2/3 of it).
// The same slug and scene always give the same picture, and the picture is
// the same at every width, only sharper.
func Paint(slug, sceneSpec string, width int) *image.RGBA {
	return newScene(slug, sceneSpec).render(width, width*2/3)
}

// ---- scene description (resolution independent) ----

type rgb struct{ r, g, b float64 }

func (c rgb) mix(d rgb, t float64) rgb {
	return rgb{c.r + (d.r-c.r)*t, c.g + (d.g-c.g)*t, c.b + (d.b-c.b)*t}
}

func (c rgb) scale(f float64) rgb { return rgb{c.r * f, c.g * f, c.b * f} }

type palette struct {
	name             string
	skyTop, skyLow   rgb
	sun              rgb
	sunUp            bool // sun (or moon) visible
	moon             bool
	land             rgb
	seaFar, seaNear  rgb
	cloud            rgb
	lights           bool // windows and lamps lit
	glint            rgb  // highlights on the water
	stars            bool
	cloudCover       int // how many clouds, roughly
	sunHeight        float64
	grass            rgb
	groundHazeAmount float64
}

var palettes = map[string]palette{
	"dawn": {name: "dawn", skyTop: rgb{78, 98, 156}, skyLow: rgb{246, 190, 150}, sun: rgb{255, 226, 180}, sunUp: true,
		land: rgb{70, 72, 96}, seaFar: rgb{150, 140, 170}, seaNear: rgb{52, 66, 104}, cloud: rgb{250, 200, 190},
		glint: rgb{255, 220, 190}, cloudCover: 4, sunHeight: 0.06, grass: rgb{86, 104, 92}, groundHazeAmount: 0.45},
	"day": {name: "day", skyTop: rgb{58, 118, 196}, skyLow: rgb{196, 222, 240}, sun: rgb{255, 251, 232}, sunUp: true,
		land: rgb{64, 104, 78}, seaFar: rgb{96, 150, 186}, seaNear: rgb{24, 78, 118}, cloud: rgb{252, 252, 255},
		glint: rgb{240, 250, 255}, cloudCover: 6, sunHeight: 0.38, grass: rgb{88, 142, 72}, groundHazeAmount: 0.35},
	"golden": {name: "golden", skyTop: rgb{46, 62, 122}, skyLow: rgb{252, 168, 96}, sun: rgb{255, 214, 140}, sunUp: true,
		land: rgb{58, 46, 66}, seaFar: rgb{196, 130, 110}, seaNear: rgb{44, 44, 80}, cloud: rgb{255, 160, 130},
		glint: rgb{255, 200, 130}, lights: true, cloudCover: 5, sunHeight: 0.08, grass: rgb{90, 80, 60}, groundHazeAmount: 0.4},
	"overcast": {name: "overcast", skyTop: rgb{118, 128, 140}, skyLow: rgb{200, 204, 206}, sun: rgb{230, 232, 230},
		land: rgb{74, 86, 86}, seaFar: rgb{150, 160, 166}, seaNear: rgb{58, 72, 80}, cloud: rgb{170, 176, 182},
		glint: rgb{210, 216, 220}, cloudCover: 9, sunHeight: 0.3, grass: rgb{84, 110, 84}, groundHazeAmount: 0.5},
	"night": {name: "night", skyTop: rgb{8, 14, 38}, skyLow: rgb{44, 58, 100}, sun: rgb{244, 242, 222}, sunUp: true, moon: true,
		land: rgb{14, 20, 36}, seaFar: rgb{40, 52, 88}, seaNear: rgb{8, 14, 32}, cloud: rgb{60, 70, 100},
		glint: rgb{220, 224, 210}, lights: true, stars: true, cloudCover: 3, sunHeight: 0.32, grass: rgb{20, 30, 34}, groundHazeAmount: 0.3},
}

type ellipse struct {
	u, v, rx, ry, a float64
	col             rgb
}

type ridge struct {
	base, amp  float64 // in v units; base is where the layer's foot is drawn from
	freq       [4]float64
	phase      [4]float64
	weight     [4]float64
	u0, u1     float64 // extent (islands); 0,1 = whole width
	col        rgb
	toBottom   bool // fill to the bottom of the picture (land), else to horizon
	steep      float64
	trees      []float64 // u positions of trees on the ridge
	treeSize   float64
	lighthouse float64 // u of a lighthouse, or <0
}

type building struct {
	u0, u1, top float64
	antenna     float64 // antenna height in v units, 0 for none
	seed        uint64
}

type skyline struct {
	base      float64
	col       rgb
	buildings []building
	lit       float64 // share of lit windows
}

type boat struct {
	u, v, size float64
	sail       bool
	col        rgb
	light      bool
}

type turbine struct {
	u, v, h, angle float64
}

type scene struct {
	slug, kind, tod string
	pal             palette
	horizon         float64
	sunU, sunV      float64
	sunR            float64
	clouds          []ellipse
	stars           []ellipse
	ridges          []ridge // far to near
	skylines        []skyline
	sea             bool
	boats           []boat
	turbines        []turbine
	pitch           bool // a lit sports pitch in the foreground
	floodlights     []float64
	warm            float64 // colour grade
}

func seedOf(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func newScene(slug, spec string) *scene {
	kind, tod := ParseScene(spec)
	r := rand.New(rand.NewPCG(seedOf(slug), seedOf(spec)|1))
	if tod == "" {
		tod = SceneTimes[r.IntN(len(SceneTimes))]
	}
	p := palettes[tod]
	jit := func(c rgb, d float64) rgb {
		return rgb{c.r + (r.Float64()*2-1)*d, c.g + (r.Float64()*2-1)*d, c.b + (r.Float64()*2-1)*d}
	}
	p.skyTop, p.skyLow = jit(p.skyTop, 10), jit(p.skyLow, 10)
	p.land, p.seaNear, p.seaFar = jit(p.land, 8), jit(p.seaNear, 8), jit(p.seaFar, 8)
	sc := &scene{slug: slug, kind: kind, tod: tod, pal: p, warm: r.Float64()*0.06 - 0.03}
	sc.horizon = 0.56 + r.Float64()*0.1
	sc.sunU = 0.15 + r.Float64()*0.7
	sc.sunV = sc.horizon - p.sunHeight - r.Float64()*0.08
	sc.sunR = 0.035 + r.Float64()*0.02
	if p.moon {
		sc.sunR *= 0.7
	}

	nc := p.cloudCover/2 + r.IntN(p.cloudCover+1)
	for i := 0; i < nc; i++ {
		rx := 0.08 + r.Float64()*0.18
		sc.clouds = append(sc.clouds, ellipse{
			u: r.Float64(), v: 0.05 + r.Float64()*(sc.horizon-0.2),
			rx: rx, ry: rx * (0.12 + r.Float64()*0.12), a: 0.25 + r.Float64()*0.45,
			col: jit(p.cloud, 6),
		})
	}
	if p.stars {
		for i := 0; i < 140; i++ {
			sc.stars = append(sc.stars, ellipse{u: r.Float64(), v: r.Float64() * sc.horizon * 0.9,
				rx: 0.0008 + r.Float64()*0.0016, a: 0.35 + r.Float64()*0.65})
		}
	}

	haze := func(depth float64) rgb { // depth 0 = farthest
		return p.land.mix(p.skyLow, p.groundHazeAmount*(1-depth))
	}
	newRidge := func(base, amp, depth float64, toBottom bool) ridge {
		rd := ridge{base: base, amp: amp, col: haze(depth), toBottom: toBottom, u0: 0, u1: 1, lighthouse: -1}
		for k := range 4 {
			rd.freq[k] = (1.5 + r.Float64()*2) * math.Pow(2.1, float64(k))
			rd.phase[k] = r.Float64() * 2 * math.Pi
			rd.weight[k] = math.Pow(0.5, float64(k)) * (0.6 + r.Float64()*0.8)
		}
		return rd
	}

	switch kind {
	case "harbour", "coast", "isles":
		sc.sea = true
		// Far islands or the far shore.
		n := 1 + r.IntN(3)
		if kind == "isles" {
			n = 3 + r.IntN(2)
		}
		for i := 0; i < n; i++ {
			rd := newRidge(sc.horizon, 0.04+r.Float64()*0.08, 0.1*float64(i), false)
			c := r.Float64()
			w := 0.12 + r.Float64()*0.3
			rd.u0, rd.u1 = c-w/2, c+w/2
			sc.ridges = append(sc.ridges, rd)
		}
		// A headland on one side, sometimes with a lighthouse.
		left := r.IntN(2) == 0
		hd := newRidge(sc.horizon+0.02, 0.12+r.Float64()*0.12, 0.75, false)
		if left {
			hd.u0, hd.u1 = -0.5, 0.28+r.Float64()*0.15
		} else {
			hd.u0, hd.u1 = 0.57+r.Float64()*0.15, 1.5
		}
		hd.steep = 1
		if kind != "isles" || r.IntN(2) == 0 {
			if r.IntN(3) > 0 {
				if left {
					hd.lighthouse = hd.u1 - 0.08 - r.Float64()*0.08
				} else {
					hd.lighthouse = hd.u0 + 0.08 + r.Float64()*0.08
				}
			}
			sc.ridges = append(sc.ridges, hd)
		}
		if kind == "harbour" {
			// Quayside buildings along the far shore.
			sk := skyline{base: sc.horizon + 0.005, col: haze(0.5), lit: 0.35}
			u := r.Float64() * 0.3
			end := u + 0.35 + r.Float64()*0.25
			for u < end {
				w := 0.02 + r.Float64()*0.04
				sk.buildings = append(sk.buildings, building{u0: u, u1: u + w, top: sk.base - 0.02 - r.Float64()*0.06, seed: r.Uint64()})
				u += w
			}
			sc.skylines = append(sc.skylines, sk)
		}
		nb := 1 + r.IntN(4)
		if kind == "harbour" {
			nb += 2
		}
		for i := 0; i < nb; i++ {
			v := sc.horizon + 0.03 + r.Float64()*(0.92-sc.horizon)
			sc.boats = append(sc.boats, boat{
				u: 0.08 + r.Float64()*0.84, v: v, size: 0.02 + (v-sc.horizon)*0.22,
				sail: r.IntN(2) == 0, col: p.land.mix(rgb{10, 12, 20}, 0.5).mix(p.seaFar, 0.4*(1-(v-sc.horizon)/(1-sc.horizon))),
				light: p.lights && r.IntN(2) == 0,
			})
		}
	case "city":
		sc.sea = r.IntN(3) > 0 // a waterfront more often than not
		sc.ridges = append(sc.ridges, newRidge(sc.horizon, 0.05+r.Float64()*0.05, 0, false))
		for layer := 0; layer < 2; layer++ {
			depth := 0.35 + 0.45*float64(layer)
			stone := p.land.mix(rgb{112, 114, 126}, 0.6)
			if p.name == "night" {
				stone = p.land
			}
			sk := skyline{base: sc.horizon + 0.002, col: stone.mix(p.skyLow, p.groundHazeAmount*(1-depth)), lit: 0.25 + 0.2*float64(layer)}
			u := -r.Float64() * 0.05
			for u < 1.02 {
				w := 0.03 + r.Float64()*0.06
				tall := 0.04 + r.Float64()*0.14
				if r.IntN(6) == 0 {
					tall += 0.1 + r.Float64()*0.1
				}
				if layer == 1 {
					tall *= 0.8
				}
				b := building{u0: u, u1: u + w, top: sk.base - tall, seed: r.Uint64()}
				if r.IntN(5) == 0 {
					b.antenna = 0.02 + r.Float64()*0.05
				}
				sk.buildings = append(sk.buildings, b)
				u += w + r.Float64()*0.01
			}
			sc.skylines = append(sc.skylines, sk)
		}
		if !sc.sea {
			sc.ridges = append(sc.ridges, newRidge(0.98, 0.0, 1, true))
			sc.ridges[len(sc.ridges)-1].base = sc.horizon + 0.01
			sc.ridges[len(sc.ridges)-1].amp = 0.005
		} else {
			for i := 0; i < 1+r.IntN(2); i++ {
				v := sc.horizon + 0.08 + r.Float64()*0.2
				sc.boats = append(sc.boats, boat{u: 0.1 + r.Float64()*0.8, v: v, size: 0.02 + (v-sc.horizon)*0.2,
					col: p.land.scale(0.6), light: p.lights})
			}
		}
	case "hills", "wind":
		sc.horizon -= 0.04
		n := 3 + r.IntN(2)
		for i := 0; i < n; i++ {
			depth := float64(i) / float64(n-1)
			base := sc.horizon + 0.02 + depth*0.2
			rd := newRidge(base, 0.06+0.06*(1-depth)+r.Float64()*0.04, depth, true)
			rd.col = haze(depth).mix(p.grass, 0.5*depth)
			if i == n-1 || (i == n-2 && r.IntN(2) == 0) {
				for t := 0; t < 4+r.IntN(10); t++ {
					rd.trees = append(rd.trees, r.Float64())
				}
				rd.treeSize = 0.012 + 0.012*depth
			}
			sc.ridges = append(sc.ridges, rd)
		}
		if kind == "wind" || r.IntN(4) == 0 {
			nt := 3 + r.IntN(5)
			for i := 0; i < nt; i++ {
				sc.turbines = append(sc.turbines, turbine{u: 0.05 + r.Float64()*0.9, v: sc.horizon + 0.02 + r.Float64()*0.03,
					h: 0.12 + r.Float64()*0.08, angle: r.Float64() * 2 * math.Pi})
			}
		}
	case "field":
		sc.horizon += 0.02
		sc.ridges = append(sc.ridges, newRidge(sc.horizon, 0.04, 0.1, false))
		// Stands: a long low block.
		sk := skyline{base: sc.horizon + 0.06, col: haze(0.6), lit: 0.1}
		sk.buildings = append(sk.buildings, building{u0: -0.05, u1: 1.05, top: sk.base - 0.08 - r.Float64()*0.04, seed: r.Uint64()})
		sc.skylines = append(sc.skylines, sk)
		sc.pitch = true
		nf := 2 + r.IntN(2)
		for i := 0; i < nf; i++ {
			sc.floodlights = append(sc.floodlights, (float64(i)+0.5)/float64(nf)+(r.Float64()-0.5)*0.1)
		}
	}
	return sc
}

func (sc *scene) alt(lang string) string {
	var en, ru string
	switch sc.kind {
	case "harbour":
		en, ru = "a harbour with boats on the water and quayside buildings on the far shore", "гавань с лодками на воде и домами на дальнем берегу"
	case "coast":
		en, ru = "a stretch of sea with a headland and boats", "морской берег с мысом и лодками"
	case "isles":
		en, ru = "low islands on the horizon across open water", "невысокие острова на горизонте за открытой водой"
	case "city":
		if sc.sea {
			en, ru = "a city skyline above a waterfront", "силуэт города над набережной"
		} else {
			en, ru = "a city skyline", "силуэт города"
		}
	case "hills":
		en, ru = "rolling hills fading into the distance", "холмы, уходящие вдаль"
	case "wind":
		en, ru = "wind turbines on rolling hills", "ветряки на холмах"
	case "field":
		en, ru = "a sports ground with floodlights in front of the stands", "стадион с прожекторами перед трибунами"
	}
	if len(sc.turbines) > 0 && sc.kind == "hills" {
		en += ", with wind turbines"
		ru += ", с ветряками"
	}
	for _, rd := range sc.ridges {
		if rd.lighthouse >= 0 {
			en += " and a lighthouse"
			ru += " и маяком"
			break
		}
	}
	todEN := map[string]string{"dawn": "at dawn", "day": "by day", "golden": "at sunset", "overcast": "under an overcast sky", "night": "at night"}
	todRU := map[string]string{"dawn": "на рассвете", "day": "днём", "golden": "на закате", "overcast": "в пасмурный день", "night": "ночью"}
	if lang == "ru" {
		return "Иллюстрация: " + ru + ", " + todRU[sc.tod]
	}
	return "Illustration: " + en + ", " + todEN[sc.tod]
}

// ---- rasterizer ----

type canvas struct {
	img  *image.RGBA
	w, h int
	fw   float64 // width in pixels as float, the unit for u and v
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

func to8(x float64) uint8 {
	if x <= 0 {
		return 0
	}
	if x >= 255 {
		return 255
	}
	return uint8(x + 0.5)
}

// blend mixes colour c into pixel (x, y) with alpha a.
func (cv *canvas) blend(x, y int, c rgb, a float64) {
	if a <= 0 || x < 0 || y < 0 || x >= cv.w || y >= cv.h {
		return
	}
	cv.blendAt(y*cv.img.Stride+x*4, c.clamp(), a)
}

// blendAt mixes a colour already clamped to 0..255 into the pixel at offset
// i; with 0 <= a <= 1 the result stays in range, so no clamping is needed.
func (cv *canvas) blendAt(i int, c rgb, a float64) {
	if a > 1 {
		a = 1
	}
	p := cv.img.Pix[i : i+3 : i+3]
	r, g, b := float64(p[0]), float64(p[1]), float64(p[2])
	p[0] = uint8(r + (c.r-r)*a + 0.5)
	p[1] = uint8(g + (c.g-g)*a + 0.5)
	p[2] = uint8(b + (c.b-b)*a + 0.5)
}

func (c rgb) clamp() rgb {
	return rgb{math.Min(math.Max(c.r, 0), 255), math.Min(math.Max(c.g, 0), 255), math.Min(math.Max(c.b, 0), 255)}
}

// add brightens pixel (x, y) by c times a (for glows and lights).
func (cv *canvas) add(x, y int, c rgb, a float64) {
	if a <= 0 || x < 0 || y < 0 || x >= cv.w || y >= cv.h {
		return
	}
	i := y*cv.img.Stride + x*4
	p := cv.img.Pix[i : i+3 : i+3]
	p[0] = to8(float64(p[0]) + c.r*a)
	p[1] = to8(float64(p[1]) + c.g*a)
	p[2] = to8(float64(p[2]) + c.b*a)
}

// px converts a u or v coordinate to pixels (both scale with the width, v
// via the height).
func (cv *canvas) x(u float64) float64 { return u * float64(cv.w) }
func (cv *canvas) y(v float64) float64 { return v * float64(cv.h) }

// ellipse fills a soft ellipse; soft is the feather width in pixels.
func (cv *canvas) ellipse(cu, cv2, rxu, ryv float64, c rgb, a, soft float64) {
	cx, cy := cv.x(cu), cv.y(cv2)
	rx, ry := rxu*float64(cv.w), ryv*float64(cv.w)
	if rx < 0.5 {
		rx = 0.5
	}
	if ry < 0.5 {
		ry = 0.5
	}
	x0, x1 := int(cx-rx-soft-1), int(cx+rx+soft+1)
	y0, y1 := int(cy-ry-soft-1), int(cy+ry+soft+1)
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, cv.w-1), min(y1, cv.h-1)
	m := math.Min(rx, ry)
	c = c.clamp()
	outer := 1 + soft/(2*m) // beyond this normalised radius alpha is 0
	for y := y0; y <= y1; y++ {
		dy := (float64(y) + 0.5 - cy) / ry
		if dy*dy >= outer*outer {
			continue
		}
		span := math.Sqrt(outer*outer-dy*dy) * rx
		xa, xb := max(x0, int(cx-span)), min(x1, int(cx+span)+1)
		row := y * cv.img.Stride
		for x := xa; x <= xb; x++ {
			dx := (float64(x) + 0.5 - cx) / rx
			d := math.Sqrt(dx*dx + dy*dy)
			al := clamp01((1-d)*m/soft + 0.5)
			if al > 0 {
				cv.blendAt(row+x*4, c, a*al)
			}
		}
	}
}

// glow adds light falling off with distance from (u, v).
func (cv *canvas) glow(u, v, radius float64, c rgb, strength float64) {
	cx, cy := cv.x(u), cv.y(v)
	r := radius * float64(cv.w)
	x0, x1 := max(int(cx-r), 0), min(int(cx+r), cv.w-1)
	y0, y1 := max(int(cy-r), 0), min(int(cy+r), cv.h-1)
	inv := 1 / (r * r)
	for y := y0; y <= y1; y++ {
		dy := float64(y) + 0.5 - cy
		for x := x0; x <= x1; x++ {
			dx := float64(x) + 0.5 - cx
			d2 := (dx*dx + dy*dy) * inv
			if d2 >= 1 {
				continue
			}
			f := 1 - d2
			cv.add(x, y, c, strength*f*f*f/255)
		}
	}
}

// line draws an anti-aliased segment of half-width hw pixels.
func (cv *canvas) line(u0, v0, u1, v1, hw float64, c rgb, a float64) {
	ax, ay, bx, by := cv.x(u0), cv.y(v0), cv.x(u1), cv.y(v1)
	x0, x1 := max(int(math.Min(ax, bx)-hw-1), 0), min(int(math.Max(ax, bx)+hw+1), cv.w-1)
	y0, y1 := max(int(math.Min(ay, by)-hw-1), 0), min(int(math.Max(ay, by)+hw+1), cv.h-1)
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			px, py := float64(x)+0.5-ax, float64(y)+0.5-ay
			t := 0.0
			if l2 > 0 {
				t = clamp01((px*dx + py*dy) / l2)
			}
			ex, ey := px-t*dx, py-t*dy
			d := math.Sqrt(ex*ex + ey*ey)
			cv.blend(x, y, c, a*clamp01(hw-d+0.5))
		}
	}
}

// tri fills an anti-aliased triangle given in u, v coordinates.
func (cv *canvas) tri(u0, v0, u1, v1, u2, v2 float64, c rgb, a float64) {
	P := [3][2]float64{{cv.x(u0), cv.y(v0)}, {cv.x(u1), cv.y(v1)}, {cv.x(u2), cv.y(v2)}}
	cx := (P[0][0] + P[1][0] + P[2][0]) / 3
	cy := (P[0][1] + P[1][1] + P[2][1]) / 3
	// Each edge as a line n·p + k = signed distance, positive inside.
	var E [3][3]float64
	for i := range 3 {
		p, q := P[i], P[(i+1)%3]
		nx, ny := -(q[1] - p[1]), q[0]-p[0]
		l := math.Hypot(nx, ny)
		if l == 0 {
			return
		}
		nx, ny = nx/l, ny/l
		k := -(nx*p[0] + ny*p[1])
		if nx*cx+ny*cy+k < 0 {
			nx, ny, k = -nx, -ny, -k
		}
		E[i] = [3]float64{nx, ny, k}
	}
	minx := math.Min(P[0][0], math.Min(P[1][0], P[2][0]))
	maxx := math.Max(P[0][0], math.Max(P[1][0], P[2][0]))
	miny := math.Min(P[0][1], math.Min(P[1][1], P[2][1]))
	maxy := math.Max(P[0][1], math.Max(P[1][1], P[2][1]))
	x0, x1 := max(int(minx)-1, 0), min(int(maxx)+1, cv.w-1)
	y0, y1 := max(int(miny)-1, 0), min(int(maxy)+1, cv.h-1)
	for y := y0; y <= y1; y++ {
		fy := float64(y) + 0.5
		for x := x0; x <= x1; x++ {
			fx := float64(x) + 0.5
			d := math.Inf(1)
			for _, e := range E {
				d = math.Min(d, e[0]*fx+e[1]*fy+e[2])
			}
			cv.blend(x, y, c, a*clamp01(d+0.5))
		}
	}
}

// rect fills an axis-aligned rectangle in pixels (no anti-aliasing needed).
func (cv *canvas) rect(x0, y0, x1, y1 float64, c rgb, a float64) {
	for y := max(int(y0), 0); y < min(int(math.Ceil(y1)), cv.h); y++ {
		for x := max(int(x0), 0); x < min(int(math.Ceil(x1)), cv.w); x++ {
			cov := (math.Min(x1, float64(x+1)) - math.Max(x0, float64(x))) * (math.Min(y1, float64(y+1)) - math.Max(y0, float64(y)))
			cv.blend(x, y, c, a*cov)
		}
	}
}

func hash2(a, b uint64) uint64 {
	h := a*0x9E3779B97F4A7C15 ^ b*0xC2B2AE3D27D4EB4F
	h ^= h >> 31
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 29
	return h
}

func (rd *ridge) height(u float64) float64 {
	s, wsum := 0.0, 0.0
	for k := range 4 {
		s += rd.weight[k] * math.Sin(rd.freq[k]*u*2*math.Pi/4+rd.phase[k])
		wsum += rd.weight[k]
	}
	h := 0.5 + 0.5*s/wsum
	// Islands and headlands: fade out towards the ends of the extent.
	if rd.u0 > 0 || rd.u1 < 1 {
		span := rd.u1 - rd.u0
		t := (u - rd.u0) / span
		if t <= 0 || t >= 1 {
			return 0
		}
		env := math.Sin(t * math.Pi)
		if rd.steep > 0 {
			env = math.Pow(env, 0.45)
		}
		h = (0.35 + 0.65*h) * env
	}
	return rd.amp * h
}

func (sc *scene) render(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cv := &canvas{img: img, w: w, h: h, fw: float64(w)}
	p := sc.pal
	hz := sc.horizon * float64(h)

	// Sky: a vertical gradient, warmer near the horizon.
	for y := 0; y < h; y++ {
		t := clamp01(float64(y) / hz)
		t = t * t * (3 - 2*t)
		c := p.skyTop.mix(p.skyLow, t)
		r, g, b := to8(c.r), to8(c.g), to8(c.b)
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = r, g, b, 255
		}
	}
	// Stars.
	for _, s := range sc.stars {
		cv.ellipse(s.u, s.v, s.rx, s.rx, rgb{255, 255, 240}, s.a, 0.8)
	}
	// Sun or moon, with a glow.
	if p.sunUp {
		cv.glow(sc.sunU, sc.sunV, sc.sunR*(5+boolF(!p.moon)*5)/1.5, p.sun, 90)
		cv.ellipse(sc.sunU, sc.sunV, sc.sunR, sc.sunR, p.sun, 1, 1.2)
		if p.moon {
			cv.ellipse(sc.sunU+sc.sunR*0.35, sc.sunV-sc.sunR*0.25*1.5, sc.sunR*0.85, sc.sunR*0.85, p.skyTop.mix(p.skyLow, 0.3), 0.9, 1.2)
		}
	} else {
		cv.glow(sc.sunU, sc.sunV, 0.3, p.sun, 30)
	}
	// Clouds: a cluster of soft ellipses each.
	for i, c := range sc.clouds {
		for k := range 4 {
			o := float64(int(hash2(uint64(i), uint64(k))%1000))/1000 - 0.5
			cv.ellipse(c.u+o*c.rx, c.v-math.Abs(o)*c.ry*0.8, c.rx*(0.55+0.3*math.Abs(o)), c.ry*1.1, c.col, c.a*0.55, math.Max(2, c.ry*float64(w)*0.9))
		}
	}

	// Sea, from the horizon down, with sparkling wave lines.
	if sc.sea {
		sunX := cv.x(sc.sunU)
		for y := int(hz); y < h; y++ {
			t := clamp01((float64(y) - hz) / (float64(h) - hz))
			base := p.seaFar.mix(p.seaNear, math.Pow(t, 0.6))
			row := img.Pix[y*img.Stride : y*img.Stride+w*4]
			for x := 0; x < w; x++ {
				i := x * 4
				row[i], row[i+1], row[i+2], row[i+3] = to8(base.r), to8(base.g), to8(base.b), 255
			}
			// Wave highlights: short dashes, longer towards the viewer.
			dash := 2 + t*float64(w)*0.04
			hy := hash2(uint64(y), seedOf(sc.slug))
			phase := float64(hy%1000) / 1000 * dash * 3
			band := float64(w) * (0.03 + t*0.12) // sun path half-width
			for x := 0; x < w; x++ {
				k := int((float64(x) + phase) / dash)
				hv := hash2(uint64(k), hy)
				strength := 0.0
				if hv%7 == 0 {
					strength = 0.12
				}
				if p.sunUp {
					d := math.Abs(float64(x)-sunX) / band
					if d < 1 && hv%3 == 0 {
						strength = math.Max(strength, (1-d)*(0.55-0.3*t))
					}
				}
				if strength > 0 {
					cv.blend(x, y, p.glint, strength)
				}
			}
		}
	}

	// Distant ridges, islands and headlands.
	for _, rd := range sc.ridges {
		cv.drawRidge(sc, &rd)
	}
	for _, sk := range sc.skylines {
		cv.drawSkyline(sc, &sk)
	}
	for _, t := range sc.turbines {
		cv.drawTurbine(sc, t)
	}
	if sc.pitch {
		cv.drawPitch(sc)
	}
	for _, b := range sc.boats {
		cv.drawBoat(sc, b)
	}

	// Grade and vignette in one pass, in 8.8 fixed point.
	vx := make([]float64, w)
	for x := range vx {
		d := (float64(x)/float64(w) - 0.5) * 2
		vx[x] = d * d
	}
	warmR, warmB := 1+sc.warm, 1-sc.warm
	fr, fg, fb := make([]uint32, w), make([]uint32, w), make([]uint32, w)
	for y := 0; y < h; y++ {
		d := (float64(y)/float64(h) - 0.5) * 2
		vy := d * d
		for x := 0; x < w; x++ {
			f := 1 - 0.11*(vx[x]+vy)
			fr[x], fg[x], fb[x] = uint32(f*warmR*256), uint32(f*256), uint32(f*warmB*256)
		}
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		for x := 0; x < w; x++ {
			i := x * 4
			row[i] = uint8(min(uint32(row[i])*fr[x]>>8, 255))
			row[i+1] = uint8(min(uint32(row[i+1])*fg[x]>>8, 255))
			row[i+2] = uint8(min(uint32(row[i+2])*fb[x]>>8, 255))
		}
	}
	return img
}

func boolF(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (cv *canvas) drawRidge(sc *scene, rd *ridge) {
	foot := cv.y(rd.base)
	bottom := foot
	if rd.toBottom {
		bottom = float64(cv.h)
	}
	hs := make([]float64, cv.w)
	for x := 0; x < cv.w; x++ {
		u := (float64(x) + 0.5) / float64(cv.w)
		top := foot - rd.height(u)*float64(cv.h)
		hs[x] = top
		if top >= bottom {
			continue
		}
		y0 := int(top)
		cov := 1 - (top - float64(y0))
		cv.blend(x, y0, rd.col, cov)
		for y := y0 + 1; y < int(math.Ceil(bottom)) && y < cv.h; y++ {
			c := rd.col
			if rd.toBottom {
				// Land darkens slightly towards the viewer.
				c = c.scale(1 - 0.18*clamp01((float64(y)-top)/float64(cv.h)*3))
			}
			cv.blend(x, y, c, 1)
		}
	}
	for i, tu := range rd.trees {
		x := min(max(int(tu*float64(cv.w)), 0), cv.w-1)
		top := hs[x]
		s := rd.treeSize * (0.7 + 0.6*float64(hash2(uint64(i), 7)%100)/100)
		col := rd.col.scale(0.7)
		cv.line(tu, top/float64(cv.h), tu, top/float64(cv.h)-s*0.6, math.Max(0.6, s*float64(cv.w)*0.06), col, 1)
		cv.ellipse(tu, top/float64(cv.h)-s*1.2, s*0.45, s*0.75, col, 1, 1)
	}
	if rd.lighthouse >= 0 {
		x := min(max(int(rd.lighthouse*float64(cv.w)), 0), cv.w-1)
		baseV := (hs[x] + 2) / float64(cv.h)
		hgt := 0.11
		wid := 0.014
		white := rgb{236, 232, 222}.mix(rd.col, 0.45)
		red := rgb{176, 52, 48}.mix(rd.col, 0.45)
		u := rd.lighthouse
		cv.tri(u-wid, baseV, u+wid, baseV, u+wid*0.65, baseV-hgt, white, 1)
		cv.tri(u-wid, baseV, u+wid*0.65, baseV-hgt, u-wid*0.65, baseV-hgt, white, 1)
		// Red bands.
		for _, b := range []float64{0.25, 0.6} {
			v0 := baseV - hgt*b
			v1 := v0 - hgt*0.14
			ww := wid * (1 - 0.35*b)
			cv.rect(cv.x(u-ww), cv.y(v1), cv.x(u+ww), cv.y(v0), red, 1)
		}
		lampV := baseV - hgt - 0.012
		cv.rect(cv.x(u-wid*0.5), cv.y(lampV), cv.x(u+wid*0.5), cv.y(baseV-hgt), rgb{255, 236, 170}, 1)
		cv.tri(u-wid*0.75, lampV, u+wid*0.75, lampV, u, lampV-0.018, red.scale(0.8), 1)
		if sc.pal.lights {
			cv.glow(u, lampV+0.006, 0.06, rgb{255, 230, 160}, 120)
		}
	}
}

func (cv *canvas) drawSkyline(sc *scene, sk *skyline) {
	for bi, b := range sk.buildings {
		x0, x1 := cv.x(b.u0), cv.x(b.u1)
		y0, y1 := cv.y(b.top), cv.y(sk.base)
		shade := sk.col.scale(0.9 + 0.2*float64(hash2(b.seed, 1)%100)/100)
		cv.rect(x0, y0, x1, y1, shade, 1)
		if b.antenna > 0 {
			um := (b.u0 + b.u1) / 2
			cv.line(um, b.top, um, b.top-b.antenna, math.Max(0.5, float64(cv.w)/1000), shade, 1)
			if sc.pal.lights {
				cv.glow(um, b.top-b.antenna, 0.006, rgb{255, 80, 60}, 200)
			}
		}
		// Windows: a grid in u/v so it looks alike at every size.
		ww := (b.u1 - b.u0)
		cols := max(int(ww/0.009), 1)
		rows := max(int((sk.base-b.top)/0.022), 0)
		lit := rgb{255, 214, 140}
		dark := shade.mix(sc.pal.skyLow, 0.18)
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				hv := hash2(b.seed+uint64(bi), uint64(r*64+c))
				u := b.u0 + ww*(float64(c)+0.3)/float64(cols)
				v := b.top + 0.008 + float64(r)*0.022
				if v+0.01 > sk.base {
					continue
				}
				wx0, wx1 := cv.x(u), cv.x(u+ww*0.4/float64(cols))
				wy0, wy1 := cv.y(v), cv.y(v+0.009)
				if sc.pal.lights && float64(hv%1000)/1000 < sk.lit {
					cv.rect(wx0, wy0, wx1, wy1, lit, 0.9)
				} else {
					cv.rect(wx0, wy0, wx1, wy1, dark, 0.5)
				}
			}
		}
	}
}

func (cv *canvas) drawTurbine(sc *scene, t turbine) {
	col := sc.pal.land.mix(rgb{240, 240, 240}, 0.55).mix(sc.pal.skyLow, 0.3)
	hub := t.v - t.h
	lw := math.Max(0.6, float64(cv.w)*0.0022)
	cv.line(t.u, t.v, t.u, hub, lw, col, 1)
	// Blades in u units; v scales by 3/2 to keep them round on a 3:2 frame.
	L := t.h * 0.55
	for k := range 3 {
		a := t.angle + float64(k)*2*math.Pi/3
		cv.line(t.u, hub, t.u+math.Cos(a)*L*2/3, hub+math.Sin(a)*L, lw*0.8, col, 1)
	}
	cv.ellipse(t.u, hub, 0.003, 0.003*1.5, col, 1, 1)
}

func (cv *canvas) drawPitch(sc *scene) {
	top := sc.horizon + 0.06
	green := sc.pal.grass.mix(rgb{60, 150, 70}, 0.4)
	y0 := cv.y(top)
	for y := int(y0); y < cv.h; y++ {
		t := (float64(y) - y0) / (float64(cv.h) - y0)
		// Mowing stripes in perspective.
		stripe := math.Floor(math.Pow(t, 0.6) * 9)
		f := 1.0
		if int(stripe)%2 == 0 {
			f = 0.9
		}
		c := green.scale(f * (0.85 + 0.2*t))
		for x := 0; x < cv.w; x++ {
			cv.blend(x, y, c, 1)
		}
	}
	// A touchline.
	cv.line(0, top+0.06, 1, top+0.06, math.Max(0.6, float64(cv.w)*0.0015), rgb{235, 240, 230}, 0.8)
	pole := sc.pal.land.scale(0.8)
	for _, u := range sc.floodlights {
		cv.line(u, top, u, top-0.36, math.Max(0.6, float64(cv.w)*0.002), pole, 1)
		cv.rect(cv.x(u-0.025), cv.y(top-0.39), cv.x(u+0.025), cv.y(top-0.36), pole, 1)
		if sc.pal.lights || sc.pal.name == "overcast" {
			for k := range 4 {
				cu := u - 0.018 + float64(k)*0.012
				cv.rect(cv.x(cu-0.004), cv.y(top-0.385), cv.x(cu+0.004), cv.y(top-0.367), rgb{255, 252, 230}, 1)
			}
			cv.glow(u, top-0.375, 0.1, rgb{255, 250, 220}, 110)
		}
	}
}

func (cv *canvas) drawBoat(sc *scene, b boat) {
	s := b.size
	u, v := b.u, b.v
	// Hull: a trapezoid from two triangles.
	cv.tri(u-s, v-s*0.25, u+s, v-s*0.25, u+s*0.7, v, b.col, 1)
	cv.tri(u-s, v-s*0.25, u+s*0.7, v, u-s*0.75, v, b.col, 1)
	lw := math.Max(0.5, s*float64(cv.w)*0.035)
	if b.sail {
		cv.line(u, v-s*0.25, u, v-s*1.9, lw, b.col, 1)
		sail := rgb{240, 236, 226}.mix(b.col, 0.35)
		cv.tri(u+s*0.05, v-s*1.85, u+s*0.05, v-s*0.4, u+s*0.8, v-s*0.4, sail, 1)
		cv.tri(u-s*0.05, v-s*1.6, u-s*0.05, v-s*0.4, u-s*0.55, v-s*0.4, sail.scale(0.9), 1)
	} else {
		// A small wheelhouse and a mast.
		cv.rect(cv.x(u-s*0.45), cv.y(v-s*0.25)-s*float64(cv.w)*0.35, cv.x(u), cv.y(v-s*0.25)+1, b.col, 1)
		cv.line(u-s*0.2, v-s*0.5, u-s*0.2, v-s*1.1, lw, b.col, 1)
	}
	if b.light {
		cv.glow(u-s*0.2, v-s*0.6, s*0.6, rgb{255, 220, 150}, 160)
	}
	// A dark reflection under the hull.
	cv.ellipse(u, v+s*0.05, s*0.9, s*0.06, b.col, 0.35, 1.5)
}
