package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsdesk/internal/legal"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/storetest"
)

// rerenderPauseEnv makes each article of a re-render job wait (a duration):
// a test-only knob, read by rerenderPause, so that a job of a few dozen
// articles lasts long enough to kill its node midway.
const rerenderPauseEnv = "NEWSDESK_TEST_RERENDER_PAUSE=80ms"

// TestRerenderJobSurvivesItsNode registers an entity named by 30 of 40
// stories, so that a re-render job is queued in the database, kills the
// node running it with SIGKILL midway, and checks that the job is
// resumed where it stopped (on PostgreSQL by a second node, which takes
// the job lease; on SQLite by the same node started again), that it ends
// marked done, and that every story is rendered exactly as a fresh
// render with the new registry renders it.
func TestRerenderJobSurvivesItsNode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts newsdesk processes")
	}
	t.Run("postgres", func(t *testing.T) { testRerenderSurvives(t, storetest.PostgresDSN(t)) })
	t.Run("sqlite", func(t *testing.T) { testRerenderSurvives(t, "") })
}

func testRerenderSurvives(t *testing.T, dsn string) {
	s := newSite(t, dsn)
	env := []string{rerenderPauseEnv}
	args := s.args("--cache-mb", "0")
	a := startServe(t, env, args...) // first up: holds the job lease
	var b *serveProc
	if dsn != "" {
		time.Sleep(500 * time.Millisecond)
		b = startServe(t, env, s.args("--cache-mb", "0", "--data", t.TempDir())...)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	var ids []int64
	for i := range 40 {
		body := "The harbour board met on Tuesday."
		if i%4 != 3 {
			body = fmt.Sprintf("Tidewatch reported on berth %d. The board met Tidewatch's editor.", i)
		}
		r := sendJSON(t, client, "POST", a.url+"/api/v1/articles", s.token, fmt.Sprintf(
			`{"headline":"Harbour notes %d","body":%q,"status":"published","categories":["harbour"],"authors":[{"id":%d}]}`, i, body, s.author))
		if r.status != http.StatusCreated {
			t.Fatalf("story %d: %d %s", i, r.status, r.body)
		}
		id, _ := strconv.ParseInt(jsonField(t, []byte(r.body), "id"), 10, 64)
		ids = append(ids, id)
	}
	// Registered through the node that does not run the jobs, where there is one.
	via := a
	if b != nil {
		via = b
	}
	r := sendJSON(t, client, "POST", via.url+"/api/v1/legal-entities", s.token, `{"name":"Tidewatch","forms":["Tidewatch"],
		"marker":"**","notes":{"en":"registered as a foreign agent"},"list":"Foreign agents","listed_from":"2020-01-01","listed_until":null}`)
	if r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	// Midway: some stories done, most not.
	var lastSeen int64
	if waitFor(30*time.Second, func() bool {
		res := sendJSON(t, client, "GET", via.url+"/api/v1/legal-entities/progress", s.token, "")
		lastSeen, _ = strconv.ParseInt(jsonField(t, []byte(res.body), "last_article"), 10, 64)
		return lastSeen >= ids[8]
	}) < 0 {
		t.Fatalf("the re-render job never got going (last article %d)", lastSeen)
	}
	must(t, a.cmd.Process.Signal(syscall.SIGKILL))
	<-a.exited
	st := s.open(t)
	job, unfinished, err := st.RerenderState(context.Background())
	must(t, err)
	if job == nil || !unfinished || job.Status != newsroom.RerenderRunning || job.LastID < ids[8] || job.LastID >= ids[len(ids)-1] {
		t.Fatalf("after the kill the job is %+v (unfinished %v); want it running, stopped midway", job, unfinished)
	}
	stoppedAt := job.LastID
	t.Logf("job %d killed with node A after article %d of %d..%d (%d scanned, %d updated)", job.ID, stoppedAt, ids[0], ids[len(ids)-1], job.Scanned, job.Updated)
	st.Close()

	// Resumed: by B on PostgreSQL (it takes the lease within seconds), by
	// A started again on SQLite.
	runner := b
	if runner == nil {
		runner = startServe(t, env, args...)
	}
	st = s.open(t)
	defer st.Close()
	if waitFor(60*time.Second, func() bool {
		j, unfinished, err := st.RerenderState(context.Background())
		return err == nil && !unfinished && j != nil && j.ID == job.ID
	}) < 0 {
		j, _, _ := st.RerenderState(context.Background())
		t.Fatalf("the job was not finished after the kill: %+v", j)
	}
	done, _, err := st.RerenderState(context.Background())
	must(t, err)
	t.Logf("job after the resume: %s, %d of %d scanned, %d naming Tidewatch, %d updated, %d skipped", done.Status, done.Scanned, done.Total, done.Affected, done.Updated, done.Skipped)
	// Every story looked at once (the one being written when the node
	// died may be looked at twice: it then counts as unchanged).
	if done.Status != newsroom.RerenderDone || done.Error != "" || done.LastID != ids[len(ids)-1] || done.Total != 40 ||
		done.Scanned < 40 || done.Scanned > 41 || done.Affected < 30 || done.Affected > 31 || done.Updated < 29 || done.Updated > 30 ||
		done.Scanned-done.Affected != 10 || done.FinishedAt.IsZero() {
		t.Errorf("finished job = %+v; want done, 40 scanned, 30 naming Tidewatch and updated", done)
	}
	// (INFO lines reach stderr within a tenth of a second: ops.LogBuffer.)
	var resumed []map[string]any
	waitFor(5*time.Second, func() bool {
		resumed = nil
		for _, l := range logLines(t, runner.stderr.String()) {
			if l["msg"] == "legal re-render: resuming the job" {
				resumed = append(resumed, l)
			}
		}
		return len(resumed) > 0
	})
	if len(resumed) != 1 || resumed[0]["after_article"] != float64(stoppedAt) || resumed[0]["job"] != float64(job.ID) {
		t.Errorf("log lines of the resume = %v; want one, after article %d of job %d", resumed, stoppedAt, job.ID)
	}

	// Every story exactly as a fresh render with the registry renders it.
	list, err := st.LegalEntities(context.Background())
	must(t, err)
	engine := legal.NewEngine(time.Now, time.UTC)
	var policy newsroom.LegalPolicy
	policy.Normalize()
	engine.Load(legal.Compile(list, policy))
	renderer := render.New(engine.Hook)
	for i, id := range ids {
		got, err := st.ArticleByID(context.Background(), id)
		must(t, err)
		want := *got
		must(t, renderer.Article(&want))
		if got.HeadlineHTML != want.HeadlineHTML || got.BodyHTML != want.BodyHTML || got.StandfirstHTML != want.StandfirstHTML ||
			!slices.Equal(got.LegalMarks, want.LegalMarks) {
			t.Errorf("story %d (id %d) after the re-render:\n%q\nwant\n%q", i, id, got.BodyHTML, want.BodyHTML)
		}
		if marked := strings.Contains(got.BodyHTML, `<span class="legal-mark">`); marked != (i%4 != 3) {
			t.Errorf("story %d (id %d) marked %v: %q", i, id, marked, got.BodyHTML)
		}
	}
}
