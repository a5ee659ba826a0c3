package main

import (
	"flag"
	"net/url"
	"strings"

	"newsdesk/internal/media"
)

// NodesConfig is what running several nodes needs: shared media storage
// (and, with the flags added beside it, the shared cache tier, limits
// and read replicas).
type NodesConfig struct {
	// Media is where the public media files and the originals are kept:
	// "" for <data>/media and <data>/originals, a directory for the
	// public files (originals stay in <data>/originals), or
	// s3://BUCKET/PREFIX?endpoint=URL&region=R for PREFIX/media/ and
	// PREFIX/originals/ in a bucket every node shares.
	Media string
	// MediaPublicURL, when set, answers /media/KEY with a redirect to
	// MediaPublicURL/KEY (the bucket's public address or a CDN).
	MediaPublicURL string
	// s3 is Media parsed, when it is an s3:// address.
	s3 *media.S3Config
}

// nodesEnv reads the NEWSDESK_* variables of NodesConfig into c.
func nodesEnv(c *Config, getenv func(string) string) {
	c.Nodes.Media = getenv("NEWSDESK_MEDIA")
	c.Nodes.MediaPublicURL = getenv("NEWSDESK_MEDIA_PUBLIC_URL")
}

// nodesFlags registers the serve flags of NodesConfig.
func nodesFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Nodes.Media, "media", c.Nodes.Media, "media storage: a `DIR`ectory, or s3://BUCKET/PREFIX?endpoint=URL&region=R (credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or an IAM role); empty: <data>/media")
	fs.StringVar(&c.Nodes.MediaPublicURL, "media-public-url", c.Nodes.MediaPublicURL, "redirect /media/ requests to this `URL` (the bucket's public address or a CDN in front of it)")
}

// validate checks NodesConfig.
func (n *NodesConfig) validate() error {
	n.s3 = nil
	if strings.HasPrefix(n.Media, "s3:") {
		c, err := media.ParseS3URL(n.Media)
		if err != nil {
			return usagef("--media (NEWSDESK_MEDIA): %v", err)
		}
		n.s3 = &c
	} else if strings.Contains(n.Media, "://") {
		return usagef("--media (NEWSDESK_MEDIA) must be a directory or an s3://BUCKET/PREFIX address, not %q", n.Media)
	}
	if n.MediaPublicURL != "" {
		u, err := url.Parse(n.MediaPublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return usagef("--media-public-url (NEWSDESK_MEDIA_PUBLIC_URL) must be an http(s) URL, not %q", n.MediaPublicURL)
		}
	}
	return nil
}
