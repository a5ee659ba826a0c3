package wordpress

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// WriteText writes the summary for a person: one line per kind, then
// every item that needs one.
func (s *Summary) WriteText(w io.Writer) {
	head := "Imported"
	if s.DryRun {
		head = "Dry run (nothing was written); would import"
	}
	fmt.Fprintf(w, "%s from %s (%d items in %d file(s), %s):\n", head, s.Site, s.Items, len(s.Files), s.Duration.Round(time.Millisecond))
	row := func(name string, c Count) {
		fmt.Fprintf(w, "  %-9s %6d imported  %6d updated  %6d unchanged  %6d skipped  %6d failed\n",
			name, c.Imported, c.Updated, c.Unchanged, c.Skipped, c.Failed)
	}
	row("posts", s.Posts)
	row("pages", s.Pages)
	fmt.Fprintf(w, "  %-9s %6d (posts and pages not public: drafts, in review, scheduled, private)\n", "drafts", s.Drafts)
	row("sections", s.Sections)
	row("tags", s.Tags)
	row("authors", s.Authors)
	row("comments", s.Comments)
	row("images", s.Images)
	row("files", s.OtherFiles)
	fmt.Fprintf(w, "  %-9s %6d old links added\n", "redirects", s.Redirects)
	if s.Repairs.Total() > 0 {
		fmt.Fprintf(w, "  repaired: %d bytes that were not UTF-8, %d characters XML forbids\n", s.Repairs.InvalidUTF8, s.Repairs.ControlChars)
	}
	if len(s.Unknown) > 0 {
		names := make([]string, 0, len(s.Unknown))
		for k := range s.Unknown {
			names = append(names, k)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = fmt.Sprintf("%s ×%d", n, s.Unknown[n])
		}
		fmt.Fprintf(w, "  kept for an editor: %s\n", strings.Join(parts, ", "))
	}
	if len(s.Issues) == 0 {
		fmt.Fprintln(w, "Nothing needs a person.")
		return
	}
	fmt.Fprintf(w, "%d item(s) need a person:\n", len(s.Issues))
	for _, is := range s.Issues {
		title := is.Title
		if title != "" {
			title = " “" + title + "”"
		}
		link := ""
		if is.Link != "" {
			link = " " + is.Link
		}
		fmt.Fprintf(w, "  %s %s%s%s: %s\n", is.Kind, is.WPID, title, link, is.Problem)
	}
}

// ProgressLine formats one progress report: on a terminal a bar that
// redraws itself (done/total, rate, time left), otherwise a plain line.
func ProgressLine(p Progress, terminal bool) string {
	rate := 0.0
	if p.Elapsed > 0 {
		rate = float64(p.Done) / p.Elapsed.Seconds()
	}
	left := ""
	if p.Total > 0 && rate > 0 && p.Done < p.Total {
		left = " " + time.Duration(float64(p.Total-p.Done)/rate*float64(time.Second)).Round(time.Second).String() + " left"
	}
	count := fmt.Sprintf("%d", p.Done)
	if p.Total > 0 {
		count = fmt.Sprintf("%d/%d", p.Done, p.Total)
	}
	if !terminal {
		return fmt.Sprintf("%-9s %s (%.0f/s)%s\n", p.Phase, count, rate, left)
	}
	const width = 30
	bar := strings.Repeat("·", width)
	if p.Total > 0 {
		n := min(width, p.Done*width/p.Total)
		bar = strings.Repeat("█", n) + strings.Repeat("·", width-n)
	}
	return fmt.Sprintf("\r\x1b[K%-9s %s %s %.0f/s%s", p.Phase, bar, count, rate, left)
}
