package main

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// layer is one row of the architecture: the packages in it, and the layers
// their (non-test) code may import besides the standard library.
type layer struct {
	name     string
	packages []string // paths under the module; "bench/..." means every package below bench
	mayUse   []string // other layers this one may import; its own layer only if listed
	stdOnly  bool     // no third-party modules either
}

// layers is the architecture, innermost first. Dependencies point inward:
// the domain at the centre imports only the standard library and pure text
// algorithms; engines and the store build on the domain; services decide
// and call engines and the store through the domain's interfaces; the
// surfaces (site, desk, API) translate HTTP into service calls and never
// import each other or the store; only main wires them together. Test
// kits are for _test files alone.
//
// A new package needs a row here: put it in the innermost layer whose
// rules it keeps.
var layers = []layer{
	{name: "text", packages: []string{"internal/quote"}, stdOnly: true},
	{name: "domain", packages: []string{"internal/newsroom"}, mayUse: []string{"text"}, stdOnly: true},
	// The HTTP edge every surface shares: client address, error mapping,
	// JSON decoding, cookie and header names.
	{name: "edge", packages: []string{"internal/web"}, mayUse: []string{"domain", "text"}, stdOnly: true},
	{name: "lib", packages: []string{
		"internal/admit", "internal/assets", "internal/auth", "internal/feed", "internal/i18n",
		"internal/mail", "internal/ops", "internal/textsearch", "internal/throttle",
	}},
	{name: "engine", packages: []string{
		"internal/cache", "internal/demo", "internal/legal", "internal/media", "internal/purge", "internal/render",
	}, mayUse: []string{"edge", "domain", "text", "lib"}},
	{name: "store", packages: []string{"internal/sqlstore", "internal/rediscount"}, mayUse: []string{"domain", "text", "lib"}},
	// The backup archive reads and loads the store's tables generically.
	{name: "backup", packages: []string{"internal/backup"}, mayUse: []string{"store", "domain", "text", "lib"}},
	{name: "editorial", packages: []string{"internal/editorial"}, mayUse: []string{"engine", "domain", "text", "lib"}},
	{name: "service", packages: []string{
		"internal/comments", "internal/legal/registry", "internal/pages", "internal/redirects",
		"internal/reports", "internal/settings", "internal/translate", "internal/views", "internal/wordpress",
	}, mayUse: []string{"editorial", "engine", "edge", "domain", "text", "lib"}},
	{name: "surface", packages: []string{"internal/api", "internal/desk", "internal/site"},
		mayUse: []string{"service", "editorial", "engine", "edge", "domain", "text", "lib"}},
	{name: "main", packages: []string{"cmd/newsdesk"},
		mayUse: []string{"surface", "service", "editorial", "backup", "store", "engine", "edge", "domain", "text", "lib"}},
	// What the benchmark commands share (path lists, percentiles): the
	// standard library only, for tools alone. Listed before "tool", whose
	// bench/... would otherwise take it.
	{name: "benchkit", packages: []string{"bench/internal/benchutil"}, stdOnly: true},
	{name: "tool", packages: []string{"bench/..."},
		mayUse: []string{"benchkit", "surface", "service", "editorial", "backup", "store", "engine", "edge", "domain", "text", "lib"}},
	{name: "testkit", packages: []string{
		"internal/browsertest", "internal/clocktest", "internal/mail/mailtest",
		"internal/media/mediatest", "internal/storetest", "internal/translate/deepltest",
	}, mayUse: []string{"testkit", "domain", "text", "lib"}},
}

const module = "newsdesk/"

// layerOf returns the row of the package at path (without the module
// prefix), or nil.
func layerOf(path string) *layer {
	for i := range layers {
		for _, p := range layers[i].packages {
			if p == path || strings.HasSuffix(p, "/...") && strings.HasPrefix(path, strings.TrimSuffix(p, "...")) {
				return &layers[i]
			}
		}
	}
	return nil
}

// TestDependenciesPointInward checks every package of the module against
// the layers table: each has a row, and imports only what its row allows.
func TestDependenciesPointInward(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", module+"...").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	type pkg struct {
		ImportPath string
		Imports    []string
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	for _, p := range pkgs {
		path := strings.TrimPrefix(p.ImportPath, module)
		l := layerOf(path)
		if l == nil {
			t.Errorf("package %s has no row in the layers table of cmd/newsdesk/arch_test.go: add it to the innermost layer whose imports it keeps", path)
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				if l.stdOnly && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
					t.Errorf("%s (layer %s) imports %s; this layer may import only the standard library", path, l.name, imp)
				}
				continue
			}
			ipath := strings.TrimPrefix(imp, module)
			il := layerOf(ipath)
			if il == nil {
				continue // reported as a package without a row
			}
			if !slices.Contains(l.mayUse, il.name) {
				t.Errorf("%s (layer %s) imports %s (layer %s); layer %s may import only %v", path, l.name, ipath, il.name, l.name, l.mayUse)
			}
		}
	}
}

// TestLayersTable keeps the table itself sound: every package in one row
// only, and every layer named in mayUse exists.
func TestLayersTable(t *testing.T) {
	seen := map[string]string{}
	names := map[string]bool{}
	for _, l := range layers {
		names[l.name] = true
		for _, p := range l.packages {
			if prev, ok := seen[p]; ok {
				t.Errorf("%s is in layers %s and %s", p, prev, l.name)
			}
			seen[p] = l.name
		}
	}
	for _, l := range layers {
		for _, u := range l.mayUse {
			if !names[u] {
				t.Errorf("layer %s may use %q, which is not a layer", l.name, u)
			}
		}
	}
}
