package main

import (
	"flag"
	"net/url"

	"newsdesk/internal/translate"
)

// TranslateConfig is the optional machine translation service: a
// DeepL-compatible API at URL (--translate-url, NEWSDESK_TRANSLATE_URL)
// with its key from DEEPL_AUTH_KEY only (never a flag: it would show in
// the process list). No URL, no machine translation.
type TranslateConfig struct {
	URL string
	Key string
}

func langsEnv(c *Config, getenv func(string) string) {
	if v := getenv("NEWSDESK_TRANSLATE_URL"); v != "" {
		c.Translate.URL = v
	}
	c.Translate.Key = getenv("DEEPL_AUTH_KEY")
}

func langsFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Translate.URL, "translate-url", c.Translate.URL, "DeepL-compatible translation service `URL` (key in DEEPL_AUTH_KEY); empty: no machine translation")
}

func (t TranslateConfig) validate() error {
	if t.URL == "" {
		return nil
	}
	u, err := url.Parse(t.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--translate-url (NEWSDESK_TRANSLATE_URL) must be an http or https address, not %q", t.URL)
	}
	if t.Key == "" {
		return usagef("--translate-url needs the service's key in DEEPL_AUTH_KEY")
	}
	return nil
}

// client returns the translation client, or nil when none is configured.
func (t TranslateConfig) client() *translate.Client {
	if t.URL == "" {
		return nil
	}
	return translate.NewClient(t.URL, t.Key)
}
