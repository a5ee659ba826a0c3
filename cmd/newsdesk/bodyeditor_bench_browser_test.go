package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/auth"
	"newsdesk/internal/browsertest"
	"newsdesk/internal/newsroom"
)

// BenchmarkBodyEditor measures the rich body editor as a correspondent
// meets it: the bundle's size as served (bundle-bytes, bundle-gzip-bytes),
// the time from navigation until the editor takes input on a story with a
// long body (ms-to-editor, measured in the page: the script is parsed and
// run, the body read and shown), and how long reading that body and
// writing it back as Markdown takes (ms-roundtrip); each also as the
// fastest of the runs (min-…).
//
//	NEWSDESK_REQUIRE_BROWSER=1 go test -run '^$' -bench BenchmarkBodyEditor -benchtime 20x ./cmd/newsdesk
func BenchmarkBodyEditor(b *testing.B) {
	cfg := Config{Addr: "127.0.0.1:0", DataDir: b.TempDir(), Language: "en", Timezone: "UTC", NoDemo: true, CacheMB: 64}
	a := startApp(b, cfg, time.Now, io.Discard, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(a.handler)
	b.Cleanup(srv.Close)
	bg := context.Background()
	hash, err := auth.HashPassword("journey password")
	must(b, err)
	u := &newsroom.User{Email: "mira@example.org", Name: "Mira Kask", Role: newsroom.RoleCorrespondent, PasswordHash: hash}
	must(b, a.store.CreateUser(bg, u))

	// A long story: every form of the body, twenty times (about 3,000 words).
	var long strings.Builder
	for i := 0; i < 20; i++ {
		for _, k := range []string{"subheads", "paragraphs", "bold-italic", "links", "bullets", "numbers", "quote", "figure", "embed", "table", "strike"} {
			long.WriteString(bodyForms[k] + "\n\n")
		}
		long.WriteString(strings.Repeat("The ferry crossed the bay in forty minutes, slower than planned because of the wind from the west. ", 10) + "\n\n")
	}
	ctx := browsertest.New(b)
	browsertest.Run(b, ctx,
		chromedp.Navigate(srv.URL+"/desk/"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SetValue(chromedp.CSS(`#email`), u.Email),
		chromedp.SendKeys(chromedp.CSS(`#password`), "journey password"),
		chromedp.Click(chromedp.CSS(`form[action="/desk/signin"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.me`)),
		chromedp.Navigate(srv.URL+"/desk/articles/new"),
		chromedp.WaitVisible(chromedp.CSS(`.body-editor-text`)),
	)
	// Save it once, so that every load below reads the long body.
	browsertest.Eval[bool](b, ctx, `document.getElementById("f-headline").value = "A long crossing"; newsdeskBodyEditor.setMarkdown(`+jsString(long.String())+`); true`)
	// (The mark tells the page the save leads to from this one, whose
	// address autosave may already have changed.)
	browsertest.Eval[bool](b, ctx, `window.beforeSave = true`)
	browsertest.Run(b, ctx, chromedp.Click(chromedp.CSS(`#save-button`)))
	browsertest.Poll(b, ctx, 10*time.Second, `!window.beforeSave && /^\/desk\/articles\/\d+$/.test(location.pathname) && document.readyState === "complete"`)
	edit := browsertest.Eval[string](b, ctx, `location.pathname`)
	bundle := browsertest.Eval[string](b, ctx, `document.querySelector('script[src*="body-editor"]').src`)
	res, err := http.Get(bundle)
	must(b, err)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	must(b, err)
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = w.Write(body)
	_ = w.Close()

	var ready, roundTrip float64
	minReady, minRound := 1e9, 1e9
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		browsertest.Run(b, ctx, chromedp.Navigate(srv.URL+edit), chromedp.WaitVisible(chromedp.CSS(`.body-editor-text h2`)))
		r := browsertest.Eval[float64](b, ctx, `newsdeskBodyEditor.readyAt`)
		rt := browsertest.Eval[float64](b, ctx, `(() => { const s = document.getElementById("f-body").value; const t0 = performance.now();
			newsdeskMarkdown.roundTrip(s); return performance.now() - t0 })()`)
		ready, roundTrip, minReady, minRound = ready+r, roundTrip+rt, min(minReady, r), min(minRound, rt)
	}
	b.StopTimer()
	b.ReportMetric(float64(len(body)), "bundle-bytes")
	b.ReportMetric(float64(gz.Len()), "bundle-gzip-bytes")
	b.ReportMetric(ready/float64(b.N), "ms-to-editor")
	b.ReportMetric(roundTrip/float64(b.N), "ms-roundtrip")
	// The fastest run: what the work costs when the machine is not busy
	// with something else.
	b.ReportMetric(minReady, "min-ms-to-editor")
	b.ReportMetric(minRound, "min-ms-roundtrip")
	b.ReportMetric(float64(len(long.String())), "body-bytes")
}
