package executor

import (
	"context"
	"database/sql"
	"time"

	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// Driver is what the executor needs from an engine to run migrations safely.
// Every method works on one pinned connection: the lock, connection settings
// and the migration's transaction must share it. The executor asks the
// driver for every engine fact; it never looks at which engine it runs on.
type Driver interface {
	// Name is the engine family.
	Name() schema.Dialect
	// QuoteIdent quotes an identifier, doubling embedded quote characters.
	QuoteIdent(name string) string
	// TransactionalDDL reports whether DDL can run inside a transaction that
	// also bumps the version (SQLite: yes; MySQL: no, every DDL commits).
	TransactionalDDL() bool
	// Lock takes the database-wide migration lock on conn, waiting at most
	// timeout, and returns the function that releases it and puts back
	// whatever connection setting taking it changed (conn may be an
	// application's, returned to its pool afterwards). It returns an
	// error wrapping ErrLocked, or one with a Timeout() bool method, when
	// another process holds the lock past timeout. A driver whose lock can
	// be lost while conn lives implements LockAcquirer too, which the
	// executor then uses instead.
	Lock(ctx context.Context, conn *sql.Conn, timeout time.Duration) (unlock func() error, err error)
	// BeginMigration prepares conn for one migration and starts it, and
	// returns the handle that finishes it: SQLite turns foreign key
	// enforcement off outside the transaction (so a table rebuild cannot
	// fire ON DELETE CASCADE) and begins an IMMEDIATE transaction; MySQL
	// sets the sql_mode migrations are rendered for. What the migration
	// must remember until its end (the settings to put back) lives in the
	// handle, so a driver value serves any number of connections. On
	// error, conn is as it was.
	BeginMigration(ctx context.Context, conn *sql.Conn) (MigrationHandle, error)
	Sessioner
	OwnTables
}

// MigrationHandle is a migration that Driver.BeginMigration started on a
// connection. End finishes it: with commit true it first checks integrity
// (SQLite: PRAGMA foreign_key_check) and commits, else it rolls back;
// either way it puts every connection setting BeginMigration or the
// migration's statements changed back to its value before BeginMigration.
// End is called once, also when ctx is done.
//
// Like Lock it is an alias of an interface literal, so that a dialect's
// BeginMigration returns the identical type without importing this
// package.
type MigrationHandle = interface {
	End(ctx context.Context, commit bool) error
}

// ReadPreparer is implemented by drivers whose engine fails a read at
// once, instead of waiting, while another connection writes: SQLite,
// whose busy_timeout is 0 unless the application's DSN sets one. The
// executor reads the version, the format of its tables and the last run
// before it takes the lock, on a connection of the application's pool;
// PrepareRead makes conn wait up to timeout for another process's write
// to end, and returns the function that puts conn back as it was.
type ReadPreparer interface {
	PrepareRead(ctx context.Context, conn *sql.Conn, timeout time.Duration) (restore func() error, err error)
}

// BusyReporter is implemented by drivers whose engine reports a write lock
// that another connection held past the timeout as an error of its own
// (SQLite's SQLITE_BUSY), so that the executor can report it as ErrLocked.
type BusyReporter interface {
	IsBusy(err error) bool
}

// LockAcquirer is implemented by drivers whose lock can be lost while the
// run's connection lives, or must be renewed: AcquireLock takes the lock as
// Driver.Lock does and returns the handle the run holds until it releases
// it. db is the pool conn came from: a lock renewed while conn runs a long
// statement (a lease in a table) renews it from another connection.
// Without it, the lock is Driver.Lock's, held as long as the connection.
type LockAcquirer interface {
	AcquireLock(ctx context.Context, db *sql.DB, conn *sql.Conn, timeout time.Duration) (Lock, error)
}

// Clusterer is implemented by drivers whose server may be a node of a
// multi-primary cluster (Galera), where a session lock holds on one node
// only. When Cluster reports true, the executor's lock is a lease: a
// committed row of its history table, renewed from another connection.
// Cluster may set what conn needs for reads that decide to see the whole
// cluster's commits; restore puts it back. It refuses a session whose
// writes would not replicate.
type Clusterer interface {
	Cluster(ctx context.Context, conn *sql.Conn) (clustered bool, restore func() error, err error)
}

// ClusterDDLChecker is implemented by drivers whose cluster sessions may
// run DDL on their node only (Galera's RSU): a run refuses such a session
// before it takes the lock, since its version rows would replicate and
// its schema changes would not.
type ClusterDDLChecker interface {
	CheckClusterDDL(ctx context.Context, conn *sql.Conn) error
}

// Lock is the migration lock a run holds. The executor verifies it before
// each migration's bookkeeping writes and renews it before each statement,
// so a session lock (GET_LOCK) and a lease in a table (a cluster, where a
// session lock is node-local) serve it alike.
//
// It is an alias of an interface literal, not a defined type: a dialect
// returns the identical type by spelling the same literal, so its
// AcquireLock satisfies LockAcquirer without importing this package.
type Lock = interface {
	// Verify reports whether the lock is still held by this run: false
	// when the engine says another session holds it or nobody does, or
	// when the session that held it is gone. An error means it could not
	// tell.
	Verify(ctx context.Context) (bool, error)
	// Renew extends a lock that expires (a lease) so that it outlives the
	// next statement, and fails when the lock was lost meanwhile. A lock
	// held by a session needs nothing and returns nil.
	Renew(ctx context.Context) error
	// Release gives the lock up.
	Release(ctx context.Context) error
}

// LockBreaker is implemented by drivers whose lock has a holder that can be
// named and forced out: what `schemactl unlock` shows and does. For a
// session lock (GET_LOCK) forcing it out ends the holder's session, which
// rolls back its open transaction and stops its running statement.
type LockBreaker interface {
	// LockHolder reports who holds the migration lock of conn's database;
	// held is false when nobody does.
	LockHolder(ctx context.Context, conn *sql.Conn) (holder LockHolder, held bool, err error)
	// ForceUnlock frees the lock from session, as LockHolder named it. It
	// refuses when that session no longer holds the lock, so that a
	// confirmation given for one holder never removes another.
	ForceUnlock(ctx context.Context, conn *sql.Conn, session string) error
}

// LockHolder describes the holder of a migration lock. Like Lock it is an
// alias of a type literal that dialects spell the same way.
type LockHolder = struct {
	// Session is the holder's session, as Sessioner reports it.
	Session string
	// User and Host are who holds it and from where, when known.
	User, Host string
	// Since is when the lock was taken; zero when the engine does not
	// record it (GET_LOCK).
	Since time.Time
	// Command is what the session is doing ("Sleep", "Query", …), Running
	// for how long, and Statement the statement it runs, if any.
	Command   string
	Running   time.Duration
	Statement string
}

// Sessioner names the session running a migration, recorded in its history
// row (MySQL: CONNECTION_ID(), the id KILL takes).
type Sessioner interface {
	Session(ctx context.Context, conn *sql.Conn) (string, error)
}

// OwnTables are the catalog facts and DDL spellings the executor needs to
// keep its own tables. Their columns are the executor's; how a table is
// created and stored is the engine's.
type OwnTables interface {
	// TableExists reports whether conn's database has a table of that name.
	TableExists(ctx context.Context, conn *sql.Conn, name string) (bool, error)
	// OwnTableDDL spells a change to one of the executor's tables (an
	// *schema.AddTable, or a *schema.ModifyTable adding columns), with
	// whatever the engine needs for a bookkeeping table (MySQL: InnoDB, so
	// that a progress record can commit with the statement it records).
	OwnTableDDL(c schema.Change) ([]string, error)
	// OwnTableFixes returns the statements that bring an existing table of
	// the executor up to those needs (MySQL: ALTER TABLE … ENGINE=InnoDB
	// for a table the server's default engine created); none when it
	// meets them.
	OwnTableFixes(ctx context.Context, conn *sql.Conn, name string) ([]string, error)
}

// Classifier tells what running a statement does, as far as resuming an
// interrupted migration must know it; catalog-aware, so it can say whether
// DML writes transactional tables only.
type Classifier interface {
	Classify(ctx context.Context, conn *sql.Conn, stmt string) (sqltext.Class, error)
}

// PreImager reads a canonical text of the catalog state of objs (absent
// ones included as absent): equal before and after a statement iff the
// statement did not change them, which tells whether an interrupted DDL
// took effect.
type PreImager interface {
	PreImage(ctx context.Context, conn *sql.Conn, objs []sqltext.Object) (string, error)
}

// PostImager computes what PreImager would read after stmt ran on objects
// whose state pre (a PreImage text) describes: the exact effect of stmt,
// found by running it on a copy, so that a resumed run can tell "it took
// effect" from "something else changed them". ok is false when it cannot
// tell (an object it cannot copy, a statement naming another database).
type PostImager interface {
	PostImage(ctx context.Context, conn *sql.Conn, objs []sqltext.Object, pre, stmt string) (post string, ok bool, err error)
}

// StatementErrors tells what a failed statement's error says about its
// effect, on an engine whose statements commit by themselves.
type StatementErrors interface {
	// Definite reports whether err is the server's own answer that the
	// statement failed and left nothing (a syntax error, a duplicate
	// key), as opposed to a lost connection or an interrupted statement,
	// after which it may have taken effect.
	Definite(err error) bool
	// Retryable reports whether err rolled back the statement's
	// transaction and a new attempt may succeed (a deadlock).
	Retryable(err error) bool
}

// TxChecker is implemented by engines where a statement can commit the
// transaction it runs in (MySQL's implicit commit): InTransaction reports
// whether conn's transaction is still open, checked before the progress
// record is written in it.
type TxChecker interface {
	InTransaction(ctx context.Context, conn *sql.Conn) (bool, error)
}

// QueryKiller is implemented by engines that can stop a session's running
// statement from another connection (MySQL's KILL QUERY): a cancelled run
// stops its statement that way, and keeps its own connection to record
// the outcome, instead of closing the socket and leaving the statement
// running on the server.
type QueryKiller interface {
	KillQuery(ctx context.Context, db *sql.DB, session string) error
}
