// Command static is the yardstick of the benchmark: a bare Go HTTP server
// that answers every request with the same bytes from memory (the article
// page newsdesk rendered), with only a Content-Type header. newsdesk's
// cached pages are compared against it.
//
//	go run ./bench/static --addr 127.0.0.1:PORT --file page.html
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen `address`")
	file := flag.String("file", "", "the `file` whose bytes every response carries")
	var extra headerList
	flag.Var(&extra, "header", "an extra response `header` \"Name: value\" (repeatable), e.g. to send what newsdesk sends")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "static:", err)
		os.Exit(1)
	}
	length := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", length)
		for _, kv := range extra {
			w.Header()[kv[0]] = kv[1:]
		}
		_, _ = w.Write(body)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "static:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "static: serving http://%s (%d bytes)\n", ln.Addr(), len(body))
	if err := http.Serve(ln, h); err != nil {
		fmt.Fprintln(os.Stderr, "static:", err)
		os.Exit(1)
	}
}

// headerList collects --header flags as {name, value} pairs.
type headerList [][]string

func (l *headerList) String() string { return fmt.Sprint(*l) }

func (l *headerList) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	if !ok {
		return fmt.Errorf("want \"Name: value\", not %q", v)
	}
	*l = append(*l, []string{http.CanonicalHeaderKey(strings.TrimSpace(name)), strings.TrimSpace(value)})
	return nil
}
