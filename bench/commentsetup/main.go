// Command commentsetup prepares a newsdesk database for bench/comments.sh:
// comment settings that let one address post without pause and publish at
// once, a section and an author, article A to post comments to, and
// article B with N approved comments (threaded, through the comment
// service, as readers would leave them) whose page is measured.
//
//	go run ./bench/commentsetup --data DIR [--db DSN] [--comments 500]
//
// It prints two lines: A's id, then B's public path.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"newsdesk/internal/comments"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/render"
	"newsdesk/internal/sqlstore"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "commentsetup:", err)
		os.Exit(1)
	}
}

func run() error {
	data := flag.String("data", "", "data `directory` (SQLite file)")
	dsn := flag.String("db", "", "database `DSN` (default: SQLite in --data)")
	n := flag.Int("comments", 500, "approved comments on the measured article")
	flag.Parse()
	if *dsn == "" {
		if err := os.MkdirAll(*data, 0o755); err != nil {
			return err
		}
		*dsn = filepath.Join(*data, "newsdesk.db")
	}
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, *dsn, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer st.Close()

	cs := newsroom.DefaultCommentSettings()
	cs.FloodSeconds, cs.HoldFirstTime, cs.PerPage = 0, false, 1000
	b, _ := json.Marshal(cs)
	if err := st.SetSetting(ctx, newsroom.SettingComments, string(b)); err != nil {
		return err
	}
	sec := &newsroom.Category{Slug: "region", Name: "Region"}
	if err := st.CreateCategory(ctx, sec); err != nil {
		return err
	}
	au := &newsroom.Author{Slug: "mara-velk", Name: "Mara Velk", Label: newsroom.LabelOwnCorr}
	if err := st.CreateAuthor(ctx, au); err != nil {
		return err
	}
	r := render.New()
	mk := func(headline string) (*newsroom.Article, error) {
		a := &newsroom.Article{Headline: headline, Standfirst: "Boats run daily again from Monday.",
			Body:   "The harbour office confirmed the new timetable on Friday.\n\n> “We are ready for the winter,” said the captain.\n\nTickets go on sale at the quay.",
			Status: newsroom.Published, PublishedAt: time.Now().Add(-time.Hour), CommentsOpen: true,
			Categories: []newsroom.Category{{ID: sec.ID}}, Authors: []newsroom.Byline{{AuthorID: au.ID}}}
		if err := r.Article(a); err != nil {
			return nil, err
		}
		return a, st.CreateArticle(ctx, a)
	}
	a, err := mk("Ferry line to Skerra reopens")
	if err != nil {
		return err
	}
	page, err := mk("Harbour council debates the new quay")
	if err != nil {
		return err
	}
	svc := comments.New(comments.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	var ids []int64
	for i := range *n {
		in := newsroom.CommentInput{Name: fmt.Sprintf("Reader %d", i%37), Email: fmt.Sprintf("reader%d@example.org", i%37),
			Body: fmt.Sprintf("Comment %d. The quay matters to everyone on the coast; see https://tides.example/%d for the tides.\n\nA second paragraph.", i, i)}
		if i%3 == 1 && len(ids) > 0 {
			in.ParentID = ids[len(ids)-1] // some threads, two levels deep
		}
		c, _, err := svc.Post(ctx, page.ID, in, comments.Meta{IP: "127.0.0.1", UserAgent: "bench"})
		if err != nil {
			return fmt.Errorf("comment %d: %w", i, err)
		}
		if c.Status != newsroom.CommentApproved {
			return fmt.Errorf("comment %d is %s, not approved", i, c.Status)
		}
		if in.ParentID == 0 {
			ids = append(ids, c.ID)
		}
	}
	fmt.Println(a.ID)
	fmt.Println(page.URL())
	return nil
}
