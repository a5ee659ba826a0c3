package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/newsroom"
)

// The service-side glossaries (DeepL's v2 glossaries: POST/GET
// /v2/glossaries, GET/DELETE /v2/glossaries/{id}). For each language pair
// a translation needs, the client keeps one glossary on the service with
// the newsroom glossary's entries for that pair, named
// "newsdesk ru>en HASH" after its entries: a translation finds the one
// whose name is its entries' (listing the service's glossaries when it
// does not know it yet), creates it when there is none, and deletes the
// pair's others (the glossary before an edit, another node's duplicate).
// The names are then left to the service (glossary_id), which writes and
// inflects them as the glossary says. Glossaries are immutable on the
// service: a change of the newsroom glossary is a new one.
//
// Nothing is stored in newsdesk: the name says which entries a glossary
// holds, so every node finds the same one and a restart loses nothing. A
// service without glossaries (404 on /v2/glossaries) is asked again an
// hour later; meanwhile, and whenever creating or finding one fails, the
// names travel in <x> tags as before.

type glossaries struct {
	mu          sync.Mutex
	sync        sync.Mutex // one synchronisation with the service at a time
	unsupported time.Time  // when the service said it has no glossaries
	byPair      map[string]glossaryRef
}

type glossaryRef struct{ hash, id string }

// noGlossaryRetry is how long a service without glossaries is not asked.
const noGlossaryRetry = time.Hour

// glossaryInfo is a glossary as DeepL describes it.
type glossaryInfo struct {
	ID         string `json:"glossary_id"`
	Name       string `json:"name"`
	Ready      bool   `json:"ready"`
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	EntryCount int    `json:"entry_count"`
}

// glossaryTSV is the pair's entries as DeepL takes them: "source\ttarget"
// lines, sorted, each source once (ignoring case), none with a tab or a
// line break.
func glossaryTSV(from, to string, entries []newsroom.GlossaryEntry) string {
	seen := map[string]bool{}
	var lines []string
	for _, e := range entries {
		src, dst := strings.Join(strings.Fields(e.Forms[from]), " "), strings.Join(strings.Fields(e.Forms[to]), " ")
		if src == "" || dst == "" || strings.ContainsAny(src+dst, "\t\r\n") || seen[strings.ToLower(src)] {
			continue
		}
		seen[strings.ToLower(src)] = true
		lines = append(lines, src+"\t"+dst)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// glossaryName names the pair's glossary after its entries.
func glossaryName(from, to, tsv string) (prefix, name string) {
	sum := sha256.Sum256([]byte(from + ">" + to + "\n" + tsv))
	prefix = "newsdesk " + from + ">" + to + " "
	return prefix, prefix + hex.EncodeToString(sum[:8])
}

// glossaryID returns the id of the service's glossary for the pair with
// entries' names, making it if needed; "" when there is none to use.
func (c *Client) glossaryID(ctx context.Context, from, to string, entries []newsroom.GlossaryEntry) string {
	tsv := glossaryTSV(from, to, entries)
	prefix, name := glossaryName(from, to, tsv)
	pair := from + ">" + to
	cached := func() (string, bool) {
		c.gl.mu.Lock()
		defer c.gl.mu.Unlock()
		if !c.gl.unsupported.IsZero() && time.Since(c.gl.unsupported) < noGlossaryRetry {
			return "", true
		}
		if r, ok := c.gl.byPair[pair]; ok && r.hash == name {
			return r.id, true
		}
		return "", false
	}
	if id, ok := cached(); ok {
		return id
	}
	c.gl.sync.Lock()
	defer c.gl.sync.Unlock()
	if id, ok := cached(); ok {
		return id
	}
	list, ok := c.listGlossaries(ctx)
	if !ok {
		return ""
	}
	keep := ""
	for _, g := range list {
		if !strings.HasPrefix(g.Name, prefix) {
			continue // not ours, or another pair's
		}
		if g.Name == name && keep == "" && g.Ready && strings.EqualFold(g.SourceLang, from) && strings.EqualFold(g.TargetLang, to) {
			keep = g.ID
			continue
		}
		c.deleteGlossary(ctx, g.ID) // the glossary before a change, or a duplicate
	}
	if keep == "" && tsv != "" {
		if keep = c.createGlossary(ctx, name, from, to, tsv); keep == "" {
			return ""
		}
	}
	// (No entry for the pair: remembered as no glossary, until the
	// entries change.)
	c.gl.mu.Lock()
	if c.gl.byPair == nil {
		c.gl.byPair = map[string]glossaryRef{}
	}
	c.gl.byPair[pair] = glossaryRef{hash: name, id: keep}
	c.gl.mu.Unlock()
	return keep
}

// forgetGlossary drops what the client knows of the pair's glossary.
func (c *Client) forgetGlossary(from, to string) {
	c.gl.mu.Lock()
	delete(c.gl.byPair, from+">"+to)
	c.gl.mu.Unlock()
}

// listGlossaries lists the service's glossaries; ok is false when it has
// none to offer (and a 404 marks the service as one without them).
func (c *Client) listGlossaries(ctx context.Context) ([]glossaryInfo, bool) {
	res, raw, err := c.do(ctx, http.MethodGet, "/v2/glossaries", "", nil, "application/json")
	if err != nil {
		return nil, false
	}
	switch res.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		c.gl.mu.Lock()
		c.gl.unsupported = time.Now()
		c.gl.mu.Unlock()
		return nil, false
	default:
		return nil, false
	}
	var out struct {
		Glossaries []glossaryInfo `json:"glossaries"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, false
	}
	return out.Glossaries, true
}

// createGlossary makes the pair's glossary and returns its id once it
// is ready ("" when that fails or takes over two seconds).
func (c *Client) createGlossary(ctx context.Context, name, from, to, tsv string) string {
	body, err := json.Marshal(map[string]string{"name": name, "source_lang": from, "target_lang": to,
		"entries": tsv, "entries_format": "tsv"})
	if err != nil {
		return ""
	}
	res, raw, err := c.do(ctx, http.MethodPost, "/v2/glossaries", "application/json", body, "application/json")
	if err != nil || (res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK) {
		return ""
	}
	var g glossaryInfo
	if err := json.Unmarshal(raw, &g); err != nil || g.ID == "" {
		return ""
	}
	for i := 0; !g.Ready && i < 10; i++ {
		select {
		case <-ctx.Done():
			return ""
		case <-time.After(200 * time.Millisecond):
		}
		res, raw, err := c.do(ctx, http.MethodGet, "/v2/glossaries/"+url.PathEscape(g.ID), "", nil, "application/json")
		if err != nil || res.StatusCode != http.StatusOK || json.Unmarshal(raw, &g) != nil {
			return ""
		}
	}
	if !g.Ready {
		return ""
	}
	return g.ID
}

// deleteGlossary removes a glossary of the service (best effort: one
// that is gone already is fine).
func (c *Client) deleteGlossary(ctx context.Context, id string) {
	_, _, _ = c.do(ctx, http.MethodDelete, "/v2/glossaries/"+url.PathEscape(id), "", nil, "")
}
