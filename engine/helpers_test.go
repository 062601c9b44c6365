package engine_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/engine"

	_ "modernc.org/sqlite" // the bare driver, for changes made outside schemactl
)

// heroHCL is the schema of the SQLModel tutorial, then with a power column.
const (
	heroHCL = `schema "main" {}
table "hero" {
  schema = schema.main
  column "id" {
    null           = false
    type           = integer
    auto_increment = true
  }
  column "name" {
    null = false
    type = text
  }
  primary_key {
    columns = [column.id]
  }
}
`
	powerHCL = `schema "main" {}
table "hero" {
  schema = schema.main
  column "id" {
    null           = false
    type           = integer
    auto_increment = true
  }
  column "name" {
    null = false
    type = text
  }
  column "power" {
    null = true
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
}
`
)

// mysqlHCL is a SQLite schema of this file rewritten for MySQL database
// db.
func mysqlHCL(src, db string) string {
	src = strings.ReplaceAll(strings.ReplaceAll(src, `"main"`, `"`+db+`"`), "schema.main", "schema."+db)
	return strings.ReplaceAll(strings.ReplaceAll(src, "integer", "int"), "type = text", "type = varchar(100)")
}

// writeFile writes data to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sqliteTarget is a new SQLite database file with a migration directory
// beside it.
func sqliteTarget(t *testing.T) engine.Target {
	t.Helper()
	dir := t.TempDir()
	return engine.Target{URL: "sqlite://" + filepath.Join(dir, "app.db"), Dir: filepath.Join(dir, "migrations")}
}

func open(t *testing.T, target engine.Target) *engine.Engine {
	t.Helper()
	e, err := engine.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// plan plans the HCL source against the target and writes it with message.
func plan(t *testing.T, e *engine.Engine, src, message string) *engine.Plan {
	t.Helper()
	path := writeFile(t, t.TempDir(), "schema.hcl", src)
	p, err := e.Plan(context.Background(), engine.PlanOptions{Schema: []string{path}, Message: message})
	if err != nil {
		t.Fatalf("plan %q: %v", message, err)
	}
	return p
}

// exec runs statements on the SQLite database at url with the bare driver.
func exec(t *testing.T, target engine.Target, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", target.URL[len("sqlite://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
