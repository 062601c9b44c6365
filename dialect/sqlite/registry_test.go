package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// TestRegistryRoundTrip keeps the registry in step with SQLite: every type
// decodes from HCL, normalises, renders as DDL that SQLite accepts,
// inspects back as the normalised model and encodes to the HCL it came
// from. In a STRICT table, SQLite must refuse exactly the types that
// Validate refuses.
func TestRegistryRoundTrip(t *testing.T) {
	d := New()
	for i, typ := range testdb.RegistryTypes(d.Language().Types) {
		t.Run(typ, func(t *testing.T) {
			src := testdb.RegistryHCL("main", fmt.Sprintf("t%d", i), typ)
			r, files, diags := schemahcl.Parse(schemahcl.Options{Dialect: d}, schemahcl.Source{Filename: "t.hcl", Bytes: []byte(src)})
			if diags.HasErrors() {
				var b strings.Builder
				_ = schemahcl.WriteDiagnostics(&b, files, diags)
				t.Fatalf("decode:\n%s", b.String())
			}
			if err := d.Normalize(r); err != nil {
				t.Fatal(err)
			}
			want := tableOf(t, r, fmt.Sprintf("t%d", i))
			db := openTestDB(t)
			stmts, err := d.Render(&schema.AddTable{T: want})
			if err != nil {
				t.Fatal(err)
			}
			execSQL(t, db, stmts...)
			got := inspectDB(t, db)
			if diff := cmp.Diff(r, got, cmpOpts); diff != "" {
				t.Errorf("inspected (-normalised +inspected):\n%s", diff)
			}
			out, err := schemahcl.Encode(got, d)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != src {
				t.Errorf("encoded:\n%s\nwant:\n%s", out, src)
			}

			strict := *want
			strict.Strict = true
			refused := tableOptions(&strict, schema.Broken{}) != nil
			stmts, err = d.Render(&schema.AddTable{T: &strict})
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.ExecContext(context.Background(), strings.Replace(stmts[0], want.Name, want.Name+"_strict", 1))
			if refused != (err != nil) {
				t.Errorf("STRICT table: Validate refuses it: %v; SQLite: %v", refused, err)
			}
		})
	}
}
