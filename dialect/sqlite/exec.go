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
// a time (others wait for busy_timeout, which Lock sets to timeout), and the
// executor re-reads the version inside that transaction, so no migration can
// run twice. A lock file would outlive a crashed process; the database's own
// lock cannot. The returned function puts busy_timeout back: conn may be an
// application's, which goes back to its pool.
func (*Dialect) Lock(ctx context.Context, conn *sql.Conn, timeout time.Duration) (func() error, error) {
	return waitBusy(ctx, conn, timeout)
}

// PrepareRead makes conn wait up to timeout for another connection's
// write to end, for the reads the executor makes before it takes the lock
// (executor.ReadPreparer): on an application's pool, opened without a
// busy_timeout, they would fail at once with SQLITE_BUSY while another
// replica commits. The returned function puts busy_timeout back.
func (*Dialect) PrepareRead(ctx context.Context, conn *sql.Conn, timeout time.Duration) (func() error, error) {
	return waitBusy(ctx, conn, timeout)
}

// waitBusy makes conn wait up to timeout for another connection's lock,
// and returns the function that restores its busy_timeout.
func waitBusy(ctx context.Context, conn *sql.Conn, timeout time.Duration) (func() error, error) {
	saved, err := readPragmas(ctx, conn, "busy_timeout")
	if err != nil {
		return nil, err
	}
	if err := setPragma(ctx, conn, "busy_timeout", timeout.Milliseconds()); err != nil {
		return nil, err
	}
	return func() error { return restorePragmas(context.WithoutCancel(ctx), conn, saved) }, nil
}

// MigrationHandle is a migration BeginMigration started; the executor
// declares the identical type (executor.MigrationHandle). It is an alias
// of an interface literal so that this package need not import the
// executor.
type MigrationHandle = interface {
	End(ctx context.Context, commit bool) error
}

// migrationSettings are the connection settings a migration runs with.
// Foreign key enforcement is off: with it on, the DROP TABLE of a table
// rebuild would fire ON DELETE CASCADE and empty child tables (End checks
// the keys instead). legacy_alter_table is off, the mode migrations are
// rendered for (a rebuild turns it on for its rename only). The page cache
// is large: every CREATE makes SQLite scan its whole schema table (12 MB
// at 10,000 tables), which the default 2 MB cache reads from the file
// again each time; 64 MB makes creating 10,000 tables a fifth faster.
var migrationSettings = []pragma{{"foreign_keys", 0}, {"legacy_alter_table", 0}, {"cache_size", -65536}}

// BeginMigration sets migrationSettings, which SQLite only allows for
// foreign_keys outside a transaction, and begins an IMMEDIATE transaction.
// It then records the rows that already violate a foreign key, in the
// handle (see fkBaseline), so that End blames the migration only for
// violations it adds. The handle keeps the settings the connection had,
// which End puts back: conn may be an application's, whose settings are
// its own business.
func (*Dialect) BeginMigration(ctx context.Context, conn *sql.Conn) (MigrationHandle, error) {
	names := make([]string, len(migrationSettings))
	for i, p := range migrationSettings {
		names[i] = p.name
	}
	saved, err := readPragmas(ctx, conn, names...)
	if err != nil {
		return nil, err
	}
	// A failure below leaves conn as it was.
	undo := func(err error, rollback bool) (MigrationHandle, error) {
		bg := context.WithoutCancel(ctx)
		if rollback {
			_, _ = conn.ExecContext(bg, "ROLLBACK")
		}
		return nil, errors.Join(err, restorePragmas(bg, conn, saved))
	}
	for _, p := range migrationSettings {
		if err := setPragma(ctx, conn, p.name, p.value); err != nil {
			return undo(err, false)
		}
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		if isBusy(err) {
			// The executor reports a timeout as "locked by another run".
			err = fmt.Errorf("another process holds the database's write lock: %w: %w", os.ErrDeadlineExceeded, err)
		}
		return undo(fmt.Errorf("begin transaction: %w", err), false)
	}
	before, err := baseline(ctx, conn)
	if err != nil {
		return undo(err, true)
	}
	return &migration{conn: conn, saved: saved, before: before}, nil
}

// migration is a migration BeginMigration started on conn.
type migration struct {
	conn   *sql.Conn
	saved  []pragma   // conn's settings before the migration, to put back
	before fkBaseline // the foreign key violations it did not make
	ended  bool
}

// End commits (after PRAGMA foreign_key_check finds no violation that was
// not there before) or rolls back, then puts the connection's settings
// back as they were before BeginMigration, also those the migration's
// statements changed (a failed rebuild can leave legacy_alter_table on).
func (m *migration) End(ctx context.Context, commit bool) (err error) {
	if m.ended {
		return errors.New("the migration has ended already")
	}
	m.ended = true
	defer func() {
		// After the transaction: foreign_keys cannot change inside one.
		err = errors.Join(err, restorePragmas(context.WithoutCancel(ctx), m.conn, m.saved))
	}()
	if commit {
		return m.commit(ctx)
	}
	if _, err := m.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// commit checks the foreign keys against the baseline and commits, or
// rolls back.
func (m *migration) commit(ctx context.Context) error {
	err := foreignKeyCheck(ctx, m.conn, m.before)
	if err == nil {
		if _, cerr := m.conn.ExecContext(ctx, "COMMIT"); cerr != nil {
			err = fmt.Errorf("commit: %w", cerr)
		}
	}
	if err != nil {
		_, _ = m.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	}
	return err
}

// pragma is a connection setting and its value; every one the dialect
// changes is an integer.
type pragma struct {
	name  string
	value int64
}

// readPragmas reads the current values of the named settings of conn.
func readPragmas(ctx context.Context, conn *sql.Conn, names ...string) ([]pragma, error) {
	out := make([]pragma, len(names))
	for i, n := range names {
		out[i].name = n
		if err := conn.QueryRowContext(ctx, "PRAGMA "+n).Scan(&out[i].value); err != nil {
			return nil, fmt.Errorf("read %s: %w", n, err)
		}
	}
	return out, nil
}

func setPragma(ctx context.Context, conn *sql.Conn, name string, value int64) error {
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA %s = %d", name, value)); err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	return nil
}

// restorePragmas sets every saved setting back, as far as it can.
func restorePragmas(ctx context.Context, conn *sql.Conn, saved []pragma) error {
	var errs []error
	for _, p := range saved {
		if err := setPragma(ctx, conn, p.name, p.value); err != nil {
			errs = append(errs, fmt.Errorf("restore: %w", err))
		}
	}
	return errors.Join(errs...)
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
