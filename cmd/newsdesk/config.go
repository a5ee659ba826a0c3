package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/mail"
	"newsdesk/internal/newsroom"
)

// usageError is a mistake in how newsdesk was started: a bad flag, a bad
// setting, a database that cannot be opened. main exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Config is how newsdesk runs: flags override NEWSDESK_* variables, which
// override the defaults.
type Config struct {
	Addr     string // listen address
	DataDir  string // SQLite database and media
	DB       string // "" for SQLite in DataDir, or a postgres:// URL
	Language string // interface language: en or ru
	NoDemo   bool   // do not load demo content on first start
	Timezone string // dates on pages are shown in this zone
	BaseURL  string // public address, for absolute links; default http://Addr
	SiteName string // overrides the demo outlet's name
	CacheMB  int    // page cache size in MiB; 0 turns the cache off
	// MemoryLimitMB bounds the process's memory in MiB (the Go runtime's
	// soft limit; the page cache yields to it): 0 is automatic
	// (memoryLimit), -1 none.
	MemoryLimitMB int
	// MaxUploadMB is the largest picture the media library accepts, in MiB.
	MaxUploadMB int
	// MaxImportMB is the largest WordPress export the desk's Import page
	// accepts, in MiB (it is streamed to a file in the data directory).
	MaxImportMB int
	// SecureCookies marks the desk's session cookie Secure even on plain
	// HTTP (set it behind a TLS-terminating proxy).
	SecureCookies bool
	// TrustProxy takes the client address (for flood control) from
	// X-Forwarded-For, set by a reverse proxy in front of newsdesk.
	TrustProxy bool
	// SMTP sends e-mail; Reports tunes error reports (config_reports.go).
	SMTP    mail.Config
	Reports ReportsConfig
	// DebugAddr, when set, serves Go's profiler (/debug/pprof/) there;
	// keep it on loopback.
	DebugAddr string
	// FeedContent is "full" (whole articles in feeds) or "summary"; the
	// feed_full_text setting in the database overrides it.
	FeedContent string
	// ViewsFlush is how often counted page views are written.
	ViewsFlush time.Duration
	// rankEvery is how often the most-read ranking is checked (0: every
	// 5 minutes; no flag: tests shorten it).
	rankEvery time.Duration
	// TokenTTL is the oldest an API token may be, counted from its
	// creation (--token-ttl, default 90 days); token create gives new
	// tokens the same lifetime.
	TokenTTL time.Duration
	// tokenTTLErr is a bad NEWSDESK_TOKEN_TTL, reported by validate.
	tokenTTLErr error
	// MetricsAddr, when set, serves Prometheus metrics (/metrics) there,
	// never on the public address.
	MetricsAddr string
	// LogFormat is "text" or "json".
	LogFormat string
	// logLines, set by serve, is the buffer the logger's handler writes
	// to: request lines are formatted straight into it (ops.Requests.Lines).
	logLines io.Writer
	// SlowQuery and SlowRequest are the times from which a database call
	// or a request is logged as slow.
	SlowQuery, SlowRequest time.Duration
	// Nodes is what several nodes share: media storage, the cache tier,
	// limits (config_nodes.go).
	Nodes NodesConfig
	// Translate is the optional machine translation service (config_langs.go).
	Translate TranslateConfig
}

func defaultConfig(getenv func(string) string) Config {
	c := Config{Addr: "127.0.0.1:8080", DataDir: "./newsdesk-data", Language: "en", Timezone: "UTC", CacheMB: 48, MaxUploadMB: 20, MaxImportMB: 1024,
		FeedContent: "full", ViewsFlush: 5 * time.Second, LogFormat: "text",
		SlowQuery: 200 * time.Millisecond, SlowRequest: time.Second}
	env := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	env(&c.Addr, "NEWSDESK_ADDR")
	env(&c.DataDir, "NEWSDESK_DATA")
	env(&c.DB, "NEWSDESK_DB")
	env(&c.Language, "NEWSDESK_LANGUAGE")
	env(&c.Timezone, "NEWSDESK_TIMEZONE")
	env(&c.BaseURL, "NEWSDESK_BASE_URL")
	env(&c.SiteName, "NEWSDESK_SITE_NAME")
	env(&c.DebugAddr, "NEWSDESK_DEBUG_ADDR")
	env(&c.MetricsAddr, "NEWSDESK_METRICS_ADDR")
	env(&c.LogFormat, "NEWSDESK_LOG_FORMAT")
	if v := getenv("NEWSDESK_NO_DEMO"); v == "1" || v == "true" {
		c.NoDemo = true
	}
	if v := getenv("NEWSDESK_CACHE_MB"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			c.CacheMB = n
		} else {
			c.CacheMB = -1 // reported by validate
		}
	}
	if v := getenv("NEWSDESK_MEMORY_LIMIT"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			c.MemoryLimitMB = n
		} else {
			c.MemoryLimitMB = -2 // reported by validate
		}
	}
	if v := getenv("NEWSDESK_MAX_UPLOAD_MB"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			c.MaxUploadMB = n
		} else {
			c.MaxUploadMB = -1 // reported by validate
		}
	}
	if v := getenv("NEWSDESK_MAX_IMPORT_MB"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			c.MaxImportMB = n
		} else {
			c.MaxImportMB = -1 // reported by validate
		}
	}
	if v := getenv("NEWSDESK_SECURE_COOKIES"); v == "1" || v == "true" {
		c.SecureCookies = true
	}
	if v := getenv("NEWSDESK_TRUST_PROXY"); v == "1" || v == "true" {
		c.TrustProxy = true
	}
	mailAndReportEnv(&c, getenv)
	nodesEnv(&c, getenv)
	langsEnv(&c, getenv)
	c.TokenTTL, c.tokenTTLErr = tokenTTLFromEnv(getenv)
	env(&c.FeedContent, "NEWSDESK_FEED_CONTENT")
	if v := getenv("NEWSDESK_VIEWS_FLUSH"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			c.ViewsFlush = d
		} else {
			c.ViewsFlush = -1 // reported by validate
		}
	}
	return c
}

// storageFlags registers the flags every subcommand shares.
func storageFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data `directory` (SQLite database, media)")
	fs.StringVar(&c.DB, "db", c.DB, "database `DSN`: empty for SQLite in the data directory, or postgres://...")
}

func parseServe(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen on `HOST:PORT`")
	storageFlags(fs, &c)
	fs.StringVar(&c.Language, "language", c.Language, "interface language: en or ru")
	fs.BoolVar(&c.NoDemo, "no-demo", c.NoDemo, "do not load demo content on first start")
	fs.StringVar(&c.Timezone, "timezone", c.Timezone, "time zone for dates on pages (IANA name)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public `URL` of the site, for absolute links")
	fs.StringVar(&c.SiteName, "site-name", c.SiteName, "name of the site")
	fs.IntVar(&c.CacheMB, "cache-mb", c.CacheMB, "page cache size in `MiB` (0 turns it off)")
	fs.IntVar(&c.MemoryLimitMB, "memory-limit", c.MemoryLimitMB, "the process's memory bound in `MiB`; the page cache yields to it (0: 96, or --cache-mb - 24 if more; -1: none)")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", c.MaxUploadMB, "largest picture the media library accepts, in `MiB`")
	fs.IntVar(&c.MaxImportMB, "max-import-mb", c.MaxImportMB, "largest WordPress export the desk's Import page accepts, in `MiB`")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies, "mark the desk's session cookie Secure (behind a TLS proxy)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy, "take client addresses from X-Forwarded-For (behind a reverse proxy)")
	mailAndReportFlags(fs, &c)
	nodesFlags(fs, &c)
	langsFlags(fs, &c)
	fs.StringVar(&c.DebugAddr, "debug-addr", c.DebugAddr, "serve the Go profiler (/debug/pprof/) on `HOST:PORT` (keep it on loopback)")
	fs.StringVar(&c.FeedContent, "feed-content", c.FeedContent, "what feeds carry: full (whole articles) or summary")
	fs.Var(ttlValue{&c.TokenTTL}, "token-ttl", "oldest an API token may be, from its creation (`DURATION` such as 90d)")
	fs.DurationVar(&c.ViewsFlush, "views-flush", c.ViewsFlush, "how often counted page views are written (`DURATION`, 1s to 1m)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "serve Prometheus metrics at /metrics on `HOST:PORT` (keep it private)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log lines as text or json")
	fs.DurationVar(&c.SlowQuery, "slow-query", c.SlowQuery, "log database calls that take at least this long (`DURATION`)")
	fs.DurationVar(&c.SlowRequest, "slow-request", c.SlowRequest, "log requests that take at least this long as slow (`DURATION`)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, usagef("serve: %v", err)
	}
	if fs.NArg() > 0 {
		return c, usagef("serve: unexpected argument %q", fs.Arg(0))
	}
	return c, c.validate()
}

func (c *Config) validate() error {
	if c.tokenTTLErr != nil {
		return c.tokenTTLErr
	}
	if c.TokenTTL == 0 {
		c.TokenTTL = newsroom.DefaultTokenTTL
	}
	if c.Language != "en" && c.Language != "ru" {
		return usagef("--language must be en or ru, not %q", c.Language)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return usagef("--timezone %q is not a known time zone", c.Timezone)
	}
	if c.Addr == "" || !strings.Contains(c.Addr, ":") {
		return usagef("--addr must be HOST:PORT, not %q", c.Addr)
	}
	if c.DB != "" && !isPostgres(c.DB) && !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasSuffix(c.DB, ".db") {
		return usagef("--db must be a postgres:// URL, a sqlite: path or empty (SQLite in the data directory), not %q", redactDSN(c.DB))
	}
	if c.MaxUploadMB == 0 {
		c.MaxUploadMB = 20
	}
	if c.MaxUploadMB < 1 || c.MaxUploadMB > 1024 {
		return usagef("--max-upload-mb (NEWSDESK_MAX_UPLOAD_MB) must be a whole number of MiB from 1 to 1024")
	}
	if c.MaxImportMB == 0 {
		c.MaxImportMB = 1024
	}
	if c.MaxImportMB < 1 || c.MaxImportMB > 65536 {
		return usagef("--max-import-mb (NEWSDESK_MAX_IMPORT_MB) must be a whole number of MiB from 1 to 65536")
	}
	if c.CacheMB < 0 {
		return usagef("--cache-mb (NEWSDESK_CACHE_MB) must be a whole number of MiB, 0 or more")
	}
	if c.MemoryLimitMB < -1 || c.MemoryLimitMB > 0 && c.MemoryLimitMB < minMemoryLimitMB {
		return usagef("--memory-limit (NEWSDESK_MEMORY_LIMIT) must be a whole number of MiB, at least %d (0: automatic, -1: none)", minMemoryLimitMB)
	}
	if err := c.validateMailAndReports(); err != nil {
		return err
	}
	if err := c.Translate.validate(); err != nil {
		return err
	}
	if err := c.Nodes.validate(); err != nil {
		return err
	}
	if c.Nodes.DBRead != "" && !isPostgres(c.DB) {
		return usagef("--db-read (NEWSDESK_DB_READ) needs a PostgreSQL --db: a replica takes reads off a PostgreSQL primary")
	}
	if c.FeedContent != "" && c.FeedContent != "full" && c.FeedContent != "summary" {
		return usagef("--feed-content (NEWSDESK_FEED_CONTENT) must be full or summary, not %q", c.FeedContent)
	}
	if c.ViewsFlush != 0 && (c.ViewsFlush < time.Second || c.ViewsFlush > time.Minute) {
		return usagef("--views-flush (NEWSDESK_VIEWS_FLUSH) must be a duration from 1s to 1m, such as 5s")
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return usagef("--log-format (NEWSDESK_LOG_FORMAT) must be text or json, not %q", c.LogFormat)
	}
	if c.MetricsAddr != "" {
		if !strings.Contains(c.MetricsAddr, ":") {
			return usagef("--metrics-addr (NEWSDESK_METRICS_ADDR) must be HOST:PORT, not %q", c.MetricsAddr)
		}
		if c.MetricsAddr == c.Addr {
			return usagef("--metrics-addr must differ from --addr: metrics are never served on the public address")
		}
	}
	if c.DebugAddr != "" && !loopbackAddr(c.DebugAddr) {
		return usagef("--debug-addr (NEWSDESK_DEBUG_ADDR) must be a loopback address such as 127.0.0.1:6060, not %q: the profiler shows the program's memory to anyone who reaches it", c.DebugAddr)
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// redactDSN hides a password in a DSN before it is printed.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 {
				return dsn[:i+3] + rest[:colon] + ":***" + rest[at:]
			}
		}
	}
	return dsn
}

// prepareDataDir makes sure the data directory exists and is writable.
func prepareDataDir(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "media"), 0o755); err != nil {
		return usagef("data directory %s cannot be created: %v", dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return usagef("data directory %s is not writable: %v", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// dsn returns the store DSN for the config.
func (c *Config) dsn() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "newsdesk.db")
}

// loopbackAddr reports whether HOST:PORT names this machine only
// (127.0.0.0/8, ::1 or localhost).
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// minMemoryLimitMB is the least --memory-limit accepted: newsdesk's own
// heap without cached pages is about 20 MiB.
const minMemoryLimitMB = 48

// memoryLimit is the process's memory bound in bytes (0: none): the
// --memory-limit given, or automatically 96 MiB, or 24 MiB less than the
// page cache's bound when that is more (the cache then holds less than
// --cache-mb: it yields to the rest of the heap). The RSS peaks at about
// the limit plus 45-55 MB (the binary's code mapped from its file, about
// 28 MB, SQLite's page caches and statements, about 17 MB, and the Go
// runtime's overshoot), so this keeps it under 150 MB at the defaults
// and under 300 MB at --cache-mb 256 (docs/PERFORMANCE.md).
func (c *Config) memoryLimit() int64 {
	switch {
	case c.MemoryLimitMB < 0:
		return 0
	case c.MemoryLimitMB > 0:
		return int64(c.MemoryLimitMB) << 20
	}
	return int64(max(96, c.CacheMB-24)) << 20
}
