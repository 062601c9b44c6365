package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/schema"
)

// TestRoundTripFixtures loads schemas nobody here wrote, inspects them (A),
// creates every table of A with Render(AddTable) in an empty database, plus
// the views, and inspects that (B). A and B must be equal, and so must what
// SQLite's own pragmas say about both.
func TestRoundTripFixtures(t *testing.T) {
	tests := []struct {
		file                     string
		tables, objects, indexes int
	}{
		{"chinook/Chinook_Sqlite.ddl.sql", 11, 0, 11}, // + the key index of PlaylistTrack
		{"chinook/Chinook_Sqlite_AutoIncrementPKs.ddl.sql", 11, 0, 11},
		{"sakila/sqlite-sakila-schema.sql", 16, 5, 24},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			script, err := os.ReadFile(testdb.Fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			src := openTestDB(t)
			execSQL(t, src, string(script))
			a := inspectDB(t, src)
			s := mainSchema(t, a)
			if len(s.Tables) != tt.tables || len(s.Objects) != tt.objects {
				t.Fatalf("inspected %d tables and %d objects, want %d and %d", len(s.Tables), len(s.Objects), tt.tables, tt.objects)
			}
			nidx := 0
			for _, tab := range s.Tables {
				nidx += len(tab.Indexes)
			}
			if nidx != tt.indexes {
				t.Errorf("inspected %d indexes, want %d", nidx, tt.indexes)
			}

			dst := openTestDB(t)
			migrate(t, dst, createAll(t, a))
			b := inspectDB(t, dst)
			if diff := cmp.Diff(a, b, cmpOpts); diff != "" {
				t.Errorf("inspect after re-creating differs (-original +re-created):\n%s", diff)
			}
			if err := New().Normalize(b); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(a, b, cmpOpts); diff != "" {
				t.Errorf("Normalize changed an inspected realm (-inspected +normalized):\n%s", diff)
			}
			want, got := pragmaListing(t, src), pragmaListing(t, dst)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("pragma listings differ (-original +re-created):\n%s", diff)
			}
		})
	}
}

// createAll renders every table of the realm and its unmanaged objects.
func createAll(t testing.TB, r *schema.Realm) []string {
	t.Helper()
	d := New()
	var stmts []string
	for _, s := range r.Schemas {
		for _, tab := range s.Tables {
			ss, err := d.Render(&schema.AddTable{T: tab})
			if err != nil {
				t.Fatal(err)
			}
			stmts = append(stmts, ss...)
		}
		for _, o := range s.Objects {
			stmts = append(stmts, o.SQL)
		}
	}
	return stmts
}

// pragmaListing is what SQLite's pragmas say about every table, in a form
// that ignores what cannot round-trip by design: the spelling of types
// (case and spaces), DEFAULT NULL (no default), foreign key ids (the model
// orders foreign keys by name, not declaration).
func pragmaListing(t testing.TB, db *sql.DB) []string {
	t.Helper()
	var out []string
	add := func(prefix, query string, norm func([]string)) {
		for _, row := range queryStrings(t, db, query) {
			if norm != nil {
				norm(row)
			}
			out = append(out, prefix+" "+strings.Join(row, " | "))
		}
	}
	const tables = `FROM sqlite_schema m JOIN pragma_table_list(m.name) l ON m.type = 'table' AND l.schema = 'main' AND l.type = 'table'`
	add("column", `SELECT m.name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden `+tables+
		` JOIN pragma_table_xinfo(m.name) c`, func(r []string) {
		r[3] = strings.ToLower(strings.Join(strings.Fields(r[3]), " "))
		if strings.EqualFold(r[5], "NULL") {
			r[5] = "<nil>"
		}
	})
	add("table", `SELECT m.name, l.ncol, l.wr, l.strict `+tables, nil)
	add("index", `SELECT m.name, il.name, il."unique", il.origin, il.partial, ix.seqno, ix.cid, ix.name, ix."desc", ix.coll, ix.key `+
		tables+` JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ix`, nil)
	add("fk", `SELECT m.name, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete, f.match `+tables+
		` JOIN pragma_foreign_key_list(m.name) f`, nil)
	add("object", `SELECT type, name, tbl_name FROM sqlite_schema WHERE type IN ('view', 'trigger')`, nil)
	slices.Sort(out)
	return out
}

func queryStrings(t testing.TB, db *sql.DB, query string) [][]string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				row[i] = "<nil>"
			case []byte:
				row[i] = string(v)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
