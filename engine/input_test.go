package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
)

// TestSQLiteFileCreatedOnlyByApplyAndPlan: the workflows that read a
// database, and those that change one that must exist (downgrade, stamp),
// never create a SQLite file; apply and plan do, and their Note says so.
func TestSQLiteFileCreatedOnlyByApplyAndPlan(t *testing.T) {
	ctx := context.Background()
	target := sqliteTarget(t)
	if err := os.MkdirAll(target.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := strings.TrimPrefix(target.URL, "sqlite://")
	e := open(t, target)
	schemaFile := writeFile(t, t.TempDir(), "schema.hcl", heroHCL)
	reads := map[string]func() error{
		"Status":  func() error { _, err := e.Status(ctx); return err },
		"Current": func() error { _, err := e.Current(ctx); return err },
		"Inspect": func() error { _, err := e.Inspect(ctx); return err },
		"Apply dry run": func() error {
			_, err := e.Apply(ctx, engine.ApplyOptions{DryRun: true})
			return err
		},
		"Plan dry run": func() error {
			_, err := e.Plan(ctx, engine.PlanOptions{Schema: []string{schemaFile}, DryRun: true, Message: "x"})
			return err
		},
		"Downgrade": func() error { _, err := e.Downgrade(ctx, "base", nil, engine.Control{}); return err },
		"Stamp":     func() error { _, err := e.Stamp(ctx, "base"); return err },
	}
	for name, f := range reads {
		err := f()
		if !errors.Is(err, sqlite.ErrNoFile) || err.Error() != "no database at "+file {
			t.Errorf("%s: error = %v, want no database at %s", name, err, file)
		}
		if _, err := os.Stat(file); err == nil {
			t.Fatalf("%s created %s", name, file)
		}
	}
	var notes []string
	if _, err := e.Plan(ctx, engine.PlanOptions{Schema: []string{schemaFile}, Message: "init",
		Note: func(m string) { notes = append(notes, m) }}); err != nil {
		t.Fatal(err)
	}
	if want := "created the SQLite database " + file; len(notes) != 1 || notes[0] != want {
		t.Errorf("plan notes %q, want %q", notes, want)
	}

	other := target
	other.URL = "sqlite://" + filepath.Join(t.TempDir(), "other.db")
	notes = nil
	if _, err := open(t, other).Apply(ctx, engine.ApplyOptions{Note: func(m string) { notes = append(notes, m) }}); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "created the SQLite database ") {
		t.Errorf("apply notes %q", notes)
	}
}

// TestSQLiteReadOnlyURL: with mode=ro the workflows that write refuse
// before they open anything; the others read.
func TestSQLiteReadOnlyURL(t *testing.T) {
	ctx := context.Background()
	target := sqliteTarget(t)
	e := open(t, target)
	plan(t, e, heroHCL, "init")
	if _, err := e.Apply(ctx, engine.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	ro := target
	ro.URL += "?mode=ro"
	e = open(t, ro)
	for name, f := range map[string]func() error{
		"apply":     func() error { _, err := e.Apply(ctx, engine.ApplyOptions{}); return err },
		"downgrade": func() error { _, err := e.Downgrade(ctx, "base", nil, engine.Control{}); return err },
		"stamp":     func() error { _, err := e.Stamp(ctx, "base"); return err },
	} {
		want := ro.URL + " is read-only (mode=ro), and " + name + " writes the database: remove ?mode=ro"
		if err := f(); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %s", name, err, want)
		}
	}
	if v, err := e.Current(ctx); err != nil || v != "0001" {
		t.Errorf("Current = %q, %v", v, err)
	}
}

// TestMissingDirectory: a directory that does not exist is an error for
// every workflow that reads it, before a SQLite file is created; an
// embedded directory that exists but holds nothing is an empty one, and a
// wrong fs.Sub path is an error. Plan writes the first migration into a
// directory it creates.
func TestMissingDirectory(t *testing.T) {
	ctx := context.Background()
	target := sqliteTarget(t)
	file := strings.TrimPrefix(target.URL, "sqlite://")
	e := open(t, target)
	for name, f := range map[string]func() error{
		"Apply":     func() error { _, err := e.Apply(ctx, engine.ApplyOptions{}); return err },
		"Downgrade": func() error { _, err := e.Downgrade(ctx, "base", nil, engine.Control{}); return err },
		"Stamp":     func() error { _, err := e.Stamp(ctx, "head"); return err },
		"Status":    func() error { _, err := e.Status(ctx); return err },
		"Lint":      func() error { _, err := e.Lint(ctx, engine.LintOptions{}); return err },
		"Migrations": func() error {
			_, err := e.Migrations()
			return err
		},
	} {
		if err := f(); !errors.Is(err, executor.ErrNoDir) {
			t.Errorf("%s: error = %v, want ErrNoDir", name, err)
		}
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatalf("a workflow created %s for a missing directory", file)
	}
	var notes []string
	p, err := e.Plan(ctx, engine.PlanOptions{Schema: []string{writeFile(t, t.TempDir(), "s.hcl", heroHCL)}, Message: "init",
		Note: func(m string) { notes = append(notes, m) }})
	if err != nil || p.Written == nil {
		t.Fatalf("Plan into a missing directory = %+v, %v", p, err)
	}
	if !slices.Contains(notes, "created the migration directory "+target.Dir) {
		t.Errorf("notes %q", notes)
	}

	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "embedded.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	embedded := open(t, engine.Target{DB: db, Dialect: engine.SQLite, FS: fstest.MapFS{}})
	if res, err := embedded.Apply(ctx, engine.ApplyOptions{}); err != nil || len(res.Migrations) != 0 {
		t.Errorf("Apply of an empty embedded directory = %+v, %v", res, err)
	}
	sub, err := fs.Sub(fstest.MapFS{"migrations/0001_a.sql": {}}, "migrationz")
	if err != nil {
		t.Fatal(err)
	}
	wrong := open(t, engine.Target{DB: db, Dialect: engine.SQLite, FS: sub})
	if _, err := wrong.Apply(ctx, engine.ApplyOptions{AllowAhead: true}); !errors.Is(err, executor.ErrNoDir) || !strings.Contains(err.Error(), "fs.Sub") {
		t.Errorf("Apply of a wrong fs.Sub = %v", err)
	}
}
