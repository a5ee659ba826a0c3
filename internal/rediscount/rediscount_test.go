package rediscount

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"newsdesk/internal/storetest"
)

// redisURL is the Redis the test uses: NEWSDESK_TEST_REDIS, or the one on
// 127.0.0.1:6379 when it answers; otherwise the test skips saying why.
func redisURL() string {
	if u := os.Getenv("NEWSDESK_TEST_REDIS"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

func TestCounters(t *testing.T) {
	c, err := Open(context.Background(), redisURL())
	if err != nil {
		if os.Getenv("NEWSDESK_TEST_REDIS") != "" {
			t.Fatal(err)
		}
		t.Skipf("no Redis (%v); set NEWSDESK_TEST_REDIS to run this test", err)
	}
	defer c.Close()
	storetest.CheckCounters(t, c.WithPrefix("newsdesk-test:"+strconv.FormatInt(time.Now().UnixNano(), 36)+":"))
}
