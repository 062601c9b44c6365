package executor

import (
	"context"
	"database/sql"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// Driver is what the executor needs from an engine to run migrations safely.
// Every method works on one pinned connection: the lock, connection settings
// and the migration's transaction must share it.
type Driver interface {
	// Name is the engine family.
	Name() schema.Dialect
	// QuoteIdent quotes an identifier, doubling embedded quote characters.
	QuoteIdent(name string) string
	// TransactionalDDL reports whether DDL can run inside a transaction that
	// also bumps the version (SQLite: yes; MySQL: no, every DDL commits).
	TransactionalDDL() bool
	// Lock takes the database-wide migration lock on conn, waiting at most
	// timeout, and returns the function that releases it. It returns an error
	// wrapping ErrLocked when another process holds the lock past timeout.
	Lock(ctx context.Context, conn *sql.Conn, timeout time.Duration) (unlock func() error, err error)
	// BeginMigration prepares conn for one migration and starts it: SQLite
	// turns foreign key enforcement off outside the transaction (so a table
	// rebuild cannot fire ON DELETE CASCADE) and begins an IMMEDIATE
	// transaction. EndMigration finishes it: with commit true it first checks
	// integrity (PRAGMA foreign_key_check) and commits, else it rolls back;
	// either way it restores the connection settings.
	BeginMigration(ctx context.Context, conn *sql.Conn) error
	EndMigration(ctx context.Context, conn *sql.Conn, commit bool) error
}
