package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says where an S3-compatible bucket is. ParseS3URL reads it
// from the --media form s3://BUCKET/PREFIX?endpoint=URL&region=R.
type S3Config struct {
	Bucket string
	// Prefix is prepended to every key ("" or "site/"; always ends in a
	// slash when not empty).
	Prefix string
	// Endpoint is the server's address, host[:port]; empty means AWS.
	Endpoint string
	// Secure selects HTTPS (the default; an http:// endpoint clears it).
	Secure bool
	Region string
	// PathStyle addresses the bucket as a path (host/bucket/key), as
	// self-hosted servers want; on by default when Endpoint is given.
	PathStyle bool
	// Creds overrides the credentials; nil means AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY, then an IAM role of the machine.
	Creds *credentials.Credentials
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
}

// ParseS3URL reads s3://BUCKET/PREFIX?endpoint=URL&region=R. The endpoint
// is a URL (http://127.0.0.1:8333) or a bare host (HTTPS); without one the
// bucket is on AWS. Errors name what is wrong.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" {
		return S3Config{}, fmt.Errorf("%q is not an s3://BUCKET/PREFIX address", raw)
	}
	if u.Host == "" {
		return S3Config{}, fmt.Errorf("%q names no bucket (s3://BUCKET/PREFIX)", raw)
	}
	c := S3Config{Bucket: u.Host, Secure: true, Region: u.Query().Get("region")}
	if p := strings.Trim(u.Path, "/"); p != "" {
		c.Prefix = p + "/"
	}
	for k := range u.Query() {
		if k != "endpoint" && k != "region" {
			return S3Config{}, fmt.Errorf("%q: unknown parameter %q (endpoint and region are known)", raw, k)
		}
	}
	if ep := u.Query().Get("endpoint"); ep != "" {
		if strings.Contains(ep, "://") {
			eu, err := url.Parse(ep)
			if err != nil || eu.Host == "" || (eu.Scheme != "http" && eu.Scheme != "https") {
				return S3Config{}, fmt.Errorf("%q: endpoint %q is not an http(s) URL", raw, ep)
			}
			c.Endpoint, c.Secure = eu.Host, eu.Scheme == "https"
		} else {
			c.Endpoint = ep
		}
		c.PathStyle = true
	}
	return c, nil
}

// String is the configuration in the --media form, without credentials.
func (c S3Config) String() string {
	q := url.Values{}
	if c.Endpoint != "" {
		scheme := "https"
		if !c.Secure {
			scheme = "http"
		}
		q.Set("endpoint", scheme+"://"+c.Endpoint)
	}
	if c.Region != "" {
		q.Set("region", c.Region)
	}
	s := "s3://" + c.Bucket + "/" + strings.TrimSuffix(c.Prefix, "/")
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// S3 is Storage in an S3-compatible bucket, shared by every node: key k
// is the object PREFIX+k. A PUT replaces an object at once, so readers
// never see a half-written file.
type S3 struct {
	cl     *minio.Client
	bucket string
	prefix string
}

var _ Storage = (*S3)(nil)

// NewS3 returns Storage in the bucket c names, under c.Prefix+sub (sub
// is "media/" or "originals/" or empty). It does not reach the server;
// Check does.
func NewS3(c S3Config, sub string) (*S3, error) {
	creds := c.Creds
	if creds == nil {
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{}, &credentials.IAM{},
		})
	}
	endpoint := c.Endpoint
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
	}
	lookup := minio.BucketLookupAuto
	if c.PathStyle {
		lookup = minio.BucketLookupPath
	}
	cl, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: c.Secure, Region: c.Region,
		BucketLookup: lookup, Transport: c.Transport})
	if err != nil {
		return nil, fmt.Errorf("media: s3 client: %w", err)
	}
	return &S3{cl: cl, bucket: c.Bucket, prefix: c.Prefix + sub}, nil
}

// Check reports whether the bucket can be reached and exists.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.cl.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("media: bucket %s at %s: %w", s.bucket, s.cl.EndpointURL().Host, err)
	}
	if !ok {
		return fmt.Errorf("media: bucket %s does not exist at %s", s.bucket, s.cl.EndpointURL().Host)
	}
	return nil
}

func (s *S3) object(key string) (string, error) {
	if !fs.ValidPath(key) || key == "." || strings.Contains(key, `\`) {
		return "", fmt.Errorf("media: invalid storage key %q", key)
	}
	return s.prefix + key, nil
}

// notFound maps S3's missing-object answers to fs.ErrNotExist.
func notFound(err error) error {
	if err == nil {
		return nil
	}
	r := minio.ToErrorResponse(err)
	if r.Code == minio.NoSuchKey || r.StatusCode == http.StatusNotFound {
		return errors.Join(fs.ErrNotExist, err)
	}
	return err
}

// Put uploads r to key, with the Content-Type its extension names and the
// Cache-Control CacheControl gives (what a CDN in front of the bucket
// passes on). A reader that knows its length, or yields at most 8 MiB,
// is sent in one request; a longer stream goes in parts of 16 MiB.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	obj, err := s.object(key)
	if err != nil {
		return err
	}
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	} else {
		var head bytes.Buffer
		n, err := io.CopyN(&head, r, singlePut)
		switch {
		case err == io.EOF:
			r, size = bytes.NewReader(head.Bytes()), n
		case err != nil:
			return fmt.Errorf("media: put %s: %w", key, err)
		default:
			r = io.MultiReader(&head, r)
		}
	}
	opts := minio.PutObjectOptions{PartSize: 16 << 20, CacheControl: CacheControl(key),
		ContentType: mime.TypeByExtension(path.Ext(key))}
	if opts.ContentType == "" {
		opts.ContentType = "application/octet-stream"
	}
	if size < 0 {
		// Parts are signed as a whole rather than in aws-chunked
		// encoding, which not every S3-compatible server decodes.
		opts.DisableContentSha256 = true
	}
	if _, err := s.cl.PutObject(ctx, s.bucket, obj, r, size, opts); err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	return nil
}

// singlePut is the most Put reads ahead to send a stream of unknown
// length in one request.
const singlePut = 8 << 20

// Open returns the object at key for reading.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	f, err := s.OpenFile(ctx, key)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// OpenFile opens the object at key; reads after a Seek fetch that range
// only, so a range request streams just what was asked for.
func (s *S3) OpenFile(ctx context.Context, key string) (File, error) {
	obj, err := s.object(key)
	if err != nil {
		return nil, err
	}
	o, err := s.cl.GetObject(ctx, s.bucket, obj, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", key, notFound(err))
	}
	st, err := o.Stat()
	if err != nil {
		o.Close()
		return nil, fmt.Errorf("media: open %s: %w", key, notFound(err))
	}
	return s3File{o, Info{Size: st.Size, ModTime: st.LastModified, ETag: `"` + strings.Trim(st.ETag, `"`) + `"`}}, nil
}

type s3File struct {
	*minio.Object
	info Info
}

func (f s3File) Info() Info { return f.info }

// Exists reports whether an object is at key.
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	obj, err := s.object(key)
	if err != nil {
		return false, err
	}
	_, err = s.cl.StatObject(ctx, s.bucket, obj, minio.StatObjectOptions{})
	if err = notFound(err); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("media: stat %s: %w", key, err)
	}
	return true, nil
}

// Stat describes the object at key (one HEAD request).
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	obj, err := s.object(key)
	if err != nil {
		return Info{}, err
	}
	st, err := s.cl.StatObject(ctx, s.bucket, obj, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, fmt.Errorf("media: stat %s: %w", key, notFound(err))
	}
	return Info{Size: st.Size, ModTime: st.LastModified, ETag: `"` + strings.Trim(st.ETag, `"`) + `"`}, nil
}

// List returns every key under prefix, sorted.
func (s *S3) List(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	for o := range s.cl.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("media: list %q: %w", prefix, o.Err)
		}
		if k, ok := strings.CutPrefix(o.Key, s.prefix); ok && !strings.HasSuffix(k, "/") {
			out = append(out, k)
		}
	}
	return out, nil
}

// Delete removes the object at key; a missing one is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	obj, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.cl.RemoveObject(ctx, s.bucket, obj, minio.RemoveObjectOptions{}); err != nil && !errors.Is(notFound(err), fs.ErrNotExist) {
		return fmt.Errorf("media: delete %s: %w", key, err)
	}
	return nil
}
