package main

import (
	"bytes"
	"context"
	"database/sql"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun starts the application three times on one database file: the
// first start migrates it, the second finds nothing to do, and after a
// newer build moved the database past this build's migrations, this build
// still starts.
func TestRun(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tasks.db")
	start := func(want string) {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, path, &out); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(out.String()); got != want {
			t.Errorf("run printed %q, want %q", got, want)
		}
	}
	start("database " + path + " is at 0002; applied 2 migrations")
	start("database " + path + " is at 0002; nothing to apply")

	// The schema is the one the migrations give.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO task (title, due) VALUES ('write the README', '2026-12-08')`); err != nil {
		t.Fatal(err)
	}

	// A newer build applied a 0003 this build does not have.
	for _, stmt := range []string{
		`ALTER TABLE task ADD COLUMN priority integer NULL`,
		`UPDATE schemactl_version SET version_num = '0003'`,
		`INSERT INTO schemactl_version_history (id, version, direction, checksum, started_at, finished_at, statements_total, statements_done, operator)
		 SELECT max(id) + 1, '0003', 'up', 'h1:newer', '2026-12-08 00:00:00.000000', '2026-12-08 00:00:00.000001', 1, 1, 'newer@build' FROM schemactl_version_history`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	start("database " + path + " is at 0003, ahead of this build's migrations; nothing to apply")
}

// TestGoRun is the README's command: go run ./examples/embedded PATH.
func TestGoRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example")
	}
	path := filepath.Join(t.TempDir(), "tasks.db")
	out, err := exec.Command("go", "run", ".", path).CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	if want := "database " + path + " is at 0002; applied 2 migrations\n"; string(out) != want {
		t.Errorf("go run printed %q, want %q", out, want)
	}
}
