package main

import (
	"flag"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/mail"
)

// ReportsConfig configures readers' error reports.
type ReportsConfig struct {
	MaxExact   int           // longest quote a reader may send, in characters
	PerIP      int           // reports per minute from one address (-1: no limit)
	PerArticle int           // reports per minute about one article (-1: no limit)
	Digest     time.Duration // how often editors get a digest of new reports (0: never)
	DigestTo   []string      // digest recipients; empty: every admin, editor and moderator
}

// mailAndReportEnv reads the NEWSDESK_* variables for mail and error
// reports into c.
func mailAndReportEnv(c *Config, getenv func(string) string) {
	c.Reports = ReportsConfig{MaxExact: 300, PerIP: 6, PerArticle: 60, Digest: 15 * time.Minute}
	c.SMTP.Port = 587
	num := func(dst *int, key string) {
		if v := getenv(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -2 // reported by validate (0 would mean the default)
			}
			*dst = n
		}
	}
	c.SMTP.Host = getenv("NEWSDESK_SMTP_HOST")
	num(&c.SMTP.Port, "NEWSDESK_SMTP_PORT")
	c.SMTP.Username = getenv("NEWSDESK_SMTP_USER")
	c.SMTP.Password = getenv("NEWSDESK_SMTP_PASSWORD")
	c.SMTP.From = getenv("NEWSDESK_SMTP_FROM")
	num(&c.Reports.MaxExact, "NEWSDESK_REPORT_MAX_EXACT")
	num(&c.Reports.PerIP, "NEWSDESK_REPORT_PER_IP")
	num(&c.Reports.PerArticle, "NEWSDESK_REPORT_PER_ARTICLE")
	if v := getenv("NEWSDESK_REPORT_DIGEST"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			d = -1 // reported by validate
		}
		c.Reports.Digest = d
	}
	if v := getenv("NEWSDESK_REPORT_DIGEST_TO"); v != "" {
		c.Reports.DigestTo = splitList(v)
	}
}

// mailAndReportFlags registers the serve flags for mail and error reports. The SMTP password is read only from NEWSDESK_SMTP_PASSWORD.
func mailAndReportFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.SMTP.Host, "smtp-host", c.SMTP.Host, "SMTP server for e-mail (empty: no e-mail)")
	fs.IntVar(&c.SMTP.Port, "smtp-port", c.SMTP.Port, "SMTP port")
	fs.StringVar(&c.SMTP.Username, "smtp-user", c.SMTP.Username, "SMTP user name (password in NEWSDESK_SMTP_PASSWORD)")
	fs.StringVar(&c.SMTP.From, "smtp-from", c.SMTP.From, "sender `address` of e-mail, e.g. \"Newsroom <desk@example.com>\"")
	fs.IntVar(&c.Reports.MaxExact, "report-max-exact", c.Reports.MaxExact, "longest quote in an error report, in `characters`")
	fs.IntVar(&c.Reports.PerIP, "report-per-ip", c.Reports.PerIP, "error reports a minute from one address (-1: no limit)")
	fs.IntVar(&c.Reports.PerArticle, "report-per-article", c.Reports.PerArticle, "error reports a minute about one article (-1: no limit)")
	fs.DurationVar(&c.Reports.Digest, "report-digest", c.Reports.Digest, "how often editors get a digest of new error reports (0: never)")
	fs.Func("report-digest-to", "comma-separated `addresses` for the digest (default: every admin, editor and moderator)", func(v string) error {
		c.Reports.DigestTo = splitList(v)
		return nil
	})
}

// validateMailAndReports checks the settings, giving zero ones their
// defaults (a Config built in code need not set them).
func (c *Config) validateMailAndReports() error {
	r := &c.Reports
	if r.MaxExact == 0 {
		r.MaxExact = 300
	}
	if r.PerIP == 0 {
		r.PerIP = 6
	}
	if r.PerArticle == 0 {
		r.PerArticle = 60
	}
	if c.SMTP.Port == 0 {
		c.SMTP.Port = 587
	}
	if r.MaxExact < 1 || r.MaxExact > 5000 {
		return usagef("--report-max-exact (NEWSDESK_REPORT_MAX_EXACT) must be 1 to 5000 characters")
	}
	if r.PerIP < -1 || r.PerArticle < -1 {
		return usagef("--report-per-ip and --report-per-article must be a number of reports a minute, or -1 for no limit")
	}
	if r.Digest < 0 {
		return usagef("--report-digest (NEWSDESK_REPORT_DIGEST) must be a duration such as 15m, or 0")
	}
	if c.SMTP.Port < 1 || c.SMTP.Port > 65535 {
		return usagef("--smtp-port (NEWSDESK_SMTP_PORT) must be a port number")
	}
	if c.SMTP.Host != "" && c.SMTP.From == "" {
		return usagef("--smtp-from (NEWSDESK_SMTP_FROM) is needed with --smtp-host")
	}
	return nil
}

// mailSender returns the configured sender, or nil without an SMTP host.
func (c *Config) mailSender() mail.Sender {
	if !c.SMTP.Enabled() {
		return nil
	}
	return mail.NewSMTP(c.SMTP)
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
