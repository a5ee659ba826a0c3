package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"newsdesk/internal/newsroom"
)

// TestShareCardAndIcons: a story without a lead picture gets a generated
// share card as og:image and JSON-LD image (a 1200×630 PNG with its
// headline, served for public stories only); /favicon.ico and the touch
// icon are there, drawn from the logo.
func TestShareCardAndIcons(t *testing.T) {
	forEachStore(t, func(t *testing.T, ta *testApp) {
		ed, _ := mustToken(t, ta, newsroom.RoleEditor)
		mustSectionOnce(t, ta)
		res := doJSON(t, ta.srv, "POST", "/api/v1/articles", ed, `{"headline":"Паром «Аврора» снова ходит в Варде: the ferry returns after a winter in the yard","body":"Back on Monday.","status":"published","categories":["region"]}`)
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var a struct {
			ID       int64
			URL      string
			Revision int
		}
		res.decode(t, &a)
		doc := getDoc(t, ta, a.URL)
		og := doc.Find(`meta[property="og:image"]`).AttrOr("content", "")
		want := fmt.Sprintf("/share-card/%d-%d.png", a.ID, a.Revision)
		if !strings.HasSuffix(og, want) || doc.Find(`meta[property="og:image:width"]`).AttrOr("content", "") != "1200" {
			t.Errorf("og:image = %q, want …%s", og, want)
		}
		var ld struct {
			Image []struct{ URL string } `json:"image"`
		}
		for _, node := range doc.Find(`script[type="application/ld+json"]`).Nodes {
			_ = json.Unmarshal([]byte(node.FirstChild.Data), &ld)
			if len(ld.Image) > 0 {
				break
			}
		}
		if len(ld.Image) == 0 || !strings.HasSuffix(ld.Image[0].URL, want) {
			t.Errorf("JSON-LD image = %+v", ld.Image)
		}
		p := fetch(t, ta, "GET", want)
		if p.status != http.StatusOK || p.header.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s: %d %s", want, p.status, p.header.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader(p.body))
		if err != nil || img.Bounds().Dx() != 1200 || img.Bounds().Dy() != 630 {
			t.Errorf("card: %v %v", img.Bounds(), err)
		}
		if p := fetch(t, ta, "GET", fmt.Sprintf("/share-card/%d-1.png", a.ID+1000)); p.status != http.StatusNotFound {
			t.Errorf("card of no story: %d", p.status)
		}
		if p := fetch(t, ta, "GET", fmt.Sprintf("/share-card/%d-%d.png", a.ID, a.Revision+7)); p.status != http.StatusMovedPermanently || p.header.Get("Location") != want {
			t.Errorf("card of another revision: %d %s", p.status, p.header.Get("Location"))
		}
		draft := doJSON(t, ta.srv, "POST", "/api/v1/articles", ed, `{"headline":"Not yet","body":"Draft."}`)
		var d struct{ ID int64 }
		draft.decode(t, &d)
		if p := fetch(t, ta, "GET", fmt.Sprintf("/share-card/%d-1.png", d.ID)); p.status != http.StatusNotFound {
			t.Errorf("card of a draft: %d", p.status)
		}

		ico := fetch(t, ta, "GET", "/favicon.ico")
		if ico.status != http.StatusOK || ico.header.Get("Content-Type") != "image/x-icon" || !bytes.HasPrefix(ico.body, []byte{0, 0, 1, 0, 2, 0}) {
			t.Errorf("favicon: %d %s % x", ico.status, ico.header.Get("Content-Type"), ico.body[:min(8, len(ico.body))])
		}
		touch := fetch(t, ta, "GET", "/apple-touch-icon.png")
		if m, err := png.Decode(bytes.NewReader(touch.body)); touch.status != http.StatusOK || err != nil || m.Bounds().Dx() != 180 {
			t.Errorf("touch icon: %d %v", touch.status, err)
		}
		if doc.Find(`link[rel=icon][href="/favicon.ico"]`).Length() != 1 || doc.Find(`link[rel=apple-touch-icon]`).Length() != 1 {
			t.Errorf("the page does not name its icons")
		}
	})
}
