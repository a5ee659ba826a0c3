package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/newsroom"
)

// readStory is one story of the read matrix, with a word of its own in
// the headline and the body so that a page can be searched for it.
type readStory struct {
	name, word string
	id         int64
	status     newsroom.Status
	// visibleTo are the roles that read it; nil means every role.
	visibleTo map[newsroom.Role]bool
}

// readFixture makes one story of every kind a newsroom has, each with a
// marker word: the correspondent's own draft, a draft an editor started
// with the correspondent on the byline, another writer's draft, review
// and scheduled story, an embargoed story (published, its time still to
// come) and a public one.
func (e *env) readFixture() []readStory {
	e.t.Helper()
	corr, ed := e.users[newsroom.RoleCorrespondent], e.users[newsroom.RoleEditor]
	other := e.addUser("other-writer@example.com", "Other Writer", newsroom.RoleCorrespondent)
	profile := &newsroom.Author{Name: "Corr Profile", UserID: corr.ID}
	if err := e.store.CreateAuthor(ctx, profile); err != nil {
		e.t.Fatal(err)
	}
	editorsOnly := map[newsroom.Role]bool{newsroom.RoleAdmin: true, newsroom.RoleEditor: true}
	writersToo := map[newsroom.Role]bool{newsroom.RoleAdmin: true, newsroom.RoleEditor: true, newsroom.RoleCorrespondent: true}
	now := e.clock.Now()
	make := func(name, word string, by *newsroom.User, status newsroom.Status, visible map[newsroom.Role]bool, set func(a *newsroom.Article)) readStory {
		a := &newsroom.Article{Headline: "Read matrix " + word, Body: "The " + word + " paragraph.", Status: status}
		if set != nil {
			set(a)
		}
		if err := e.ed.Create(ctx, by, a); err != nil {
			e.t.Fatalf("%s: %v", name, err)
		}
		return readStory{name: name, word: word, id: a.ID, status: status, visibleTo: visible}
	}
	return []readStory{
		make("own draft", "quillwort", corr, newsroom.Draft, writersToo, nil),
		make("co-authored draft", "samphire", ed, newsroom.Draft, writersToo, func(a *newsroom.Article) {
			a.Authors = []newsroom.Byline{{AuthorID: profile.ID}}
		}),
		make("editor's draft", "bladderwrack", ed, newsroom.Draft, editorsOnly, nil),
		make("other writer's review", "eelgrass", other, newsroom.Review, editorsOnly, nil),
		make("scheduled", "kittiwake", ed, newsroom.Scheduled, editorsOnly, func(a *newsroom.Article) {
			a.ScheduledAt = now.Add(48 * time.Hour)
		}),
		make("embargoed", "guillemot", ed, newsroom.Published, editorsOnly, func(a *newsroom.Article) {
			a.PublishedAt = now.Add(24 * time.Hour)
		}),
		make("public", "sandwort", ed, newsroom.Published, nil, nil),
	}
}

func (s readStory) visible(role newsroom.Role) bool { return s.visibleTo == nil || s.visibleTo[role] }

// TestReadMatrix walks every desk route that shows a story or lists
// stories with every writing role and every kind of story: a
// correspondent sees their own and co-authored unpublished stories and
// what is public, never another writer's draft or review, a scheduled or
// an embargoed story (404 for the story's pages; absent from every list,
// search, count and the front page); editors and admins see them all.
// (Moderators and signed-out requests are refused these routes outright;
// TestRoleMatrix covers that.)
func TestReadMatrix(t *testing.T) { bothDBs(t, testReadMatrix) }

func testReadMatrix(t *testing.T, e *env) {
	stories := e.readFixture()
	for _, role := range []newsroom.Role{newsroom.RoleAdmin, newsroom.RoleEditor, newsroom.RoleCorrespondent} {
		c := e.session(e.users[role])
		lists := map[string]string{}
		for _, p := range []string{"/desk/", "/desk/stories", "/desk/stories?status=draft", "/desk/stories?status=review",
			"/desk/stories?status=scheduled", "/desk/stories?status=published"} {
			r := c.get(p)
			wantStatus(t, string(role)+" "+p, r, http.StatusOK)
			lists[p] = r.doc.Find("main").Text()
		}
		for _, st := range stories {
			id := strconv.FormatInt(st.id, 10)
			want := st.visible(role)
			for _, p := range []string{"/desk/articles/" + id, "/desk/articles/" + id + "/preview", "/desk/articles/" + id + "/revisions"} {
				r := c.get(p)
				switch {
				case want && r.status != http.StatusOK:
					t.Errorf("%s, %s: GET %s = %d, want 200", role, st.name, p, r.status)
				case !want && r.status != http.StatusNotFound:
					t.Errorf("%s, %s: GET %s = %d, want 404", role, st.name, p, r.status)
				case !want && strings.Contains(r.body, st.word):
					t.Errorf("%s, %s: GET %s shows the story's text", role, st.name, p)
				}
			}
			// The typed preview of an unreadable story must not fill in
			// its stored text.
			r := c.post("/desk/preview", url.Values{"id": {id}})
			if !want && strings.Contains(r.body, st.word) {
				t.Errorf("%s, %s: POST /desk/preview with its id shows its text", role, st.name)
			}
			// Lists, the front page and search.
			all := lists["/desk/stories"]
			if got := strings.Contains(all, st.word); got != want {
				t.Errorf("%s, %s: in the story list = %v, want %v", role, st.name, got, want)
			}
			if got := strings.Contains(lists["/desk/stories?status="+string(st.status)], st.word); got != want {
				t.Errorf("%s, %s: in the %s list = %v, want %v", role, st.name, st.status, got, want)
			}
			if !want && strings.Contains(lists["/desk/"], st.word) {
				t.Errorf("%s, %s: on the desk's front page", role, st.name)
			}
			r = c.get("/desk/stories?q=" + st.word)
			if got := strings.Contains(r.doc.Find("main").Text(), "Read matrix "+st.word); got != want {
				t.Errorf("%s, %s: found by search = %v, want %v", role, st.name, got, want)
			}
		}
		// The nav counts only what the role may read.
		review := c.get("/desk/stories").doc.Find(`nav a[href="/desk/stories?status=review"]`).Text()
		if role == newsroom.RoleCorrespondent && strings.ContainsAny(review, "123456789") {
			t.Errorf("correspondent's nav counts other writers' reviews: %q", review)
		}
		if role != newsroom.RoleCorrespondent && !strings.Contains(review, "1") {
			t.Errorf("%s's nav: %q, want the review counted", role, review)
		}
	}
}

// TestCorrespondentCannotSetPublicationTime: a correspondent's
// published_at (or schedule) is refused with 422 naming the field, and
// nothing is saved; an editor's is kept.
func TestCorrespondentCannotSetPublicationTime(t *testing.T) {
	bothDBs(t, testCorrespondentPublicationTime)
}

func testCorrespondentPublicationTime(t *testing.T, e *env) {
	sec, au := e.taxonomy()
	c := e.session(e.users[newsroom.RoleCorrespondent])
	f := storyForm(sec, au, "draft", 0)
	f.Set("published_at", "2020-01-02T08:00")
	r := c.post("/desk/articles", f)
	wantStatus(t, "correspondent's backdated draft", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.doc.Find("#form-error").Text(), "publication time") {
		t.Errorf("error = %q, want it to name the publication time", r.doc.Find("#form-error").Text())
	}
	if href, _ := r.doc.Find("#form-error a").Attr("href"); href != "#f-published_at" {
		t.Errorf("error links to %q, want the field published_at", href)
	}
	f = storyForm(sec, au, "draft", 0)
	f.Set("scheduled_at", "2031-01-02T08:00")
	r = c.post("/desk/articles", f)
	wantStatus(t, "correspondent's schedule", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.doc.Find("#form-error").Text(), "schedule") {
		t.Errorf("error = %q, want it to name the schedule", r.doc.Find("#form-error").Text())
	}
	_, n, err := e.store.FindArticles(ctx, newsroom.ArticleFilter{Limit: 1})
	if err != nil || n != 0 {
		t.Errorf("%d stories saved after refusals (%v), want 0", n, err)
	}

	ed := e.session(e.users[newsroom.RoleEditor])
	f = storyForm(sec, au, "publish", 0)
	f.Set("published_at", "2020-01-02T08:00")
	r = ed.post("/desk/articles", f)
	wantStatus(t, "editor's backdated story", r, http.StatusSeeOther)
	list, _, err := e.store.FindArticles(ctx, newsroom.ArticleFilter{Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("stories after the editor's save: %d, %v", len(list), err)
	}
	if got := list[0].PublishedAt.UTC().Format("2006-01-02T15:04"); got != "2020-01-02T08:00" {
		t.Errorf("editor's publication time = %s, want 2020-01-02T08:00", got)
	}
	// The editor's form shows it, and sending back the value shown (in
	// minutes) leaves a time with seconds as it was.
	a := list[0]
	a.PublishedAt = a.PublishedAt.Add(37 * time.Second)
	if err := e.store.UpdateArticle(ctx, a, a.Revision); err != nil {
		t.Fatal(err)
	}
	stored, err := e.store.ArticleByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	page := ed.get("/desk/articles/" + strconv.FormatInt(a.ID, 10))
	shown := page.doc.Find("#f-published_at").AttrOr("value", "")
	if shown != stored.PublishedAt.UTC().Format("2006-01-02T15:04") { // the desk's zone here is UTC
		t.Errorf("editor's form shows published_at %q, stored %v", shown, stored.PublishedAt)
	}
	f = storyForm(sec, au, "publish", stored.Revision)
	f.Set("published_at", shown)
	f.Set("confirmed", "1")
	wantStatus(t, "editor's re-save", ed.post("/desk/articles/"+strconv.FormatInt(a.ID, 10), f), http.StatusSeeOther)
	again, err := e.store.ArticleByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !again.PublishedAt.Equal(stored.PublishedAt) {
		t.Errorf("re-saving the shown time moved published_at from %v to %v", stored.PublishedAt, again.PublishedAt)
	}
}
