package admit

import "strings"

// knownCrawlers are user-agent tokens of crawlers that walk whole sites:
// search engines, AI crawlers and archivers (lower case). Any agent that
// names itself a bot, crawler or spider is one too (see IsCrawler).
var knownCrawlers = []string{
	// search engines (most also match "…bot" below)
	"googlebot", "google-inspectiontool", "googleother", "storebot-google", "adsbot-google", "mediapartners-google",
	"bingbot", "bingpreview", "msnbot", "adidxbot", "yandexbot", "baiduspider", "duckduckbot", "slurp",
	"applebot", "seznambot", "yeti/", "petalbot",
	// AI crawlers and assistants fetching for training or answers
	"gptbot", "chatgpt-user", "oai-searchbot", "claudebot", "claude-web", "claude-user", "claude-searchbot",
	"anthropic-ai", "ccbot", "perplexitybot", "perplexity-user", "bytespider", "amazonbot", "meta-externalagent",
	"meta-externalfetcher", "facebookbot", "diffbot", "cohere-ai", "youbot", "ai2bot", "omgili", "timpibot",
	"imagesiftbot",
	// SEO tools, archivers, link previews
	"ahrefsbot", "semrushbot", "mj12bot", "dotbot", "blexbot", "dataforseobot", "serpstatbot", "barkrowler",
	"ia_archiver", "archive.org_bot", "heritrix", "facebookexternalhit", "twitterbot", "linkedinbot",
	"slackbot", "discordbot", "telegrambot", "embedly", "pinterestbot", "redditbot",
	// crawling frameworks
	"scrapy", "nutch", "httrack", "colly",
}

// selfDeclared are the words an agent uses to say it is a robot, matched
// at the end of a word ("FooBot/1.0", "my-crawler", "a spider").
var selfDeclared = []string{"bot", "crawler", "crawl", "spider", "scraper", "fetcher"}

// notCrawlers are agents a word above would misname (a phone maker).
var notCrawlers = []string{"cubot"}

// IsCrawler reports whether a request's User-Agent is a known crawler's or
// declares itself a robot. It is a priority hint, not a security check:
// an agent can lie either way, and one that hides as a browser is still
// served fairly by its address.
func IsCrawler(userAgent string) bool {
	if userAgent == "" {
		return false
	}
	ua := strings.ToLower(userAgent)
	for _, k := range knownCrawlers {
		if strings.Contains(ua, k) {
			return true
		}
	}
	for _, word := range selfDeclared {
		for i := 0; ; {
			j := strings.Index(ua[i:], word)
			if j < 0 {
				break
			}
			end := i + j + len(word)
			if end == len(ua) || !isLetter(ua[end]) {
				if !excepted(ua, i+j) {
					return true
				}
			}
			i = end
		}
	}
	return false
}

// excepted reports whether the word found at i belongs to a name in
// notCrawlers.
func excepted(ua string, i int) bool {
	for _, n := range notCrawlers {
		for s := max(0, i-len(n)); s <= i; s++ {
			if strings.HasPrefix(ua[s:], n) {
				return true
			}
		}
	}
	return false
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' }
