// Package browsertest starts a real headless Chromium for tests (Debian's
// /usr/bin/chromium, driven by chromedp) and offers the checks every browser
// test wants: screenshots under the test's temp dir and an axe-core
// accessibility audit. Where Chromium is absent the test skips and says why,
// unless NEWSDESK_REQUIRE_BROWSER=1 (set by .ci/run), where it fails.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Phone and Desktop are the two viewports pages are checked at.
var (
	Phone   = Viewport{Name: "phone", Width: 390, Height: 844, Mobile: true}
	Desktop = Viewport{Name: "desktop", Width: 1280, Height: 900}
)

// Viewport is a window size to emulate.
type Viewport struct {
	Name          string
	Width, Height int64
	Mobile        bool
}

func chromiumPath() string {
	for _, p := range []string{os.Getenv("NEWSDESK_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

func required() bool { return os.Getenv("NEWSDESK_REQUIRE_BROWSER") == "1" }

// New starts a headless Chromium for the test and returns a chromedp context
// for one tab. The browser stops when the test ends.
func New(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if required() {
			t.Fatal("chromium not found and NEWSDESK_REQUIRE_BROWSER=1; install it with: apt-get install chromium")
		}
		t.Skip("chromium not found (apt-get install chromium); skipping browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("user-data-dir", t.TempDir()),
		chromedp.WindowSize(int(Desktop.Width), int(Desktop.Height)),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first Do starts the browser; it must not run under a timeout.
	if err := chromedp.Do(ctx); err != nil {
		if required() {
			t.Fatalf("start chromium: %v", err)
		}
		t.Skipf("chromium did not start (%v); skipping browser test", err)
	}
	return ctx
}

// Run runs steps with a time limit, failing the test on error.
func Run(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Eval evaluates a JavaScript expression and decodes its value into T.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("browser: evaluate %.60q: %v", expr, err)
	}
	return v
}

// Poll evaluates a JavaScript expression every 100 ms until it is true,
// failing the test after within. An evaluation that fails because the page
// is navigating (the expression is often "the next page has loaded") is
// taken as "not yet": Chrome answers one that lands between two documents
// with "Inspected target navigated or closed" or "Execution context was
// destroyed", which is not the test's failure.
func Poll(t testing.TB, ctx context.Context, within time.Duration, expr string) {
	t.Helper()
	deadline := time.Now().Add(within)
	var last error
	for {
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		ok, err := chromedp.Run(tctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if err != nil {
			if ctx.Err() != nil {
				t.Fatalf("browser: evaluate %.60q: %v", expr, err)
			}
			last = err
		}
		if time.Now().After(deadline) {
			if last != nil {
				t.Fatalf("not true within %v: %s (last error: %v)", within, expr, last)
			}
			t.Fatalf("not true within %v: %s", within, expr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// SetViewport resizes the tab to v.
func SetViewport(t testing.TB, ctx context.Context, v Viewport) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	if v.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	Run(t, ctx, chromedp.EmulateViewport(v.Width, v.Height, opts...))
}

// Screenshot saves a full-page PNG (quality 100 makes chromedp write PNG) as <name>.png in the test's artifact
// directory (NEWSDESK_SCREENSHOTS if set, else a temp dir) and returns its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("NEWSDESK_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// Violation is one axe-core finding.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
}

// axeSource finds axe.min.js, installed by `npm ci --prefix tools/browser`.
func axeSource() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	p := filepath.Join(root, "tools", "browser", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	return string(b), err
}

// Axe runs axe-core on the current page and returns the serious and
// critical violations. It skips the test (fails under
// NEWSDESK_REQUIRE_BROWSER=1) when axe-core is not installed.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		if required() {
			t.Fatalf("axe-core not installed (npm ci --prefix tools/browser): %v", err)
		}
		t.Skipf("axe-core not installed (run: npm ci --prefix tools/browser); skipping accessibility check")
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	raw, err := chromedp.Run(tctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var all []Violation
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		t.Fatalf("axe-core result: %v", err)
	}
	var serious []Violation
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, v)
		}
	}
	return serious
}
