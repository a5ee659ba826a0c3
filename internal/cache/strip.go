package cache

import (
	"io"
	"net/http"
	"strconv"
)

// ArticleHook is told about every response that shows an article (it
// carries X-Newsdesk-Article), whether it came from the cache or not, just
// before its header is written. It runs on the request's goroutine and
// must be quick.
type ArticleHook func(r *http.Request, status int, articleID int64)

// StripInternal is the outermost middleware: it removes X-Newsdesk-Keys
// and X-Newsdesk-Article from every response before it leaves the server,
// first passing the article id to onArticle (which may be nil). A cached
// entry keeps X-Newsdesk-Article, so onArticle sees hits and misses alike;
// a view counter hooks in here and must count in memory, not write to the
// database per call.
func StripInternal(next http.Handler, onArticle ArticleHook) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&stripWriter{ResponseWriter: w, r: r, hook: onArticle}, r)
	})
}

type stripWriter struct {
	http.ResponseWriter
	r     *http.Request
	hook  ArticleHook
	wrote bool
}

func (s *stripWriter) strip(code int) {
	h := s.ResponseWriter.Header()
	if art, ok := h[HeaderArticle]; ok {
		delete(h, HeaderArticle)
		if s.hook != nil && len(art) > 0 {
			if id, err := strconv.ParseInt(art[0], 10, 64); err == nil {
				s.hook(s.r, code, id)
			}
		}
	}
	delete(h, HeaderKeys)
}

func (s *stripWriter) WriteHeader(code int) {
	if !s.wrote {
		if code >= 200 {
			s.wrote = true
			s.strip(code)
		} else {
			// Informational responses send the header too, but the final
			// one still follows.
			h := s.ResponseWriter.Header()
			delete(h, HeaderArticle)
			delete(h, HeaderKeys)
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *stripWriter) Write(b []byte) (int, error) {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}

// ReadFrom keeps the underlying writer's sendfile path for file responses.
func (s *stripWriter) ReadFrom(src io.Reader) (int64, error) {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	return io.Copy(s.ResponseWriter, src)
}

// Flush sends what was written so far.
func (s *stripWriter) Flush() {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(s.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (s *stripWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
