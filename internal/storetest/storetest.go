package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdesk/internal/newsroom"
)

// Store is everything the conformance suite checks: the foundation's
// newsroom.Store and the store interface of every other aggregate. A store
// that misses one does not compile against Run, so no test has to skip.
type Store interface {
	newsroom.Store
	newsroom.SessionStore
	newsroom.Scheduling
	newsroom.CorrectionReader
	newsroom.Discovery
	newsroom.ViewRecorder
	newsroom.CommentStore
	newsroom.ErrorReportStore
	newsroom.LegalStore
	newsroom.MediaStore
	newsroom.TaxonomyAdmin
	newsroom.PageStore
	newsroom.RedirectStore
	newsroom.ImportLedger
	newsroom.TrashPurger
	newsroom.ActivityLog
	newsroom.People
	newsroom.TwoFactorStore
	newsroom.GlossaryStore
	newsroom.ViewDetailRecorder
	newsroom.FrontStats
	newsroom.PendingEdits
	newsroom.Counters
	newsroom.PresenceStore
	newsroom.RerenderJobs
}

// Run runs the conformance suite against stores made by open. open must
// return a fresh, empty store for every call and close it when t ends. The
// store's clock should be near real time and must not stand still.
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st Store)
	}{
		{"CreateAndRead", testCreateAndRead},
		{"CreateDefaults", testCreateDefaults},
		{"CreateRejects", testCreateRejects},
		{"NotFound", testNotFound},
		{"Update", testUpdate},
		{"UpdateStaleRevision", testUpdateStaleRevision},
		{"UpdateConcurrent", testUpdateConcurrent},
		{"OldPaths", testOldPaths},
		{"Revisions", testRevisions},
		{"Corrections", testCorrections},
		{"UpdatedTime", testUpdatedTime},
		{"FindFilters", testFindFilters},
		{"FindPublicAt", testFindPublicAt},
		{"FindArticleLists", testFindArticleLists},
		{"LinkListTimes", testLinkListTimes},
		{"FindPagination", testFindPagination},
		{"ListPages", CheckListPages},
		{"FindQuery", testFindQuery},
		{"Shares", testShares},
		{"Taxonomy", testTaxonomy},
		{"Users", testUsers},
		{"Tokens", testTokens},
		{"Settings", testSettings},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Desk", testDesk},
		{"Discovery", testDiscovery},
		{"Comments", testComments},
		{"ErrorReports", testErrorReports},
		{"MediaAndTaxonomy", testMediaAndTaxonomy},
		{"LegalCRUD", testLegalCRUD},
		{"LegalRejects", testLegalRejects},
		{"LegalImport", testLegalImport},
		{"LegalImportStopsOnBadRow", testLegalImportBadRow},
		{"LegalExclusions", testLegalExclusions},
		{"LegalUpdateRendered", testLegalUpdateRendered},
		{"LegalArticleIDsAfter", testLegalArticleIDs},
		{"Pages", testPages},
		{"Redirects", testRedirects},
		{"Translations", testTranslations},
		{"PublicLanguages", testPublicLanguages},
		{"Glossary", testGlossary},
		{"SectionNames", testSectionNames},
		{"PageEditions", testPageEditions},
		{"Trash", testTrash},
		{"PendingEdits", testPendingEdits},
		{"Activity", testActivity},
		{"FrontStats", testFrontStats},
		{"People", testPeople},
		{"PasswordResets", testPasswordResets},
		{"StaffAuthors", testStaffAuthors},
		{"Counters", testCounters},
		{"TwoFactor", testTwoFactor},
		{"SignInSteps", testSignInSteps},
		{"Presence", testPresence},
		{"RerenderJobs", testRerenderJobs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

var ctx = context.Background()

// fixture is a small newsroom: World with its child Europe, Sport, two
// authors and a tag.
type fixture struct {
	world, europe, sport newsroom.Category
	mira, agency         newsroom.Author
	harbour              newsroom.Tag
}

func newFixture(t *testing.T, st Store) *fixture {
	t.Helper()
	f := &fixture{}
	f.world = mustCreateCategory(t, st, newsroom.Category{Slug: "world", Name: "World", Position: 1})
	f.europe = mustCreateCategory(t, st, newsroom.Category{Slug: "europe", Name: "Europe", ParentID: f.world.ID, Position: 2})
	f.sport = mustCreateCategory(t, st, newsroom.Category{Slug: "sport", Name: "Sport", Position: 3})
	f.mira = mustCreateAuthor(t, st, newsroom.Author{Slug: "mira-kask", Name: "Mira Kask", Label: newsroom.LabelOwnCorr})
	f.agency = mustCreateAuthor(t, st, newsroom.Author{Slug: "coast-wire", Name: "Coast Wire", Label: newsroom.LabelAgency})
	tag, err := st.EnsureTag(ctx, "harbour", "Harbour")
	if err != nil {
		t.Fatalf("EnsureTag: %v", err)
	}
	f.harbour = *tag
	return f
}

func wantCode(t *testing.T, what string, err error, code newsroom.Code, field string) {
	t.Helper()
	e := newsroom.AsError(err)
	if e == nil {
		t.Errorf("%s: error = %v; want a newsroom error %s", what, err, code)
		return
	}
	if e.Code != code || (field != "" && e.Field != field) {
		t.Errorf("%s: error = %s/%s (%v); want %s/%s", what, e.Code, e.Field, err, code, field)
	}
}

// sameTime compares times by instant.
var sameTime = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func testNotFound(t *testing.T, st Store) {
	checks := map[string]func() error{
		"ArticleByID":        func() error { _, err := st.ArticleByID(ctx, 4242); return err },
		"ArticleBySlug":      func() error { _, err := st.ArticleBySlug(ctx, "no-such-story"); return err },
		"ArticleIDByOldPath": func() error { _, err := st.ArticleIDByOldPath(ctx, "/world/old"); return err },
		"UpdateArticle": func() error {
			return st.UpdateArticle(ctx, &newsroom.Article{ID: 4242, Headline: "Ghost"}, 1)
		},
		"AddCorrection": func() error {
			return st.AddCorrection(ctx, &newsroom.Correction{ArticleID: 4242, Kind: newsroom.KindUpdate, Text: "x", At: time.Now()})
		},
		"Revisions":      func() error { _, err := st.Revisions(ctx, 4242); return err },
		"CategoryBySlug": func() error { _, err := st.CategoryBySlug(ctx, "nowhere"); return err },
		"TagBySlug":      func() error { _, err := st.TagBySlug(ctx, "nothing"); return err },
		"AuthorBySlug":   func() error { _, err := st.AuthorBySlug(ctx, "nobody"); return err },
		"AuthorByID":     func() error { _, err := st.AuthorByID(ctx, 4242); return err },
		"UserByID":       func() error { _, err := st.UserByID(ctx, 4242); return err },
		"UserByEmail":    func() error { _, err := st.UserByEmail(ctx, "nobody@example.org"); return err },
		"CreateToken":    func() error { return st.CreateToken(ctx, 4242, "hash") },
	}
	for name, fn := range checks {
		wantCode(t, name, fn(), newsroom.NotFound, "")
	}
}

// testDesk checks sessions, invites, passwords and scheduled publishing.
func testDesk(t *testing.T, st Store) {
	t.Run("Sessions", func(t *testing.T) { testSessions(t, st) })
	t.Run("Invites", func(t *testing.T) { testInvites(t, st) })
	t.Run("Scheduling", func(t *testing.T) { testScheduling(t, st) })
}

func errOf[T any](_ T, err error) error { return err }
