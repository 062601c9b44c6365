package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestEndMigrationForeignKeys: violations that were there before a migration
// do not fail it; violations it adds roll it back.
func TestEndMigrationForeignKeys(t *testing.T) {
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

// TestEndMigrationRestoresConnection: a migration that stops in the middle
// of a rebuild leaves neither legacy_alter_table on nor foreign keys off.
func TestEndMigrationRestoresConnection(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	d := New()
	if err := d.BeginMigration(ctx, conn); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA legacy_alter_table = ON"); err != nil {
		t.Fatal(err)
	}
	if err := d.EndMigration(ctx, conn, false); err != nil {
		t.Fatal(err)
	}
	var legacy, fk int
	if err := conn.QueryRowContext(ctx, "SELECT (SELECT legacy_alter_table FROM pragma_legacy_alter_table), (SELECT foreign_keys FROM pragma_foreign_keys)").Scan(&legacy, &fk); err != nil {
		t.Fatal(err)
	}
	if legacy != 0 || fk != 1 {
		t.Errorf("legacy_alter_table = %d, foreign_keys = %d; want 0 and 1", legacy, fk)
	}
}
