package wordpress

import (
	"context"
	"html"
	"strings"
	"unicode/utf8"

	"newsdesk/internal/newsroom"
)

// guestAuthor is a Co-Authors Plus guest author (post type guest-author).
type guestAuthor struct {
	id                               int64
	login, name, email, bio, website string
	linked                           string // the WordPress login it stands for, if any
}

// passTerms reads authors, sections, tags, guest authors and attachments
// (the first read after the check), and brings them in, in that order:
// posts refer to all of them.
func (r *run) passTerms(ctx context.Context) error {
	var authors []*WPAuthor
	var terms []*Term
	var guests []guestAuthor
	var atts []*attachment
	err := r.each(ctx, func(f File, ev Event) error {
		switch {
		case ev.Author != nil:
			authors = append(authors, ev.Author)
		case ev.Term != nil:
			terms = append(terms, ev.Term)
		case ev.Item != nil && ev.Item.Type == "guest-author":
			it := ev.Item
			g := guestAuthor{id: it.PostID, login: it.MetaValue("cap-user_login"), name: it.MetaValue("cap-display_name"),
				email: it.MetaValue("cap-user_email"), bio: it.MetaValue("cap-description"), website: it.MetaValue("cap-website"),
				linked: it.MetaValue("cap-linked_account")}
			if g.name == "" {
				g.name = it.Title
			}
			if g.login == "" {
				g.login = strings.TrimPrefix(it.Name, "cap-")
			}
			guests = append(guests, g)
		case ev.Item != nil && ev.Item.Type == "attachment":
			atts = append(atts, newAttachment(ev.Item))
		}
		return nil
	})
	if err != nil {
		return err
	}
	r.report("authors", 0, len(authors)+len(guests), true)
	for _, a := range authors {
		if err := r.author(ctx, a.Login, a.DisplayName, a.Email, "", a); err != nil {
			return err
		}
	}
	for _, g := range guests {
		if g.linked != "" {
			if b, ok := r.authors[g.linked]; ok {
				r.authors[g.login] = b // the same person: one profile
				continue
			}
		}
		if err := r.author(ctx, g.login, g.name, g.email, g.bio, g); err != nil {
			return err
		}
	}
	r.report("sections", 0, len(terms), true)
	if err := r.categories(ctx, terms); err != nil {
		return err
	}
	for _, t := range terms {
		if t.Taxonomy == "post_tag" {
			if err := r.tag(ctx, t.ID, t.Slug, t.Name, t); err != nil {
				return err
			}
		}
	}
	return r.attachments(ctx, atts)
}

// author brings in one author profile: the display name, the login as
// slug; the e-mail address is kept privately in the ledger. Nobody gets a
// login: staff accounts need an invite.
func (r *run) author(ctx context.Context, login, name, email, bio string, raw any) error {
	login = strings.TrimSpace(login)
	if login == "" {
		return nil
	}
	name = strings.TrimSpace(html.UnescapeString(name))
	if name == "" {
		name = login
	}
	name = truncateRunes(name, newsroom.MaxTaxonomyName)
	d := digest(raw)
	if old, ok := r.ledger["author"][login]; ok {
		a, err := r.deps.Store.AuthorByID(ctx, old.LocalID)
		if err == nil {
			r.authors[login] = newsroom.Byline{AuthorID: a.ID, Slug: a.Slug, Name: a.Name}
			if old.Digest == d {
				r.sum.Authors.Unchanged++
				return nil
			}
			a.Name = name
			if bio != "" {
				a.Bio = truncateRunes(bio, newsroom.MaxBio)
			}
			if !r.opts.DryRun {
				if err := r.deps.Store.UpdateAuthor(ctx, a); err != nil {
					r.sum.Authors.Failed++
					r.issue("author", login, "", name, "could not update the profile: "+errText(err))
					return nil
				}
			}
			r.sum.Authors.Updated++
			return r.record(ctx, "author", login, a.ID, d, email)
		} else if !newsroom.IsNotFound(err) {
			return err
		}
	}
	slug := slugFrom(login, name)
	a := &newsroom.Author{Slug: slug, Name: name, Label: newsroom.LabelStaff, Bio: truncateRunes(bio, newsroom.MaxBio)}
	if r.opts.DryRun {
		if old, err := r.deps.Store.AuthorBySlug(ctx, slug); err == nil {
			a = old
		} else {
			a.ID = r.nextFakeID()
		}
	} else if err := r.deps.Store.CreateAuthor(ctx, a); err != nil {
		if newsroom.ErrorCode(err) != newsroom.Conflict {
			r.sum.Authors.Failed++
			r.issue("author", login, "", name, "could not create the profile: "+errText(err))
			return nil
		}
		// A profile with that slug exists (made by hand before the import):
		// it is the same person's byline; take it.
		old, err := r.deps.Store.AuthorBySlug(ctx, slug)
		if err != nil {
			return err
		}
		a = old
	}
	r.authors[login] = newsroom.Byline{AuthorID: a.ID, Slug: a.Slug, Name: a.Name}
	r.sum.Authors.Imported++
	return r.record(ctx, "author", login, a.ID, d, email)
}

// categories brings in the category tree, parents first.
func (r *run) categories(ctx context.Context, terms []*Term) error {
	bySlug := map[string]*Term{}
	var cats []*Term
	for _, t := range terms {
		if t.Taxonomy == "category" {
			bySlug[t.Slug] = t
			r.catTerms[t.Slug] = t
			cats = append(cats, t)
		}
	}
	done := map[string]bool{}
	var visit func(t *Term, depth int) error
	visit = func(t *Term, depth int) error {
		if done[t.Slug] {
			return nil
		}
		done[t.Slug] = true
		var parent int64
		if p, ok := bySlug[t.Parent]; ok && t.Parent != "" && t.Parent != t.Slug && depth < 20 {
			if err := visit(p, depth+1); err != nil {
				return err
			}
			parent = r.cats[p.Slug].ID
		}
		return r.category(ctx, t, parent)
	}
	for _, t := range cats {
		if err := visit(t, 0); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) category(ctx context.Context, t *Term, parent int64) error {
	key := t.ID
	if key == "" {
		key = t.Slug
	}
	name := truncateRunes(strings.TrimSpace(html.UnescapeString(t.Name)), newsroom.MaxTaxonomyName)
	if name == "" {
		name = t.Slug
	}
	desc := truncateRunes(strings.TrimSpace(html.UnescapeString(t.Description)), newsroom.MaxDescription)
	d := digest(t, parent)
	if old, ok := r.ledger["category"][key]; ok {
		c, err := r.deps.Store.CategoryByID(ctx, old.LocalID)
		if err == nil {
			r.cats[t.Slug] = *c
			if old.Digest == d {
				r.sum.Sections.Unchanged++
				return nil
			}
			c.Name, c.Description = name, desc
			if parent > 0 {
				c.ParentID = parent
			}
			if !r.opts.DryRun {
				if err := r.deps.Store.UpdateCategory(ctx, c); err != nil {
					r.sum.Sections.Failed++
					r.issue("category", key, r.termLink("category", t.Slug), name, "could not update the section: "+errText(err))
					return nil
				}
			}
			r.cats[t.Slug] = *c
			r.sum.Sections.Updated++
			return r.record(ctx, "category", key, c.ID, d, "")
		} else if !newsroom.IsNotFound(err) {
			return err
		}
	}
	slug := slugFrom(t.Slug, name)
	if newsroom.ReservedSlugs[slug] {
		r.issue("category", key, r.termLink("category", t.Slug), name,
			"the slug \""+slug+"\" is one of newsdesk's own paths; the section is \""+slug+"-section\"")
		slug += "-section"
	}
	c := &newsroom.Category{Slug: slug, Name: name, ParentID: parent, Description: desc}
	if parent < 0 {
		c.ParentID = 0
	}
	if r.opts.DryRun {
		if old, err := r.deps.Store.CategoryBySlug(ctx, slug); err == nil {
			c = old
		} else {
			c.ID = r.nextFakeID()
		}
	} else if err := r.deps.Store.CreateCategory(ctx, c); err != nil {
		if newsroom.ErrorCode(err) != newsroom.Conflict {
			r.sum.Sections.Failed++
			r.issue("category", key, r.termLink("category", t.Slug), name, "could not create the section: "+errText(err))
			return nil
		}
		old, err := r.deps.Store.CategoryBySlug(ctx, slug) // made by hand before: the same section
		if err != nil {
			return err
		}
		c = old
	}
	r.cats[t.Slug] = *c
	r.sum.Sections.Imported++
	return r.record(ctx, "category", key, c.ID, d, "")
}

// tag brings in one tag (also the ones only items name).
func (r *run) tag(ctx context.Context, id, wpSlug, name string, raw any) error {
	if _, ok := r.tags[wpSlug]; ok {
		return nil
	}
	key := id
	if key == "" {
		key = "slug:" + wpSlug
	}
	name = truncateRunes(strings.TrimSpace(html.UnescapeString(name)), newsroom.MaxTaxonomyName)
	slug := slugFrom(wpSlug, name)
	if old, ok := r.ledger["tag"][key]; ok {
		if t, err := r.deps.Store.TagBySlug(ctx, slug); err == nil && t.ID == old.LocalID {
			r.tags[wpSlug] = *t
			r.sum.Tags.Unchanged++
			return nil
		}
	}
	var t *newsroom.Tag
	if r.opts.DryRun {
		if old, err := r.deps.Store.TagBySlug(ctx, slug); err == nil {
			t = old
		} else {
			t = &newsroom.Tag{ID: r.nextFakeID(), Slug: slug, Name: name}
		}
	} else {
		var err error
		if t, err = r.deps.Store.EnsureTag(ctx, slug, name); err != nil {
			r.sum.Tags.Failed++
			r.issue("tag", key, r.termLink("tag", wpSlug), name, "could not create the tag: "+errText(err))
			return nil
		}
	}
	r.tags[wpSlug] = *t
	r.sum.Tags.Imported++
	return r.record(ctx, "tag", key, t.ID, digest(raw), "")
}

// termLink is a term's old archive address.
func (r *run) termLink(kind, slug string) string {
	return r.site + "/" + kind + "/" + slug + "/"
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// errText is the user-facing sentence of an error.
func errText(err error) string {
	if e := newsroom.AsError(err); e != nil && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
