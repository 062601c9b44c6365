package executor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// DefaultLockTimeout is how long a run waits for the migration lock when
// Executor.LockTimeout is zero.
const DefaultLockTimeout = 10 * time.Second

// Executor runs the migrations of Dir against DB.
type Executor struct {
	DB     *sql.DB
	Driver Driver
	Dir    *Dir
	// VersionTable is the version table's name; the history table is named
	// after it with "_history". Empty means DefaultVersionTable.
	VersionTable string
	// LockTimeout bounds the wait for another run's lock; zero means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// LeaseTTL is how long the migration lease of a cluster (see
	// Clusterer) outlives its last renewal; zero means DefaultLeaseTTL.
	LeaseTTL time.Duration
	// Observer receives progress events; nil is silent.
	Observer func(Event)
	// CheckDrift, when set, is asked under the lock, before a migration that
	// records what it was planned against (Migration.PlannedAgainst) runs
	// up, whether the live schema read on conn is that schema; it returns a
	// *DriftError when it is not, and Apply stops. What "the same schema"
	// means (fingerprints and their versions) is the caller's. Nil turns
	// the check off (--allow-drift).
	CheckDrift func(ctx context.Context, conn *sql.Conn, m *Migration) error
	// AcceptEdited names applied migrations ("0002", or "2") whose files
	// were edited since they ran, and reviewed: Apply and Downgrade record
	// the files as what those versions are pinned to now (a history row of
	// direction Accept, once per database) instead of refusing them with
	// an *EditedError. A version that is not edited is passed over.
	AcceptEdited []string
	// Resolve decides a statement that an earlier run left in doubt
	// (see DoubtError) when the catalog cannot: the operator's word. The
	// zero value decides from the catalog alone.
	Resolve Resolution
	// Interrupt, when it is closed, stops a run after the statement that
	// is running: its outcome is recorded, and the run returns an
	// *InterruptedError. Cancelling the context instead stops the running
	// statement itself (on MySQL with KILL QUERY from another connection).
	Interrupt <-chan struct{}
	// NoPreflight turns off the data checks a Preflighter driver runs
	// before each migration (--no-preflight); PreflightTimeout bounds
	// each of their queries, zero meaning DefaultPreflightTimeout.
	NoPreflight      bool
	PreflightTimeout time.Duration
	// Online runs the ALTER TABLE statements of migrations that ask for it
	// (Migration.Online) without blocking writes; nil when the engine has
	// no such tool, and such migrations are refused. OnlineAll asks it
	// for every migration of the run (--online).
	Online    OnlineAlterer
	OnlineAll bool
}

// ApplyOptions select what Apply runs.
type ApplyOptions struct {
	// To is the version to stop at: "" or "head" for the last migration, a
	// version ("0003", or "3"), or "+N" for N migrations past the current.
	To string
	// DryRun returns the migrations that would run, and changes nothing.
	DryRun bool
	// AllowAhead accepts a database at a version past the directory's head
	// that the directory led to (its head ran up and was not reverted
	// since, from the same file), running nothing: an application rolled
	// back to an older build must still start. Without it such a database
	// is refused like any version the directory lacks, and so it is with
	// an empty directory, which shows nothing.
	AllowAhead bool
}

// Result is what a run did. Apply and Downgrade return it with their error
// once they have started running migrations, so that it still says what was
// done before the failure.
type Result struct {
	Direction Direction
	From      string // the version before the run; "" = base
	// To is the version after the run, or with DryRun the target.
	To string
	// Migrations are those that ran to completion, in order; with DryRun,
	// those that would run.
	Migrations []*Migration
	// Statements counts the statements executed that took effect: not those
	// of a migration that was rolled back.
	Statements int
	DryRun     bool
	// Ahead is set when the database was past the directory's head and
	// ApplyOptions.AllowAhead accepted it: nothing ran.
	Ahead bool
	// Resume is, with DryRun, where the first migration resumes when an
	// earlier run left it partly done; nil when it starts afresh.
	Resume *Resume
	// WouldAccept are, with DryRun, the edited applied migrations that
	// AcceptEdited would record (a run reports them as EditAccepted).
	WouldAccept []*Edit
	// Online is, with DryRun, how the first migration's ALTER TABLE
	// statements would run when it asks to run online.
	Online []OnlineForecast
	// OnlineAll is Executor.OnlineAll: every migration's ALTER TABLE
	// statements go online, whatever their headers say.
	OnlineAll bool
}

// Status is where a database stands against the directory.
type Status struct {
	Current string // "" = base
	Head    string // "" when the directory is empty
	Count   int    // the migrations in the directory
	// Unknown is set when Current is not in the directory (an old
	// checkout, another branch); Applied and Pending are then empty.
	Unknown bool
	Applied []*Migration // base to Current
	Pending []*Migration // after Current to Head
	// Failure is the last run when it failed or was interrupted; nil when
	// it succeeded.
	Failure *Failure
	// SumErr is the result of Dir.Verify: non-nil (a *ChecksumError) when
	// the directory no longer matches schemactl.sum.
	SumErr error
	// Edits are applied migrations whose files differ from what ran (see
	// EditedError), which Apply and Downgrade refuse.
	Edits []*Edit
	// NotPinned are applied versions without a history row to compare
	// their files with: a stamp passed them.
	NotPinned []string
}

// Failure describes a run that did not finish.
type Failure struct {
	Record
	File string // the migration's file, "" if it is no longer in the directory
	// Partial is set when statements 1..Done ran and stayed, or statement
	// Done+1 is in doubt (engines without transactional DDL): only the
	// next run in the same direction may go on, at statement Done+1 or
	// after it. On SQLite a failed migration is rolled back whole and
	// Partial is never set.
	Partial bool
	// Interrupted is set when the process died or lost its connection
	// without recording an error.
	Interrupted bool
	// InDoubt is set when statement Done+1 may or may not have taken
	// effect (engines without transactional DDL): the next run in the
	// same direction decides it under the lock from Next, or refuses.
	InDoubt bool
}

func (e *Executor) check() error {
	switch {
	case e.DB == nil:
		return errors.New("no database")
	case e.Driver == nil:
		return errors.New("no driver")
	case e.Dir == nil:
		return errors.New("no migration directory")
	}
	return nil
}

func (e *Executor) lockTimeout() time.Duration {
	if e.LockTimeout <= 0 {
		return DefaultLockTimeout
	}
	return e.LockTimeout
}

func (e *Executor) emit(ev Event) {
	if e.Observer != nil {
		e.Observer(ev)
	}
}

// migrations reads the directory, splitting statements for the driver's
// engine.
func (e *Executor) migrations() (chain, error) {
	return e.Dir.migrations(e.lexer())
}

// Current reads the version the database is at; "" is base. A database
// without a version table is at base; nothing is created.
func (e *Executor) Current(ctx context.Context) (string, error) {
	if err := e.check(); err != nil {
		return "", err
	}
	var v string
	err := e.withConn(ctx, func(conn *sql.Conn) error {
		if _, err := e.format(ctx, conn); err != nil {
			return err
		}
		var err error
		v, err = e.current(ctx, conn)
		return err
	})
	return v, err
}

// current reads the version on conn, which may have no version table yet.
// A version table that is missing while the history records runs is not
// base: the migrations would run again over what they made. It is a
// *VersionTableError, which stamp resolves.
func (e *Executor) current(ctx context.Context, conn *sql.Conn) (string, error) {
	ok, err := e.tableExists(ctx, conn, e.versionTable())
	if err != nil {
		return "", err
	}
	if ok {
		return e.readVersion(ctx, conn)
	}
	if ok, err := e.tableExists(ctx, conn, e.historyTable()); err != nil || !ok {
		return "", err
	}
	f, err := e.format(ctx, conn)
	if err != nil {
		return "", err
	}
	rs, err := e.records(ctx, conn, f, false)
	if err != nil || len(rs) == 0 {
		return "", err
	}
	// These reads take no lock: a first run elsewhere may have created
	// both tables between the two looks. Then the version table is there
	// now, and says the version.
	if ok, err := e.tableExists(ctx, conn, e.versionTable()); err != nil || ok {
		if err != nil {
			return "", err
		}
		return e.readVersion(ctx, conn)
	}
	return "", e.versionTableError(rs)
}

// VersionTableError refuses a database whose version table is missing
// while its history table records runs: its version is unknown, and
// reading it as base would run every migration again. Stamp, after a
// look at the schema, recreates the table.
type VersionTableError struct {
	Table   string
	History string
	Runs    int // history rows: runs and stamps
	// Last is the latest run that succeeded, nil if none did; Implied
	// is the version it left the database at, when the directory says.
	Last    *Record
	Implied string
	Known   bool
}

func (e *VersionTableError) Error() string {
	entries := "entries"
	if e.Runs == 1 {
		entries = "entry"
	}
	msg := fmt.Sprintf("the version table %s is missing, but %s holds %d history %s", e.Table, e.History, e.Runs, entries)
	if e.Last == nil {
		return msg + ": the database's version is unknown; check its schema, then schemactl stamp the version it is at"
	}
	msg += fmt.Sprintf("; the last that succeeded: %s %s on %s", e.Last.Direction, versionOrBase(e.Last.Version), e.Last.FinishedAt.Format("2006-01-02 15:04:05"))
	if !e.Known {
		return msg + ": the database's version is unknown; check its schema, then schemactl stamp the version it is at"
	}
	return msg + fmt.Sprintf(", which left it at %s: check the schema, then schemactl stamp %s", versionOrBase(e.Implied), versionOrBase(e.Implied))
}

// Is makes errors.Is(err, ErrUnknownVersion) true.
func (e *VersionTableError) Is(target error) bool { return target == ErrUnknownVersion }

func (e *Executor) versionTableError(rs []Record) error {
	ve := &VersionTableError{Table: e.versionTable(), History: e.historyTable(), Runs: len(rs)}
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Succeeded() && rs[i].Direction != Accept {
			ve.Last = &rs[i]
			break
		}
	}
	if ve.Last == nil {
		return ve
	}
	switch ve.Last.Direction {
	case Up, Stamp:
		ve.Implied, ve.Known = ve.Last.Version, true
	case Down:
		if c, err := e.migrations(); err == nil {
			if p, ok := c.pos(ve.Last.Version); ok && p > 0 {
				ve.Implied, ve.Known = c.version(p-1), true
			}
		}
	}
	return ve
}

func versionOrBase(v string) string {
	if v == "" {
		return "base"
	}
	return v
}

// History returns the history table, oldest first; nil when there is none.
// Rows of an older format are read as they are.
func (e *Executor) History(ctx context.Context) ([]Record, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	var rs []Record
	err := e.withConn(ctx, func(conn *sql.Conn) error {
		f, err := e.format(ctx, conn)
		if err != nil {
			return err
		}
		ok, err := e.tableExists(ctx, conn, e.historyTable())
		if err != nil || !ok {
			return err
		}
		rs, err = e.records(ctx, conn, f, false)
		return err
	})
	return rs, err
}

// lastRun is the latest history row on conn, in the tables' format f; nil
// when there is none or no history table yet.
func (e *Executor) lastRun(ctx context.Context, conn *sql.Conn, f int) (*Record, error) {
	ok, err := e.tableExists(ctx, conn, e.historyTable())
	if err != nil || !ok {
		return nil, err
	}
	return e.lastRecord(ctx, conn, f)
}

// withConn runs f on a connection of its own, which the reading commands
// and a run's reads before the lock use for all their queries: they never
// write, whatever the format. The connection is the application's (the Go
// API hands the executor its pool): a driver that must prepare it to wait
// for another process's write (ReadPreparer) does so for f, up to the lock
// timeout, and puts it back before it returns to the pool; so does a
// driver whose server is a cluster node (Clusterer), for reads in sync
// with the cluster.
func (e *Executor) withConn(ctx context.Context, f func(conn *sql.Conn) error) (err error) {
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	clustered := false
	if c, ok := e.Driver.(Clusterer); ok {
		// On a cluster these reads decide (status, resume, the version
		// before the lock): they must see what the cluster committed.
		var restore func() error
		clustered, restore, err = c.Cluster(ctx, conn)
		if err != nil {
			return err
		}
		if clustered && restore != nil {
			defer func() {
				if rerr := restore(); rerr != nil {
					err = errors.Join(err, fmt.Errorf("restore the connection: %w", rerr))
				}
			}()
		}
	}
	if p, ok := e.Driver.(ReadPreparer); ok {
		restore, err := p.PrepareRead(ctx, conn, e.lockTimeout())
		if err != nil {
			return fmt.Errorf("prepare the connection: %w", err)
		}
		defer func() {
			if rerr := restore(); rerr != nil {
				err = errors.Join(err, fmt.Errorf("restore the connection: %w", rerr))
			}
		}()
	}
	if clustered {
		// A DDL another node replicates (TOI) aborts the reads it
		// conflicts with: read again.
		return e.busyError(e.retryAborted(func() error { return f(conn) }))
	}
	return e.busyError(f(conn))
}

// retryAborted runs f again, a bounded number of times, while the server
// aborts it as a deadlock's victim: on a cluster, reads and the lease's
// set-up conflict with the DDL another node's run replicates. f must be
// safe to repeat.
func (e *Executor) retryAborted(f func() error) error {
	d, ok := e.Driver.(StatementErrors)
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil || !ok || attempt == maxDeadlockRetries || !d.Retryable(err) {
			return err
		}
	}
}

// busyError reports an error of the engine's own for a lock another
// connection held past the timeout (BusyReporter) as ErrLocked.
func (e *Executor) busyError(err error) error {
	if b, ok := e.Driver.(BusyReporter); ok && err != nil && b.IsBusy(err) {
		return fmt.Errorf("%w (waited %s): %w", ErrLocked, e.lockTimeout(), err)
	}
	return err
}

// Status compares the database with the directory. A directory that fails
// Verify is reported in SumErr rather than as an error, so that status can
// still explain the state.
func (e *Executor) Status(ctx context.Context) (*Status, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	st := &Status{}
	if err := e.Dir.Verify(); err != nil {
		if !errors.Is(err, ErrChecksum) {
			return nil, err
		}
		st.SumErr = err
	}
	c, err := e.migrations()
	if err != nil {
		return nil, err
	}
	st.Head, st.Count = c.head(), len(c)
	var (
		last *Record
		pins pinState
	)
	err = e.withConn(ctx, func(conn *sql.Conn) error {
		f, err := e.format(ctx, conn)
		if err != nil {
			return err
		}
		if st.Current, err = e.current(ctx, conn); err != nil {
			return err
		}
		if last, err = e.lastRun(ctx, conn, f); err != nil {
			return err
		}
		pins, err = e.readPins(ctx, conn, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p, ok := c.pos(st.Current); ok {
		st.Applied, st.Pending = c[:p], c[p:]
		st.Edits, st.NotPinned = pins.check(c, st.Applied, e.lexer())
	} else {
		st.Unknown = true
	}
	if last != nil && last.Direction != Stamp && !last.Succeeded() {
		f := &Failure{Record: *last, Partial: last.partial(), Interrupted: last.FinishedAt.IsZero(), InDoubt: last.inDoubt()}
		if m := c.find(last.Version); m != nil {
			f.File = m.File
		}
		st.Failure = f
	}
	return st, nil
}

// Stamp sets the version table to version ("base" or "" for none, "head",
// or a version as Apply's To takes it) without running anything, the way
// to adopt a database whose schema already matches, and returns the
// version stamped as the directory spells it ("" = base): what the table
// now holds, which callers report rather than what was typed ("1" stamps
// 0001). It also clears the record of a failed run.
func (e *Executor) Stamp(ctx context.Context, version string) (stamped string, err error) {
	if err := e.check(); err != nil {
		return "", err
	}
	c, err := e.migrations()
	if err != nil {
		return "", err
	}
	p, err := c.resolve(version, 0, Stamp)
	if err != nil {
		return "", err
	}
	v := c.version(p)
	if err := e.stamp(ctx, c, v); err != nil {
		return "", err
	}
	return v, nil
}

// stamp writes v, a version of c or "", and its history row under the
// lock.
func (e *Executor) stamp(ctx context.Context, c chain, v string) error {
	prepare := func(conn *sql.Conn) error {
		ok, err := e.tableExists(ctx, conn, e.versionTable())
		if err != nil || ok {
			return err
		}
		// Dropped, with the history kept (VersionTableError): stamp is
		// the way back.
		return e.ownDDL(ctx, conn, &schema.AddTable{T: ownTable(e.versionTable(), versionLayout, TablesFormat)})
	}
	return e.record(ctx, "stamp", prepare, func(tx *sql.Tx, session string) error {
		now := time.Now()
		r := &Record{Version: v, Direction: Stamp, StartedAt: now, FinishedAt: now, Operator: operator(), Session: session}
		if m := c.find(v); m != nil {
			r.Checksum = m.Checksum
		}
		if err := e.writeVersion(ctx, tx, v); err != nil {
			return err
		}
		return e.insertRecord(ctx, tx, r)
	})
}

// record is the bookkeeping of a command that runs no migration (stamp,
// an acceptance): under the lock, with the tables at TablesFormat,
// prepare looks at the database on the locked connection, then write
// writes in one transaction, given the session's name for the history.
func (e *Executor) record(ctx context.Context, what string, prepare func(*sql.Conn) error, write func(tx *sql.Tx, session string) error) (err error) {
	conn, lock, unlock, err := e.lock(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, unlock()) }()
	if err := e.prepareTables(ctx, conn); err != nil {
		return err
	}
	if prepare != nil {
		if err := prepare(conn); err != nil {
			return err
		}
	}
	session, err := e.session(ctx, conn)
	if err != nil {
		return err
	}
	if err := verifyLock(ctx, lock, what); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if err := write(tx, session); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// session names the session conn runs in, for the history.
func (e *Executor) session(ctx context.Context, conn *sql.Conn) (string, error) {
	s, err := e.Driver.Session(ctx, conn)
	if err != nil {
		return "", fmt.Errorf("read session id: %w", err)
	}
	return s, nil
}
