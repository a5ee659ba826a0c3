package desk_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// longBody is a story of about 6 KB of Markdown: paragraphs, a quote, a list.
func longBody() string {
	var b strings.Builder
	for i := 0; i < 12; i++ {
		b.WriteString("The harbour board met on Tuesday to discuss the night ferry, the new quay and the \"winter timetable\" -- again. ")
		b.WriteString("Members asked for figures on passengers, fuel and delays; the director promised them by Friday.\n\n")
		if i%4 == 1 {
			b.WriteString("> We will publish every figure, said the director of the harbour.\n\n")
		}
		if i%4 == 3 {
			b.WriteString("- passengers up 4%\n- delays down by a third\n- fuel unchanged\n\n")
		}
	}
	return b.String()
}

// benchHTTP times op over loopback HTTP and reports the median and 90th
// percentile alongside ns/op.
func benchHTTP(b *testing.B, op func(i int) int) {
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if st := op(i); st != http.StatusOK && st != http.StatusSeeOther {
			b.Fatalf("status %d", st)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(durs[len(durs)*9/10].Microseconds())/1000, "p90-ms")
}

func benchEnv(b *testing.B) (*env, *client, url.Values, string) {
	e := newEnv(b)
	sec, au := e.taxonomy()
	c := e.as(newsroom.RoleEditor)
	f := storyForm(sec, au, "save", 0)
	f.Set("body", longBody())
	r := c.post("/desk/articles", f)
	id := idFromLocation(e.t, r)
	return e, c, f, "/desk/articles/" + strconv.FormatInt(id, 10)
}

// BenchmarkAutosave: one autosave of a 6 KB draft (render, store,
// revision check) over loopback HTTP on SQLite.
func BenchmarkAutosave(b *testing.B) {
	_, c, f, path := benchEnv(b)
	rev := 1
	f.Set("_csrf", c.csrf)
	benchHTTP(b, func(i int) int {
		f.Set("revision", strconv.Itoa(rev))
		f.Set("standfirst", "Version "+strconv.Itoa(i))
		r := c.do("POST", path+"/autosave", f, "Accept", "application/json")
		var m struct{ Revision int }
		_ = json.Unmarshal([]byte(r.body), &m)
		rev = m.Revision
		return r.status
	})
}

// BenchmarkPreview: one live preview of a 6 KB story (render with every
// hook, then the public article template) over loopback HTTP.
func BenchmarkPreview(b *testing.B) {
	_, c, f, _ := benchEnv(b)
	f.Set("_csrf", c.csrf)
	benchHTTP(b, func(i int) int {
		return c.do("POST", "/desk/preview", f).status
	})
}

// BenchmarkSavePublished: one save of a published 6 KB story from the
// editor's form (render, conditional update, revision record, redirect).
func BenchmarkSavePublished(b *testing.B) {
	_, c, f, path := benchEnv(b)
	f.Set("_csrf", c.csrf)
	f.Set("action", "publish")
	rev := 1
	benchHTTP(b, func(i int) int {
		f.Set("revision", strconv.Itoa(rev))
		f.Set("standfirst", "Version "+strconv.Itoa(i))
		rev++
		return c.do("POST", path, f).status
	})
}

// TestDeskWeights keeps the desk's pages and assets small, and logs their
// sizes (raw and gzip) for the record.
func TestDeskWeights(t *testing.T) {
	e := newEnv(t)
	sec, au := e.taxonomy()
	c := e.as(newsroom.RoleEditor)
	f := storyForm(sec, au, "publish", 0)
	f.Set("body", longBody())
	id := idFromLocation(t, c.post("/desk/articles", f))
	pages := map[string]string{"front": "/desk/", "stories": "/desk/stories", "editor": "/desk/articles/" + strconv.FormatInt(id, 10),
		"revisions": "/desk/articles/" + strconv.FormatInt(id, 10) + "/revisions", "signin": "/desk/signin"}
	limits := map[string]int{"desk.css": 20 << 10, "desk.js": 15 << 10, "body-editor.js": 400 << 10, "body-editor.css": 12 << 10}
	for name, limit := range limits {
		r := c.get(e.desk.AssetURL(name))
		wantStatus(t, name, r, http.StatusOK)
		t.Logf("%-10s %6d bytes, %5d gzip", name, len(r.body), gzipLen(r.body))
		if len(r.body) > limit {
			t.Errorf("%s is %d bytes, over %d", name, len(r.body), limit)
		}
	}
	for name, p := range pages {
		cl := c
		if name == "signin" {
			cl = e.client()
		}
		r := cl.get(p)
		wantStatus(t, name, r, http.StatusOK)
		t.Logf("%-10s %6d bytes, %5d gzip", name, len(r.body), gzipLen(r.body))
		if len(r.body) > 60<<10 {
			t.Errorf("%s page is %d bytes", name, len(r.body))
		}
	}
}

func gzipLen(s string) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write([]byte(s))
	w.Close()
	return buf.Len()
}
