package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/internal/testdb"
)

// TestFleetStopOnSignalMariaDB: Ctrl-C during a fleet apply stops the
// running target as one target stops (after its running statement,
// recorded) and starts no other; the summary says so and the exit status
// is 1. The next apply finishes every target.
func TestFleetStopOnSignalMariaDB(t *testing.T) {
	var urls, names []string
	var admin *sql.DB
	for range 3 {
		u, name := testdb.MySQL(t)
		urls, names = append(urls, u.String()), append(names, name)
		if admin == nil {
			admin = testdb.OpenMySQL(t, u)
		}
	}
	dir := filepath.Join(t.TempDir(), "migrations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mig := "-- schemactl 0001 \"slow\"\n-- +up\nDO SLEEP(1);\nCREATE TABLE hero (id int NOT NULL PRIMARY KEY);\n-- +down\nDROP TABLE hero;\n"
	if err := os.WriteFile(filepath.Join(dir, "0001_slow.sql"), []byte(mig), 0o644); err != nil {
		t.Fatal(err)
	}
	schemactl(t, 0, "hash", "--dir", dir, "--dialect", "mysql")

	args := []string{"apply", "--dir", dir, "--stop-grace", "60s"}
	for _, u := range urls {
		args = append(args, "--url", u)
	}
	child, out := startFree(t, args)
	first := names[0]
	deadline := time.Now().Add(60 * time.Second)
	for !sleeping(t, admin, first) {
		if time.Now().After(deadline) {
			t.Fatalf("DO SLEEP never ran on the first target; the child printed:\n%s", out.String())
		}
		time.Sleep(time.Millisecond)
	}
	if err := child.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	text := out.String()
	for _, want := range []string{
		exitPrefix + "1",
		"[1/3] FAILED " + urls[0],
		"[2/3] SKIPPED " + urls[1] + ": not started: interrupted",
		"[3/3] SKIPPED " + urls[2] + ": not started: interrupted",
		"3 targets: 0 ok, 1 failed, 2 not started.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	// The next apply resumes the first after its statement 1 and runs the
	// others.
	out2 := schemactl(t, 0, append(args, "--concurrency", "3")...)
	if !strings.Contains(out2, "3 targets: 3 ok, 0 failed, 0 not started. Versions: 0001 ×3") {
		t.Errorf("re-run:\n%s", out2)
	}
}

func sleeping(t *testing.T, db *sql.DB, schema string) bool {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'DO SLEEP%' AND DB = ?", schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}
