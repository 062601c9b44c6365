package sqlite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// TestDefaultSpellingRoundTrip declares number and string defaults in HCL
// on columns of every affinity and checks that the table schemactl creates
// gives new rows exactly what the same DEFAULT written by hand gives (TEXT
// DEFAULT 1.0 stores '1.0', not '1'), that inspect reads back the
// normalised declaration, and that the HCL inspect writes decodes to it
// again: plan → apply → inspect → plan is empty.
func TestDefaultSpellingRoundTrip(t *testing.T) {
	cols := []struct{ typ, hcl, sql string }{
		{"text", "1.0", "1.0"},
		{"text", "01", "01"},
		{"text", "1e3", "1e3"},
		{"text", "-1.50", "-1.50"},
		{"text", `"1.0"`, "'1.0'"},
		{"varchar(10)", "1.0", "1.0"},
		{"blob", "1.0", "1.0"},
		{"blob", "1", "1"},
		{"real", "1.0", "1.0"},
		{"real", "1e3", "1e3"},
		{"integer", "01", "01"},
		{"numeric", "1.0", "1.0"},
		{"numeric", `"1.0"`, "'1.0'"},
	}
	var hcl, ref, names strings.Builder
	hcl.WriteString("schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n")
	for i, c := range cols {
		fmt.Fprintf(&hcl, "  column \"c%d\" {\n    type = %s\n    default = %s\n  }\n", i, c.typ, c.hcl)
		if i > 0 {
			ref.WriteString(", ")
			names.WriteString(", ")
		}
		fmt.Fprintf(&ref, "c%d %s DEFAULT %s", i, c.typ, c.sql)
		fmt.Fprintf(&names, "quote(c%d) || ':' || typeof(c%d)", i, i)
	}
	hcl.WriteString("}\n")

	d := New()
	r, files, diags := schemahcl.Parse(schemahcl.Options{Dialect: d}, schemahcl.Source{Filename: "t.hcl", Bytes: []byte(hcl.String())})
	if diags.HasErrors() {
		var b strings.Builder
		_ = schemahcl.WriteDiagnostics(&b, files, diags)
		t.Fatalf("decode:\n%s", b.String())
	}
	if err := d.Normalize(r); err != nil {
		t.Fatal(err)
	}
	stmts, err := d.Render(&schema.AddTable{T: tableOf(t, r, "t")})
	if err != nil {
		t.Fatal(err)
	}
	db := openTestDB(t)
	execSQL(t, db, stmts...)
	execSQL(t, db, "CREATE TABLE ref ("+ref.String()+")",
		"INSERT INTO t DEFAULT VALUES", "INSERT INTO ref DEFAULT VALUES")
	got := queryStrings(t, db, "SELECT "+names.String()+" FROM t")
	want := queryStrings(t, db, "SELECT "+names.String()+" FROM ref")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("new rows differ from DEFAULT as written (-written +created):\n%s\n%s", diff, stmts)
	}

	execSQL(t, db, "DROP TABLE ref")
	ins := inspectDB(t, db)
	if diff := cmp.Diff(r, ins, cmpOpts); diff != "" {
		t.Errorf("inspected (-normalised +inspected):\n%s", diff)
	}
	out, err := schemahcl.Encode(ins, d)
	if err != nil {
		t.Fatal(err)
	}
	again, files, diags := schemahcl.Parse(schemahcl.Options{Dialect: d}, schemahcl.Source{Filename: "inspected.hcl", Bytes: out})
	if diags.HasErrors() {
		var b strings.Builder
		_ = schemahcl.WriteDiagnostics(&b, files, diags)
		t.Fatalf("decode inspected HCL:\n%s\n%s", b.String(), out)
	}
	if err := d.Normalize(again); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ins, again, cmpOpts); diff != "" {
		t.Errorf("inspected HCL decodes to another schema (-inspected +decoded):\n%s\n%s", diff, out)
	}
}
