package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
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
// CASCADE and empty child tables. It then records the rows that already
// violate a foreign key, in the transaction (see fkBaseline), so that
// EndMigration blames the migration only for violations it adds.
func (*Dialect) BeginMigration(ctx context.Context, conn *sql.Conn) error {
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
	if err := saveBaseline(ctx, conn); err != nil {
		bg := context.WithoutCancel(ctx)
		_, _ = conn.ExecContext(bg, "ROLLBACK")
		_, _ = conn.ExecContext(bg, "PRAGMA cache_size = "+defaultCacheSize)
		_, _ = conn.ExecContext(bg, "PRAGMA foreign_keys = on")
		return err
	}
	return nil
}

// Page cache sizes in the negative form, kibibytes: a migration's, and
// SQLite's default, which Open leaves in place.
const (
	migrationCacheSize = "-65536"
	defaultCacheSize   = "-2000"
)

// EndMigration commits (after PRAGMA foreign_key_check finds no violation
// that was not there before) or rolls back, then restores the connection:
// foreign key enforcement on, legacy_alter_table off (a failed rebuild can
// leave it on).
func (*Dialect) EndMigration(ctx context.Context, conn *sql.Conn, commit bool) (err error) {
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
		before, verr := loadBaseline(ctx, conn)
		if verr == nil {
			verr = foreignKeyCheck(ctx, conn, before)
		}
		if verr != nil {
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
