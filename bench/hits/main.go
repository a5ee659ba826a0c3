// Command hits sends exactly --n GET requests for one URL over --c
// keep-alive connections and says how many of each status came back. It
// drives a server running under valgrind --tool=callgrind (bench/hot.sh
// --callgrind), where what counts is the same number of requests for
// every server compared, not how fast they go.
//
//	go run ./bench/hits --url http://127.0.0.1:PORT/some/page --n 20000 --c 4
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "", "the `URL` to GET")
	n := flag.Int("n", 10000, "how many requests")
	conns := flag.Int("c", 4, "connections (each sends its share in turn)")
	header := flag.String("header", "", "an extra request header \"Name: value\"")
	flag.Parse()
	if *url == "" || *n <= 0 || *conns <= 0 {
		fmt.Fprintln(os.Stderr, "hits: --url, --n > 0 and --c > 0 are needed")
		os.Exit(2)
	}
	var hname, hvalue string
	if *header != "" {
		for i := 0; i < len(*header); i++ {
			if (*header)[i] == ':' {
				hname, hvalue = (*header)[:i], trim((*header)[i+1:])
				break
			}
		}
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		failed   int
		wg       sync.WaitGroup
	)
	start := time.Now()
	for i := range *conns {
		share := *n / *conns
		if i < *n%*conns {
			share++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range share {
				req, _ := http.NewRequest(http.MethodGet, *url, nil)
				if hname != "" {
					req.Header.Set(hname, hvalue)
				}
				resp, err := client.Do(req)
				if err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	codes := make([]int, 0, len(statuses))
	for c := range statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	fmt.Printf("hits: %d requests in %s:", *n, time.Since(start).Round(time.Millisecond))
	for _, c := range codes {
		fmt.Printf(" %d:%d", c, statuses[c])
	}
	if failed > 0 {
		fmt.Printf(" failed:%d", failed)
	}
	fmt.Println()
	if failed > 0 {
		os.Exit(1)
	}
}

func trim(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	return s
}
