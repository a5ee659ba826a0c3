package cache

import (
	"bytes"
	"net/http"
)

// recorder keeps a whole response in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 && code >= 200 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.body.Cap() == 0 {
		// Pages arrive in one Write: keep exactly that, not twice it.
		r.body.Grow(len(b))
	}
	return r.body.Write(b)
}

// copyTo sends the recorded response as it is.
func (r *recorder) copyTo(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if req.Method != http.MethodHead {
		_, _ = w.Write(r.body.Bytes())
	}
}
