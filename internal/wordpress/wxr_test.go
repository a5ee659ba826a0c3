package wordpress

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

const fixture = "testdata/skerrow-courier.xml"

func readAllEvents(t *testing.T, name string, data []byte) (*Reader, []Event, error) {
	t.Helper()
	rd := NewReader(name, bytes.NewReader(data))
	var evs []Event
	for {
		ev, err := rd.Next()
		if err == io.EOF {
			return rd, evs, nil
		}
		if err != nil {
			return rd, evs, err
		}
		evs = append(evs, ev)
	}
}

func TestReaderFixture(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	rd, evs, err := readAllEvents(t, fixture, data)
	if err != nil {
		t.Fatal(err)
	}
	if rd.Channel.WXRVersion != "1.2" || rd.Channel.BaseSiteURL != "https://skerrowcourier.example" || rd.Channel.Title != "The Skerrow Courier" {
		t.Errorf("channel = %+v", rd.Channel)
	}
	var authors, terms, items int
	var post *Item
	for _, ev := range evs {
		switch {
		case ev.Author != nil:
			authors++
		case ev.Term != nil:
			terms++
		case ev.Item != nil:
			items++
			if ev.Item.PostID == 10 {
				post = ev.Item
			}
		}
	}
	if authors != 2 || terms != 9 || items != 20 {
		t.Errorf("authors %d terms %d items %d, want 2, 9, 20", authors, terms, items)
	}
	if post == nil || !strings.Contains(post.Content(), "<!-- wp:paragraph -->") || post.Excerpt() == "" ||
		len(post.Comments) != 7 || post.MetaValue("_thumbnail_id") != "101" || post.Sticky != 1 {
		t.Fatalf("post 10 read wrong: %+v", post)
	}
	// The fixture holds one byte that is not UTF-8 and one vertical tab.
	if rd.Repairs.InvalidUTF8 != 1 || rd.Repairs.ControlChars != 1 {
		t.Errorf("repairs = %+v, want 1 and 1", rd.Repairs)
	}
}

func TestReaderRefusesMalformed(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	// Break the closing tag of the fourth item.
	i := 0
	for n := 0; n < 4; n++ {
		i += bytes.Index(data[i:], []byte("</item>")) + 1
	}
	i--
	bad := append(append(append([]byte{}, data[:i]...), []byte("</itme>")...), data[i+len("</item>"):]...)
	wantLine := bytes.Count(bad[:i], []byte("\n")) + 1
	_, _, err = readAllEvents(t, "broken.xml", bad)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *SyntaxError", err)
	}
	if se.File != "broken.xml" || se.Line != wantLine || se.Column == 0 {
		t.Errorf("error at %s:%d:%d, want broken.xml:%d:(column)", se.File, se.Line, se.Column, wantLine)
	}
	if !strings.Contains(err.Error(), "broken.xml:") {
		t.Errorf("error %q does not name the file", err)
	}
	for _, c := range []struct{ name, in, want string }{
		{"not rss", `<?xml version="1.0"?><html></html>`, "not a WordPress export"},
		{"cut short", `<?xml version="1.0"?><rss><channel><item><title>x</title>`, "unexpected EOF"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><rss></rss>`, "only UTF-8"},
	} {
		_, _, err := readAllEvents(t, "x.xml", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}
