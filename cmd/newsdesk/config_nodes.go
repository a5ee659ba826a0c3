package main

import (
	"flag"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/media"
	"newsdesk/internal/purge"
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
	// MediaPublicURL, when set, is where pages link pictures
	// (MediaPublicURL/KEY: the bucket's public address or a CDN), and
	// /media/KEY redirects there.
	MediaPublicURL string
	// s3 is Media parsed, when it is an s3:// address.
	s3 *media.S3Config
	// PurgeURL, when set, is where purges by key go after each commit
	// (the shared cache tier); PurgeKind says how (purge.Kinds), with
	// PurgeToken (NEWSDESK_PURGE_TOKEN only) for Fastly and Cloudflare,
	// at most PurgeRate requests a second (0: the kind's default).
	PurgeURL, PurgeKind, PurgeToken string
	PurgeRate                       float64
	// SharedMaxAge is the s-maxage of cacheable pages: how long a shared
	// cache may keep one. 0: a minute, or an hour with PurgeURL.
	SharedMaxAge time.Duration
	// CountViews says how article views are counted: "pages" as the node
	// serves each page (a hit of its own cache too), "beacon" from a
	// signed beacon the page's script posts (a shared cache in front
	// answers most pages without asking a node). validate fills in the
	// default: beacon with PurgeURL, pages without.
	CountViews string
	// Redis, when set (redis://HOST:PORT/DB), keeps the limits every node
	// shares there rather than in PostgreSQL.
	Redis string
	// DBRead, when set, is a PostgreSQL streaming replica of --db for the
	// public pages' reads (replica.go in internal/sqlstore says which).
	DBRead string
}

// nodesEnv reads the NEWSDESK_* variables of NodesConfig into c.
func nodesEnv(c *Config, getenv func(string) string) {
	c.Nodes.Media = getenv("NEWSDESK_MEDIA")
	c.Nodes.MediaPublicURL = getenv("NEWSDESK_MEDIA_PUBLIC_URL")
	c.Nodes.Redis = getenv("NEWSDESK_REDIS")
	c.Nodes.DBRead = getenv("NEWSDESK_DB_READ")
	c.Nodes.PurgeURL = getenv("NEWSDESK_PURGE_URL")
	c.Nodes.PurgeKind = getenv("NEWSDESK_PURGE_KIND")
	c.Nodes.PurgeToken = getenv("NEWSDESK_PURGE_TOKEN")
	c.Nodes.CountViews = getenv("NEWSDESK_COUNT_VIEWS")
	if v := getenv("NEWSDESK_PURGE_RATE"); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			c.Nodes.PurgeRate = f
		} else {
			c.Nodes.PurgeRate = -1 // reported by validate
		}
	}
	if v := getenv("NEWSDESK_SHARED_MAX_AGE"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			c.Nodes.SharedMaxAge = d
		} else {
			c.Nodes.SharedMaxAge = -1 // reported by validate
		}
	}
}

// nodesFlags registers the serve flags of NodesConfig.
func nodesFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Nodes.Media, "media", c.Nodes.Media, "media storage: a `DIR`ectory, or s3://BUCKET/PREFIX?endpoint=URL&region=R (credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or an IAM role); empty: <data>/media")
	fs.StringVar(&c.Nodes.DBRead, "db-read", c.Nodes.DBRead, "a PostgreSQL streaming replica of --db (`DSN` postgres://...) for public reads; the desk, the API and reads right after a change use --db")
	fs.StringVar(&c.Nodes.Redis, "redis", c.Nodes.Redis, "keep the limits every node shares (sign-in, comments, reports, shares) in Redis at this `URL` (redis://HOST:PORT/DB); default: PostgreSQL when --db is PostgreSQL")
	fs.StringVar(&c.Nodes.PurgeURL, "purge-url", c.Nodes.PurgeURL, "send purges by key after each commit to this `URL` (the shared cache tier: Varnish, or the CDN's purge API)")
	fs.StringVar(&c.Nodes.PurgeKind, "purge-kind", c.Nodes.PurgeKind, "how --purge-url takes purges: varnish (xkey), fastly, cloudflare or purge (PURGE with Surrogate-Key); token in NEWSDESK_PURGE_TOKEN")
	fs.Float64Var(&c.Nodes.PurgeRate, "purge-rate", c.Nodes.PurgeRate, "most purge requests a second (0: varnish 100, fastly 2, cloudflare 5 a minute)")
	fs.StringVar(&c.Nodes.CountViews, "count-views", c.Nodes.CountViews, "count article views as pages are served (pages) or from a beacon the page sends (beacon: behind a shared cache); default beacon with --purge-url, else pages")
	fs.DurationVar(&c.Nodes.SharedMaxAge, "shared-max-age", c.Nodes.SharedMaxAge, "s-maxage of cacheable pages (`DURATION`; 0: 1m, or 1h with --purge-url)")
	fs.StringVar(&c.Nodes.MediaPublicURL, "media-public-url", c.Nodes.MediaPublicURL, "link pictures on pages and feeds at this `URL` (the bucket's public address or a CDN in front of it); /media/ redirects there")
}

// The ways of counting views (NodesConfig.CountViews).
const (
	countPages  = "pages"
	countBeacon = "beacon"
)

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
	if n.DBRead != "" && !isPostgres(n.DBRead) {
		return usagef("--db-read (NEWSDESK_DB_READ) must be the postgres:// URL of a PostgreSQL replica, not %q", redactDSN(n.DBRead))
	}
	if n.Redis != "" && !strings.HasPrefix(n.Redis, "redis://") && !strings.HasPrefix(n.Redis, "rediss://") {
		return usagef("--redis (NEWSDESK_REDIS) must be a redis:// or rediss:// URL, not %q", n.Redis)
	}
	if n.PurgeKind == "" {
		n.PurgeKind = purge.Varnish
	}
	if n.PurgeURL != "" {
		if _, err := purge.New(n.purgeConfig(nil)); err != nil {
			return usagef("--purge-url/--purge-kind (NEWSDESK_PURGE_URL, NEWSDESK_PURGE_KIND, NEWSDESK_PURGE_TOKEN): %v", err)
		}
	}
	switch n.CountViews {
	case "":
		n.CountViews = countPages
		if n.PurgeURL != "" {
			n.CountViews = countBeacon // the tier answers most pages
		}
	case countPages, countBeacon:
	default:
		return usagef("--count-views (NEWSDESK_COUNT_VIEWS) must be pages or beacon, not %q", n.CountViews)
	}
	if n.PurgeRate < 0 {
		return usagef("--purge-rate (NEWSDESK_PURGE_RATE) must be a number of requests a second, 0 or more")
	}
	if n.SharedMaxAge < 0 || n.SharedMaxAge > 0 && n.SharedMaxAge < time.Second {
		return usagef("--shared-max-age (NEWSDESK_SHARED_MAX_AGE) must be a duration of a second or more, such as 1h")
	}
	if n.SharedMaxAge == 0 && n.PurgeURL != "" {
		n.SharedMaxAge = time.Hour // purges arrive: the shared tier may keep pages long
	}
	if n.MediaPublicURL != "" {
		u, err := url.Parse(n.MediaPublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return usagef("--media-public-url (NEWSDESK_MEDIA_PUBLIC_URL) must be an http(s) URL, not %q", n.MediaPublicURL)
		}
	}
	return nil
}

// purgeConfig is the purger's configuration.
func (n *NodesConfig) purgeConfig(logger *slog.Logger) purge.Config {
	return purge.Config{Kind: n.PurgeKind, URL: n.PurgeURL, Token: n.PurgeToken, Rate: n.PurgeRate, Logger: logger}
}
