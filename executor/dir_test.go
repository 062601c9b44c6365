package executor_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// heroSteps are the three migrations most tests run: the heroes tutorial
// and one more table.
var heroSteps = []struct {
	message  string
	up, down []executor.Statement
}{
	{
		"init_db",
		[]executor.Statement{
			{Comment: `create table "hero"`, SQL: "CREATE TABLE `hero` (\n  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,\n  `name` text NOT NULL,\n  `secret_name` text NOT NULL,\n  `age` integer NULL\n)"},
			{Comment: `create index "ix_hero_name" on table "hero"`, SQL: "CREATE INDEX `ix_hero_name` ON `hero` (`name`)"},
		},
		[]executor.Statement{
			{Comment: `drop index "ix_hero_name"`, SQL: "DROP INDEX `ix_hero_name`"},
			{Comment: `drop table "hero"`, SQL: "DROP TABLE `hero`"},
		},
	},
	{
		"new field power",
		[]executor.Statement{{Comment: `add column "power" to table "hero"`, SQL: "ALTER TABLE `hero` ADD COLUMN `power` integer NULL"}},
		[]executor.Statement{{Comment: `drop column "power" from table "hero"`, SQL: "ALTER TABLE `hero` DROP COLUMN `power`"}},
	},
	{
		"Add teams!",
		[]executor.Statement{{SQL: "CREATE TABLE `team` (`id` integer NOT NULL PRIMARY KEY, `name` text NOT NULL)"}},
		[]executor.Statement{{SQL: "DROP TABLE `team`"}},
	},
}

// heroDir writes the first n hero migrations into a new directory.
func heroDir(t *testing.T, n int) *executor.Dir {
	t.Helper()
	d, err := executor.OpenDir(filepath.Join(t.TempDir(), "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	d.Lexer = sqlite.New()
	for _, s := range heroSteps[:n] {
		if _, err := d.Write(s.message, s.up, s.down); err != nil {
			t.Fatalf("Write %q: %v", s.message, err)
		}
	}
	return d
}

func TestWriteNumbersAndChains(t *testing.T) {
	d := heroDir(t, 3)
	migs, err := d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Version, Revises, File, Name string }
	var got []row
	for _, m := range migs {
		got = append(got, row{m.Version, m.Revises, m.File, m.Name})
	}
	want := []row{
		{"0001", "", "0001_init_db.sql", "init_db"},
		{"0002", "0001", "0002_new_field_power.sql", "new field power"},
		{"0003", "0002", "0003_add_teams.sql", "Add teams!"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("migrations (-want +got):\n%s", diff)
	}
	if head, err := d.Head(); err != nil || head != "0003" {
		t.Errorf("Head = %q, %v; want 0003", head, err)
	}
	data, err := os.ReadFile(filepath.Join(d.Path(), "0002_new_field_power.sql"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("parse", "0002_new_field_power.sql"), data)
	sum, err := os.ReadFile(filepath.Join(d.Path(), executor.SumFile))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "hero.sum", sum)
	// Nothing but the migrations and the sum: temporary files are gone.
	entries, _ := os.ReadDir(d.Path())
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"0001_init_db.sql", "0002_new_field_power.sql", "0003_add_teams.sql", "schemactl.sum"}, names); diff != "" {
		t.Errorf("directory (-want +got):\n%s", diff)
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"new field power":            "new_field_power",
		"init_db":                    "init_db",
		"  Add  UNIQUE(email)  ":     "add_unique_email",
		"añadir campo":               "a_adir_campo",
		"":                           "",
		"!!!":                        "",
		"v2 -- drop `legacy`; table": "v2_drop_legacy_table",
		strings.Repeat("abc ", 30):   "abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc",
	}
	for in, want := range tests {
		if got := executor.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteEmptyMessageAndWideNumbers(t *testing.T) {
	d := heroDir(t, 0)
	m, err := d.Write("", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.File != "0001.sql" || m.Irreversible {
		t.Errorf("Write(\"\") = %s, irreversible %v; want 0001.sql with an (empty) down section", m.File, m.Irreversible)
	}
	// A hand-made 9999 is followed by 10000, which sorts after it.
	writeFile(t, d, "9999_last_four_digits.sql", "-- schemactl 9999 \"x\"\n-- revises: 0001\n-- +up\n-- +down\n")
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
	m, err = d.Write("five digits", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.File != "10000_five_digits.sql" || m.Revises != "9999" {
		t.Errorf("got %s revising %s, want 10000_five_digits.sql revising 9999", m.File, m.Revises)
	}
	if head, _ := d.Head(); head != "10000" {
		t.Errorf("Head = %q, want 10000", head)
	}
}

func TestWriteRefusesWhatWouldNotReadBack(t *testing.T) {
	tests := []struct {
		name string
		up   []executor.Statement
		want string
	}{
		{"open quote", []executor.Statement{{SQL: "SELECT 'x"}}, "would not read back"},
		{"two statements in one", []executor.Statement{{SQL: "SELECT 1; SELECT 2"}}, "1 up statements would read back as 2"},
		{"comment that is a marker", []executor.Statement{{Comment: "+down", SQL: "SELECT 1"}}, "would not read back"},
		{"empty statement", []executor.Statement{{SQL: " ; "}}, "up statement 1 is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := heroDir(t, 0)
			_, err := d.Write("x", tt.up, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write error = %v, want one containing %q", err, tt.want)
			}
			if migs, _ := d.Migrations(); len(migs) != 0 {
				t.Errorf("a refused Write left %d migrations", len(migs))
			}
		})
	}
}

func TestWriteNormalisesSemicolons(t *testing.T) {
	d := heroDir(t, 0)
	m, err := d.Write("x", []executor.Statement{
		{SQL: "  SELECT 1;;  \n", Comment: "one  \n"},
		{SQL: "SELECT 2 -- a trailing comment"},
		{SQL: "SELECT 3"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []executor.Statement{
		{SQL: "SELECT 1", Comment: "one", Line: 5},
		{SQL: "SELECT 2 -- a trailing comment", Line: 7},
		{SQL: "SELECT 3", Line: 10},
	}
	if diff := cmp.Diff(want, m.Up); diff != "" {
		t.Errorf("Up (-want +got):\n%s", diff)
	}
}

func writeFile(t *testing.T, d *executor.Dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(d.Path(), name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMigrationsErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			"two files with one number",
			map[string]string{"0002_other_branch.sql": "-- schemactl 0002 \"x\"\n-- revises: 0001\n-- +up\n"},
			"0002_other_branch.sql: has the same number as 0002_new_field_power.sql",
		},
		{
			"same number written differently",
			map[string]string{"002_x.sql": "-- schemactl 002 \"x\"\n-- revises: 0001\n-- +up\n"},
			"002_x.sql: has the same number as 0002_new_field_power.sql",
		},
		{
			"broken revises chain",
			map[string]string{"0004_x.sql": "-- schemactl 0004 \"x\"\n-- revises: 0002\n-- +up\n"},
			"0004_x.sql:2: revises 0002, but the migration before it is 0003_add_teams.sql",
		},
		{
			"missing revises line",
			map[string]string{"0004_x.sql": "-- schemactl 0004 \"x\"\n-- +up\n"},
			"0004_x.sql:1: has no -- revises: line, but follows 0003_add_teams.sql",
		},
		{
			"sql file without a number",
			map[string]string{"seed.sql": "INSERT INTO hero VALUES (1);\n"},
			"seed.sql: not a migration file name",
		},
		{
			"malformed file",
			map[string]string{"0004_x.sql": "-- schemactl 0004 \"x\"\n-- revises: 0003\n-- +up\nSELECT \"unclosed;\n"},
			"0004_x.sql:4: unterminated quoted identifier",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := heroDir(t, 3)
			for name, content := range tt.files {
				writeFile(t, d, name, content)
			}
			_, err := d.Migrations()
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Migrations error = %v\nwant prefix %q", err, tt.want)
			}
			var pe *executor.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error is %T, want *executor.ParseError", err)
			}
		})
	}
}

func TestDirIgnoresOtherFiles(t *testing.T) {
	d := heroDir(t, 1)
	writeFile(t, d, "README.md", "notes")
	writeFile(t, d, ".0002_editor_backup.sql", "garbage")
	writeFile(t, d, "0001_init_db.sql.orig", "garbage")
	if err := os.Mkdir(filepath.Join(d.Path(), "0009_dir.sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	migs, err := d.Migrations()
	if err != nil || len(migs) != 1 {
		t.Fatalf("Migrations = %d, %v; want 1 migration", len(migs), err)
	}
	if err := d.Verify(); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// TestOpenDir: a directory that does not exist is an error for every read
// (a misspelled path is not "no migrations"), but not for Next, which
// gives its first migration, nor for Write, which creates it.
func TestOpenDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing")
	d, err := executor.OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "no migration directory at " + path
	if migs, err := d.Migrations(); !errors.Is(err, executor.ErrNoDir) || err.Error() != want {
		t.Errorf("Migrations of a missing directory = %v, %v; want %s", migs, err, want)
	}
	if head, err := d.Head(); !errors.Is(err, executor.ErrNoDir) {
		t.Errorf("Head = %q, %v", head, err)
	}
	if err := d.Verify(); !errors.Is(err, executor.ErrNoDir) {
		t.Errorf("Verify: %v", err)
	}
	if err := d.WriteSum(); !errors.Is(err, executor.ErrNoDir) {
		t.Errorf("WriteSum: %v", err)
	}
	if err := d.Stat(); !errors.Is(err, executor.ErrNoDir) || err.Error() != want {
		t.Errorf("Stat = %v", err)
	}
	d.Lexer = sqlite.New()
	stmts := []executor.Statement{{SQL: "CREATE TABLE t (id integer)"}}
	if m, _, err := d.Next("first", "", stmts, nil); err != nil || m.Version != "0001" {
		t.Errorf("Next = %+v, %v", m, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Next created the directory: %v", err)
	}
	if _, err := d.Write("first", stmts, nil); err != nil {
		t.Fatal(err)
	}
	if migs, err := d.Migrations(); err != nil || len(migs) != 1 {
		t.Errorf("Migrations after Write = %d, %v", len(migs), err)
	}

	if migs, err := executor.OpenFS(fstest.MapFS{}).Migrations(); err != nil || len(migs) != 0 {
		t.Errorf("Migrations of an empty embedded directory = %v, %v", migs, err)
	}
	sub, err := fs.Sub(fstest.MapFS{"migrations/0001_a.sql": {}}, "migrationz")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := executor.OpenFS(sub).Migrations(); !errors.Is(err, executor.ErrNoDir) || !strings.Contains(err.Error(), "fs.Sub") {
		t.Errorf("Migrations of a wrong fs.Sub = %v", err)
	}

	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := executor.OpenDir(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("OpenDir(file) error = %v", err)
	}
}

// TestUpperCaseExtension: 0006_x.SQL would be a migration but for the case
// of its extension; it is refused, never skipped in silence. Other files
// are left alone.
func TestUpperCaseExtension(t *testing.T) {
	d := heroDir(t, 2)
	if err := os.WriteFile(filepath.Join(d.Path(), "README.md"), []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrations(); err != nil {
		t.Fatalf("Migrations beside a README: %v", err)
	}
	for _, name := range []string{"0003_x.SQL", "0003_x.Sql"} {
		path := filepath.Join(d.Path(), name)
		if err := os.WriteFile(path, []byte("-- schemactl 0003 \"x\"\n-- revises: 0002\n-- +up\nSELECT 1;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		want := name + ": a migration file's name ends in .sql, in lower case; rename it to 0003_x.sql"
		if _, err := d.Migrations(); err == nil || err.Error() != want {
			t.Errorf("Migrations with %s = %v, want %s", name, err, want)
		}
		if err := d.Verify(); err == nil || err.Error() != want {
			t.Errorf("Verify with %s = %v", name, err)
		}
		os.Remove(path)
	}
}

// TestNamedPipeMigration: a migration name that is not a regular file (a
// named pipe would block the read until something writes to it) is
// refused, not read.
func TestNamedPipeMigration(t *testing.T) {
	d := heroDir(t, 2)
	if err := syscall.Mkfifo(filepath.Join(d.Path(), "0003_x.sql"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := "0003_x.sql: not a regular file (a named pipe); a migration is a file"
	if _, err := d.Migrations(); err == nil || err.Error() != want {
		t.Errorf("Migrations = %v, want %s", err, want)
	}
	if _, err := d.Dialect(); err == nil || err.Error() != want {
		t.Errorf("Dialect = %v, want %s", err, want)
	}
}

// TestLineBreakInName: schemactl.sum has a line per file, so a migration
// whose name holds a line break is refused; Verify and WriteSum never see
// it, and the name is shown escaped.
func TestLineBreakInName(t *testing.T) {
	d := heroDir(t, 2)
	name := "0003_x\nDatabase is at 0009 (head).sql"
	if err := os.WriteFile(filepath.Join(d.Path(), name), []byte("-- schemactl 0003 \"x\"\n-- revises: 0002\n-- +up\nSELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := `0003_x\nDatabase is at 0009 (head).sql: a migration file's name holds a line break; rename it`
	if err := d.WriteSum(); err == nil || err.Error() != want {
		t.Errorf("WriteSum = %v, want %s", err, want)
	}
	if _, err := d.Migrations(); err == nil || err.Error() != want {
		t.Errorf("Migrations = %v, want %s", err, want)
	}
}
