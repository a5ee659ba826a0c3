package desk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/newsroom"
	"newsdesk/internal/web"
	"newsdesk/internal/wordpress"
)

// The Import page lets an administrator move a WordPress site in without
// shell access: the export files (WXR; `wp export` splits a big site into
// several, which come in one upload) are each streamed to a file in
// Config.ImportDir (never read into memory), the import runs in the
// background through Config.Import, the page shows its progress (a small
// JSON endpoint a script polls; without a script the page refreshes
// itself) and, at the end, the summary. One import runs at a time, on the
// node that took the upload.

// ImportFunc runs a WordPress import for u (cmd/newsdesk fills the
// importer's dependencies), reporting progress as it goes.
type ImportFunc func(ctx context.Context, u *newsroom.User, opts wordpress.Options, progress func(wordpress.Progress)) (*wordpress.Summary, error)

// DefaultMaxImport is the largest export accepted when Config.MaxImport
// is 0.
const DefaultMaxImport = 1 << 30

// importJob is one import: what was uploaded, how far it is, how it ended.
type importJob struct {
	File     string    `json:"file"`  // the files' names, for a heading
	Files    []string  `json:"files"` // each uploaded file's name, in order
	Size     int64     `json:"size"`  // all of them together
	By       string    `json:"by"`
	DryRun   bool      `json:"dry_run"`
	Fetch    bool      `json:"fetch"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`

	Progress wordpress.Progress `json:"progress"`
	Summary  *wordpress.Summary `json:"summary"`
	Error    string             `json:"error"`
}

// State is "running", "done" or "failed".
func (j *importJob) State() string {
	switch {
	case j.Finished.IsZero():
		return "running"
	case j.Error != "":
		return "failed"
	}
	return "done"
}

// Percent is how far the current phase is, 0–100.
func (j *importJob) Percent() int {
	if j.Progress.Total <= 0 {
		return 0
	}
	return min(100, j.Progress.Done*100/j.Progress.Total)
}

// imports runs one import at a time and keeps the last one to show.
type imports struct {
	mu      sync.Mutex
	busy    bool       // an upload is being received or an import runs
	last    *importJob // the latest import; guarded by mu, copied to read
	wg      sync.WaitGroup
	ctx     context.Context
	cancel  context.CancelFunc
	stopped bool
	now     newsroom.Clock
}

func newImports(now newsroom.Clock) *imports {
	ctx, cancel := context.WithCancel(context.Background())
	return &imports{ctx: ctx, cancel: cancel, now: now}
}

// reserve takes the one import slot, or reports that it is taken.
func (im *imports) reserve() bool {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.busy || im.stopped {
		return false
	}
	im.busy = true
	return true
}

func (im *imports) release() {
	im.mu.Lock()
	im.busy = false
	im.mu.Unlock()
}

// snapshot returns a copy of the latest job, or nil.
func (im *imports) snapshot() *importJob {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.last == nil {
		return nil
	}
	j := *im.last
	return &j
}

func (im *imports) update(fn func(j *importJob)) {
	im.mu.Lock()
	fn(im.last)
	im.mu.Unlock()
}

// start runs the import of the files at paths in the background; the
// slot (taken with reserve) is released when it ends, and the files
// removed.
func (im *imports) start(j *importJob, paths []string, run func(ctx context.Context, progress func(wordpress.Progress)) (*wordpress.Summary, error), log func(msg string, args ...any)) {
	im.mu.Lock()
	im.last = j
	im.mu.Unlock()
	im.wg.Add(1)
	go func() {
		defer im.wg.Done()
		sum, err := run(im.ctx, func(p wordpress.Progress) {
			im.update(func(j *importJob) { j.Progress = p })
		})
		// The files go and the slot frees before the job says it has
		// finished, so whoever sees "done" may upload the next file at once.
		removeAll(paths)
		im.release()
		im.update(func(j *importJob) {
			j.Finished = im.now()
			j.Summary = sum
			if err != nil {
				j.Error = err.Error()
			}
		})
		if err != nil {
			log("desk: import failed", "file", j.File, "err", err)
		} else {
			log("desk: import finished", "file", j.File, "items", sum.Items)
		}
	}()
}

// Close stops a running import (it is safe to run again: imports are
// idempotent) and waits for it to end.
func (s *Server) Close() {
	s.closeResets()
	s.imports.mu.Lock()
	s.imports.stopped = true
	s.imports.mu.Unlock()
	s.imports.cancel()
	s.imports.wg.Wait()
}

type importView struct {
	Page
	Job      *importJob
	MaxMB    int64
	Error    string
	Field    string
	Started  bool
	Counts   []importCount
	Unknown  []string
	Duration string
}

type importCount struct {
	Label string
	wordpress.Count
}

func (s *Server) importOn() error {
	if s.cfg.Import == nil || s.cfg.ImportDir == "" {
		return newsroom.Errorf(newsroom.NotFound, "", "%s", s.t("desk.error.not_found_text"))
	}
	return nil
}

func (s *Server) maxImport() int64 {
	if s.cfg.MaxImport > 0 {
		return s.cfg.MaxImport
	}
	return DefaultMaxImport
}

func (s *Server) importView(r *http.Request) *importView {
	v := &importView{Page: s.page(r, "desk.nav.import", "import"), Job: s.imports.snapshot(), MaxMB: s.maxImport() >> 20,
		Started: r.URL.Query().Get("started") == "1"}
	if j := v.Job; j != nil && j.Summary != nil {
		sum := j.Summary
		for _, c := range []struct {
			key string
			c   wordpress.Count
		}{{"posts", sum.Posts}, {"pages", sum.Pages}, {"sections", sum.Sections}, {"tags", sum.Tags},
			{"authors", sum.Authors}, {"comments", sum.Comments}, {"images", sum.Images}, {"files", sum.OtherFiles}} {
			v.Counts = append(v.Counts, importCount{Label: s.t("desk.import.kind_" + c.key), Count: c.c})
		}
		for name, n := range sum.Unknown {
			v.Unknown = append(v.Unknown, fmt.Sprintf("%s ×%d", name, n))
		}
		sort.Strings(v.Unknown)
		v.Duration = sum.Duration.Round(time.Millisecond).String()
	}
	return v
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	if err := s.importOn(); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "import.html", s.importView(r))
}

// handleImportStatus answers the page's script: the latest import as JSON
// ({"state": "none"} before the first).
func (s *Server) handleImportStatus(w http.ResponseWriter, r *http.Request) error {
	if err := s.importOn(); err != nil {
		return err
	}
	j := s.imports.snapshot()
	if j == nil {
		return writeJSON(w, http.StatusOK, map[string]string{"state": "none"})
	}
	return writeJSON(w, http.StatusOK, struct {
		State   string `json:"state"`
		Percent int    `json:"percent"`
		*importJob
	}{j.State(), j.Percent(), j})
}

// importFailed shows the form again with the error, or answers JSON.
func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, err error) error {
	e := newsroom.AsError(err)
	if e == nil || e.Code == newsroom.Internal || e.Code == newsroom.Forbidden {
		return err
	}
	v := s.importView(r)
	v.Error, v.Field = e.Message, e.Field
	return s.render(w, r, web.FormStatus(e), "import.html", v)
}

// handleImportUpload takes the export from a multipart form whose parts
// come in the form's order: "_csrf" first (checked before anything is
// kept), then the options "fetch" and "dry_run", then one or more "file"
// parts (the files of one site), each copied to a file in ImportDir as it
// arrives. Over the size limit (all files together) is 413 and the files
// are removed; while an import runs, 409.
func (s *Server) handleImportUpload(w http.ResponseWriter, r *http.Request) error {
	if err := s.importOn(); err != nil {
		return err
	}
	if !s.imports.reserve() {
		return s.importFailed(w, r, newsroom.Errorf(newsroom.Conflict, "", "%s", s.t("desk.import.busy")))
	}
	paths, job, err := s.receiveImport(r)
	if err != nil {
		s.imports.release()
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			err = newsroom.Errorf(newsroom.TooLarge, "file", "%s", s.t("desk.import.too_large", s.maxImport()>>20))
		}
		return s.importFailed(w, r, err)
	}
	u := CurrentUser(r.Context())
	job.By, job.Started = u.Name, s.now()
	opts := wordpress.Options{DryRun: job.DryRun, Fetch: job.Fetch, Location: s.loc()}
	for i, p := range paths {
		opts.Files = append(opts.Files, wordpress.File{Name: job.Files[i], Open: func() (io.ReadCloser, error) { return os.Open(p) }})
	}
	s.log.Info("desk: import started", "by", u.ID, "files", job.File, "bytes", job.Size, "dry_run", job.DryRun, "fetch", job.Fetch)
	s.imports.start(job, paths, func(ctx context.Context, progress func(wordpress.Progress)) (*wordpress.Summary, error) {
		return s.cfg.Import(ctx, u, opts, progress)
	}, s.log.Info)
	return s.redirect(w, r, "/desk/import?started=1")
}

// receiveImport reads the upload form; on success the export's files are
// in the returned paths (in the order they came), which the caller owns.
func (s *Server) receiveImport(r *http.Request) (paths []string, job *importJob, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, newsroom.Errorf(newsroom.Invalid, "file", "%s", s.t("desk.import.no_file"))
	}
	job = &importJob{}
	csrf := false
	small := func(p io.Reader) string {
		b, _ := io.ReadAll(io.LimitReader(p, 256))
		return strings.TrimSpace(string(b))
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			removeAll(paths)
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				return nil, nil, err
			}
			return nil, nil, newsroom.Errorf(newsroom.Invalid, "file", "%s", s.t("desk.import.bad_form"))
		}
		name := part.FormName()
		if name != "_csrf" && !csrf {
			part.Close()
			removeAll(paths)
			return nil, nil, newsroom.Errorf(newsroom.Forbidden, "", "%s", s.t("desk.error.csrf"))
		}
		switch name {
		case "_csrf":
			if !s.csrfMatches(r, small(part)) {
				s.log.Warn("desk: CSRF token missing or wrong", "method", r.Method, "path", r.URL.Path)
				part.Close()
				return nil, nil, newsroom.Errorf(newsroom.Forbidden, "", "%s", s.t("desk.error.csrf"))
			}
			csrf = true
		case "fetch":
			job.Fetch = small(part) == "1"
		case "dry_run":
			job.DryRun = small(part) == "1"
		case "file":
			if part.FileName() == "" {
				part.Close()
				continue
			}
			name := filepath.Base(part.FileName())
			path, size, err := s.saveImport(part)
			if err != nil {
				part.Close()
				removeAll(paths)
				return nil, nil, err
			}
			if size == 0 {
				os.Remove(path)
				part.Close()
				removeAll(paths)
				return nil, nil, newsroom.Errorf(newsroom.Invalid, "file", "%s", s.t("desk.import.empty_named", name))
			}
			paths = append(paths, path)
			job.Files = append(job.Files, name)
			job.Size += size
		}
		part.Close()
	}
	if len(paths) == 0 {
		return nil, nil, newsroom.Errorf(newsroom.Invalid, "file", "%s", s.t("desk.import.no_file"))
	}
	job.File = strings.Join(job.Files, ", ")
	return paths, job, nil
}

func removeAll(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
}

// saveImport copies an uploaded export into a new file in ImportDir.
func (s *Server) saveImport(body io.Reader) (string, int64, error) {
	if err := os.MkdirAll(s.cfg.ImportDir, 0o700); err != nil {
		return "", 0, fmt.Errorf("import upload: %w", err)
	}
	f, err := os.CreateTemp(s.cfg.ImportDir, "wxr-*.xml")
	if err != nil {
		return "", 0, fmt.Errorf("import upload: %w", err)
	}
	n, err := io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", 0, err
	}
	return f.Name(), n, nil
}
