package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMigrationEndForeignKeys: violations that were there before a migration
// do not fail it; violations it adds roll it back.
func TestMigrationEndForeignKeys(t *testing.T) {
	db := openTestDB(t)
	execSQL(t, db,
		`CREATE TABLE p (id INTEGER PRIMARY KEY)`,
		`CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT REFERENCES p (id))`,
		`PRAGMA foreign_keys = off`,
		`INSERT INTO c (p_id) VALUES (42)`, // a violation that predates schemactl
		`PRAGMA foreign_keys = on`,
	)
	migrate(t, db, []string{`CREATE TABLE other (x)`})

	err := tryMigrate(db, []string{`INSERT INTO c (p_id) VALUES (43)`, `CREATE TABLE other2 (x)`})
	if !errors.Is(err, ErrForeignKeyViolation) {
		t.Fatalf("err = %v, want ErrForeignKeyViolation", err)
	}
	if !strings.Contains(err.Error(), `1 new violation(s): 1 row(s) of "c" reference missing rows of "p"`) {
		t.Errorf("error does not describe the new violation: %v", err)
	}
	if got := queryStrings(t, db, `SELECT count(*) FROM sqlite_schema WHERE name = 'other2'`)[0][0]; got != "0" {
		t.Error("the failed migration was not rolled back")
	}
}

// connSettings reads the settings a migration and the lock change.
func connSettings(t *testing.T, conn *sql.Conn) []pragma {
	t.Helper()
	got, err := readPragmas(context.Background(), conn, "foreign_keys", "legacy_alter_table", "cache_size", "busy_timeout")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// settingsConn is the one connection of a fresh database, with its
// settings set to those of set (foreign_keys, legacy_alter_table,
// cache_size, busy_timeout).
func settingsConn(t *testing.T, db *sql.DB, set [4]int64) *sql.Conn {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	for i, name := range []string{"foreign_keys", "legacy_alter_table", "cache_size", "busy_timeout"} {
		if err := setPragma(context.Background(), conn, name, set[i]); err != nil {
			t.Fatal(err)
		}
	}
	return conn
}

// TestMigrationRestoresConnection: a migration's end puts back the
// settings the connection had before it began, whatever they were (the
// connection may be an application's), also a setting that a statement of
// the migration changed, as a rebuild that stops in the middle leaves
// legacy_alter_table on.
func TestMigrationRestoresConnection(t *testing.T) {
	ctx := context.Background()
	for _, set := range [][4]int64{{0, 0, -10000, 0}, {1, 1, 500, 1234}} {
		for _, commit := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/commit=%v", set, commit), func(t *testing.T) {
				conn := settingsConn(t, openTestDB(t), set)
				before := connSettings(t, conn)
				m, err := New().BeginMigration(ctx, conn)
				if err != nil {
					t.Fatal(err)
				}
				// What a migration runs with, whatever the connection had.
				var fk, legacy int
				if err := conn.QueryRowContext(ctx, "SELECT (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT legacy_alter_table FROM pragma_legacy_alter_table)").Scan(&fk, &legacy); err != nil {
					t.Fatal(err)
				}
				if fk != 0 || legacy != 0 {
					t.Errorf("in the migration foreign_keys = %d, legacy_alter_table = %d; want 0 and 0", fk, legacy)
				}
				if _, err := conn.ExecContext(ctx, "PRAGMA legacy_alter_table = ON"); err != nil {
					t.Fatal(err)
				}
				if err := m.End(ctx, commit); err != nil {
					t.Fatal(err)
				}
				if got := connSettings(t, conn); !slices.Equal(got, before) {
					t.Errorf("after the migration %v, want %v as before", got, before)
				}
				if err := m.End(ctx, commit); err == nil {
					t.Error("a second End succeeded")
				}
			})
		}
	}
}

// TestBusyBeginLeavesConnection: a migration that cannot begin, another
// connection holding the write lock, leaves the connection's settings as
// they were; so does the lock, once released.
func TestBusyBeginLeavesConnection(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	path := queryStrings(t, db, "SELECT file FROM pragma_database_list WHERE name = 'main'")[0][0]
	conn := settingsConn(t, db, [4]int64{1, 1, 500, 0})
	before := connSettings(t, conn)

	other, _, err := Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	holder, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer holder.ExecContext(ctx, "ROLLBACK")

	d := New()
	unlock, err := d.Lock(ctx, conn, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.BeginMigration(ctx, conn); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("BeginMigration while another connection writes: %v, want a timeout", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if got := connSettings(t, conn); !slices.Equal(got, before) {
		t.Errorf("after the failed begin and unlock %v, want %v as before", got, before)
	}
}

// TestForeignKeyCheckRowByRow: violations are compared row by row, keyed by
// what a rename or a rebuild keeps: a migration that fixes one violation
// and adds another fails; one that renames or rebuilds tables with
// violations in them passes.
func TestForeignKeyCheckRowByRow(t *testing.T) {
	rebuild := func(copyExpr string) []string {
		return []string{
			`CREATE TABLE c_new (id INTEGER PRIMARY KEY, p_id INT REFERENCES p (id), note TEXT)`,
			`INSERT INTO c_new (p_id) SELECT ` + copyExpr + ` FROM c ORDER BY id DESC`, // new rowids
			`DROP TABLE c`,
			`ALTER TABLE c_new RENAME TO c`,
		}
	}
	for _, tc := range []struct {
		name string
		up   []string
		fail bool
	}{
		{"fix one", []string{`DELETE FROM c WHERE p_id = 42`}, false},
		{"swap in one table", []string{`DELETE FROM c WHERE p_id = 42`, `INSERT INTO c (p_id) VALUES (43)`}, true},
		{"one more of the same value", []string{`INSERT INTO c (p_id) VALUES (42)`}, true},
		{"rename child", []string{`ALTER TABLE c RENAME TO c2`}, false},
		{"rename parent", []string{`ALTER TABLE p RENAME TO p2`}, false},
		{"rename child, then add", []string{`ALTER TABLE c RENAME TO c2`, `INSERT INTO c2 (p_id) VALUES (43)`}, true},
		{"rebuild child with new rowids", rebuild("p_id"), false},
		{"rebuild child and swap", rebuild("CASE p_id WHEN 42 THEN 43 ELSE p_id END"), true},
		{"rebuild parent", []string{
			`CREATE TABLE p_new (id INTEGER PRIMARY KEY, name TEXT)`,
			`INSERT INTO p_new (id) SELECT id FROM p`,
			`DROP TABLE p`,
			`ALTER TABLE p_new RENAME TO p`,
		}, false},
		{"without rowid: rebuild", []string{
			`CREATE TABLE w_new (a INT PRIMARY KEY, b INT REFERENCES p) WITHOUT ROWID`,
			`INSERT INTO w_new SELECT * FROM w`,
			`DROP TABLE w`,
			`ALTER TABLE w_new RENAME TO w`,
		}, false},
		{"without rowid: one more", []string{`INSERT INTO w VALUES (2, 43)`}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTestDB(t)
			execSQL(t, db,
				`CREATE TABLE p (id INTEGER PRIMARY KEY)`,
				`CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT REFERENCES p (id))`,
				`CREATE TABLE w (a INT PRIMARY KEY, b INT REFERENCES p) WITHOUT ROWID`,
				`PRAGMA foreign_keys = off`,
				`INSERT INTO p VALUES (1)`,
				`INSERT INTO c (p_id) VALUES (1), (42), (44)`, // 42 and 44 predate schemactl
				`INSERT INTO w VALUES (1, 42)`,
				`PRAGMA foreign_keys = on`,
			)
			// The baseline must key every violation, or a failing check
			// would be excused as "failed the same way before".
			conn, err := db.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			vs, err := violations(context.Background(), conn)
			conn.Close()
			if err != nil || len(vs) != 3 {
				t.Fatalf("violations before = %+v, %v", vs, err)
			}
			err = tryMigrate(db, tc.up)
			var se *stmtError
			switch {
			case errors.As(err, &se):
				t.Fatal(err)
			case tc.fail && !errors.Is(err, ErrForeignKeyViolation):
				t.Errorf("migration passed (%v); it adds a violation", err)
			case !tc.fail && err != nil:
				t.Errorf("migration failed: %v", err)
			}
			if n := queryStrings(t, db, `SELECT count(*) FROM temp.sqlite_schema`)[0][0]; n != "0" {
				t.Errorf("%s temporary tables left behind", n)
			}
		})
	}
}
