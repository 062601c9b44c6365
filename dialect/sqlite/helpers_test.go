package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/schema"
)

// cmpOpts compares models: source positions never count, and a nil slice
// equals an empty one.
var cmpOpts = cmp.Options{cmpopts.IgnoreTypes(schema.Range{}), cmpopts.EquateEmpty()}

// openTestDB opens a fresh database file in t's temporary directory, as Open
// does, but without waiting for the disk on every commit: the tests check
// what SQLite does, not how durably.
func openTestDB(t testing.TB) *sql.DB {
	t.Helper()
	db, _, err := Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1) // the pragma below is per connection
	if _, err := db.Exec("PRAGMA synchronous = OFF"); err != nil {
		t.Fatal(err)
	}
	return db
}

func execSQL(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("exec %s: %v", s, err)
		}
	}
}

func inspectDB(t testing.TB, db Querier) *schema.Realm {
	t.Helper()
	r, err := New().Inspect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mainSchema(t testing.TB, r *schema.Realm) *schema.Schema {
	t.Helper()
	s, ok := r.Schema("main")
	if !ok || len(r.Schemas) != 1 {
		t.Fatalf("realm has no single schema main: %+v", r.Schemas)
	}
	return s
}

func tableOf(t testing.TB, r *schema.Realm, name string) *schema.Table {
	t.Helper()
	tab, ok := mainSchema(t, r).Table(name)
	if !ok {
		t.Fatalf("no table %q", name)
	}
	return tab
}

// normalized returns the tables normalised as a desired realm would be.
func normalized(t testing.TB, tables ...*schema.Table) *schema.Realm {
	t.Helper()
	r := &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: tables}}}
	if err := New().Normalize(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// migrate runs statements the way the executor does: foreign keys off
// outside one IMMEDIATE transaction, foreign_key_check before commit.
func migrate(t testing.TB, db *sql.DB, stmts []string) {
	t.Helper()
	if err := tryMigrate(db, stmts); err != nil {
		t.Fatal(err)
	}
}

func tryMigrate(db *sql.DB, stmts []string) error {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	d := New()
	m, err := d.BeginMigration(ctx, conn)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			_ = m.End(ctx, false)
			return &stmtError{stmt: s, err: err}
		}
	}
	return m.End(ctx, true)
}

type stmtError struct {
	stmt string
	err  error
}

func (e *stmtError) Error() string { return "statement " + e.stmt + ": " + e.err.Error() }
func (e *stmtError) Unwrap() error { return e.err }

// Builders for hand-written models.

func typ(name string, args ...int) schema.Type {
	if len(args) == 0 {
		return schema.Type{Name: name}
	}
	return schema.Type{Name: name, Args: args}
}

func raw(s string) schema.Type { return schema.Type{Raw: s} }

func col(name string, t schema.Type, null bool) *schema.Column {
	return &schema.Column{Name: name, Type: t, Null: null}
}

func pk(cols ...string) *schema.Index {
	i := &schema.Index{}
	for _, c := range cols {
		i.Parts = append(i.Parts, schema.IndexPart{Column: c})
	}
	return i
}

func idx(name string, unique bool, cols ...string) *schema.Index {
	i := pk(cols...)
	i.Name, i.Unique = name, unique
	return i
}

func str(v string) *schema.Default  { return &schema.Default{Kind: schema.DefaultString, Value: v} }
func num(v string) *schema.Default  { return &schema.Default{Kind: schema.DefaultNumber, Value: v} }
func rawd(v string) *schema.Default { return &schema.Default{Kind: schema.DefaultRaw, Value: v} }
