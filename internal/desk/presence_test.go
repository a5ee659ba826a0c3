package desk_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// TestPresenceEditingTogether: two editors open the same story, each sees
// the other and who saved it last; a heartbeat older than the TTL drops
// out. No lock: both can still save.
func TestPresenceEditingTogether(t *testing.T) { bothDBs(t, testPresenceEditingTogether) }

type presenceAnswer struct {
	Others []struct {
		Name   string    `json:"name"`
		SeenAt time.Time `json:"seen_at"`
	} `json:"others"`
	LastSaved *struct {
		Revision int       `json:"revision"`
		By       string    `json:"by"`
		At       time.Time `json:"at"`
	} `json:"last_saved"`
	OthersText string `json:"others_text"`
	SavedText  string `json:"saved_text"`
}

func testPresenceEditingTogether(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	ed1, ed2 := e.as(newsroom.RoleEditor), e.as(newsroom.RoleAdmin)
	name1, name2 := e.users[newsroom.RoleEditor].Name, e.users[newsroom.RoleAdmin].Name
	r := ed1.post("/desk/articles", storyForm(sec, au, "save", 0))
	id := strconv.FormatInt(idFromLocation(t, r), 10)
	beat := func(c *client) presenceAnswer {
		t.Helper()
		r := c.do("POST", "/desk/articles/"+id+"/presence", nil, "X-CSRF-Token", c.csrf, "Accept", "application/json")
		var a presenceAnswer
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &a) != nil {
			t.Fatalf("heartbeat answered %d %q", r.status, r.body)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("heartbeat Cache-Control = %q", cc)
		}
		return a
	}

	// The first opens the story: nobody else has it open yet.
	p1 := ed1.get("/desk/articles/" + id)
	wantStatus(t, "first opens", p1, http.StatusOK)
	box := p1.doc.Find("#presence")
	if live, _ := box.Attr("aria-live"); live != "polite" || box.Find("#presence-others").Text() != "" {
		t.Errorf("first editor's presence box: aria-live %q, others %q", live, box.Find("#presence-others").Text())
	}
	if got := box.Find("#presence-saved").Text(); got != "Last saved by "+name1+" at 09:00." {
		t.Errorf("last saved line = %q", got)
	}

	// The second opens it 30 s later and sees the first, without JS.
	e.clock.Add(30 * time.Second)
	p2 := ed2.get("/desk/articles/" + id)
	if got, want := p2.doc.Find("#presence-others").Text(), "Also open: "+name1+" (last seen 09:00)."; got != want {
		t.Errorf("second editor's page: %q, want %q", got, want)
	}
	if _, hidden := p2.doc.Find("#presence-others").Attr("hidden"); hidden {
		t.Error("the others line is hidden although someone else has the story open")
	}
	// The first's heartbeat sees the second.
	a := beat(ed1)
	if len(a.Others) != 1 || a.Others[0].Name != name2 || !a.Others[0].SeenAt.Equal(e.clock.Now()) ||
		a.OthersText != "Also open: "+name2+" (last seen 09:00)." {
		t.Errorf("first editor's heartbeat = %+v", a)
	}
	if a.LastSaved == nil || a.LastSaved.By != name1 || a.LastSaved.Revision != 1 {
		t.Errorf("last saved = %+v", a.LastSaved)
	}

	// No lock: the second saves, and the first's next beat names them.
	e.clock.Add(40 * time.Second)
	wantStatus(t, "second saves", ed2.post("/desk/articles/"+id, storyForm(sec, au, "save", 1)), http.StatusSeeOther)
	if a := beat(ed1); a.LastSaved == nil || a.LastSaved.By != name2 || a.LastSaved.Revision != 2 ||
		a.SavedText != "Last saved by "+name2+" at 09:01." {
		t.Errorf("after the second's save, heartbeat = %+v", a)
	}

	// The second closes the tab (no more beats): past the TTL they drop
	// out of the first's notice, and the first stays in the second's
	// view only while beating.
	e.clock.Add(newsroom.PresenceTTL + time.Second)
	if a := beat(ed1); len(a.Others) != 0 || a.OthersText != "" {
		t.Errorf("stale presence still shown: %+v", a)
	}
	if got := ed1.get("/desk/articles/" + id).doc.Find("#presence-others"); got.Text() != "" {
		t.Errorf("stale presence on the page: %q", got.Text())
	} else if _, hidden := got.Attr("hidden"); !hidden {
		t.Error("the empty others line is not hidden")
	}
	if a := beat(ed2); len(a.Others) != 1 || a.Others[0].Name != name1 {
		t.Errorf("second's heartbeat after coming back = %+v", a)
	}

	// The heartbeat is a POST like the others: no CSRF token, no record.
	if r := ed1.do("POST", "/desk/articles/"+id+"/presence", nil, "Accept", "application/json"); r.status != http.StatusForbidden {
		t.Errorf("heartbeat without the CSRF token: %d", r.status)
	}
	// A correspondent may not read the editors' draft: 404, nothing kept.
	c := e.as(newsroom.RoleCorrespondent)
	c.get("/desk/")
	if r := c.do("POST", "/desk/articles/"+id+"/presence", nil, "X-CSRF-Token", c.csrf); r.status != http.StatusNotFound {
		t.Errorf("correspondent's heartbeat on another's draft: %d", r.status)
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	if got, _ := e.store.Present(ctx, n, 0, e.clock.Now()); len(got) != 2 {
		t.Errorf("present = %+v, want the two editors only", got)
	}
	if strings.Contains(ed1.get("/desk/articles/"+id).doc.Find("#presence").Text(), e.users[newsroom.RoleCorrespondent].Name) {
		t.Error("the correspondent shows as present")
	}
}
