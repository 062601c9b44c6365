package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"add heroes":            "add heroes",
		"héros ✓":               "héros ✓",
		"a\nb":                  `a\nb`,
		"a\r\tb":                `a\r\tb`,
		"\x1b[2Kfake":           `\x1b[2Kfake`,
		"\x00\x7f":              `\x00\x7f`,
		"\u0085\u2028\u202egnp": `\u0085\u2028\u202egnp`,
		"bad\xffbyte":           `bad\xffbyte`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := printableLines("f.sql:3: no such table\n\tINSERT INTO t\n\tVALUES ('\x1b')\nDatabase is at 0009 (head)."),
		"f.sql:3: no such table\n\tINSERT INTO t\n\tVALUES ('\\x1b')\n  Database is at 0009 (head)."; got != want {
		t.Errorf("printableLines = %q, want %q", got, want)
	}
}

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
