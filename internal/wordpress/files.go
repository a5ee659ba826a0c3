package wordpress

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"newsdesk/internal/newsroom"
)

// fileSource finds an attachment's file: in a copy of wp-content/uploads,
// or on the old site.
type fileSource interface {
	// open returns the file, at most max bytes of it.
	open(ctx context.Context, a *attachment, max int64) (io.ReadCloser, error)
	// openFile is open for a file that is not a picture, which may be far
	// larger: it is never held in memory.
	openFile(ctx context.Context, a *attachment, max int64) (io.ReadCloser, error)
	// check reports whether the file can be had (a dry run).
	check(ctx context.Context, a *attachment) error
}

func (r *run) fileSource() (fileSource, error) {
	switch {
	case r.opts.Uploads != "":
		st, err := os.Stat(r.opts.Uploads)
		if err != nil || !st.IsDir() {
			return nil, newsroom.Errorf(newsroom.Invalid, "uploads", "%s is not a folder (give a copy of the old site's wp-content/uploads)", r.opts.Uploads)
		}
		return uploadsDir(r.opts.Uploads), nil
	case r.opts.Fetch:
		hosts := map[string]bool{}
		for _, h := range append([]string{r.host}, r.opts.FetchHosts...) {
			h = strings.ToLower(strings.TrimSpace(h))
			if h != "" {
				hosts[h] = true
				hosts[strings.TrimPrefix(h, "www.")] = true
				hosts["www."+strings.TrimPrefix(h, "www.")] = true
			}
		}
		client := r.opts.HTTPClient
		timeout := r.opts.FetchTimeout
		if timeout <= 0 {
			timeout = 30 * time.Second
		}
		if client == nil {
			client = &http.Client{Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return errors.New("too many redirects")
				}
				if !hosts[strings.ToLower(req.URL.Hostname())] {
					return fmt.Errorf("redirected to %s, which is not the old site (add it with --fetch-host)", req.URL.Hostname())
				}
				return nil
			}}
		}
		retries := r.opts.FetchRetries
		if retries <= 0 {
			retries = 2
		}
		return &fetcher{client: client, hosts: hosts, retries: retries, timeout: timeout}, nil
	}
	return nil, nil
}

// uploadsDir is a copy of wp-content/uploads.
type uploadsDir string

func (d uploadsDir) path(a *attachment) (string, error) {
	rel := a.file
	if rel == "" {
		rel = uploadsPath(a.url)
	}
	if rel == "" {
		return "", errors.New("the export does not say where the file is (no _wp_attached_file)")
	}
	clean := filepath.Clean(filepath.FromSlash(rel))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("the file name %q leaves the uploads folder", rel)
	}
	return filepath.Join(string(d), clean), nil
}

func (d uploadsDir) open(_ context.Context, a *attachment, max int64) (io.ReadCloser, error) {
	p, err := d.path(a)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("file not found in the uploads folder: %s", p)
	}
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.Size() > max {
		f.Close()
		return nil, fmt.Errorf("%s is larger than the library's limit (%d MB)", p, max>>20)
	}
	return f, nil
}

func (d uploadsDir) openFile(ctx context.Context, a *attachment, max int64) (io.ReadCloser, error) {
	return d.open(ctx, a, max)
}

func (d uploadsDir) check(_ context.Context, a *attachment) error {
	p, err := d.path(a)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p); err != nil {
		return fmt.Errorf("file not found in the uploads folder: %s", p)
	}
	return nil
}

// fetcher downloads files from the old site: only from its own host (and
// the ones --fetch-host adds), a few at a time, each bounded in time and
// size, tried again on a network error or a 5xx answer.
type fetcher struct {
	client  *http.Client
	hosts   map[string]bool
	retries int
	timeout time.Duration
}

// permanent is a failure that another try will not mend.
type permanent struct{ error }

func (f *fetcher) target(a *attachment) (string, error) {
	u, err := url.Parse(strings.TrimSpace(a.url))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("the file's address %q is not a web address", a.url)
	}
	if !f.hosts[strings.ToLower(u.Hostname())] {
		return "", fmt.Errorf("the file is on %s, not on the old site; add --fetch-host %s to fetch it", u.Hostname(), u.Hostname())
	}
	return u.String(), nil
}

func (f *fetcher) get(ctx context.Context, method, target string, max int64) ([]byte, error) {
	var data []byte
	err := f.fetch(ctx, method, target, max, func(body io.Reader) error {
		var err error
		data, err = readAll(body, max)
		return err
	})
	return data, err
}

// fetch asks for target until it answers or fails for good, and hands
// the body of the answer to sink (called again on a later try).
func (f *fetcher) fetch(ctx context.Context, method, target string, max int64, sink func(io.Reader) error) error {
	var last error
	for try := 0; try <= f.retries; try++ {
		if try > 0 {
			select {
			case <-time.After(time.Duration(try*try) * 250 * time.Millisecond):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err := f.once(ctx, method, target, max, sink)
		if err == nil {
			return nil
		}
		last = err
		var p permanent
		if errors.As(err, &p) {
			return p.error
		}
	}
	return fmt.Errorf("%w (after %d tries)", last, f.retries+1)
}

func (f *fetcher) once(ctx context.Context, method, target string, max int64, sink func(io.Reader) error) error {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, nil)
	if err != nil {
		return permanent{err}
	}
	req.Header.Set("User-Agent", "newsdesk-wordpress-import/1")
	resp, err := f.client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("could not download %s: %v", target, err)
		}
		if strings.Contains(err.Error(), "not the old site") {
			return permanent{err}
		}
		return fmt.Errorf("could not download %s: %v", target, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return fmt.Errorf("the old site answered %s for %s", resp.Status, target)
	default:
		return permanent{fmt.Errorf("file not found on the old site: %s answered %s", target, resp.Status)}
	}
	if method == http.MethodHead {
		return nil
	}
	if resp.ContentLength > max {
		return permanent{fmt.Errorf("%s is larger than the library's limit (%d MB)", target, max>>20)}
	}
	if err := sink(resp.Body); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("could not download %s: %v", target, err)
		}
		return permanent{fmt.Errorf("%s: %v", target, err)}
	}
	return nil
}

func (f *fetcher) open(ctx context.Context, a *attachment, max int64) (io.ReadCloser, error) {
	target, err := f.target(a)
	if err != nil {
		return nil, err
	}
	data, err := f.get(ctx, http.MethodGet, target, max)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// openFile downloads into a temporary file, removed when it is closed.
func (f *fetcher) openFile(ctx context.Context, a *attachment, max int64) (io.ReadCloser, error) {
	target, err := f.target(a)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp("", "newsdesk-wpfile-*")
	if err != nil {
		return nil, err
	}
	err = f.fetch(ctx, http.MethodGet, target, max, func(body io.Reader) error {
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if err := tmp.Truncate(0); err != nil {
			return err
		}
		n, err := io.Copy(tmp, io.LimitReader(body, max+1))
		if err == nil && n > max {
			err = fmt.Errorf("the file is larger than %d MB", max>>20)
		}
		return err
	})
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	return tempFile{tmp}, nil
}

// tempFile is removed when closed.
type tempFile struct{ *os.File }

func (t tempFile) Close() error {
	err := t.File.Close()
	os.Remove(t.File.Name())
	return err
}

func (f *fetcher) check(ctx context.Context, a *attachment) error {
	target, err := f.target(a)
	if err != nil {
		return err
	}
	_, err = f.get(ctx, http.MethodHead, target, 0)
	return err
}
