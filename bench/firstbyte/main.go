// Command firstbyte waits for a server that is starting and prints how long
// after a given moment its first HTTP response arrived, in milliseconds,
// then the server's base URL. The URL is given, or read from the server's
// log line "serving http://HOST:PORT" (newsdesk listening on port 0). It
// polls every millisecond and gives up after --timeout.
//
//	start=$(date +%s%N); newsdesk serve --addr 127.0.0.1:0 >log 2>&1 &
//	go run ./bench/firstbyte --log log --since "$start"
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"time"
)

var serving = regexp.MustCompile(`serving (http://[0-9.]+:[0-9]+)`)

func main() {
	base := flag.String("url", "", "base `URL` of the server (or use --log)")
	logFile := flag.String("log", "", "server log `file` to read the address from")
	path := flag.String("path", "/", "path to request")
	since := flag.Int64("since", 0, "start moment in Unix `nanoseconds` (date +%s%N)")
	timeout := flag.Duration("timeout", 120*time.Second, "give up after this long")
	flag.Parse()
	t0 := time.Unix(0, *since)
	if *since == 0 {
		t0 = time.Now()
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for time.Since(t0) < *timeout {
		if *base == "" {
			if b, err := os.ReadFile(*logFile); err == nil {
				if m := serving.FindSubmatch(b); m != nil {
					*base = string(m[1])
				}
			}
		}
		if *base != "" {
			if res, err := client.Get(*base + *path); err == nil {
				el := time.Since(t0) // the header has arrived
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				fmt.Printf("%.1f %s\n", float64(el.Microseconds())/1000, *base)
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	fmt.Fprintln(os.Stderr, "firstbyte: no answer in", *timeout)
	os.Exit(1)
}
