package wordpress

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"newsdesk/internal/media"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
)

// attachment is a picture (or other file) of the old site's media library.
type attachment struct {
	id        int64
	url       string // attachment_url
	file      string // _wp_attached_file, relative to wp-content/uploads
	link      string // its attachment page
	title     string
	caption   string // the excerpt
	alt       string // _wp_attachment_image_alt
	credit    string // image_meta.credit
	copyright string // image_meta.copyright
	desc      string // the content
	mime      string
	sizes     []string // resized variants' file names
	digest    string
	mediaID   int64
	ref       ImageRef
	item      *newsroom.MediaItem
	fileURL   string // where newsdesk serves a file that is not a picture
}

func newAttachment(it *Item) *attachment {
	a := &attachment{id: it.PostID, url: strings.TrimSpace(it.AttachmentURL), file: it.MetaValue("_wp_attached_file"),
		link: it.Link, title: plainText(it.Title), caption: plainText(it.Excerpt()), alt: strings.TrimSpace(it.MetaValue("_wp_attachment_image_alt")),
		desc: plainText(it.Content())}
	if a.url == "" {
		a.url = it.GUID
	}
	if meta, err := unserialize(it.MetaValue("_wp_attachment_metadata")); err == nil {
		if m, ok := meta.(map[string]any); ok {
			if f, ok := m["file"].(string); ok && a.file == "" {
				a.file = f
			}
			if im, ok := m["image_meta"].(map[string]any); ok {
				a.credit, _ = im["credit"].(string)
				a.copyright, _ = im["copyright"].(string)
			}
			if sz, ok := m["sizes"].(map[string]any); ok {
				for _, v := range sz {
					if s, ok := v.(map[string]any); ok {
						if f, ok := s["file"].(string); ok {
							a.sizes = append(a.sizes, f)
						}
					}
				}
			}
			if orig, ok := m["original_image"].(string); ok && orig != "" {
				a.sizes = append(a.sizes, orig)
			}
		}
	}
	a.mime = strings.ToLower(path.Ext(strings.ToLower(a.file)))
	if a.mime == "" {
		a.mime = strings.ToLower(path.Ext(a.url))
	}
	a.digest = digest(a.id, a.url, a.file, a.title, a.caption, a.alt, a.credit, a.copyright, a.desc)
	return a
}

func plainText(s string) string {
	if strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(render.Text(s))
	}
	return strings.TrimSpace(s)
}

// uploadsName is the file's path under wp-content/uploads.
func (a *attachment) uploadsName() string {
	if a.file != "" {
		return strings.TrimPrefix(path.Clean("/"+a.file), "/")
	}
	return uploadsPath(a.url)
}

func (a *attachment) isPicture() bool {
	switch a.mime {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp":
		return true
	}
	return false
}

// uploadsPath returns the part of a picture's address after
// wp-content/uploads/ (or a multisite's files/), without a query.
// Jetpack's Photon addresses (i0.wp.com/host/path) are read through.
func uploadsPath(raw string) string {
	raw = strings.TrimSpace(html.UnescapeString(raw))
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	p := u.Path
	if dp, err := url.PathUnescape(p); err == nil {
		p = dp
	}
	for _, marker := range []string{"/wp-content/uploads/", "/files/"} {
		if i := strings.Index(p, marker); i >= 0 {
			rest := p[i+len(marker):]
			// Multisite: /wp-content/uploads/sites/2/2024/01/x.jpg.
			if m := sitesRE.FindStringIndex(rest); m != nil && m[0] == 0 {
				rest = rest[m[1]:]
			}
			return rest
		}
	}
	return ""
}

var sitesRE = regexp.MustCompile(`^sites/\d+/`)

// sizeSuffixRE matches WordPress's resized copies and edits:
// photo-1024x683.jpg, photo-scaled.jpg, photo-rotated.jpg,
// photo-e1700000000000.jpg (an edit in the media editor).
var sizeSuffixRE = regexp.MustCompile(`(?i)(-\d+x\d+|-scaled|-rotated|-e\d{10,})+(\.[a-z0-9]+)$`)

// pictureKey is the key an address of any size of a picture maps to.
func pictureKey(p string) string {
	p = strings.ToLower(p)
	return sizeSuffixRE.ReplaceAllString(p, "$2")
}

// index lets every size of the attachment find it.
func (r *run) index(a *attachment) {
	if !a.isPicture() {
		for _, p := range []string{a.file, uploadsPath(a.url)} {
			if p != "" {
				r.byFile[strings.ToLower(p)] = a.id
			}
		}
		return
	}
	for _, p := range []string{a.file, uploadsPath(a.url)} {
		if p != "" {
			r.byPath[pictureKey(p)] = a.id
		}
	}
	dir := path.Dir(a.file)
	for _, s := range a.sizes {
		r.byPath[pictureKey(path.Join(dir, s))] = a.id
	}
}

// imageFor resolves an <img src> of the old site to the imported picture.
func (r *run) imageFor(src string) (ImageRef, bool) {
	p := uploadsPath(src)
	if p == "" {
		return ImageRef{}, false
	}
	id, ok := r.byPath[pictureKey(p)]
	if !ok {
		return ImageRef{}, false
	}
	return r.attachmentRef(id)
}

// fileFor resolves a link to a file of the old site's uploads that is
// not a picture to where newsdesk serves it.
func (r *run) fileFor(src string) (string, bool) {
	p := uploadsPath(src)
	if p == "" {
		return "", false
	}
	a, ok := r.atts[r.byFile[strings.ToLower(p)]]
	if !ok || a.fileURL == "" {
		return "", false
	}
	return a.fileURL, true
}

func (r *run) attachmentRef(id int64) (ImageRef, bool) {
	a, ok := r.atts[id]
	if !ok || a.ref.URL == "" {
		return ImageRef{}, false
	}
	return a.ref, true
}

// attachments brings the pictures into the media library: the file from
// the uploads folder or the old site, with caption, alt text, credit and
// description. Files are read and rendered a few at a time.
func (r *run) attachments(ctx context.Context, atts []*attachment) error {
	for _, a := range atts {
		r.atts[a.id] = a
		r.index(a)
	}
	src, err := r.fileSource()
	if err != nil {
		return err
	}
	total := len(atts)
	done := 0
	r.report("pictures", 0, total, true)
	var todo []*attachment
	for _, a := range atts {
		if !a.isPicture() {
			name := a.uploadsName()
			switch {
			case !media.TakesFile(name):
				r.sum.OtherFiles.Skipped++
				r.issue("attachment", itoa(a.id), a.url, a.title, "a ."+strings.TrimPrefix(a.mime, ".")+" file: newsdesk keeps pictures, documents, audio and video only, so it stays where it was")
				done++
				continue
			case r.deps.Media == nil:
				r.sum.OtherFiles.Skipped++
				r.issue("attachment", itoa(a.id), a.url, a.title, "not imported: no media storage")
				done++
				continue
			}
			if old, ok := r.ledger["file"][itoa(a.id)]; ok && old.Digest == a.digest {
				if has, err := r.deps.Media.HasFile(ctx, name); err != nil {
					return err
				} else if has {
					r.sum.OtherFiles.Unchanged++
					a.fileURL = fileURL(name)
					done++
					continue
				}
			}
			todo = append(todo, a)
			continue
		}
		if old, ok := r.ledger["attachment"][itoa(a.id)]; ok {
			m, err := r.deps.Store.MediaByID(ctx, old.LocalID)
			if err == nil {
				if err := r.useMedia(ctx, a, m, old.Digest); err != nil {
					return err
				}
				done++
				continue
			} else if !newsroom.IsNotFound(err) {
				return err
			}
		}
		todo = append(todo, a)
	}
	if src == nil {
		for _, a := range todo {
			r.countOf(a).Skipped++
			r.issue("attachment", itoa(a.id), a.url, a.title, "not imported: give --uploads DIR (a copy of wp-content/uploads) or --fetch")
		}
		r.report("pictures", total, total, true)
		return nil
	}
	type result struct {
		a       *attachment
		item    *newsroom.MediaItem
		created bool
		err     error
	}
	jobs := make(chan *attachment)
	results := make(chan result)
	workers := r.opts.FetchConcurrency
	if workers <= 0 {
		workers = 4
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range jobs {
				if !a.isPicture() {
					results <- result{a: a, err: r.loadFile(ctx, src, a)}
					continue
				}
				item, created, err := r.loadPicture(ctx, src, a)
				results <- result{a, item, created, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, a := range todo {
			select {
			case jobs <- a:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	for res := range results {
		done++
		a := res.a
		switch {
		case res.err != nil:
			r.countOf(a).Failed++
			r.issue("attachment", itoa(a.id), a.url, a.title, errText(res.err))
		case !a.isPicture():
			if _, ok := r.ledger["file"][itoa(a.id)]; ok {
				r.sum.OtherFiles.Updated++
			} else {
				r.sum.OtherFiles.Imported++
			}
			if err := r.record(ctx, "file", itoa(a.id), 0, a.digest, ""); err != nil {
				return err
			}
		case r.opts.DryRun:
			r.sum.Images.Imported++
			a.ref = ImageRef{URL: a.url, Alt: a.alt, Caption: a.caption}
		default:
			if err := r.tookPicture(ctx, a, res.item, res.created); err != nil {
				return err
			}
		}
		r.report("pictures", done, total, false)
	}
	r.report("pictures", total, total, true)
	return ctx.Err()
}

func (r *run) countOf(a *attachment) *Count {
	if a.isPicture() {
		return &r.sum.Images
	}
	return &r.sum.OtherFiles
}

// fileURL is where a file kept at name (its path under the old uploads)
// is served.
func fileURL(name string) string {
	key, err := media.FileKey(name)
	if err != nil {
		return ""
	}
	return media.FileURL(key)
}

// loadFile keeps a file that is not a picture as it came (in a dry run it
// only checks that the file is there).
func (r *run) loadFile(ctx context.Context, src fileSource, a *attachment) error {
	if r.opts.DryRun {
		return src.check(ctx, a)
	}
	body, err := src.openFile(ctx, a, r.deps.Media.MaxFileBytes())
	if err != nil {
		return err
	}
	defer body.Close()
	u, err := r.deps.Media.PutFile(ctx, a.uploadsName(), body)
	if err != nil {
		return err
	}
	a.fileURL = u
	return nil
}

// loadPicture reads the file and adds it to the library (in a dry run it
// only checks that the file is there).
func (r *run) loadPicture(ctx context.Context, src fileSource, a *attachment) (*newsroom.MediaItem, bool, error) {
	if r.opts.DryRun {
		return nil, false, src.check(ctx, a)
	}
	if r.deps.Media == nil {
		return nil, false, fmt.Errorf("no media library to take pictures into")
	}
	body, err := src.open(ctx, a, r.deps.Media.MaxBytes())
	if err != nil {
		return nil, false, err
	}
	defer body.Close()
	name := path.Base(a.file)
	if name == "." || name == "/" {
		name = path.Base(a.url)
	}
	return r.deps.Media.Upload(ctx, name, body, a.mediaText())
}

func (a *attachment) mediaText() newsroom.MediaItem {
	m := newsroom.MediaItem{Caption: a.caption, Credit: a.credit, Licence: a.copyright, Alt: a.alt}
	if m.Alt == "" {
		m.Alt = a.title
	}
	if a.desc != "" && a.desc != a.caption {
		m.Description = a.desc
	}
	m.Caption = truncateRunes(m.Caption, newsroom.MaxMediaCaption)
	m.Credit = truncateRunes(m.Credit, newsroom.MaxMediaShort)
	m.Licence = truncateRunes(m.Licence, newsroom.MaxMediaShort)
	m.Alt = truncateRunes(m.Alt, newsroom.MaxMediaAlt)
	m.Description = truncateRunes(m.Description, newsroom.MaxMediaDescription)
	return m
}

// tookPicture records a picture the library took (created) or already had.
func (r *run) tookPicture(ctx context.Context, a *attachment, m *newsroom.MediaItem, created bool) error {
	if !created {
		// The same bytes were in the library already (another attachment,
		// or an upload by hand): keep its record, fill in empty text.
		want := a.mediaText()
		changed := false
		for _, f := range []struct{ have, want *string }{{&m.Caption, &want.Caption}, {&m.Credit, &want.Credit},
			{&m.Alt, &want.Alt}, {&m.Licence, &want.Licence}, {&m.Description, &want.Description}} {
			if *f.have == "" && *f.want != "" {
				*f.have, changed = *f.want, true
			}
		}
		if changed {
			if err := r.deps.Store.UpdateMediaText(ctx, m); err != nil {
				return err
			}
		}
		r.sum.Images.Unchanged++
	} else {
		r.sum.Images.Imported++
	}
	a.item, a.mediaID = m, m.ID
	a.ref = refOf(m)
	return r.record(ctx, "attachment", itoa(a.id), m.ID, a.digest, "")
}

// useMedia takes a picture imported before, updating its text if the
// export changed it.
func (r *run) useMedia(ctx context.Context, a *attachment, m *newsroom.MediaItem, oldDigest string) error {
	if oldDigest != a.digest {
		want := a.mediaText()
		m.Caption, m.Credit, m.Licence, m.Alt, m.Description = want.Caption, want.Credit, want.Licence, want.Alt, want.Description
		if !r.opts.DryRun {
			if err := r.deps.Store.UpdateMediaText(ctx, m); err != nil {
				r.sum.Images.Failed++
				r.issue("attachment", itoa(a.id), a.url, a.title, "could not update the picture's text: "+errText(err))
				return nil
			}
		}
		r.sum.Images.Updated++
		if err := r.record(ctx, "attachment", itoa(a.id), m.ID, a.digest, ""); err != nil {
			return err
		}
	} else {
		r.sum.Images.Unchanged++
	}
	a.item, a.mediaID = m, m.ID
	a.ref = refOf(m)
	return nil
}

func refOf(m *newsroom.MediaItem) ImageRef {
	img := m.Image()
	return ImageRef{URL: img.URL, Alt: m.Alt, Caption: m.Caption}
}

// readAll reads at most max bytes of body, failing beyond.
func readAll(body io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("the file is larger than the library's limit (%d MB)", max>>20)
	}
	return data, nil
}
