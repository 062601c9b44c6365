package schemahcl

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
)

// TestParseBlocksLikeWhole pins that Parse, which decodes large files block
// by block as it parses them, decodes to exactly what parsing every file
// whole and then decoding gives, source ranges included, with the same
// diagnostics; and that the files meant to split do split.
func TestParseBlocksLikeWhole(t *testing.T) {
	type input struct {
		name  string
		src   string
		split bool // parseBlocks must take it
	}
	inputs := []input{
		{"comments between blocks", "# top\nschema \"main\" {}\n\n// a table\ntable \"t\" {\n  schema = schema.main\n  column \"a\" {\n    type = int # why\n  }\n}\n/* end\n*/\n", true},
		{"crlf and unicode", "schema \"main\" {}\r\ntable \"ü\" {\r\n  schema = schema.main\r\n  comment = \"naïve } {\"\r\n  column \"é\" {\r\n    type = text\r\n  }\r\n}\r\n", true},
		{"no final newline", "schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"a\" {\n    type = int\n  }\n}", true},
		{"escaped quote", "schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  comment = \"a \\\" } b\"\n  column \"a\" {\n    type = int\n  }\n}\n", true},
		{"heredoc", "schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  comment = <<EOT\n}\nEOT\n  column \"a\" {\n    type = int\n  }\n}\n", false},
		{"template", "schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  comment = \"${\"}\"}\"\n  column \"a\" {\n    type = int\n  }\n}\n", false},
		{"top-level attribute", "x = 1\nschema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"a\" {\n    type = int\n  }\n}\nx = 2\n", false},
		{"top-level attribute after blocks", "schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"a\" {\n    type = int\n  }\n}\nx = 2\n", false},
		{"unbalanced", "schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"a\" {\n    type = int\n  }\n", false},
		{"syntax error in a block", "schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"a\" {\n    type = = int\n  }\n}\n", false},
		{"trailing text after brace", "schema \"main\" {} table \"t\" {\n}\n", false},
	}
	var b strings.Builder
	b.WriteString("schema \"main\" {}\n")
	for i := range 30 {
		fmt.Fprintf(&b, "\ntable \"t%d\" {\n  schema = schema.main\n  column \"id\" {\n    null = false\n    type = integer\n  }\n  column \"p\" {\n    null = true\n    type = integer\n  }\n  primary_key {\n    columns = [column.id]\n  }\n  foreign_key \"fk%d\" {\n    columns     = [column.p]\n    ref_columns = [table.t%d.column.id]\n  }\n}\n", i, i, (i+7)%30)
	}
	inputs = append(inputs, input{"generated", b.String(), true})
	files, err := filepath.Glob("testdata/*/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{name: f, src: string(src)})
	}
	corpus, err := filepath.Glob("testdata/fuzz/FuzzDecode/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range corpus {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if q, ok := strings.CutPrefix(line, "string("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(q, ")")); err == nil {
					inputs = append(inputs, input{name: f, src: s})
				}
			}
		}
	}
	for _, in := range inputs {
		src := []byte(in.src)
		if in.split {
			if _, ok := parseBlocks(src, "x.hcl", func(*hclsyntax.Body) {}); !ok {
				t.Errorf("%s: parseBlocks refused a file it should take", in.name)
			}
		}
		for _, dl := range []schema.Dialect{schema.SQLite, schema.MySQL} {
			compareParse(t, in.name, Options{Dialect: dialectFor(dl)}, Source{Filename: "x.hcl", Bytes: src})
		}
	}
	// Documents of several files: decoded in order, and nothing decoded
	// when one of them has a syntax error.
	gen := Source{Filename: "gen.hcl", Bytes: []byte(b.String())}
	extra := Source{Filename: "extra.hcl", Bytes: []byte("table \"x\" {\n  schema = schema.main\n  column \"a\" {\n    type = int\n  }\n}\n")}
	broken := Source{Filename: "broken.hcl", Bytes: []byte("table \"y\" {\n  column \"a\" {\n")}
	for _, srcs := range [][]Source{{extra, gen}, {gen, extra}, {gen, broken}, {broken, gen}, {gen, broken, extra}} {
		var names []string
		for _, s := range srcs {
			names = append(names, s.Filename)
		}
		compareParse(t, strings.Join(names, "+"), Options{Dialect: dialectFor(schema.SQLite)}, srcs...)
	}
}

// compareParse checks Parse against parseWhole.
func compareParse(t *testing.T, name string, opts Options, srcs ...Source) {
	t.Helper()
	wr, wfiles, wd := parseWhole(opts, srcs...)
	r, files, d := Parse(opts, srcs...)
	if diff := cmp.Diff(wr, r); diff != "" {
		t.Errorf("%s (%s): realms differ (-whole +Parse):\n%s", name, opts.Dialect, diff)
	}
	if diff := cmp.Diff(diagText(wd), diagText(d)); diff != "" {
		t.Errorf("%s (%s): diagnostics differ (-whole +Parse):\n%s", name, opts.Dialect, diff)
	}
	for n, wf := range wfiles {
		f := files[n]
		if f == nil || string(f.Bytes) != string(wf.Bytes) {
			t.Errorf("%s: Files[%s] differs", name, n)
			continue
		}
		wb, b := wf.Body.(*hclsyntax.Body), f.Body.(*hclsyntax.Body)
		if wb.SrcRange != b.SrcRange || wb.EndRange != b.EndRange {
			t.Errorf("%s: body ranges of %s differ: whole %v %v, Parse %v %v", name, n, wb.SrcRange, wb.EndRange, b.SrcRange, b.EndRange)
		}
	}
}

// parseWhole is Parse as it was before parseBlocks: every file parsed
// whole, then, if none has a syntax error, decoded.
func parseWhole(opts Options, srcs ...Source) (*schema.Realm, Files, hcl.Diagnostics) {
	d := newDecoder(opts)
	files := Files{}
	var bodies []*hclsyntax.Body
	syntaxErr := false
	for _, src := range srcs {
		if _, ok := d.src[src.Filename]; ok {
			continue
		}
		d.src[src.Filename] = src.Bytes
		f, diags := hclsyntax.ParseConfig(src.Bytes, src.Filename, hcl.InitialPos)
		files[src.Filename] = f
		d.diags = append(d.diags, diags...)
		if diags.HasErrors() {
			syntaxErr = true
			continue
		}
		bodies = append(bodies, f.Body.(*hclsyntax.Body))
	}
	var realm *schema.Realm
	if !syntaxErr {
		for _, b := range bodies {
			d.topLevel(b)
		}
		if d.evaluate() {
			realm = d.finish(srcs[0].Filename)
		}
	}
	sortDiagnostics(d.diags)
	if d.diags.HasErrors() {
		return nil, files, d.diags
	}
	return realm, files, d.diags
}

func diagText(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		s := fmt.Sprintf("%d %s: %s", d.Severity, d.Summary, d.Detail)
		if d.Subject != nil {
			s += " at " + d.Subject.String()
		}
		out = append(out, s)
	}
	return out
}
