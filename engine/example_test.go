package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/schemactl/schemactl/engine"
)

// An application migrates its database at start-up from migrations built
// into the program (an embed.FS in practice, see examples/embedded; the
// same files read from disk here), on the pool it opened itself.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	migrations := os.DirFS("../examples/embedded/migrations")
	e, err := engine.Open(ctx, engine.Target{DB: db, Dialect: engine.SQLite, FS: migrations, LockTimeout: time.Minute})
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	res, err := e.Apply(ctx, engine.ApplyOptions{AllowAhead: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("at %s, %d applied\n", res.To, len(res.Migrations))
	// Output: at 0002, 2 applied
}

// Plan compares HCL with a live database and writes the difference as the
// next migration, as schemactl plan does.
func ExampleEngine_Plan() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	schemaFile := filepath.Join(dir, "schema.hcl")
	err = os.WriteFile(schemaFile, []byte(`schema "main" {}
table "hero" {
  schema = schema.main
  column "id" {
    null = false
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
}
`), 0o644)
	if err != nil {
		log.Fatal(err)
	}
	e, err := engine.Open(ctx, engine.Target{URL: "sqlite://" + filepath.Join(dir, "app.db"), Dir: filepath.Join(dir, "migrations")})
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	p, err := e.Plan(ctx, engine.PlanOptions{Schema: []string{schemaFile}, Message: "add heroes"})
	if err != nil {
		log.Fatal(err)
	}
	add, change, destroy := p.Summary()
	fmt.Printf("%d to add, %d to change, %d to destroy; wrote %s\n", add, change, destroy, filepath.Base(p.File))
	// Output: 1 to add, 0 to change, 0 to destroy; wrote 0001_add_heroes.sql
}
