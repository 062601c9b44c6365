package mysql

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"
)

// TransactionalDDL reports that MySQL and MariaDB commit every DDL
// statement by itself, so the executor records progress per statement.
func (*Dialect) TransactionalDDL() bool { return false }

// LockError is returned by Lock when another session holds the migration
// lock past the timeout. Its Timeout method makes the executor report it as
// its ErrLocked.
type LockError struct {
	Name string
	Wait time.Duration
}

func (e *LockError) Error() string {
	return fmt.Sprintf("lock %q is held by another session", e.Name)
}

// Timeout reports true: the lock could not be taken in time.
func (e *LockError) Timeout() bool { return true }

// LockHandle is the migration lock a run holds; the executor declares the
// identical type (executor.Lock) and calls Verify before its bookkeeping
// writes. It is an alias of an interface literal so that this package need
// not import the executor.
type LockHandle = interface {
	Verify(ctx context.Context) (bool, error)
	Renew(ctx context.Context) error
	Release(ctx context.Context) error
}

// Lock takes the migration lock as AcquireLock does and returns the
// function that releases it, for callers that hold it for as long as conn
// lives and need nothing else.
func (d *Dialect) Lock(ctx context.Context, conn *sql.Conn, timeout time.Duration) (func() error, error) {
	l, err := d.AcquireLock(ctx, nil, conn, timeout)
	if err != nil {
		return nil, err
	}
	return func() error { return l.Release(context.WithoutCancel(ctx)) }, nil
}

// AcquireLock takes the migration lock of the connection's database with
// GET_LOCK, waiting at most timeout. The lock belongs to the session, not
// to the client: it is held until RELEASE_LOCK or until the session ends.
// It is not released at once when a client dies: the session lives on
// until its running statement has ended (the server finishes it) and its
// transaction is over, and until the server notices that the connection is
// gone (when it next reads from it: at once for a closed socket once the
// statement is over, after wait_timeout or TCP keepalive for a silent
// one); only then is the lock free. So a crashed run never leaves the lock
// behind for good, and once another run holds it, nothing of the dead run
// is still executing: what its last statement did can be read from the
// catalog. db is not needed: a session lock needs no renewal from another
// connection.
//
// On a Galera node it refuses (ErrGaleraSessionLock) without calling
// GET_LOCK: the executor asks Cluster first and takes a lease instead.
func (*Dialect) AcquireLock(ctx context.Context, _ *sql.DB, conn *sql.Conn, timeout time.Duration) (LockHandle, error) {
	if galera, err := readGalera(ctx, conn, "GLOBAL"); err != nil {
		return nil, err
	} else if galera {
		return nil, ErrGaleraSessionLock
	}
	name, err := currentLockName(ctx, conn)
	if err != nil {
		return nil, err
	}
	secs := math.Ceil(timeout.Seconds())
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", name, secs).Scan(&got); err != nil {
		return nil, fmt.Errorf("get lock %q: %w", name, err)
	}
	switch {
	case !got.Valid:
		return nil, fmt.Errorf("get lock %q: the server returned NULL", name)
	case got.Int64 != 1:
		return nil, &LockError{Name: name, Wait: timeout}
	}
	return &sessionLock{conn: conn, name: name}, nil
}

// currentLockName is the lock name of conn's current database.
func currentLockName(ctx context.Context, conn *sql.Conn) (string, error) {
	var db sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&db); err != nil {
		return "", fmt.Errorf("read current database: %w", err)
	}
	return lockName(db.String), nil
}

// sessionLock is a GET_LOCK held by the session of conn.
type sessionLock struct {
	conn *sql.Conn
	name string
}

// Verify asks the server whether conn's session holds the lock. A session
// that is gone (killed, or its connection broken) holds nothing: that is
// false, not an error.
func (l *sessionLock) Verify(ctx context.Context) (bool, error) {
	var ours sql.NullBool
	err := l.conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?) = CONNECTION_ID()", l.name).Scan(&ours)
	switch {
	case err == nil:
		return ours.Valid && ours.Bool, nil
	case ctx.Err() != nil:
		return false, ctx.Err()
	case sessionGone(err):
		return false, nil
	}
	return false, fmt.Errorf("verify lock %q: %w", l.name, err)
}

// Renew has nothing to do: a session lock does not expire.
func (*sessionLock) Renew(context.Context) error { return nil }

// Release gives the lock up.
func (l *sessionLock) Release(ctx context.Context) error {
	var released sql.NullInt64
	if err := l.conn.QueryRowContext(ctx, "SELECT RELEASE_LOCK(?)", l.name).Scan(&released); err != nil {
		return fmt.Errorf("release lock %q: %w", l.name, err)
	}
	if released.Int64 != 1 {
		return fmt.Errorf("release lock %q: this session did not hold it", l.name)
	}
	return nil
}

// lockName is the GET_LOCK name for a database: one lock per database, so
// that migrations of different databases on one server do not wait for each
// other. Lock names are limited to 64 characters.
func lockName(database string) string {
	name := "schemactl:" + database
	if len(name) <= 64 {
		return name
	}
	sum := sha256.Sum256([]byte(database))
	return "schemactl:" + hex.EncodeToString(sum[:])[:54]
}

// migrationModes are the sql_mode flags BeginMigration turns on: a change
// that would truncate data fails instead of warning, and an unknown ENGINE
// fails instead of silently becoming the default one.
var migrationModes = []string{"STRICT_ALL_TABLES", "NO_ENGINE_SUBSTITUTION"}

// MigrationHandle is a migration BeginMigration started; the executor
// declares the identical type (executor.MigrationHandle). It is an alias
// of an interface literal so that this package need not import the
// executor.
type MigrationHandle = interface {
	End(ctx context.Context, commit bool) error
}

// BeginMigration sets the sql_mode migrations are rendered for: the strict
// flags above on, and NO_BACKSLASH_ESCAPES off, since rendered string
// literals escape backslashes. The handle keeps the session's sql_mode,
// which End puts back: conn may be an application's, and a user variable
// to hold it would itself be left behind in the session. Foreign key
// checks stay on: the planner orders creations and adds the foreign keys
// of a cycle afterwards, and a check that fails is a migration that must
// not pass.
func (d *Dialect) BeginMigration(ctx context.Context, conn *sql.Conn) (MigrationHandle, error) {
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return nil, fmt.Errorf("read sql_mode: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = ?", migrationMode(mode)); err != nil {
		return nil, fmt.Errorf("set sql_mode: %w", err)
	}
	return &migration{conn: conn, mode: mode}, nil
}

// migration is a migration BeginMigration started on conn.
type migration struct {
	conn *sql.Conn
	mode string // the session's sql_mode before it
}

// End restores the sql_mode the session had before BeginMigration. Every
// statement has committed by itself, so commit makes no difference.
func (m *migration) End(ctx context.Context, commit bool) error {
	if _, err := m.conn.ExecContext(context.WithoutCancel(ctx), "SET SESSION sql_mode = ?", m.mode); err != nil {
		return fmt.Errorf("restore sql_mode: %w", err)
	}
	return nil
}

func migrationMode(mode string) string {
	var flags []string
	seen := map[string]bool{}
	for _, f := range strings.Split(mode, ",") {
		f = strings.ToUpper(strings.TrimSpace(f))
		if f == "" || f == "NO_BACKSLASH_ESCAPES" || seen[f] {
			continue
		}
		seen[f] = true
		flags = append(flags, f)
	}
	for _, f := range migrationModes {
		if !seen[f] {
			flags = append(flags, f)
		}
	}
	return strings.Join(flags, ",")
}
