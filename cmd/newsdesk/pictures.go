package main

import (
	"context"
	"regexp"
	"strconv"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// renditionRE matches the address of a media library rendition: the
// picture's content hash and the rendition's width.
var renditionRE = regexp.MustCompile(`^/media/i/[0-9a-f]{2}/([0-9a-f]{64})-([0-9]+)\.(?:jpg|png)$`)

// libraryPictures lets the renderer show a body picture from the media
// library at every width (render.Pictures). It runs when a story is
// rendered on save, never per view.
func libraryPictures(ms newsroom.MediaStore) render.Pictures {
	return func(src string) (render.Picture, bool) {
		m := renditionRE.FindStringSubmatch(src)
		if m == nil {
			return render.Picture{}, false
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		item, err := ms.MediaByHash(ctx, m[1])
		if err != nil || len(item.Sizes) == 0 {
			return render.Picture{}, false
		}
		w, _ := strconv.Atoi(m[2])
		return render.Picture{Srcset: item.Srcset(), Width: w, Height: item.HeightAt(w)}, true
	}
}
