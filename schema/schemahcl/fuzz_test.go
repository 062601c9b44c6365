package schemahcl

import (
	"bytes"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/schemactl/schemactl/schema"
)

// FuzzDecode feeds arbitrary input to Parse, Encode, Format and
// WriteDiagnostics. None may panic; a document that decodes must encode to
// HCL that decodes to the same model; Format must be idempotent.
//
// The seed corpus is testdata/fuzz/FuzzDecode. A long run:
//
//	go test -run='^$' -fuzz=FuzzDecode -fuzztime=10m ./schema/schemahcl/
func FuzzDecode(f *testing.F) {
	f.Add([]byte("schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"c\" {\n    type = int\n  }\n}\n"))
	f.Add([]byte("variable \"v\" {\n  type = number\n  default = 1\n}\nlocals {\n  a = \"x > ${var.v}\"\n  b = [local.a, 2.5, true]\n}\nschema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"c\" {\n    type = int\n    default = local.b[1]\n  }\n  index {\n    columns = [column.c]\n  }\n  check \"k\" {\n    expr = local.a\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, dl := range []schema.Dialect{schema.SQLite, schema.MySQL} {
			opts := Options{Dialect: dialectFor(dl)}
			r, files, diags := Parse(opts, Source{Filename: "fuzz.hcl", Bytes: src})
			if err := WriteDiagnostics(io.Discard, files, diags); err != nil {
				t.Fatal(err)
			}
			if r == nil {
				continue
			}
			out, err := Encode(r, opts.Dialect)
			if err != nil {
				t.Fatalf("%s: a decoded model does not encode: %v", dl, err)
			}
			r2, files2, diags2 := Parse(opts, Source{Filename: "encoded.hcl", Bytes: out})
			if diags2.HasErrors() {
				var b bytes.Buffer
				_ = WriteDiagnostics(&b, files2, diags2)
				t.Fatalf("%s: the encoding does not decode:\n%s\n%s", dl, b.String(), out)
			}
			if !cmp.Equal(r, r2, cmpModel...) {
				t.Fatalf("%s: decode(encode(m)) != m:\n%s", dl, cmp.Diff(r, r2, cmpModel...))
			}
		}
		once, diags := Format("fuzz.hcl", src)
		if diags.HasErrors() {
			return
		}
		twice, diags := Format("fuzz.hcl", once)
		if diags.HasErrors() {
			t.Fatalf("formatted output does not parse: %v\n%s", diags, once)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("Format is not idempotent:\n%s", cmp.Diff(string(once), string(twice)))
		}
	})
}
