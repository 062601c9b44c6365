package mysql_test

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// TestFixtures loads schemas nobody here wrote with the server itself
// (database A), inspects A, plans A's tables from an empty database B and
// applies the plan to B. Every table's SHOW CREATE TABLE must be the same
// in A and B, a second plan must be empty, what the language does not cover
// must be reported, and the down section must empty B again.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file     string
		tables   int
		objects  map[string]int // by kind
		triggers int
	}{
		{"sakila/mysql-sakila-schema.sql", 16, map[string]int{"view": 7, "procedure": 3, "function": 3}, 3},
		{"employees/employees.sql", 6, map[string]int{"view": 2}, 0},
		{"chinook/Chinook_MySql.ddl.sql", 11, nil, 0},
		{"chinook/Chinook_MySql_AutoIncrementPKs.ddl.sql", 11, nil, 0},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			t.Parallel()
			a := newServer(t)
			testdb.LoadMySQL(t, a.db, testdb.Fixture(t, tt.file))
			ra := a.inspect(t)
			sa := ra.Schemas[0]
			if len(sa.Tables) != tt.tables {
				t.Fatalf("inspected %d tables, want %d", len(sa.Tables), tt.tables)
			}
			kinds := map[string]int{}
			for _, o := range sa.Objects {
				kinds[o.Kind]++
			}
			if diff := cmp.Diff(tt.objects, kinds, cmpOpts); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
			triggers := 0
			for _, tab := range sa.Tables {
				triggers += len(tab.Triggers)
			}
			if triggers != tt.triggers {
				t.Errorf("inspected %d triggers, want %d", triggers, tt.triggers)
			}

			// inspect prints HCL that plans to no changes against A.
			text, err := schemahcl.Encode(ra, mysql.New(mysql.Flavor{}))
			if err != nil {
				t.Fatal(err)
			}
			decoded := a.decode(t, string(text))
			if again, err := planner.Diff(ra, decoded, a.d); err != nil || len(again) != 0 {
				t.Errorf("plan of A against its own HCL: %v\n%s\n%s", err, describe(again), text)
			}

			b := newServer(t)
			empty := b.inspect(t)
			sa.Name = b.name
			p := b.plan(t, empty, ra, false)
			b.migrate(t, p.Up)
			want, got := withoutDefaultActions(a.showCreate(t)), withoutDefaultActions(b.showCreate(t))
			if len(got) != tt.tables || len(p.Up) < tt.tables {
				t.Errorf("B has %d tables after %d statements, want %d tables", len(got), len(p.Up), tt.tables)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("SHOW CREATE TABLE differs (-A +B):\n%s\nplan:\n%s", diff, statements(p.Up))
			}
			rb := b.inspect(t)
			if again, err := planner.Diff(rb, ra, b.d); err != nil || len(again) != 0 {
				t.Errorf("second plan: %v\n%s", err, describe(again))
			}
			b.migrate(t, p.Down)
			if left := b.inspect(t).Schemas[0].Tables; len(left) != 0 {
				t.Errorf("down left %d tables", len(left))
			}
		})
	}
}

// defaultAction matches the foreign key actions InnoDB treats as none at
// all, which a plan writes as none (see normalizeAction).
var defaultAction = regexp.MustCompile(` ON (DELETE|UPDATE) (NO ACTION|RESTRICT)`)

// withoutDefaultActions drops them from SHOW CREATE TABLE texts.
func withoutDefaultActions(creates map[string]string) map[string]string {
	out := make(map[string]string, len(creates))
	for name, text := range creates {
		out[name] = defaultAction.ReplaceAllString(text, "")
	}
	return out
}
