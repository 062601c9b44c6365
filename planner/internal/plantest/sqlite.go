package plantest

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/schema"
)

// OpenSQLite opens a new SQLite database file in a temporary directory,
// closed when the test ends.
func OpenSQLite(t testing.TB) *sql.DB {
	t.Helper()
	db, _, err := sqlite.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// ExecScript runs statements separated by ";\n".
func ExecScript(t testing.TB, db *sql.DB, script string) {
	t.Helper()
	for _, s := range strings.Split(script, ";\n") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("exec %s: %v", s, err)
		}
	}
}

// InspectSQLite reads the schema of db.
func InspectSQLite(t testing.TB, db *sql.DB) *schema.Realm {
	t.Helper()
	r, err := sqlite.New().Inspect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// SQLiteStates creates from in a new database and to in another, and
// returns the first database, the schema it holds and the schema of the
// second after hints (which may be nil) edits it: the current and desired
// realms of a plan that db can apply.
func SQLiteStates(t testing.TB, from, to string, hints func(*schema.Schema)) (db *sql.DB, cur, des *schema.Realm) {
	t.Helper()
	db = OpenSQLite(t)
	ExecScript(t, db, from)
	cur = InspectSQLite(t, db)
	target := OpenSQLite(t)
	ExecScript(t, target, to)
	des = InspectSQLite(t, target)
	if hints != nil {
		hints(des.Schemas[0])
	}
	return db, cur, des
}
