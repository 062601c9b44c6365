package mysql_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// unsupported says why the server lacks a type of the registry, or "".
func unsupported(f mysql.Flavor, typ string) string {
	switch {
	case strings.HasPrefix(typ, "inet6") && !f.MinMariaDB(10, 5, 0):
		return "inet6 is MariaDB >= 10.5"
	case strings.HasPrefix(typ, "inet4") && !f.MinMariaDB(10, 10, 0):
		return "inet4 is MariaDB >= 10.10"
	}
	return ""
}

// TestRegistryRoundTrip keeps the registry in step with the server: every
// type decodes from HCL, normalises, renders as DDL the server accepts,
// inspects back as the normalised model and encodes to the same HCL as
// that model does, with the type written by its name, not as sql("…").
func TestRegistryRoundTrip(t *testing.T) {
	s := newServer(t)
	type variant struct {
		typ  string
		want *schema.Realm
	}
	var variants []variant
	for i, typ := range testdb.RegistryTypes(s.d.Language().Types) {
		if why := unsupported(s.d.Flavor, typ); why != "" {
			t.Logf("%s: skipped on %s: %s", typ, s.d.Flavor, why)
			continue
		}
		want := s.decode(t, testdb.RegistryHCL(s.name, fmt.Sprintf("t%d", i), typ))
		stmts, err := s.d.Render(&schema.AddTable{T: want.Schemas[0].Tables[0]})
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		for _, st := range stmts {
			if _, err := s.db.Exec(st); err != nil {
				t.Errorf("%s: the server refuses %s: %v", typ, st, err)
			}
		}
		variants = append(variants, variant{typ, want})
	}
	live := s.inspect(t).Schemas[0]
	d := mysql.New(mysql.Flavor{})
	for _, v := range variants {
		t.Run(v.typ, func(t *testing.T) {
			want := v.want.Schemas[0]
			inspected, ok := live.Table(want.Tables[0].Name)
			if !ok {
				t.Fatalf("table %s was not created", want.Tables[0].Name)
			}
			// The options a document leaves out are the server's; the
			// column is what this test is about.
			table := *inspected
			table.Charset, table.Collate, table.Engine = "", "", ""
			got := &schema.Realm{Schemas: []*schema.Schema{{Name: live.Name, Tables: []*schema.Table{&table}}}}
			if diff := cmp.Diff(v.want, got, cmpOpts); diff != "" {
				t.Errorf("inspected (-normalised +inspected):\n%s", diff)
			}
			wantHCL, err := schemahcl.Encode(v.want, d)
			if err != nil {
				t.Fatal(err)
			}
			gotHCL, err := schemahcl.Encode(got, d)
			if err != nil {
				t.Fatal(err)
			}
			if string(gotHCL) != string(wantHCL) {
				t.Errorf("encoded:\n%s\nwant:\n%s", gotHCL, wantHCL)
			}
			if strings.Contains(string(gotHCL), "sql(") {
				t.Errorf("the type is outside the registry once normalised:\n%s", gotHCL)
			}
		})
	}
}
