package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// The generated schemas must be what the benchmarks claim: HCL that decodes
// to the generated realm, a database that plans to nothing once the initial
// migration is applied, and a 1% change that plans exactly that. Checked at
// 60 tables; no test builds a large schema.
const testTables = 60

func TestShape(t *testing.T) {
	r := Realm(schema.SQLite, "main", testTables)
	tables := r.Schemas[0].Tables
	if len(tables) != testTables {
		t.Fatalf("%d tables, want %d", len(tables), testTables)
	}
	for _, tb := range tables {
		if len(tb.Columns) != Columns || len(tb.Indexes) != Indexes || len(tb.ForeignKeys) != ForeignKeys {
			t.Fatalf("table %s: %d columns, %d indexes, %d foreign keys", tb.Name, len(tb.Columns), len(tb.Indexes), len(tb.ForeignKeys))
		}
	}
	c := Change(r)
	n := 0
	for i := range tables {
		if c.Schemas[0].Tables[i] != tables[i] {
			n++
		}
	}
	if n != Changed(testTables) {
		t.Errorf("Change modified %d tables, want %d", n, Changed(testTables))
	}
	if len(tables[0].Columns) != Columns {
		t.Errorf("Change modified its input")
	}
}

func TestHCLDecodesToRealm(t *testing.T) {
	for _, d := range []schema.Dialect{schema.SQLite, schema.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			dir := t.TempDir()
			src, err := HCL(d, "main", testTables)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "schema.hcl")
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
			normalize, pd := offline(d)
			want, _, _ := stageRealms(t, d, testTables)
			got, _, diags := schemahcl.LoadPaths(schemahcl.Options{Dialect: engine.HCLDialect(d)}, path)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if err := normalize(got); err != nil {
				t.Fatal(err)
			}
			for _, pair := range [][2]*schema.Realm{{got, want}, {want, got}} {
				changes, err := planner.Diff(pair[0], pair[1], pd)
				if err != nil {
					t.Fatal(err)
				}
				if len(changes) > 0 {
					t.Fatalf("decoded HCL differs from the realm: %d changes, first %T", len(changes), changes[0])
				}
			}
		})
	}
}

// converge plans the schema into e, applies it, checks the database then
// plans to nothing, and that the changed schema plans Changed(n) tables.
func converge(t *testing.T, e *benchDB, hclDir string, n int) {
	ctx := context.Background()
	migrations := filepath.Join(t.TempDir(), "migrations")
	p, err := e.plan(ctx, migrations, "init", filepath.Join(hclDir, "schema.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) < n {
		t.Fatalf("initial plan has %d changes for %d tables", len(p.Changes), n)
	}
	if _, err := e.apply(ctx, migrations); err != nil {
		t.Fatal(err)
	}
	if err := checkEmptyPlan(ctx, e, migrations, filepath.Join(hclDir, "schema.hcl")); err != nil {
		t.Fatalf("after apply: %v", err)
	}
	p, err = e.plan(ctx, migrations, "changed", filepath.Join(hclDir, "changed.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != Changed(n) {
		t.Fatalf("changed plan has %d changes, want %d", len(p.Changes), Changed(n))
	}
	for _, c := range p.Changes {
		if _, ok := c.(*schema.ModifyTable); !ok {
			t.Fatalf("changed plan has a %T", c)
		}
	}
	if _, err := e.apply(ctx, migrations); err != nil {
		t.Fatal(err)
	}
	if err := checkEmptyPlan(ctx, e, migrations, filepath.Join(hclDir, "changed.hcl")); err != nil {
		t.Fatalf("after the change: %v", err)
	}
}

func TestConvergeSQLite(t *testing.T) {
	hclDir := schemaFiles(t, schema.SQLite, "main", testTables)
	e, err := openSQLite(context.Background(), filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	converge(t, e, hclDir, testTables)
}

func TestConvergeMariaDB(t *testing.T) {
	u, name := testdb.MySQL(t)
	hclDir := schemaFiles(t, schema.MySQL, name, testTables)
	e, err := openMySQL(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	converge(t, e, hclDir, testTables)
}
