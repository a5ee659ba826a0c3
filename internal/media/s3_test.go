package media_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/minio/minio-go/v7/pkg/credentials"

	"newsdesk/internal/media"
	"newsdesk/internal/media/mediatest"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
	"newsdesk/internal/storetest"
)

// newFakeS3 returns Storage under sub in a fresh in-process gofakes3
// bucket, signing with static credentials as a real deployment would.
func newFakeS3(t testing.TB, sub string) *media.S3 {
	t.Helper()
	spec, _ := mediatest.FakeS3(t)
	c, err := media.ParseS3URL(spec)
	if err != nil {
		t.Fatal(err)
	}
	c.Creds = credentials.NewStaticV4("newsdesk", "secret-key-for-tests", "")
	s, err := media.NewS3(c, sub)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStorageConformance runs one set of checks on every Storage: the
// disk and an S3 bucket (gofakes3, in process).
func TestStorageConformance(t *testing.T) {
	d, err := media.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]media.Storage{"disk": d, "s3": newFakeS3(t, "media/")} {
		t.Run(name, func(t *testing.T) { checkStorage(t, s) })
	}
}

func checkStorage(t *testing.T, s media.Storage) {
	for _, k := range []string{"i/ab/x-480.jpg", "i/ab/x-960.jpg", "i/cd/y-480.png", "other.txt"} {
		if err := s.Put(ctx, k, strings.NewReader("data of "+k)); err != nil {
			t.Fatalf("Put(%s): %v", k, err)
		}
	}
	// A reader that does not know its length (streamed in parts on S3).
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	if err := s.Put(ctx, "files/big.bin", iotest.HalfReader(bytes.NewReader(big))); err != nil {
		t.Fatalf("Put(files/big.bin): %v", err)
	}
	keys, err := s.List(ctx, "i/ab/")
	if err != nil || !slices.Equal(keys, []string{"i/ab/x-480.jpg", "i/ab/x-960.jpg"}) {
		t.Errorf("List(i/ab/) = %v, %v", keys, err)
	}
	all, err := s.List(ctx, "")
	if err != nil || len(all) != 5 {
		t.Errorf("List(\"\") = %v, %v; want 5 keys", all, err)
	}
	rc, err := s.Open(ctx, "i/cd/y-480.png")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "data of i/cd/y-480.png" {
		t.Errorf("Open read %q", b)
	}
	// OpenFile: size, a quoted ETag, and reads after a seek.
	f, err := s.OpenFile(ctx, "files/big.bin")
	if err != nil {
		t.Fatal(err)
	}
	info := f.Info()
	if info.Size != int64(len(big)) || len(info.ETag) < 3 || info.ETag[0] != '"' || info.ModTime.IsZero() {
		t.Errorf("Info() = %+v, want size %d, a quoted ETag and a time", info, len(big))
	}
	if n, err := f.Seek(1000, io.SeekStart); err != nil || n != 1000 {
		t.Fatalf("Seek = %d, %v", n, err)
	}
	part := make([]byte, 16)
	if _, err := io.ReadFull(f, part); err != nil || !bytes.Equal(part, big[1000:1016]) {
		t.Errorf("read after seek = %q, %v; want %q", part, err, big[1000:1016])
	}
	if n, err := f.Seek(0, io.SeekEnd); err != nil || n != int64(len(big)) {
		t.Errorf("Seek(end) = %d, %v", n, err)
	}
	f.Close()
	st, err := s.Stat(ctx, "files/big.bin")
	if err != nil || st.Size != info.Size || st.ETag != info.ETag {
		t.Errorf("Stat = %+v, %v; want %+v", st, err, info)
	}
	// Writing the same bytes again keeps the ETag (a CDN keeps its copy).
	if err := s.Put(ctx, "other.txt", strings.NewReader("data of other.txt")); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Exists(ctx, "other.txt"); !ok || err != nil {
		t.Errorf("Exists(other.txt) = %v, %v", ok, err)
	}
	if err := s.Delete(ctx, "i/cd/y-480.png"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Exists(ctx, "i/cd/y-480.png"); ok || err != nil {
		t.Errorf("Exists after Delete = %v, %v", ok, err)
	}
	if err := s.Delete(ctx, "i/cd/y-480.png"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
	for _, op := range []func() error{
		func() error { _, err := s.Open(ctx, "missing.jpg"); return err },
		func() error { _, err := s.OpenFile(ctx, "missing.jpg"); return err },
		func() error { _, err := s.Stat(ctx, "missing.jpg"); return err },
	} {
		if err := op(); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("missing key: %v, want fs.ErrNotExist", err)
		}
	}
	for _, bad := range []string{"../escape", "/abs", "a/../../b", "", `a\b`} {
		if err := s.Put(ctx, bad, strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q) accepted a bad key", bad)
		}
	}
}

// TestLibraryOnS3: an upload into a library whose public and private
// storage are prefixes of one bucket puts the renditions under media/
// and the original under originals/, and a second upload of the same
// bytes stores nothing.
func TestLibraryOnS3(t *testing.T) {
	spec, _ := mediatest.FakeS3(t)
	c, err := media.ParseS3URL(spec)
	if err != nil {
		t.Fatal(err)
	}
	c.Creds = credentials.NewStaticV4("newsdesk", "secret-key-for-tests", "")
	pub, err := media.NewS3(c, "media/")
	if err != nil {
		t.Fatal(err)
	}
	orig, err := media.NewS3(c, "originals/")
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := media.NewS3(c, "")
	st, err := sqlstore.Open(ctx, storetest.SQLitePath(t), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l, err := media.New(media.Config{Public: pub, Originals: orig, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	item, created, err := l.Upload(ctx, "quay.jpg", bytes.NewReader(mediatest.JPEG(1800, 1200)), newsroom.MediaItem{Alt: "a quay"})
	if err != nil || !created {
		t.Fatalf("Upload = %v, %v", created, err)
	}
	keys, err := whole.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var renditions, originals int
	for _, k := range keys {
		switch {
		case strings.HasPrefix(k, "media/i/"):
			renditions++
		case strings.HasPrefix(k, "originals/"):
			originals++
		default:
			t.Errorf("unexpected key %s", k)
		}
	}
	if renditions != 3 || originals != 1 {
		t.Errorf("bucket holds %d renditions and %d originals (%v), want 3 and 1", renditions, originals, keys)
	}
	again, created, err := l.Upload(ctx, "again.jpg", bytes.NewReader(mediatest.JPEG(1800, 1200)), newsroom.MediaItem{})
	if err != nil || created || again.ID != item.ID {
		t.Errorf("second Upload created=%v, %v; want the first item", created, err)
	}
}

func TestParseS3URL(t *testing.T) {
	c, err := media.ParseS3URL("s3://news/site/prod?endpoint=http://127.0.0.1:8333&region=eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Bucket != "news" || c.Prefix != "site/prod/" || c.Endpoint != "127.0.0.1:8333" || c.Secure || c.Region != "eu-west-1" || !c.PathStyle {
		t.Errorf("got %+v", c)
	}
	if got := c.String(); got != "s3://news/site/prod?endpoint=http%3A%2F%2F127.0.0.1%3A8333&region=eu-west-1" {
		t.Errorf("String() = %q", got)
	}
	c, err = media.ParseS3URL("s3://bucket")
	if err != nil || c.Endpoint != "" || !c.Secure || c.Prefix != "" || c.PathStyle {
		t.Errorf("s3://bucket = %+v, %v", c, err)
	}
	for _, bad := range []string{"s3:///x", "http://b/x", "s3://b/x?endpoint=ftp://h", "s3://b/?colour=red"} {
		if _, err := media.ParseS3URL(bad); err == nil {
			t.Errorf("ParseS3URL(%q) accepted it", bad)
		}
	}
}

// TestS3LongStream: a stream longer than one request's read-ahead goes up
// in parts and reads back whole.
func TestS3LongStream(t *testing.T) {
	s := newFakeS3(t, "")
	big := bytes.Repeat([]byte("newsdesk"), 9<<17) // 9 MiB
	if err := s.Put(ctx, "files/long.bin", iotest.HalfReader(bytes.NewReader(big))); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(ctx, "files/long.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, big) {
		t.Errorf("read back %d bytes (%v), want %d equal bytes", len(got), err, len(big))
	}
}
