package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/internal/testdb"
)

// TestGaleraPlanRefusesUnsafeTables: a plan against a Galera node refuses
// tables the cluster does not replicate safely (no primary key, an engine
// other than InnoDB) and writes nothing; a schema without them plans and
// applies (saying once that DDL runs under TOI), and a plan against a
// single server takes them as before.
func TestGaleraPlanRefusesUnsafeTables(t *testing.T) {
	ctx := context.Background()
	nodes, name := testdb.Galera(t)
	unsafe := `schema "` + name + `" {}
table "log" {
  schema = schema.` + name + `
  column "msg" {
    type = varchar(100)
  }
}
table "cache" {
  schema = schema.` + name + `
  engine = "Aria"
  column "id" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
}
`
	dir := filepath.Join(t.TempDir(), "migrations")
	e := open(t, engine.Target{URL: nodes[0].String(), Dir: dir})
	path := writeFile(t, t.TempDir(), "schema.hcl", unsafe)
	_, err := e.Plan(ctx, engine.PlanOptions{Schema: []string{path}, Message: "init"})
	if err == nil || !strings.Contains(err.Error(), `table "log" has no primary key`) || !strings.Contains(err.Error(), `table "cache" uses engine Aria, not InnoDB`) {
		t.Fatalf("plan of unsafe tables on Galera: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("the refused plan wrote %d files", len(entries))
	}

	safe := strings.Replace(strings.Replace(unsafe, `engine = "Aria"`, `engine = "InnoDB"`, 1),
		"    type = varchar(100)\n  }\n", "    type = varchar(100)\n  }\n  primary_key {\n    columns = [column.msg]\n  }\n", 1)
	plan(t, e, safe, "init")
	e2 := open(t, engine.Target{URL: nodes[1].String(), Dir: dir})
	var notes []string
	note := func(s string) { notes = append(notes, s) }
	if _, err := e2.Apply(ctx, engine.ApplyOptions{Note: note}); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "DDL runs under TOI, which blocks commits on every node") {
		t.Errorf("apply on Galera said %q; want the TOI note once", notes)
	}
	notes = nil
	if _, err := e2.Apply(ctx, engine.ApplyOptions{Note: note}); err != nil || len(notes) != 0 {
		t.Errorf("apply with nothing to run: %v, said %q; want nothing", err, notes)
	}

	u, single := testdb.MySQL(t)
	one := open(t, engine.Target{URL: u.String(), Dir: filepath.Join(t.TempDir(), "migrations")})
	src := strings.ReplaceAll(unsafe, name, single)
	if _, err := one.Plan(ctx, engine.PlanOptions{Schema: []string{writeFile(t, t.TempDir(), "s.hcl", src)}, Message: "x"}); err != nil {
		t.Fatalf("plan on a single server: %v", err)
	}
	if _, err := one.Apply(ctx, engine.ApplyOptions{Note: note}); err != nil || len(notes) != 0 {
		t.Errorf("apply on a single server: %v, said %q; want no cluster note", err, notes)
	}
}
