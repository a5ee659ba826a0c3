package newsroom

import (
	"slices"
	"strings"
	"testing"
)

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func TestPrePublishCheck(t *testing.T) {
	ours := map[string]bool{"/region/ferry-returns": true, "/tag/ferry": true, "/search?q=ferry": true}
	p := PrePublish{Hosts: []string{"news.example"}, Resolves: func(path string) bool { return ours[path] }}

	empty := &Article{Headline: "Ferry"}
	if got := codes(p.Check(empty)); !slices.Equal(got, []string{CheckNoBody, CheckNoAuthor, CheckNoSection, CheckNoLeadImage}) {
		t.Errorf("empty story: %v", got)
	}
	if !HasBlocker(p.Check(empty)) {
		t.Errorf("no body is not a blocker")
	}

	a := &Article{
		Headline: strings.Repeat("Ferry ", 20), Body: "text",
		BodyHTML: `<p><a href="/region/ferry-returns">ok</a> <a href="/region/no-such-story#top">gone</a>` +
			` <a href="https://news.example/tag/ferry">ok</a> <a href="https://news.example/tag/nothing">gone</a>` +
			` <a href="https://elsewhere.example/x">theirs</a> <a href="/search?q=ferry">ok</a> <a href="#fn1">note</a>` +
			` <a href="/region/no-such-story">twice</a></p><figure><img src="/media/a.jpg" alt=""></figure><img src="/media/b.jpg" alt="Boats">`,
		Authors: []Byline{{AuthorID: 1}}, Categories: []Category{{ID: 1}},
		LeadImage:  &Image{URL: "/media/l.jpg", Alt: "Quay"},
		LegalMarks: []LegalMark{{Entity: "Tidewatch", Marker: "foreign agent", Where: WhereBody}, {Entity: "Tidewatch", Marker: "foreign agent", Where: WhereHeadline}},
	}
	fs := p.Check(a)
	if got := codes(fs); !slices.Equal(got, []string{CheckLongHeadline, CheckNoAlt, CheckBrokenLink, CheckBrokenLink, CheckLegalMarker}) {
		t.Fatalf("risky story: %v", got)
	}
	if HasBlocker(fs) {
		t.Errorf("warnings only, but a blocker: %+v", fs)
	}
	if fs[0].Args[0] != "119" || fs[1].Args[0] != "/media/a.jpg" || fs[2].Args[0] != "/region/no-such-story#top" ||
		fs[3].Args[0] != "https://news.example/tag/nothing" || fs[4].Args[0] != "Tidewatch" {
		t.Errorf("findings name: %+v", fs)
	}

	a.LeadImage.Alt = ""
	if got := codes(PrePublish{}.Check(a)); !slices.Contains(got, CheckNoAlt) || slices.Contains(got, CheckBrokenLink) {
		t.Errorf("no resolver, lead without alt: %v", got)
	}
}

func TestCheckGoingLive(t *testing.T) {
	for _, s := range []Status{Published, Scheduled} {
		if e := AsError(CheckGoingLive(&Article{Status: s, Body: " \n"})); e == nil || e.Field != "body" || e.Code != Invalid {
			t.Errorf("%s without a body: %v", s, e)
		}
	}
	for _, s := range []Status{Draft, Review, Unpublished} {
		if err := CheckGoingLive(&Article{Status: s}); err != nil {
			t.Errorf("%s without a body: %v", s, err)
		}
	}
}
