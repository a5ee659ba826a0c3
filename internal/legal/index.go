// Package legal is the legal registry's marking engine: it finds mentions of
// the registry's entities in an article's rendered HTML and marks them as
// the site's policy says. It is pure: no storage, no network, and the clock
// it is given.
package legal

import (
	"sort"
	"unicode"
	"unicode/utf8"

	"newsdesk/internal/newsroom"
)

// Index is a compiled registry: entities, their forms in a trie, and the
// policy. It is immutable and safe for concurrent use.
type Index struct {
	entities []newsroom.LegalEntity
	policy   newsroom.LegalPolicy
	// edges maps (node<<32 | folded rune) to the child node; root holds
	// the root's children for runes below rootSize (Latin, Cyrillic), as
	// most words fail right there.
	edges map[uint64]int32
	root  []int32
	// terms lists, for a node that ends a form, the forms ending there.
	terms map[int32][]term
	nodes int32
	// notes holds every entity's notes, folded, for "already written" checks.
	foldedNotes [][][]rune
}

// term is one form of one entity that ends at a trie node.
type term struct {
	entity int    // index into Index.entities
	form   []rune // the form as written, spaces collapsed
}

// Compile builds an Index of entities under policy. Entities whose forms
// do not expand are compiled with the forms that do.
func Compile(entities []newsroom.LegalEntity, policy newsroom.LegalPolicy) *Index {
	policy.Normalize()
	ix := &Index{
		policy: policy,
		edges:  map[uint64]int32{},
		terms:  map[int32][]term{},
		nodes:  1, // node 0 is the root
	}
	ix.entities = make([]newsroom.LegalEntity, len(entities))
	copy(ix.entities, entities)
	sort.SliceStable(ix.entities, func(i, j int) bool { return ix.entities[i].ID < ix.entities[j].ID })
	ix.foldedNotes = make([][][]rune, len(ix.entities))
	for i := range ix.entities {
		e := &ix.entities[i]
		if e.Marker == "" {
			e.Marker = newsroom.DefaultLegalMarker
		}
		for _, f := range e.AllForms() {
			ix.add(i, f)
		}
		for _, n := range e.Notes {
			if fn := foldString(n); fn != "" {
				ix.foldedNotes[i] = append(ix.foldedNotes[i], []rune(fn))
			}
		}
	}
	return ix
}

// Len returns the number of entities in the index.
func (ix *Index) Len() int { return len(ix.entities) }

// Policy returns the index's marking policy.
func (ix *Index) Policy() newsroom.LegalPolicy { return ix.policy }

// Entities returns the indexed entities (a copy), by ID.
func (ix *Index) Entities() []newsroom.LegalEntity {
	out := make([]newsroom.LegalEntity, len(ix.entities))
	copy(out, ix.entities)
	return out
}

func (ix *Index) add(entity int, form string) {
	var written []rune
	node := int32(0)
	space := false
	for _, r := range form {
		f := fold(r)
		if f == ignored {
			continue
		}
		if f == ' ' {
			space = true
			continue
		}
		if space && len(written) > 0 {
			node = ix.child(node, ' ')
			written = append(written, ' ')
		}
		space = false
		node = ix.child(node, f)
		written = append(written, r)
	}
	if node == 0 {
		return
	}
	for _, t := range ix.terms[node] {
		if t.entity == entity {
			return // the same form twice, e.g. in two languages
		}
	}
	ix.terms[node] = append(ix.terms[node], term{entity: entity, form: written})
}

// rootSize bounds the runes the root array covers.
const rootSize = 0x530

func (ix *Index) child(node int32, r rune) int32 {
	k := uint64(node)<<32 | uint64(uint32(r))
	if c, ok := ix.edges[k]; ok {
		return c
	}
	c := ix.nodes
	ix.nodes++
	ix.edges[k] = c
	if node == 0 && r >= 0 && r < rootSize {
		if ix.root == nil {
			ix.root = make([]int32, rootSize)
		}
		ix.root[r] = c
	}
	return c
}

func (ix *Index) next(node int32, r rune) (int32, bool) {
	if node == 0 && r >= 0 && r < rootSize {
		if ix.root == nil {
			return 0, false
		}
		c := ix.root[r]
		return c, c != 0
	}
	c, ok := ix.edges[uint64(node)<<32|uint64(uint32(r))]
	return c, ok
}

// ignored is what fold returns for runes that matching skips (soft hyphen,
// zero-width joiners).
const ignored = -1

// fold maps a rune to the form the trie is keyed by: lower case, ё as е,
// every space as ' ', typographic apostrophes as ', hyphens as -.
func fold(r rune) rune {
	switch r {
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return ignored
	case 'ё', 'Ё':
		return 'е'
	case '’', 'ʼ', '‘', '`', '´':
		return '\''
	case '‐', '‑', '‒':
		return '-'
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// foldString folds s rune by rune and collapses spaces.
func foldString(s string) string {
	out := make([]rune, 0, len(s))
	space := false
	for _, r := range s {
		f := fold(r)
		switch {
		case f == ignored:
		case f == ' ':
			space = true
		default:
			if space && len(out) > 0 {
				out = append(out, ' ')
			}
			space = false
			out = append(out, f)
		}
	}
	return string(out)
}

// isWord reports whether r continues a word: letters, digits, combining
// marks and the underscore.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// caseOK reports whether text (the mention as written, spaces collapsed)
// satisfies the case rule for form: as written, all in capitals, or with a
// capital first letter. Differences that fold away (ё/е, apostrophes,
// hyphens) do not count.
func caseOK(text, form []rune, ignoreCase bool) bool {
	if ignoreCase {
		return true
	}
	if len(text) != len(form) {
		return false
	}
	same, upper, title := true, true, true
	for i := range form {
		t, f := caseFold(text[i]), caseFold(form[i])
		if t != f {
			same = false
		}
		if t != unicode.ToUpper(f) {
			upper = false
		}
		if i == 0 {
			if t != unicode.ToUpper(f) && t != unicode.ToTitle(f) {
				title = false
			}
		} else if t != f {
			title = false
		}
		if !same && !upper && !title {
			return false
		}
	}
	return true
}

// caseFold is fold without lower-casing.
func caseFold(r rune) rune {
	switch r {
	case 'ё':
		return 'е'
	case 'Ё':
		return 'Е'
	case '’', 'ʼ', '‘', '`', '´':
		return '\''
	case '‐', '‑', '‒':
		return '-'
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	return r
}
