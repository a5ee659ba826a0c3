package desk_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/auth"
	"newsdesk/internal/desk"
)

// TestOneAddressCannotFillThePasswordQueue: an address firing sign-ins in
// parallel holds at most its share of the password pool (two places
// here); the rest are refused 429 with Retry-After before they take a
// place, so the pool is never full and the owner, from another address,
// signs in during the flood.
func TestOneAddressCannotFillThePasswordQueue(t *testing.T) {
	e := newEnv(t, func(c *desk.Config) {
		c.TrustProxy = true
		c.Passwords = auth.NewPool(1, 7, 5*time.Second) // 8 places: 2 per address
	})
	signIn := func(addr, password string) (int, string) {
		form := url.Values{"email": {"editor@example.org"}, "password": {password}, "next": {"/desk/"}}
		req, _ := http.NewRequest("POST", e.srv.URL+"/desk/signin", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", addr)
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Retry-After")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[int]int{}
	var retry string
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, ra := signIn("203.0.113.9", "guess "+strconv.Itoa(i))
			mu.Lock()
			counts[st]++
			if st == http.StatusTooManyRequests && ra != "" {
				retry = ra
			}
			mu.Unlock()
		}()
	}
	// The owner signs in while the flood runs.
	time.Sleep(20 * time.Millisecond)
	if st, _ := signIn("198.51.100.7", testPassword); st != http.StatusSeeOther {
		t.Errorf("the owner from another address during the flood: %d, want 303", st)
	}
	wg.Wait()
	if counts[http.StatusTooManyRequests] == 0 || counts[http.StatusServiceUnavailable] != 0 {
		t.Errorf("16 parallel sign-ins from one address: %v; want some 429 and no 503 (the pool never filled)", counts)
	}
	if n, err := strconv.Atoi(retry); err != nil || n < 1 {
		t.Errorf("Retry-After %q on the refused sign-ins, want whole seconds", retry)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
