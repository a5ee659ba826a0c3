package wordpress

import (
	"html"
	"regexp"
	"strings"
)

// Shortcodes are WordPress's bracketed macros ([caption]…[/caption]). The
// common ones are turned into plain HTML elements before the one HTML
// converter runs, so that a [caption] and a block editor's <figure> end up
// the same Markdown:
//
//	[caption …]<img …> Text[/caption]  → <figure><img …><figcaption>Text</figcaption></figure>
//	[gallery ids="1,2"]                → <wp-gallery data-ids="1,2"></wp-gallery>
//	[embed]URL[/embed]                 → <wp-embed data-url="URL"></wp-embed>
//	[video mp4="…"] [audio mp3="…"]    → <wp-media data-kind="video" data-url="…"></wp-media>
//
// Any other shortcode is left as text, where a reader (and the editor)
// can see it, and is named in the summary.

var shortcodeOpenRE = regexp.MustCompile(`\[([a-zA-Z_][a-zA-Z0-9_-]*)((?:\s+[^\]]*?)?)(/?)\]`)

var shortcodeAttrRE = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|"([^"]*)"|(\S+)`)

// known shortcodes and whether they enclose content.
var knownShortcodes = map[string]bool{
	"caption": true, "wp_caption": true, "gallery": false, "embed": true,
	"video": true, "audio": true, "playlist": false,
}

// shortcodeAttrs parses ` id="x" align='y' z=1` into a map.
func shortcodeAttrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range shortcodeAttrRE.FindAllStringSubmatch(s, -1) {
		switch {
		case m[1] != "":
			v := m[2] + m[3] + m[4]
			out[strings.ToLower(m[1])] = html.UnescapeString(v)
		case m[5] != "":
			out[""] = m[5]
		}
	}
	return out
}

// expandShortcodes rewrites the known shortcodes in s and reports the
// names of shortcodes it did not know.
func expandShortcodes(s string, unknown func(name string)) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	for {
		loc := shortcodeOpenRE.FindStringSubmatchIndex(s)
		if loc == nil {
			b.WriteString(s)
			return b.String()
		}
		name := strings.ToLower(s[loc[2]:loc[3]])
		attrs := s[loc[4]:loc[5]]
		selfClosing := loc[6] != loc[7]
		// [[escaped]] is WordPress's way to show a shortcode literally.
		if loc[0] > 0 && s[loc[0]-1] == '[' && loc[1] < len(s) && s[loc[1]] == ']' {
			b.WriteString(s[:loc[0]-1])
			b.WriteString(s[loc[0]:loc[1]])
			s = s[loc[1]+1:]
			continue
		}
		encloses, known := knownShortcodes[name]
		end, inner := -1, ""
		closeTag := "[/" + name + "]"
		if !selfClosing {
			if i := indexFold(s[loc[1]:], closeTag); i >= 0 && (encloses || !known) {
				inner = s[loc[1] : loc[1]+i]
				end = loc[1] + i + len(closeTag)
			}
		}
		if !known {
			// Only what looks like a macro counts: attributes, a closing
			// tag or a "/]". "[sic]" and "[1]" are text.
			if end >= 0 || selfClosing || strings.Contains(attrs, "=") {
				unknown(name)
			}
			b.WriteString(s[:loc[1]])
			s = s[loc[1]:]
			continue
		}
		if end < 0 {
			end = loc[1]
		}
		b.WriteString(s[:loc[0]])
		b.WriteString(expandOne(name, shortcodeAttrs(attrs), inner))
		s = s[end:]
	}
}

func indexFold(s, sub string) int {
	return strings.Index(strings.ToLower(s), strings.ToLower(sub))
}

var imgTagRE = regexp.MustCompile(`(?is)^\s*(<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>)`)

func expandOne(name string, a map[string]string, inner string) string {
	esc := html.EscapeString
	switch name {
	case "caption", "wp_caption":
		img, text := "", inner
		if m := imgTagRE.FindStringIndex(inner); m != nil {
			img, text = inner[m[0]:m[1]], inner[m[1]:]
		}
		if c := a["caption"]; c != "" && strings.TrimSpace(text) == "" {
			text = c
		}
		return "<figure>" + img + "<figcaption>" + strings.TrimSpace(text) + "</figcaption></figure>"
	case "gallery":
		return `<wp-gallery data-ids="` + esc(a["ids"]) + `" data-include="` + esc(a["include"]) + `"></wp-gallery>`
	case "playlist":
		return `<wp-gallery data-ids="` + esc(a["ids"]) + `" data-kind="playlist"></wp-gallery>`
	case "embed":
		u := strings.TrimSpace(inner)
		if u == "" {
			u = a["src"]
		}
		return `<wp-embed data-url="` + esc(u) + `"></wp-embed>`
	case "video", "audio":
		u := a["src"]
		for _, k := range []string{"mp4", "m4v", "webm", "ogv", "mov", "mp3", "m4a", "ogg", "wav", "flv", "wmv"} {
			if u == "" {
				u = a[k]
			}
		}
		if u == "" {
			u = strings.TrimSpace(inner)
		}
		return `<wp-media data-kind="` + name + `" data-url="` + esc(u) + `"></wp-media>`
	}
	return ""
}
