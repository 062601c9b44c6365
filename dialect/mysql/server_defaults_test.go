package mysql_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// TestDefaultSpellingRoundTrip declares number and string defaults in HCL
// on string and numeric columns: string columns keep the literal exactly as
// written (new rows store '1.0' for default = 1.0, '01' for 01), numeric
// ones the value as the server prints it; plan → apply → inspect → plan is
// empty, and so is a plan against the HCL inspect writes.
func TestDefaultSpellingRoundTrip(t *testing.T) {
	cols := []struct{ typ, hcl, stored string }{
		{"varchar(10)", "1.0", "1.0"},
		{"varchar(10)", "01", "01"},
		{"varchar(10)", "1e3", "1e3"},
		{"varchar(10)", "-1.50", "-1.50"},
		{"varchar(10)", `"1.0"`, "1.0"},
		{"char(4)", "1.0", "1.0"},
		{"text", "1.0", "1.0"},
		{"double", "1.0", "1"},
		{"double", "1e3", "1000"},
		{"int", "01", "1"},
		{"decimal(5,2)", `"1.0"`, "1.00"},
	}
	var src, sel strings.Builder
	src.WriteString("schema \"$DB\" {}\ntable \"t\" {\n  schema = schema.$DB\n  column \"id\" {\n    type = int\n  }\n")
	for i, c := range cols {
		fmt.Fprintf(&src, "  column \"c%d\" {\n    type = %s\n    default = %s\n  }\n", i, c.typ, c.hcl)
		if i > 0 {
			sel.WriteString(", ")
		}
		fmt.Fprintf(&sel, "CAST(c%d AS CHAR)", i)
	}
	src.WriteString("  primary_key {\n    columns = [column.id]\n  }\n}\n")

	s := newServer(t)
	des := s.decode(t, src.String())
	p := s.plan(t, s.inspect(t), des, false)
	s.migrate(t, p.Up)
	s.exec(t, "INSERT INTO t (id) VALUES (1)")
	row := make([]any, len(cols))
	got := make([]string, len(cols))
	for i := range row {
		row[i] = &got[i]
	}
	if err := s.db.QueryRow("SELECT " + sel.String() + " FROM t").Scan(row...); err != nil {
		t.Fatal(err)
	}
	for i, c := range cols {
		if got[i] != c.stored {
			t.Errorf("%s default = %s: a new row stores %q, want %q\n%s", c.typ, c.hcl, got[i], c.stored, statements(p.Up))
		}
	}

	live := s.inspect(t)
	unmanaged(des, live)
	if diff := cmp.Diff(des, live, cmpOpts); diff != "" {
		t.Errorf("inspect after apply (-desired +inspected):\n%s", diff)
	}
	if again, err := planner.Diff(live, des, s.d); err != nil || len(again) != 0 {
		t.Errorf("second plan: %v\n%s", err, describe(again))
	}
	text, err := schemahcl.Encode(live, mysql.New(mysql.Flavor{}))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := planner.Diff(live, s.decode(t, string(text)), s.d); err != nil || len(again) != 0 {
		t.Errorf("plan against the inspected HCL: %v\n%s\n%s", err, describe(again), text)
	}
}

// TestCollationsOnServer asks the test server: a collation it lacks is
// refused by Normalize at the column, with one it has to use instead, and
// that one, and MariaDB 10.10+'s multi-charset uca1400 collations under
// their full names, are accepted.
func TestCollationsOnServer(t *testing.T) {
	s := newServer(t)
	decode := func(collate string) error {
		src := strings.ReplaceAll(`schema "$DB" {}
table "t" {
  schema = schema.$DB
  column "c" {
    type    = varchar(10)
    collate = "`+collate+`"
  }
}
`, "$DB", s.name)
		r, files, diags := schemahcl.Parse(schemahcl.Options{Dialect: s.d, Database: s.name},
			schemahcl.Source{Filename: "schema.hcl", Bytes: []byte(src)})
		if diags.HasErrors() {
			var b strings.Builder
			_ = schemahcl.WriteDiagnostics(&b, files, diags)
			t.Fatalf("decode: %s", b.String())
		}
		return s.d.Normalize(r)
	}
	err := decode("utf8mb4_klingon_ci")
	if err == nil || !strings.Contains(err.Error(), `schema.hcl:4:3: column "c" of table "t": collation utf8mb4_klingon_ci does not exist on `) {
		t.Fatalf("Normalize = %v, want the unknown collation refused at the column", err)
	}
	_, alt, ok := strings.Cut(err.Error(), "; use ")
	alt, _, _ = strings.Cut(alt, " ")
	if !ok || decode(alt) != nil {
		t.Errorf("the suggestion of %q is not accepted: %v", err, decode(alt))
	}
	for _, co := range []string{"utf8mb4_general_ci", "utf8mb4_bin", "latin1_swedish_ci"} {
		if err := decode(co); err != nil {
			t.Errorf("%s: %v", co, err)
		}
	}
	if s.d.Flavor.MinMariaDB(10, 10, 0) {
		if err := decode("utf8mb4_uca1400_nopad_ai_ci"); err != nil {
			t.Errorf("uca1400 by its full name: %v", err)
		}
	}
}
