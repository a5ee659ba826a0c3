package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"newsdesk/internal/browsertest"
	"newsdesk/internal/media/mediatest"
)

// TestBrowserMediaJourney: a correspondent writes a story and, in the
// editor, uploads a phone photo through the image picker; it fills the
// lead image. An editor publishes the story, and the public page shows the
// photo as the lead figure with every width in srcset, its dimensions, and
// no EXIF location in any file served. The media library, a picture's
// page and the sections page pass axe-core.
func TestBrowserMediaJourney(t *testing.T) {
	ta := newTestApp(t, "", false)
	ctx := browsertest.New(t)
	addJourneyNewsroom(t, ta)

	photo := filepath.Join(t.TempDir(), "IMG_0417.JPG")
	must(t, os.WriteFile(photo, mediatest.WithEXIF(mediatest.JPEG(2400, 1600), 1, true), 0o644))

	u := ta.srv.URL
	browsertest.SetViewport(t, ctx, browsertest.Desktop)
	audit := auditor(t, ctx, "media-")

	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/"))
	signIn(t, ctx, "mira@example.org")
	browsertest.Run(t, ctx,
		chromedp.Navigate(u+"/desk/articles/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-headline`)),
		chromedp.SendKeys(chromedp.CSS(`#f-headline`), "New lamps light the Varde quay"),
		writeBodyMarkdown("The harbour lit its new lamps on Friday.\n\nThey use a third of the power of the old ones."),
		chromedp.SetValue(chromedp.CSS(`#f-categories`), "1"),
		// The picker: open it, upload from the dialog, and the picture
		// fills the lead image.
		chromedp.WaitVisible(chromedp.CSS(`button.pick-image`)),
		chromedp.Click(chromedp.CSS(`button.pick-image`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog.picker #picker-file`)),
	)
	audit("picker")
	browsertest.Run(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#picker-file`), []string{photo}))
	waitEval(t, ctx, `!document.querySelector("dialog.picker") && /^\/media\/i\/[0-9a-f]{2}\/[0-9a-f]{64}-960\.jpg$/.test(document.getElementById("f-lead_image.url").value)`)
	if id := browsertest.Eval[string](t, ctx, `document.querySelector('input[name=image_media_id]').value`); id == "" || id == "0" {
		t.Fatalf("the picker did not set the picture's number (%q)", id)
	}
	if !browsertest.Eval[bool](t, ctx, `!document.getElementById("lead-preview").hidden`) {
		t.Errorf("no preview of the chosen picture")
	}
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-lead_image\.alt`), "Tall lamps along a stone quay at dusk"),
		chromedp.SendKeys(chromedp.CSS(`#f-image_caption`), "The new lamps on the Varde quay"),
		chromedp.SendKeys(chromedp.CSS(`#f-image_credit`), "Mira Kask"),
		chromedp.Click(chromedp.CSS(`button[value=review]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	editPath := browsertest.Eval[string](t, ctx, `location.pathname`)

	// The library has it, without a script needed to see it.
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/media"), chromedp.WaitVisible(chromedp.CSS(`.media-grid img`)))
	audit("library")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`.media-grid a`)), chromedp.WaitVisible(chromedp.CSS(`#mf-caption`)))
	audit("picture")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`.me button`)), chromedp.WaitVisible(chromedp.CSS(`#email`)))

	// The editor publishes it.
	signIn(t, ctx, "ines@example.org")
	browsertest.Run(t, ctx,
		chromedp.Navigate(u+editPath),
		chromedp.WaitVisible(chromedp.CSS(`button[value=publish]`)),
		chromedp.Click(chromedp.CSS(`button[value=publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/desk/sections"), chromedp.WaitVisible(chromedp.CSS(`table.list`)))
	audit("sections")

	// The public page: the lead figure with srcset, width and height.
	res, err := http.Get(u + "/harbour/new-lamps-light-the-varde-quay")
	must(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("public page: %d", res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	must(t, err)
	img := doc.Find("figure.lead-figure img")
	srcset, _ := img.Attr("srcset")
	w, _ := img.Attr("width")
	h, _ := img.Attr("height")
	if img.Length() != 1 || strings.Count(srcset, "w,") != 2 || !strings.Contains(srcset, "1600w") || w != "960" || h != "640" {
		t.Fatalf("lead figure img: srcset %q, %s×%s", srcset, w, h)
	}
	if got := strings.Join(strings.Fields(doc.Find("figure.lead-figure figcaption").Text()), " "); !strings.Contains(got, "The new lamps on the Varde quay") || !strings.Contains(got, "Mira Kask") {
		t.Errorf("figcaption = %q", got)
	}
	for _, part := range strings.Split(srcset, ",") {
		src := strings.Fields(part)[0]
		res, err := http.Get(u + src)
		must(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || bytes.Contains(b, mediatest.GPSMarkerBytes()) || bytes.Contains(b, []byte("Exif")) {
			t.Errorf("%s: status %d, EXIF kept: %v", src, res.StatusCode, bytes.Contains(b, []byte("Exif")))
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", src, cc)
		}
	}
	browsertest.SetViewport(t, ctx, browsertest.Phone)
	browsertest.Run(t, ctx, chromedp.Navigate(u+"/harbour/new-lamps-light-the-varde-quay"), chromedp.WaitVisible(chromedp.CSS(`figure.lead-figure img`)))
	// The phone loads a smaller width than the desktop would.
	if cur := browsertest.Eval[string](t, ctx, `document.querySelector("figure.lead-figure img").currentSrc`); !strings.Contains(cur, "-480.jpg") && !strings.Contains(cur, "-960.jpg") {
		t.Errorf("phone loaded %q", cur)
	}
	browsertest.Screenshot(t, ctx, "media-public-article")
}

// journeyPhoto writes a phone photo (with an EXIF GPS block) for a browser
// journey to upload and returns its path.
func journeyPhoto(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "IMG_0301.JPG")
	must(t, os.WriteFile(p, mediatest.WithEXIF(mediatest.JPEG(1600, 1067), 1, true), 0o644))
	return p
}
