package schemahcl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

// TestUndeclaredLocalsSuggestBounded checks that only the first
// maxSuggestions undeclared references search for a close name: each
// search passes over every local, and a file of many would otherwise take
// quadratic time (minutes for 20,000).
func TestUndeclaredLocalsSuggestBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("locals {\n")
	n := maxSuggestions + 10
	for i := range n {
		fmt.Fprintf(&b, "  value_%d = local.valeu_%d\n", i, i)
	}
	b.WriteString("}\nschema \"main\" {}\n")
	_, _, diags := Parse(Options{Dialect: dialectFor(schema.SQLite)}, Source{Filename: "x.hcl", Bytes: []byte(b.String())})
	if len(diags) != n {
		t.Fatalf("got %d diagnostics, want %d", len(diags), n)
	}
	for i, d := range diags {
		hinted := strings.Contains(d.Detail, "did you mean")
		if want := i < maxSuggestions; hinted != want {
			t.Errorf("diagnostic %d: did you mean = %v, want %v: %s", i, hinted, want, d.Detail)
		}
	}
}
