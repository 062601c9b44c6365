package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestControlCharactersEscaped: a -m message, a migration name, a
// statement and an error that quotes file text cannot fake a line of
// output: no line of stdout or stderr may start with "Database is at
// 0009", and no raw escape or carriage return may reach the terminal.
func TestControlCharactersEscaped(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite://" + filepath.Join(dir, "app.db")
	migs := filepath.Join(dir, "migrations")
	fake := "\nDatabase is at 0009 (head). 9 migrations, 9 statements.\x1b[2K\r"
	schemaFile := filepath.Join(dir, "schema.hcl")
	if err := os.WriteFile(schemaFile, []byte("schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"id\" {\n    type = integer\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cli := func(want int, args ...string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != want {
			t.Fatalf("schemactl %q: exit %d, want %d\n%s%s", args, code, want, stdout.String(), stderr.String())
		}
		out.Write(stdout.Bytes())
		out.Write(stderr.Bytes())
	}
	cli(0, "plan", "--url", url, "--dir", migs, "--schema", schemaFile, "-m", "init"+fake)
	// A table name from HCL in the plan's text and in lint's findings.
	hostile := filepath.Join(dir, "hostile.hcl")
	if err := os.WriteFile(hostile, []byte("schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"id\" {\n    type = integer\n  }\n}\n"+
		"table \"x\\nDatabase is at 0009 (head).\\u001b[2K\" {\n  schema = schema.main\n  column \"id\" {\n    type = integer\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	migs2 := filepath.Join(dir, "hostile")
	cli(0, "plan", "--url", "sqlite://"+filepath.Join(dir, "hostile.db"), "--dir", migs2, "--schema", hostile, "-m", "hostile")
	cli(0, "lint", "--dir", migs2)
	// A hand-written migration: its name, a statement with an escape in
	// a string, and one that fails with an error quoting its text.
	second := "-- schemactl 0002 \"second\\nDatabase is at 0009 (head).\\x1b[1A\"\n-- revises: 0001\n-- +up\n" +
		"INSERT INTO t VALUES (length('\x1b[2K\r'));\n" +
		"INSERT INTO \"no_such\nDatabase is at 0009 (head).\" VALUES (1);\n"
	if err := os.WriteFile(filepath.Join(migs, "0002_second.sql"), []byte(second), 0o644); err != nil {
		t.Fatal(err)
	}
	cli(0, "hash", "--dir", migs)
	cli(1, "apply", "--url", url, "--dir", migs)
	cli(0, "status", "--url", url, "--dir", migs)
	cli(0, "history", "--url", url, "--dir", migs)
	cli(0, "apply", "--url", url, "--dir", migs, "--dry-run")

	text := out.String()
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "Database is at 0009") {
			t.Errorf("a line of output is faked: %q", l)
		}
	}
	if strings.ContainsAny(text, "\x1b\r") {
		t.Errorf("raw control characters reached the output:\n%q", text)
	}
	for _, want := range []string{`Applying 0001 init\nDatabase is at 0009`, `second\nDatabase is at 0009 (head).\x1b[1A`, `length('\x1b[2K '))`} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
