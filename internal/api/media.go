package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// Uploader adds pictures to the media library; package media's Library is
// the implementation main wires in (the desk's media library uses the same).
type Uploader interface {
	// Upload reads one picture and stores it with meta's text fields; an
	// identical earlier upload is returned with created false.
	Upload(ctx context.Context, name string, body io.Reader, meta newsroom.MediaItem) (item *newsroom.MediaItem, created bool, err error)
	// MaxBytes is the largest picture accepted.
	MaxBytes() int64
}

// mediaOverhead is what a multipart body may carry beside the picture:
// the text fields and the part headers.
const mediaOverhead = 64 << 10

// mediaMemory is how much of a multipart body is held in memory; the rest
// goes to temporary files, removed when the request ends.
const mediaMemory = 32 << 20

// MediaJSON is a media library item as the API shows it: the item, its
// public address at the default width (url) and every rendition (srcset).
type MediaJSON struct {
	ID           int64     `json:"id"`
	URL          string    `json:"url"`
	Srcset       string    `json:"srcset"`
	Width        int       `json:"width"`  // of url's rendition
	Height       int       `json:"height"` // of url's rendition
	Original     [2]int    `json:"original_size"`
	Type         string    `json:"type"`
	Hash         string    `json:"hash"`
	OriginalName string    `json:"original_name"`
	Caption      string    `json:"caption"`
	Credit       string    `json:"credit"`
	Source       string    `json:"source"`
	SourceURL    string    `json:"source_url"`
	Alt          string    `json:"alt"`
	UploadedBy   int64     `json:"uploaded_by"`
	UploadedAt   time.Time `json:"uploaded_at"`
	// Created is false when the same bytes were in the library already
	// (that item is returned, unchanged).
	Created bool `json:"created"`
}

func mediaJSON(m *newsroom.MediaItem, created bool) MediaJSON {
	img := m.Image()
	return MediaJSON{
		ID: m.ID, URL: img.URL, Srcset: img.Srcset, Width: img.Width, Height: img.Height,
		Original: [2]int{m.Width, m.Height}, Type: m.Type, Hash: m.Hash, OriginalName: m.OriginalName,
		Caption: m.Caption, Credit: m.Credit, Source: m.SourceName, SourceURL: m.SourceURL, Alt: m.Alt,
		UploadedBy: m.UploadedBy, UploadedAt: m.UploadedAt.UTC(), Created: created,
	}
}

// handleUpload wraps uploadMedia: the staff token is checked first, then a
// declared length over the upload limit is refused with 413 before a byte
// of the body is read, and the body is cut off at that limit.
func (s *Server) handleUpload() http.Handler {
	h := s.requireUser(s.uploadMedia)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.errors.Error(w, r, err)
		}
	})
}

// uploadMedia is POST /api/v1/media: a multipart body with the picture in
// "file" and optional caption, credit, source, source_url and alt. Every
// writer may upload (as in the desk's library). 201 with the new item, 200
// with the earlier one when the same bytes were uploaded before; 413 over
// the limit; 422 naming the field ("file" for anything but a JPEG, PNG,
// WebP or GIF that decodes).
func (s *Server) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	if s.Media == nil {
		return s.notFound(w, r)
	}
	u := User(r.Context())
	if !u.Role.CanWrite() {
		return newsroom.Errorf(newsroom.Forbidden, "", "only writers, editors and admins add pictures")
	}
	limit := s.Media.MaxBytes()
	tooLarge := newsroom.Errorf(newsroom.TooLarge, "file", "the picture is larger than %d MiB", (limit+(1<<20-1))>>20)
	if r.ContentLength > limit+mediaOverhead {
		return tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+mediaOverhead)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data") {
		return newsroom.Errorf(newsroom.Unprocessable, "file", "send the picture as multipart/form-data in the field \"file\"")
	}
	if err := r.ParseMultipartForm(mediaMemory); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return tooLarge
		}
		return newsroom.Errorf(newsroom.Unprocessable, "file", "the multipart body cannot be read: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	for name := range r.MultipartForm.Value {
		switch name {
		case "caption", "credit", "source", "source_url", "alt":
		default:
			return newsroom.Errorf(newsroom.Unprocessable, name, "unknown field %q (known: file, caption, credit, source, source_url, alt)", name)
		}
	}
	meta := newsroom.MediaItem{
		Caption: r.FormValue("caption"), Credit: r.FormValue("credit"), SourceName: r.FormValue("source"),
		SourceURL: r.FormValue("source_url"), Alt: r.FormValue("alt"), UploadedBy: u.ID,
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		return newsroom.Errorf(newsroom.Unprocessable, "file", "the picture is missing: send it in the field \"file\"")
	}
	defer f.Close()
	item, created, err := s.Media.Upload(r.Context(), fh.Filename, f, meta)
	if err != nil {
		var costly interface{ MemoryCost() (cost, budget int64) }
		switch e := newsroom.AsError(err); {
		case errors.As(err, &costly):
			cost, budget := costly.MemoryCost()
			return newsroom.Errorf(newsroom.TooLarge, "file", "%s would take %d MiB to decode; the limit is %d MiB", fh.Filename, (cost+(1<<20-1))>>20, budget>>20)
		case e != nil && e.Code == newsroom.TooLarge:
			return tooLarge
		case e != nil && e.Code == newsroom.Invalid:
			field := e.Field
			if field == "source_name" {
				field = "source"
			}
			return &newsroom.Error{Code: newsroom.Unprocessable, Field: field, Message: strings.ReplaceAll(e.Message, "source name", "source")}
		}
		return fmt.Errorf("api: upload: %w", err)
	}
	s.Logger.Info("api: picture uploaded", "id", item.ID, "created", created, "by", u.ID)
	st := http.StatusOK
	if created {
		st = http.StatusCreated
	}
	writeJSON(w, st, mediaJSON(item, created))
	return nil
}
