package main

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesPointInward enforces the architecture: the domain imports
// only the standard library, and the adapters (storage, the public site, the
// API, the desk) never import each other; only this command wires them.
func TestDependenciesPointInward(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-json", "newsdesk/...").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	type pkg struct {
		ImportPath string
		Standard   bool
		Imports    []string
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	for _, imp := range pkgs["newsdesk/internal/newsroom"].Imports {
		if !pkgs[imp].Standard {
			t.Errorf("internal/newsroom imports %s; the domain may import only the standard library", imp)
		}
	}
	adapters := []string{"sqlstore", "site", "api", "desk"}
	for _, a := range adapters {
		for _, imp := range pkgs["newsdesk/internal/"+a].Imports {
			for _, b := range adapters {
				if b != a && imp == "newsdesk/internal/"+b {
					t.Errorf("internal/%s imports internal/%s; adapters meet only in cmd/newsdesk", a, b)
				}
			}
		}
	}
}
