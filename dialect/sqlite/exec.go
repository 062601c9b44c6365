package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	sqlitedrv "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// TransactionalDDL reports that SQLite runs DDL inside transactions, so a
// migration and its version bump commit or roll back together.
func (*Dialect) TransactionalDDL() bool { return true }

// Lock returns at once: SQLite needs no lock beside the transaction. Each
// migration runs in a BEGIN IMMEDIATE transaction, which admits one writer at
// a time (others wait for busy_timeout), and the executor re-reads the version
// inside that transaction, so no migration can run twice. A lock file would
// outlive a crashed process; the database's own lock cannot.
func (*Dialect) Lock(ctx context.Context, conn *sql.Conn, timeout time.Duration) (func() error, error) {
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", timeout.Milliseconds())); err != nil {
		return nil, fmt.Errorf("set busy timeout: %w", err)
	}
	return func() error { return nil }, nil
}

// BeginMigration turns foreign key enforcement off, which SQLite only allows
// outside a transaction, and begins an IMMEDIATE transaction. With
// enforcement on, the DROP TABLE of a table rebuild would fire ON DELETE
// CASCADE and empty child tables. It then counts the rows that already
// violate a foreign key, so that EndMigration blames the migration only for
// violations it adds.
func (d *Dialect) BeginMigration(ctx context.Context, conn *sql.Conn) error {
	// Every CREATE makes SQLite scan its whole schema table (12 MB at
	// 10,000 tables); with the default 2 MB page cache each scan reads it
	// from the file again. A migration may fill 64 MB instead, which
	// makes creating 10,000 tables a fifth faster.
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = "+migrationCacheSize); err != nil {
		return fmt.Errorf("set cache size: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
		_, _ = conn.ExecContext(ctx, "PRAGMA cache_size = "+defaultCacheSize)
		return fmt.Errorf("disable foreign keys: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		_, _ = conn.ExecContext(ctx, "PRAGMA cache_size = "+defaultCacheSize)
		_, _ = conn.ExecContext(ctx, "PRAGMA foreign_keys = on")
		if isBusy(err) {
			// The executor reports a timeout as "locked by another run".
			return fmt.Errorf("begin transaction: another process holds the database's write lock: %w: %w", os.ErrDeadlineExceeded, err)
		}
		return fmt.Errorf("begin transaction: %w", err)
	}
	before, err := fkViolations(ctx, conn)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fkBefore == nil {
		d.fkBefore = map[*sql.Conn]fkBaseline{}
	}
	d.fkBefore[conn] = fkBaseline{counts: before, err: err}
	return nil
}

// Page cache sizes in the negative form, kibibytes: a migration's, and
// SQLite's default, which Open leaves in place.
const (
	migrationCacheSize = "-65536"
	defaultCacheSize   = "-2000"
)

// fkBaseline is what PRAGMA foreign_key_check said when a migration began:
// violations per child and parent table, or the error it failed with (a
// "foreign key mismatch" that predates the migration).
type fkBaseline struct {
	counts map[[2]string]int
	err    error
}

// EndMigration commits (after PRAGMA foreign_key_check finds no violation
// that was not there before) or rolls back, then restores the connection:
// foreign key enforcement on, legacy_alter_table off (a failed rebuild can
// leave it on).
func (d *Dialect) EndMigration(ctx context.Context, conn *sql.Conn, commit bool) (err error) {
	d.mu.Lock()
	before, ok := d.fkBefore[conn]
	delete(d.fkBefore, conn)
	d.mu.Unlock()
	defer func() {
		bg := context.WithoutCancel(ctx)
		if _, lerr := conn.ExecContext(bg, "PRAGMA legacy_alter_table = OFF"); lerr != nil && err == nil {
			err = fmt.Errorf("reset legacy_alter_table: %w", lerr)
		}
		if _, ferr := conn.ExecContext(bg, "PRAGMA foreign_keys = on"); ferr != nil && err == nil {
			err = fmt.Errorf("enable foreign keys: %w", ferr)
		}
		if _, cerr := conn.ExecContext(bg, "PRAGMA cache_size = "+defaultCacheSize); cerr != nil && err == nil {
			err = fmt.Errorf("reset cache size: %w", cerr)
		}
	}()
	if commit {
		if verr := foreignKeyCheck(ctx, conn, before, ok); verr != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return verr
		}
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return fmt.Errorf("commit: %w", err)
		}
		return nil
	}
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// fkViolations counts the rows that violate a foreign key, per child and
// parent table.
func fkViolations(ctx context.Context, conn *sql.Conn) (map[[2]string]int, error) {
	rows, err := conn.QueryContext(ctx, `SELECT "table", parent, count(*) FROM pragma_foreign_key_check GROUP BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[[2]string]int{}
	for rows.Next() {
		var child, parent string
		var n int
		if err := rows.Scan(&child, &parent, &n); err != nil {
			return nil, err
		}
		counts[[2]string{child, parent}] = n
	}
	return counts, rows.Err()
}

// foreignKeyCheck fails when more rows violate a foreign key than did before
// the migration (any when there is no baseline), naming the tables. A check that fails as a whole ("foreign key mismatch": a foreign
// key whose parent has no matching key) fails the migration unless it
// failed the same way before.
func foreignKeyCheck(ctx context.Context, conn *sql.Conn, before fkBaseline, haveBaseline bool) error {
	after, err := fkViolations(ctx, conn)
	if err != nil {
		if haveBaseline && before.err != nil && before.err.Error() == err.Error() {
			return nil
		}
		return fmt.Errorf("foreign key check: %w", err)
	}
	// Totals are compared, not counts per pair of tables: a migration that
	// renames a table moves its old violations to another pair.
	total := 0
	for k, n := range after {
		total += n - before.counts[k]
	}
	for k, n := range before.counts {
		if _, ok := after[k]; !ok {
			total -= n
		}
	}
	if total <= 0 {
		return nil
	}
	var found []string
	for k, n := range after {
		if n -= before.counts[k]; n > 0 {
			found = append(found, fmt.Sprintf("%d row(s) of %q reference missing rows of %q", n, k[0], k[1]))
		}
	}
	slices.Sort(found)
	return fmt.Errorf("%w: %d new violation(s): %s", ErrForeignKeyViolation, total, strings.Join(found, "; "))
}

// ErrForeignKeyViolation is returned when a migration would leave rows that
// violate a foreign key; the migration is rolled back.
var ErrForeignKeyViolation = errors.New("foreign key check failed")

// IsBusy reports whether err is SQLite's "database is locked" after
// busy_timeout ran out: another process held the write lock. The executor
// reports it as a lock timeout.
func (*Dialect) IsBusy(err error) bool { return isBusy(err) }

// isBusy reports whether err is SQLite's "database is locked" after
// busy_timeout ran out.
func isBusy(err error) bool {
	var se *sqlitedrv.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
