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

// Lock takes the migration lock of the connection's database with
// GET_LOCK, waiting at most timeout. The lock belongs to the session: it is
// held for as long as conn is open and released at once if the connection
// dies, so a crashed run never leaves it behind.
func (*Dialect) Lock(ctx context.Context, conn *sql.Conn, timeout time.Duration) (func() error, error) {
	var db sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&db); err != nil {
		return nil, fmt.Errorf("read current database: %w", err)
	}
	name := lockName(db.String)
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
	return func() error {
		var released sql.NullInt64
		// Releasing must happen even when the run's context is done.
		err := conn.QueryRowContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(?)", name).Scan(&released)
		if err != nil {
			return fmt.Errorf("release lock %q: %w", name, err)
		}
		if released.Int64 != 1 {
			return fmt.Errorf("release lock %q: this session did not hold it", name)
		}
		return nil
	}, nil
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

// BeginMigration saves the session's sql_mode and sets the one migrations
// are rendered for: the strict flags above on, and NO_BACKSLASH_ESCAPES off,
// since rendered string literals escape backslashes. Foreign key checks stay
// on: the planner orders creations and adds the foreign keys of a cycle
// afterwards, and a check that fails is a migration that must not pass.
func (d *Dialect) BeginMigration(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "SET @schemactl_sql_mode = @@SESSION.sql_mode"); err != nil {
		return fmt.Errorf("save sql_mode: %w", err)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read sql_mode: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = ?", migrationMode(mode)); err != nil {
		return fmt.Errorf("set sql_mode: %w", err)
	}
	return nil
}

// EndMigration restores the sql_mode BeginMigration saved. Every statement
// has committed by itself, so commit makes no difference.
func (d *Dialect) EndMigration(ctx context.Context, conn *sql.Conn, commit bool) error {
	ctx = context.WithoutCancel(ctx)
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = @schemactl_sql_mode"); err != nil {
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
