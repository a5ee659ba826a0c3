// Command wpexport writes a large WordPress export (WXR 1.2, shaped like
// WordPress 6.x's) for the import benchmark: a category tree, tags,
// authors, N posts in block markup with a picture and threaded comments,
// a few pages, and the pictures themselves as a wp-content/uploads copy.
// It streams what it writes, so any size can be made.
//
//	go run ./bench/wpexport --posts 20000 --out DIR   (writes DIR/export.xml and DIR/uploads/)
package main

import (
	"bufio"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	posts := flag.Int("posts", 20000, "posts to write")
	pictures := flag.Int("pictures", 60, "pictures (attachments) to write")
	comments := flag.Int("comments", 3, "comments per post")
	out := flag.String("out", "", "output `folder`")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "wpexport: --out is required")
		os.Exit(2)
	}
	if err := write(*out, *posts, *pictures, *comments); err != nil {
		fmt.Fprintln(os.Stderr, "wpexport:", err)
		os.Exit(1)
	}
}

const site = "https://skerrowcourier.example"

var (
	places   = []string{"Kelby", "Skell", "Ornsay", "Fladda", "Rona", "Hellir", "Vatersay Sound", "the north pier"}
	subjects = []string{"The harbour board", "A crofters' meeting", "The island school", "The lifeboat crew", "The council", "The ferry operator", "The community shop", "The Skell Islanders Trust"}
	verbs    = []string{"agreed on", "postponed", "asked for a review of", "welcomed", "raised questions about", "published figures on", "opened talks on", "voted against"}
	objects  = []string{"the winter timetable", "a new slipway", "peat-cutting rights", "the school bus", "a wind turbine", "the summer regatta", "broadband masts", "the price of diesel"}
)

func sentence(r *rand.Rand) string {
	return fmt.Sprintf("%s %s %s at %s on %s.", subjects[r.IntN(len(subjects))], verbs[r.IntN(len(verbs))],
		objects[r.IntN(len(objects))], places[r.IntN(len(places))], time.Weekday(r.IntN(7)))
}

func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

func write(dir string, posts, pictures, comments int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "export.xml"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(7, 11))
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>The Skerrow Courier</title>
	<link>%[1]s</link>
	<description>News from the Skerrow islands</description>
	<language>en-GB</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>%[1]s</wp:base_site_url>
	<wp:base_blog_url>%[1]s</wp:base_blog_url>
`, site)
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(w, "\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login><wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name></wp:author>\n",
			i, cdata(fmt.Sprintf("writer%d", i)), cdata(fmt.Sprintf("writer%d@skerrowcourier.example", i)), cdata(fmt.Sprintf("Writer %d", i)))
	}
	cats := []string{}
	for i := 0; i < 20; i++ {
		slug, parent := fmt.Sprintf("section-%d", i), ""
		if i >= 5 {
			parent = fmt.Sprintf("section-%d", i%5)
		}
		cats = append(cats, slug)
		fmt.Fprintf(w, "\t<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename>%s</wp:category_nicename><wp:category_parent>%s</wp:category_parent><wp:cat_name>%s</wp:cat_name></wp:category>\n",
			100+i, cdata(slug), cdata(parent), cdata(fmt.Sprintf("Section %d", i)))
	}
	for i := 0; i < 200; i++ {
		fmt.Fprintf(w, "\t<wp:tag><wp:term_id>%d</wp:term_id><wp:tag_slug>%s</wp:tag_slug><wp:tag_name>%s</wp:tag_name></wp:tag>\n", 1000+i, cdata(fmt.Sprintf("tag-%d", i)), cdata(fmt.Sprintf("Tag %d", i)))
	}
	up := filepath.Join(dir, "uploads", "2024", "03")
	if err := os.MkdirAll(up, 0o755); err != nil {
		return err
	}
	for i := 0; i < pictures; i++ {
		name := fmt.Sprintf("photo-%d.jpg", i)
		if err := picture(filepath.Join(up, name), i); err != nil {
			return err
		}
		fmt.Fprintf(w, `	<item><title>%s</title><link>%s/?attachment_id=%d</link><wp:post_id>%d</wp:post_id><wp:post_date>2024-03-01 10:00:00</wp:post_date><wp:post_date_gmt>2024-03-01 10:00:00</wp:post_date_gmt><wp:post_name>photo-%d</wp:post_name><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type><wp:attachment_url>%s</wp:attachment_url><excerpt:encoded>%s</excerpt:encoded>
		<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>%s</wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>%s</wp:meta_value></wp:postmeta></item>
`, cdata(name), site, 500000+i, 500000+i, i, cdata(site+"/wp-content/uploads/2024/03/"+name), cdata("Photograph "+fmt.Sprint(i)),
			cdata("2024/03/"+name), cdata(fmt.Sprintf("A view of %s", places[i%len(places)])))
	}
	start := time.Date(2012, 1, 1, 8, 0, 0, 0, time.UTC)
	cid := 1
	for i := 1; i <= posts; i++ {
		at := start.Add(time.Duration(i) * 5 * time.Hour)
		slug := fmt.Sprintf("story-%d", i)
		pic := 500000 + r.IntN(max(pictures, 1))
		var b strings.Builder
		for p := 0; p < 6; p++ {
			fmt.Fprintf(&b, "<!-- wp:paragraph -->\n<p>%s %s <strong>%s</strong></p>\n<!-- /wp:paragraph -->\n\n", sentence(r), sentence(r), sentence(r))
			if p == 1 && pictures > 0 {
				fmt.Fprintf(&b, "<!-- wp:image {\"id\":%d} -->\n<figure class=\"wp-block-image size-large\"><img src=\"%s/wp-content/uploads/2024/03/photo-%d-1024x683.jpg\" alt=\"\" class=\"wp-image-%d\"/><figcaption class=\"wp-element-caption\">%s</figcaption></figure>\n<!-- /wp:image -->\n\n", pic, site, pic-500000, pic, sentence(r))
			}
			if p == 3 {
				fmt.Fprintf(&b, "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph --><cite>A resident of %s</cite></blockquote>\n<!-- /wp:quote -->\n\n", sentence(r), places[r.IntN(len(places))])
			}
		}
		fmt.Fprintf(w, "\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s/%s/%s/</link>\n\t\t<dc:creator>%s</dc:creator>\n\t\t<guid isPermaLink=\"false\">%s/?p=%d</guid>\n\t\t<content:encoded>%s</content:encoded>\n\t\t<excerpt:encoded>%s</excerpt:encoded>\n",
			cdata(fmt.Sprintf("Story %d: %s", i, strings.TrimSuffix(sentence(r), "."))), site, at.Format("2006/01/02"), slug,
			cdata(fmt.Sprintf("writer%d", 1+r.IntN(10))), site, i, cdata(b.String()), cdata(sentence(r)))
		fmt.Fprintf(w, "\t\t<wp:post_id>%d</wp:post_id>\n\t\t<wp:post_date>%s</wp:post_date>\n\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n\t\t<wp:comment_status>open</wp:comment_status>\n\t\t<wp:post_name>%s</wp:post_name>\n\t\t<wp:status>publish</wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:post_type>post</wp:post_type>\n\t\t<wp:is_sticky>0</wp:is_sticky>\n",
			i, at.Format("2006-01-02 15:04:05"), at.Format("2006-01-02 15:04:05"), slug)
		fmt.Fprintf(w, "\t\t<category domain=\"category\" nicename=\"%s\">%s</category>\n", cats[r.IntN(len(cats))], cdata("Section"))
		for k := 0; k < 2; k++ {
			fmt.Fprintf(w, "\t\t<category domain=\"post_tag\" nicename=\"tag-%d\">%s</category>\n", r.IntN(200), cdata("Tag"))
		}
		if pictures > 0 {
			fmt.Fprintf(w, "\t\t<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>%d</wp:meta_value></wp:postmeta>\n", pic)
		}
		first := 0
		for c := 0; c < comments; c++ {
			parent := 0
			if c > 0 {
				parent = first
			}
			if c == 0 {
				first = cid
			}
			fmt.Fprintf(w, "\t\t<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>%s</wp:comment_author><wp:comment_author_email>reader%d@example.net</wp:comment_author_email><wp:comment_date_gmt>%s</wp:comment_date_gmt><wp:comment_content>%s</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>%d</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n",
				cid, cdata(fmt.Sprintf("Reader %d", r.IntN(500))), r.IntN(500), at.Add(time.Hour).Format("2006-01-02 15:04:05"), cdata(sentence(r)), parent)
			cid++
		}
		fmt.Fprint(w, "\t</item>\n")
	}
	for i, p := range []string{"about-us", "contacts", "editorial-policy", "corrections-policy", "privacy"} {
		fmt.Fprintf(w, "\t<item><title>%s</title><link>%s/%s/</link><content:encoded>%s</content:encoded><wp:post_id>%d</wp:post_id><wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:post_name>%s</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>\n",
			cdata(strings.ToUpper(p[:1])+strings.ReplaceAll(p[1:], "-", " ")), site, p, cdata("<p>"+sentence(r)+"</p>"), 900000+i, p)
	}
	fmt.Fprint(w, "</channel>\n</rss>\n")
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// picture writes a small photograph-like JPEG.
func picture(path string, seed int) error {
	img := image.NewRGBA(image.Rect(0, 0, 1024, 683))
	for y := 0; y < 683; y++ {
		for x := 0; x < 1024; x++ {
			img.Set(x, y, color.RGBA{uint8(x/4 + seed*13), uint8(y/3 + seed*7), uint8((x + y) / 8), 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 80}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
