package schemahcl

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/schemactl/schemactl/schema"
)

func TestWriteDiagnostics(t *testing.T) {
	src := []byte("a = 1\n\tb = \"ünï\" # tab\nc = [\n  1,\n]\n")
	files := Files{"f.hcl": &hcl.File{Bytes: src}}
	rng := func(line, col, start, end int) *hcl.Range {
		return &hcl.Range{Filename: "f.hcl", Start: hcl.Pos{Line: line, Column: col, Byte: start}, End: hcl.Pos{Byte: end}}
	}
	diags := hcl.Diagnostics{
		// out of order on purpose: the output is sorted
		{Severity: hcl.DiagError, Summary: "Multi-line", Detail: "underlined to\nthe end of the line", Subject: rng(3, 5, 29, 37)},
		{Severity: hcl.DiagWarning, Summary: "Tabbed", Detail: "after a tab, over runes", Subject: rng(2, 6, 11, 18)},
		{Severity: hcl.DiagError, Summary: "No position"},
		{Severity: hcl.DiagError, Summary: "Empty range", Subject: rng(1, 1, 0, 0)},
		{Severity: hcl.DiagError, Summary: "Unknown file", Detail: "no snippet", Subject: &hcl.Range{Filename: "other.hcl", Start: hcl.Pos{Line: 9, Column: 2}}},
	}
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, files, diags); err != nil {
		t.Fatal(err)
	}
	want := "error: No position\n" +
		"f.hcl:1:1: error: Empty range\n" +
		"  1 | a = 1\n" +
		"    | ^\n" +
		"f.hcl:2:6: warning: Tabbed: after a tab, over runes\n" +
		"  2 | \tb = \"ünï\" # tab\n" +
		"    | \t    ^^^^^\n" +
		"f.hcl:3:5: error: Multi-line: underlined to the end of the line\n" +
		"  3 | c = [\n" +
		"    |     ^\n" +
		"other.hcl:9:2: error: Unknown file: no snippet\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diags[0].Summary != "Multi-line" {
		t.Error("WriteDiagnostics reordered its argument")
	}
}

func TestParseUnknownDialect(t *testing.T) {
	_, _, diags := Parse(Options{}, Source{Filename: "a.hcl", Bytes: []byte(`schema "main" {}`)})
	if !diags.HasErrors() || diags[0].Summary != "Unknown dialect" {
		t.Errorf("diags = %v", diags)
	}
	_, _, diags = Parse(Options{Dialect: dialectFor(schema.SQLite)})
	if !diags.HasErrors() {
		t.Error("no sources: no error")
	}
}
