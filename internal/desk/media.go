package desk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
)

// Uploader adds uploaded pictures to the media library; package media's
// Library is the implementation main wires in.
type Uploader interface {
	// Upload reads one picture and stores it with meta's text fields; an
	// identical earlier upload is returned with created false.
	Upload(ctx context.Context, name string, body io.Reader, meta newsroom.MediaItem) (item *newsroom.MediaItem, created bool, err error)
	// MaxBytes is the largest picture accepted.
	MaxBytes() int64
}

// mediaPerPage is how many pictures a library page shows.
const mediaPerPage = 40

// mediaView is the media library: a search, a grid of pictures, the upload
// form (with what was typed when an upload fails).
type mediaView struct {
	Page
	Query      string
	Items      []mediaCard
	Total      int
	Prev, Next string
	MaxMB      int64
	Form       newsroom.MediaItem
	Error      string
	Field      string
}

// mediaCard is one picture in the library grid, and the JSON the editor's
// picker reads.
type mediaCard struct {
	ID         int64  `json:"id"`
	Thumb      string `json:"thumb"`
	URL        string `json:"url"`
	Srcset     string `json:"srcset"`
	Width      int    `json:"width"`  // of URL's rendition
	Height     int    `json:"height"` // of URL's rendition
	Caption    string `json:"caption"`
	Credit     string `json:"credit"`
	SourceName string `json:"source_name"`
	SourceURL  string `json:"source_url"`
	Licence    string `json:"licence"`
	Alt        string `json:"alt"`
	Name       string `json:"original_name"`
	Size       string `json:"size"` // "4000×3000"
	Edit       string `json:"edit"` // desk page of the item
}

func newMediaCard(m *newsroom.MediaItem) mediaCard {
	img := m.Image()
	return mediaCard{
		ID: m.ID, Thumb: m.URL(m.Sizes[0]), URL: img.URL, Srcset: img.Srcset, Width: img.Width, Height: img.Height,
		Caption: m.Caption, Credit: m.Credit, SourceName: m.SourceName, SourceURL: m.SourceURL,
		Licence: m.Licence, Alt: m.Alt, Name: m.OriginalName,
		Size: fmt.Sprintf("%d×%d", m.Width, m.Height), Edit: "/desk/media/" + strconv.FormatInt(m.ID, 10),
	}
}

func (s *Server) mediaStore() (newsroom.MediaStore, error) {
	if s.cfg.MediaStore == nil {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.media.off"))
	}
	return s.cfg.MediaStore, nil
}

// mediaView fills the library page: page ?page of the pictures matching ?q.
func (s *Server) mediaView(r *http.Request) (*mediaView, error) {
	ms, err := s.mediaStore()
	if err != nil {
		return nil, err
	}
	v := &mediaView{Page: s.page(r, "desk.nav.media", "media"), Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if s.cfg.Media != nil {
		v.MaxMB = (s.cfg.Media.MaxBytes() + (1<<20 - 1)) >> 20
	}
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pageNo = max(pageNo, 1)
	items, total, err := ms.FindMedia(r.Context(), newsroom.MediaFilter{Query: v.Query, Limit: mediaPerPage, Offset: (pageNo - 1) * mediaPerPage})
	if err != nil {
		return nil, err
	}
	v.Total = total
	for i := range items {
		v.Items = append(v.Items, newMediaCard(&items[i]))
	}
	link := func(n int) string {
		q := url.Values{}
		if v.Query != "" {
			q.Set("q", v.Query)
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return "/desk/media"
		}
		return "/desk/media?" + q.Encode()
	}
	if pageNo > 1 {
		v.Prev = link(pageNo - 1)
	}
	if pageNo*mediaPerPage < total {
		v.Next = link(pageNo + 1)
	}
	return v, nil
}

// handleMedia shows the media library, or (to a script asking for JSON,
// such as the editor's image picker) lists it as {"items": [...],
// "total": N}.
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) error {
	v, err := s.mediaView(r)
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		items := v.Items
		if items == nil {
			items = []mediaCard{}
		}
		return writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": v.Total, "next": v.Next})
	}
	return s.render(w, r, http.StatusOK, "media.html", v)
}

// multipartOverhead is what a multipart form adds around the picture: the
// text fields and the part headers.
const multipartOverhead = 64 << 10

// uploadMemory is how much of a multipart form is kept in memory; the
// rest goes to temporary files. It is above the default upload limit, so
// a picture is normally never written to disk before it is checked.
const uploadMemory = 32 << 20

// maxUploadBody is the largest multipart request body the desk reads.
func (s *Server) maxUploadBody() int64 {
	if s.cfg.Media == nil {
		return maxFormBody
	}
	return s.cfg.Media.MaxBytes() + multipartOverhead
}

// limitBody bounds a request body before anything reads it: a declared
// length over the limit (the upload limit for a multipart form to a staff
// route, maxFormBody for anything else) is refused at once with 413, and
// the body is cut off at the limit.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request, upload bool) error {
	limit := int64(maxFormBody)
	if upload {
		limit = s.maxUploadBody()
	}
	if r.ContentLength > limit {
		if upload {
			return s.tooLarge()
		}
		return newsroom.Errorf(newsroom.TooLarge, "", "%s", s.t("desk.error.too_large", (limit+(1<<20-1))>>20))
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	return nil
}

// parseUpload parses a multipart form once the session and role are
// checked. A form without the X-CSRF-Token header is parsed here, so that
// the CSRF check finds its _csrf field and a body over the limit is a 413,
// not a missing token.
func (s *Server) parseUpload(r *http.Request) error {
	if r.Header.Get(web.HeaderCSRF) != "" {
		return nil
	}
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return s.tooLarge()
		}
		return newsroom.Errorf(newsroom.Invalid, "", "%s", s.t("desk.media.no_file"))
	}
	return nil
}

// handleUpload takes a picture from the upload form (field "file", with
// optional caption, credit, source_name, source_url, licence, alt). A form
// gets 303 to the picture's page; a script asking for JSON gets the
// picture as the picker reads it (201, or 200 if it was already there).
// Over the size limit is 413; anything but a JPEG, PNG, WebP or GIF is
// 422, with the reason on the library page or in the JSON error.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Media == nil {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.media.off"))
	}
	var meta newsroom.MediaItem
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return s.uploadFailed(w, r, meta, s.tooLarge())
		}
		return s.uploadFailed(w, r, meta, newsroom.Errorf(newsroom.Invalid, "file", "%s", s.t("desk.media.no_file")))
	}
	defer r.MultipartForm.RemoveAll()
	meta.Caption, meta.Credit, meta.Alt = r.FormValue("caption"), r.FormValue("credit"), r.FormValue("alt")
	meta.SourceName, meta.SourceURL, meta.Licence = r.FormValue("source_name"), r.FormValue("source_url"), r.FormValue("licence")
	f, fh, err := r.FormFile("file")
	if err != nil {
		return s.uploadFailed(w, r, meta, newsroom.Errorf(newsroom.Invalid, "file", "%s", s.t("desk.media.no_file")))
	}
	defer f.Close()
	meta.UploadedBy = CurrentUser(r.Context()).ID
	start := time.Now()
	item, created, err := s.cfg.Media.Upload(r.Context(), fh.Filename, f, meta)
	if err != nil {
		var costly interface{ MemoryCost() (cost, budget int64) }
		switch {
		case errors.As(err, &costly):
			// Small on disk, too big to decode: say so, naming the file.
			cost, budget := costly.MemoryCost()
			err = newsroom.Errorf(newsroom.TooLarge, "file", "%s", s.t("desk.media.too_costly", fh.Filename, (cost+(1<<20-1))>>20, budget>>20))
		case newsroom.ErrorCode(err) == newsroom.TooLarge:
			err = s.tooLarge()
		}
		return s.uploadFailed(w, r, meta, err)
	}
	s.log.Info("desk: picture uploaded", "id", item.ID, "created", created, "by", meta.UploadedBy,
		"size", fmt.Sprintf("%dx%d", item.Width, item.Height), "took", time.Since(start).Round(time.Millisecond))
	if wantsJSON(r) {
		st := http.StatusOK
		if created {
			st = http.StatusCreated
		}
		return writeJSON(w, st, map[string]any{"item": newMediaCard(item), "created": created})
	}
	to := "/desk/media/" + strconv.FormatInt(item.ID, 10) + "?uploaded=1"
	if !created {
		to = "/desk/media/" + strconv.FormatInt(item.ID, 10) + "?duplicate=1"
	}
	return s.redirect(w, r, to)
}

func (s *Server) tooLarge() error {
	limit := int64(maxFormBody)
	if s.cfg.Media != nil {
		limit = s.cfg.Media.MaxBytes()
	}
	mb := (limit + (1<<20 - 1)) >> 20
	return newsroom.Errorf(newsroom.TooLarge, "file", "%s", s.t("desk.media.too_large", mb))
}

// uploadFailed answers a failed upload: the JSON error for scripts, or the
// library page with the message and what was typed, with the error's
// status (413 too large, 422 not a picture we take).
func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, meta newsroom.MediaItem, err error) error {
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal {
		return err
	}
	if e.Code == newsroom.Invalid && e.Field == "file" {
		// The library's sentence names the type it found; say it in the
		// desk's language, keeping that detail.
		msg := s.t("desk.media.bad_type")
		if _, what, ok := strings.Cut(e.Message, "(this one is "); ok {
			msg += " " + s.t("desk.media.found_type", strings.TrimSuffix(what, ")"))
		} else if strings.Contains(e.Message, "megapixels") {
			msg = s.t("desk.media.too_many_pixels")
		} else if strings.Contains(e.Message, "cannot be read") {
			msg = s.t("desk.media.unreadable")
		}
		e = &newsroom.Error{Code: newsroom.Unprocessable, Field: "file", Message: msg}
	}
	if e.Code == newsroom.Invalid {
		e = &newsroom.Error{Code: newsroom.Unprocessable, Field: e.Field, Message: e.Message}
	}
	if wantsJSON(r) {
		return e
	}
	r.URL.RawQuery = ""
	v, verr := s.mediaView(r)
	if verr != nil {
		return verr
	}
	v.Form, v.Error, v.Field = meta, e.Message, e.Field
	return s.render(w, r, web.Status(e), "media.html", v)
}

// mediaItemView is one picture's page: its renditions and the form to
// change its caption, credit, source, licence and alt text.
type mediaItemView struct {
	Page
	Item      newsroom.MediaItem
	Card      mediaCard
	Uploader  string
	Uploaded  bool
	Duplicate bool
	Saved     bool
	Error     string
	Field     string
	// CanEdit: the user uploaded the picture or is an editor, so the text
	// form is shown.
	CanEdit bool
}

func (s *Server) mediaItem(r *http.Request) (*newsroom.MediaItem, error) {
	ms, err := s.mediaStore()
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	return ms.MediaByID(r.Context(), id)
}

func (s *Server) newMediaItemView(r *http.Request, m *newsroom.MediaItem) *mediaItemView {
	v := &mediaItemView{Page: s.page(r, "desk.media.item_title", "media"), Item: *m, Card: newMediaCard(m),
		CanEdit: newsroom.CanEditMedia(CurrentUser(r.Context()), m)}
	if m.OriginalName != "" {
		v.Title = m.OriginalName
	}
	if m.UploadedBy != 0 {
		if u, err := s.store.UserByID(r.Context(), m.UploadedBy); err == nil {
			v.Uploader = u.Name
		}
	}
	return v
}

func (s *Server) handleMediaItem(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mediaItem(r)
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		return writeJSON(w, http.StatusOK, newMediaCard(m))
	}
	v := s.newMediaItemView(r, m)
	q := r.URL.Query()
	v.Uploaded, v.Duplicate, v.Saved = q.Get("uploaded") == "1", q.Get("duplicate") == "1", q.Get("saved") == "1"
	return s.render(w, r, http.StatusOK, "media_item.html", v)
}

// handleSaveMediaItem changes a picture's caption, credit, source, licence
// and alt text. Articles that already use the picture keep their own.
func (s *Server) handleSaveMediaItem(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mediaItem(r)
	if err != nil {
		return err
	}
	if !newsroom.CanEditMedia(CurrentUser(r.Context()), m) {
		return newsroom.Errorf(newsroom.Forbidden, "", "%s", s.t("desk.media.not_yours"))
	}
	m.Caption, m.Credit, m.Alt = r.PostFormValue("caption"), r.PostFormValue("credit"), r.PostFormValue("alt")
	m.SourceName, m.SourceURL, m.Licence = r.PostFormValue("source_name"), r.PostFormValue("source_url"), r.PostFormValue("licence")
	err = s.cfg.MediaStore.UpdateMediaText(r.Context(), m)
	if e := newsroom.AsError(err); e != nil && e.Code == newsroom.Invalid {
		v := s.newMediaItemView(r, m)
		v.Error, v.Field = e.Message, e.Field
		return s.render(w, r, http.StatusUnprocessableEntity, "media_item.html", v)
	} else if err != nil {
		return err
	}
	return s.redirect(w, r, "/desk/media/"+strconv.FormatInt(m.ID, 10)+"?saved=1")
}

// libraryImage completes an article's lead image that comes from the media
// library, chosen in the picker (image_media_id) or pasted as the address
// of one of its renditions (newsroom.CompleteLibraryImage). An address
// replaced by hand with one from elsewhere is no longer the library's
// picture.
func (s *Server) libraryImage(ctx context.Context, img *newsroom.Image) error {
	if s.cfg.MediaStore == nil {
		return nil
	}
	err := newsroom.CompleteLibraryImage(ctx, s.cfg.MediaStore, img)
	if newsroom.IsNotFound(err) {
		return newsroom.Errorf(newsroom.Invalid, "lead_image.url", "%s", s.t("desk.media.no_such"))
	}
	return err
}
