package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/internal/testdb"
)

// schemactl runs the CLI in process and returns stdout, failing the test on
// an exit code other than want.
func schemactl(t *testing.T, want int, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != want {
		t.Fatalf("schemactl %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// TestRoundTripFixtures is issue 3's proof on schemas nobody here wrote:
// load a fixture with SQLite itself, inspect it to HCL, plan and apply that
// HCL into an empty database, and compare both databases through inspect
// and through SQLite's own pragma listings; a second plan must be empty.
func TestRoundTripFixtures(t *testing.T) {
	for _, file := range []string{
		"chinook/Chinook_Sqlite.ddl.sql",
		"chinook/Chinook_Sqlite_AutoIncrementPKs.ddl.sql",
		"sakila/sqlite-sakila-schema.sql",
	} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ddl, err := os.ReadFile(testdb.Fixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
			execSQLite(t, a, string(ddl))

			hcl := schemactl(t, 0, "inspect", "--url", "sqlite://"+a)
			schemaFile := filepath.Join(dir, "schema.hcl")
			if err := os.WriteFile(schemaFile, []byte(hcl), 0o644); err != nil {
				t.Fatal(err)
			}
			migrations := filepath.Join(dir, "migrations")
			// The HCL describes A exactly: planning it against A is empty.
			out := schemactl(t, 0, "plan", "--url", "sqlite://"+a, "--dir", filepath.Join(dir, "unused"), "--schema", schemaFile, "--exit-code")
			if !strings.Contains(out, "No changes.") {
				t.Fatalf("plan of inspected HCL against its own database is not empty:\n%s", out)
			}
			schemactl(t, 0, "plan", "--url", "sqlite://"+b, "--dir", migrations, "--schema", schemaFile, "-m", "init")
			schemactl(t, 0, "apply", "--url", "sqlite://"+b, "--dir", migrations)
			if got := schemactl(t, 0, "inspect", "--url", "sqlite://"+b, "--dir", migrations); got != hcl {
				t.Errorf("inspect differs between the fixture and its re-creation (-fixture +recreated):\n%s", cmp.Diff(hcl, got))
			}
			if diff := cmp.Diff(pragmaListing(t, a), pragmaListing(t, b)); diff != "" {
				t.Errorf("pragma listings differ (-fixture +recreated):\n%s", diff)
			}
			out = schemactl(t, 0, "plan", "--url", "sqlite://"+b, "--dir", migrations, "--schema", schemaFile, "--exit-code")
			if !strings.Contains(out, "No changes.") {
				t.Fatalf("second plan is not empty:\n%s", out)
			}
			// Down restores the empty database.
			schemactl(t, 0, "downgrade", "--url", "sqlite://"+b, "--dir", migrations, "base")
			if got := pragmaListing(t, b); len(got) != 0 {
				t.Errorf("after downgrade base, objects remain: %v", got)
			}
		})
	}
}

func execSQLite(t *testing.T, path, script string) {
	t.Helper()
	db, _, err := sqlite.Open(context.Background(), "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script); err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
}

// pragmaListing describes every user table through SQLite's own pragmas,
// independent of schemactl's inspector.
func pragmaListing(t *testing.T, path string) []string {
	t.Helper()
	db, _, err := sqlite.Open(context.Background(), "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := []string{
		// DEFAULT NULL and no default are the same column.
		`SELECT m.name, p.cid, p.name, p.type, p."notnull",
		        CASE WHEN upper(p.dflt_value) = 'NULL' THEN '' ELSE coalesce(p.dflt_value, '') END, p.pk, p.hidden
		   FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p
		  WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'schemactl_%' ORDER BY 1, 2`,
		`SELECT m.name, p.name, p."unique", p.origin, p.partial
		   FROM sqlite_schema m JOIN pragma_index_list(m.name) p
		  WHERE m.type = 'table' AND m.name NOT LIKE 'schemactl_%' ORDER BY 1, 2`,
		// FK ids follow declaration order, which is not part of the schema.
		`SELECT m.name, p.seq, p."table", p."from", coalesce(p."to", ''), p.on_update, p.on_delete
		   FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) p
		  WHERE m.type = 'table' ORDER BY 1, 3, 4, 2`,
		`SELECT type, name, tbl_name FROM sqlite_schema
		  WHERE type IN ('index') AND sql IS NOT NULL AND tbl_name NOT LIKE 'schemactl_%' ORDER BY 2`,
	}
	var out []string
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if i > 0 {
					b.WriteByte('|')
				}
				b.WriteString(strings.ToLower(strings.TrimSpace(toString(v))))
			}
			out = append(out, b.String())
		}
		rows.Close()
	}
	return out
}

func toString(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(v)
	case string:
		return v
	default:
		return strings.TrimSpace(strings.ReplaceAll(fmtAny(v), "\n", " "))
	}
}

func fmtAny(v any) string { return fmt.Sprint(v) }
