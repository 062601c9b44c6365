package executor_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// TestDialectLine: a written file records the engine it is for, and the
// directory reports it from the headers alone, before it has a lexer.
func TestDialectLine(t *testing.T) {
	d := heroDir(t, 2)
	migs, err := d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		if m.Dialect != "sqlite" {
			t.Errorf("%s: Dialect = %q, want sqlite", m.File, m.Dialect)
		}
	}
	bare, err := executor.OpenDir(d.Path())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := bare.Dialect(); err != nil || got != "sqlite" {
		t.Errorf("Dialect() = %q, %v; want sqlite", got, err)
	}

	// A hand-written file without the line takes the directory's.
	hand := "-- schemactl 0003 \"hand\"\n-- revises: 0002\n-- +up\nSELECT 1;\n"
	if err := os.WriteFile(filepath.Join(d.Path(), "0003_hand.sql"), []byte(hand), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := bare.Dialect(); err != nil || got != "sqlite" {
		t.Errorf("Dialect() with a hand-written file = %q, %v; want sqlite", got, err)
	}

	// Another engine's file is an error that names both.
	other := "-- schemactl 0004 \"other\"\n-- dialect: mysql\n-- revises: 0003\n-- +up\nSELECT 1;\n"
	if err := os.WriteFile(filepath.Join(d.Path(), "0004_other.sql"), []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = bare.Dialect()
	var pe *executor.ParseError
	if !errors.As(err, &pe) || pe.File != "0004_other.sql" || pe.Line != 2 || !strings.Contains(err.Error(), "records dialect mysql, but 0001_init_db.sql records sqlite") {
		t.Errorf("Dialect() with two engines: %v", err)
	}
}

func TestDialectLineParse(t *testing.T) {
	src := "-- schemactl 0001 \"x\"\n-- dialect: MySQL\n-- +up\nSELECT 'it\\'s';\n"
	m, err := executor.Parse("0001_x.sql", []byte(src), mysql.New(mysql.Flavor{}))
	if err != nil || m.Dialect != "mysql" || len(m.Up) != 1 {
		t.Fatalf("Parse = %+v, %v", m, err)
	}
	twice := "-- schemactl 0001 \"x\"\n-- dialect: mysql\n-- dialect: mysql\n-- +up\n"
	if _, err := executor.Parse("0001_x.sql", []byte(twice), sqlite.New()); err == nil || !strings.Contains(err.Error(), "0001_x.sql:3: second -- dialect: line") {
		t.Errorf("Parse with two dialect lines: %v", err)
	}
}

// TestOpenFS: a directory embedded in a program reads like one on disk,
// and refuses writes.
func TestOpenFS(t *testing.T) {
	disk := heroDir(t, 2)
	fsys := fstest.MapFS{}
	for _, name := range []string{"0001_init_db.sql", "0002_new_field_power.sql", executor.SumFile} {
		data, err := os.ReadFile(filepath.Join(disk.Path(), name))
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	d := executor.OpenFS(fsys)
	d.Lexer = sqlite.New()
	if err := d.Verify(); err != nil {
		t.Fatal(err)
	}
	if head, err := d.Head(); err != nil || head != "0002" {
		t.Errorf("Head = %q, %v", head, err)
	}
	if _, err := d.Write("more", heroSteps[2].up, heroSteps[2].down); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Write into an embedded directory: %v", err)
	}
	if err := d.WriteSum(); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("WriteSum of an embedded directory: %v", err)
	}
}
