package executor_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testflag"
)

var update = testflag.Update

// dump renders a parsed migration as text for golden files.
func dump(m *executor.Migration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version: %s\nname: %q\nrevises: %q\nfile: %s\nirreversible: %v\n", m.Version, m.Name, m.Revises, m.File, m.Irreversible)
	for _, sec := range []struct {
		name  string
		stmts []executor.Statement
	}{{"up", m.Up}, {"down", m.Down}} {
		for i, st := range sec.stmts {
			fmt.Fprintf(&b, "\n%s %d (line %d)\n", sec.name, i+1, st.Line)
			if st.Comment != "" {
				fmt.Fprintf(&b, "comment: %q\n", st.Comment)
			}
			fmt.Fprintf(&b, "sql:\n%s\n", st.SQL)
		}
	}
	return b.String()
}

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestParseGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "parse", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m, err := executor.Parse(f, data, sqlite.New())
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			golden(t, filepath.Join("parse", strings.TrimSuffix(filepath.Base(f), ".sql")+".golden"), []byte(dump(m)))
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            string
	}{
		{"empty file", "0001_a.sql", "", "0001_a.sql: empty file"},
		{"blank file", "0001_a.sql", "\n  \n", "0001_a.sql: empty file"},
		{"bad file name", "add_power.sql", "-- schemactl 1\n-- +up\n", "add_power.sql: file name must be a version number"},
		{"no header", "0001_a.sql", "-- +up\nSELECT 1;\n", "0001_a.sql:1: the first line must be the header -- schemactl 0001"},
		{"sql before header", "0001_a.sql", "SELECT 1;\n", "0001_a.sql:1: the first line must be the header"},
		{"header version mismatch", "0002_a.sql", "-- schemactl 0003 \"a\"\n-- +up\n", "0002_a.sql:1: header says version 0003, but the file name says 0002"},
		{"malformed message", "0001_a.sql", "-- schemactl 0001 \"a\\q\"\n-- +up\n", "0001_a.sql:1: malformed message"},
		{"no up section", "0001_a.sql", "-- schemactl 0001 \"a\"\n-- just a note\n", "0001_a.sql: no -- +up section"},
		{"only a down section", "0001_a.sql", "-- schemactl 0001 \"a\"\n-- +down\nDROP TABLE x;\n", "0001_a.sql:2: -- +down before -- +up"},
		{"down before up", "0001_a.sql", "-- schemactl 0001 \"a\"\n-- +down\n-- +up\n", "0001_a.sql:2: -- +down before -- +up"},
		{"two up markers", "0001_a.sql", "-- schemactl 0001 \"a\"\n-- +up\nSELECT 1;\n-- +up\n", "0001_a.sql:4: second -- +up line"},
		{"two down markers", "0001_a.sql", "-- schemactl 0001 \"a\"\n-- +up\n-- +down\n-- +down\n", "0001_a.sql:4: second -- +down line"},
		{"sql before up", "0001_a.sql", "-- schemactl 0001 \"a\"\nSELECT 1;\n-- +up\n", "0001_a.sql:2: SQL before the -- +up line"},
		{"two revises lines", "0002_a.sql", "-- schemactl 0002 \"a\"\n-- revises: 0001\n-- revises: 0001\n-- +up\n", "0002_a.sql:3: second -- revises: line"},
		{"unterminated string", "0001_a.sql", "-- schemactl 0001 \"a\"\n-- +up\nSELECT 'x;\n-- +down\n", "0001_a.sql:3: unterminated string"},
		{"unclosed trigger before down", "0001_a.sql", "-- schemactl 0001 \"a\"\n-- +up\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n DELETE FROM b;\n-- +down\n", "0001_a.sql:5: BEGIN block of the statement at line 3 is not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := executor.Parse(tt.file, []byte(tt.src), sqlite.New())
			if err == nil {
				t.Fatalf("Parse succeeded, want %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant prefix %q", err, tt.want)
			}
			var pe *executor.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error is %T, want *executor.ParseError", err)
			}
		})
	}
}

// A marker that ends a statement without its semicolon, and markers inside
// strings and comments that do not.
func TestParseMarkers(t *testing.T) {
	src := "-- schemactl 0001 \"a\"\n-- +up\nINSERT INTO t VALUES ('\n-- +down\n')\n/*\n-- +down\n*/\n-- +down\nDELETE FROM t\n"
	m, err := executor.Parse("0001_a.sql", []byte(src), sqlite.New())
	if err != nil {
		t.Fatal(err)
	}
	want := &executor.Migration{
		Version: "0001", Name: "a", File: "0001_a.sql",
		Up:   []executor.Statement{{SQL: "INSERT INTO t VALUES ('\n-- +down\n')\n/*\n-- +down\n*/", Line: 3}},
		Down: []executor.Statement{{SQL: "DELETE FROM t", Line: 10}},
	}
	if diff := cmp.Diff(want, m, cmp.AllowUnexported(executor.Migration{}), ignoreChecksum); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// A statement that a marker ends is over for the lexer too: the trigger
// below it keeps the semicolons of its body, as it would after a ";".
func TestParseMarkerEndsStatementForTheLexer(t *testing.T) {
	src := "-- schemactl 0001 \"a\"\n-- +up\nCREATE TABLE a (x int)\n-- +down\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;\n"
	m, err := executor.Parse("0001_a.sql", []byte(src), sqlite.New())
	if err != nil {
		t.Fatal(err)
	}
	want := []executor.Statement{{SQL: "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END", Line: 5}}
	if diff := cmp.Diff(want, m.Down); diff != "" {
		t.Errorf("down (-want +got):\n%s", diff)
	}
}

var ignoreChecksum = cmp.FilterPath(func(p cmp.Path) bool {
	return p.Last().String() == ".Checksum" || p.Last().String() == ".revisesLine"
}, cmp.Ignore())

// Format writes what Parse reads back, byte for byte.
func TestFormatGolden(t *testing.T) {
	m := &executor.Migration{
		Version: "0002", Name: "new field power", Revises: "0001", File: "0002_new_field_power.sql", Dialect: "sqlite",
		Up:   []executor.Statement{{Comment: "add column \"power\" to table \"hero\"", SQL: "ALTER TABLE `hero` ADD COLUMN `power` integer NULL"}},
		Down: []executor.Statement{{Comment: "drop column \"power\" from table \"hero\"", SQL: "ALTER TABLE `hero` DROP COLUMN `power`"}},
	}
	got := executor.Format(m, sqlite.New())
	want, err := os.ReadFile(filepath.Join("testdata", "parse", "0002_new_field_power.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Format =\n%s\nwant\n%s", got, want)
	}
	back, err := executor.Parse(m.File, got, sqlite.New())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(executor.Format(back, sqlite.New()), got) {
		t.Errorf("Format(Parse(Format(m))) differs from Format(m)")
	}
}

// TestFormatSemicolon puts the terminating semicolon on the statement's
// last line unless that line ends in a comment under the dialect's rules,
// and the file always parses back to the same statements.
func TestFormatSemicolon(t *testing.T) {
	tests := []struct {
		lx       executor.Lexer
		sql      string
		sameLine bool
	}{
		{nil, "UPDATE `t` SET `a` = 'x -- y'", true},
		{mysqlLexer, "UPDATE `t` SET `a` = 'x # y'", true},
		{nil, "UPDATE `t` SET `a` = 'it''s -- fine'", true},
		{nil, "SELECT /* -- */ 1", true},
		{nil, "SELECT \"a--b\" FROM `c--d`", true},
		{mysqlLexer, "SELECT \"a--b\" FROM `c--d`", true},
		{nil, "UPDATE `t` SET `a` = 1 -- why", false},
		{mysqlLexer, "UPDATE `t` SET `a` = 1 -- why", false},
		{mysqlLexer, "UPDATE `t` SET `a` = 1 # why", false},
		{nil, "CREATE TABLE `t` (\n  `a` int -- the a\n)", true},
		{nil, "CREATE TABLE `t` (\n  `a` int\n) -- done", false},
		// A backslash ends a SQLite string but escapes in MySQL.
		{nil, "SELECT 'a\\' -- b", false},
		{mysqlLexer, "SELECT 'a\\' -- b'", true},
		{nil, "SELECT [o'clock] FROM t -- why", false},
		{nil, "SELECT [o'clock] FROM t", true},
		// MySQL needs a blank after "--"; SQLite has no # comments.
		{mysqlLexer, "SELECT 1 --1", true},
		{nil, "SELECT 1 # 1", true},
	}
	for _, tt := range tests {
		lx := lexerOr(tt.lx)
		m := &executor.Migration{Version: "0001", Name: "x", File: "0001_x.sql",
			Up: []executor.Statement{{SQL: tt.sql}, {SQL: "SELECT 2"}}}
		got := string(executor.Format(m, lx))
		sameLine := strings.Contains(got, tt.sql+";\n")
		if sameLine != tt.sameLine {
			t.Errorf("Format(%q) with %T: semicolon on the same line = %v, want %v:\n%s", tt.sql, lx, sameLine, tt.sameLine, got)
		}
		back, err := executor.Parse(m.File, []byte(got), lx)
		if err != nil {
			t.Errorf("Parse(Format(%q)): %v", tt.sql, err)
			continue
		}
		if len(back.Up) != 2 || back.Up[0].SQL != tt.sql || back.Up[1].SQL != "SELECT 2" {
			t.Errorf("Parse(Format(%q)) = %+v", tt.sql, back.Up)
		}
	}
}
