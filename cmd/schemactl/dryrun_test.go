package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDryRunPrintsTheFile: plan --dry-run prints the migration through the
// writer plan uses, so what a reviewer reads is byte for byte the file
// plan then writes.
func TestDryRunPrintsTheFile(t *testing.T) {
	dir := t.TempDir()
	schemaFile := filepath.Join(dir, "schema.hcl")
	if err := os.WriteFile(schemaFile, []byte(`schema "main" {}
table "hero" {
  schema = schema.main
  column "id" {
    null = false
    type = integer
  }
  column "note" {
    null    = true
    type    = text
    default = "a -- b; 'c'"
  }
  primary_key {
    columns = [column.id]
  }
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	// An empty file is an empty database: plan --dry-run creates none.
	if err := os.WriteFile(filepath.Join(dir, "app.db"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"plan", "--url", "sqlite://" + filepath.Join(dir, "app.db"), "--dir", filepath.Join(dir, "migrations"), "--schema", schemaFile, "-m", "heroes"}
	out := schemactl(t, 0, append(args, "--dry-run")...)
	if _, err := os.Stat(filepath.Join(dir, "migrations")); err == nil {
		t.Fatal("--dry-run wrote the migration directory")
	}
	_, preview, ok := strings.Cut(out, "\n\n-- schemactl ")
	if !ok {
		t.Fatalf("--dry-run printed no file:\n%s", out)
	}
	schemactl(t, 0, args...)
	written, err := os.ReadFile(filepath.Join(dir, "migrations", "0001_heroes.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if got := "-- schemactl " + preview; got != string(written) {
		t.Errorf("--dry-run printed\n%s\nplan wrote\n%s", got, written)
	}
}
