package executor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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
	// Observer receives progress events; nil is silent.
	Observer func(Event)
	// Fingerprint, when set, returns the fingerprint of the live schema
	// (without the executor's own tables) as read on conn. Apply then
	// compares it, under the lock, with the planned-against fingerprint of
	// each migration before running it up, and stops with a *DriftError on
	// a mismatch. Nil turns the check off (--allow-drift).
	Fingerprint func(ctx context.Context, conn *sql.Conn) (string, error)
}

// ApplyOptions select what Apply runs.
type ApplyOptions struct {
	// To is the version to stop at: "" or "head" for the last migration, a
	// version ("0003", or "3"), or "+N" for N migrations past the current.
	To string
	// DryRun returns the migrations that would run, and changes nothing.
	DryRun bool
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
}

// Status is where a database stands against the directory.
type Status struct {
	Current string // "" = base
	Head    string // "" when the directory is empty
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
}

// Failure describes a run that did not finish.
type Failure struct {
	Record
	File string // the migration's file, "" if it is no longer in the directory
	// Partial is set when statements 1..Done ran and stayed (engines without
	// transactional DDL): the next run in the same direction resumes at
	// statement Done+1. On SQLite a failed migration is rolled back whole and
	// Partial is never set.
	Partial bool
	// Interrupted is set when the process died or lost its connection
	// without recording an error: statement Done+1 may or may not have
	// taken effect.
	Interrupted bool
}

func (e *Executor) check() error {
	switch {
	case e.DB == nil:
		return errors.New("executor: no database")
	case e.Driver == nil:
		return errors.New("executor: no driver")
	case e.Dir == nil:
		return errors.New("executor: no migration directory")
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
	ok, err := e.tableExists(ctx, e.DB, e.versionTable())
	if err != nil || !ok {
		return "", err
	}
	return e.readVersion(ctx, e.DB)
}

// History returns the history table, oldest first; nil when there is none.
func (e *Executor) History(ctx context.Context) ([]Record, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	ok, err := e.tableExists(ctx, e.DB, e.historyTable())
	if err != nil || !ok {
		return nil, err
	}
	return e.records(ctx, e.DB, false)
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
	st.Head = c.head()
	if st.Current, err = e.Current(ctx); err != nil {
		return nil, err
	}
	if p, ok := c.pos(st.Current); ok {
		st.Applied, st.Pending = c[:p], c[p:]
	} else {
		st.Unknown = true
	}
	ok, err := e.tableExists(ctx, e.DB, e.historyTable())
	if err != nil || !ok {
		return st, err
	}
	last, err := e.lastRecord(ctx, e.DB)
	if err != nil {
		return nil, err
	}
	if last != nil && last.Direction != Stamp && !last.Succeeded() {
		f := &Failure{Record: *last, Partial: last.partial(), Interrupted: last.FinishedAt.IsZero()}
		if m := c.find(last.Version); m != nil {
			f.File = m.File
		}
		st.Failure = f
	}
	return st, nil
}

// Stamp sets the version table to version ("base" or "" for none) without
// running anything, the way to adopt a database whose schema already
// matches. It also clears the record of a failed run.
func (e *Executor) Stamp(ctx context.Context, version string) (err error) {
	if err := e.check(); err != nil {
		return err
	}
	c, err := e.migrations()
	if err != nil {
		return err
	}
	p, err := c.resolve(version, 0, Stamp)
	if err != nil {
		return err
	}
	v := c.version(p)
	conn, unlock, err := e.lock(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, unlock()) }()
	if err := e.createTables(ctx, conn); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("executor: stamp: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()
	r := &Record{Version: v, Direction: Stamp, StartedAt: now, FinishedAt: now, Operator: operator()}
	if m := c.find(v); m != nil {
		r.Checksum = m.Checksum
	}
	if err := e.writeVersion(ctx, tx, v); err != nil {
		return err
	}
	if err := e.insertRecord(ctx, tx, r); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("executor: stamp: %w", err)
	}
	return nil
}

// lock pins a connection and takes the migration lock on it. The returned
// function releases both.
func (e *Executor) lock(ctx context.Context) (*sql.Conn, func() error, error) {
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("executor: connect: %w", err)
	}
	unlock, err := e.Driver.Lock(ctx, conn, e.lockTimeout())
	if err != nil {
		conn.Close()
		return nil, nil, e.lockError(err)
	}
	return conn, func() error {
		uerr := unlock()
		cerr := conn.Close()
		if uerr != nil {
			return fmt.Errorf("executor: release lock: %w", uerr)
		}
		if cerr != nil {
			return fmt.Errorf("executor: close connection: %w", cerr)
		}
		return nil
	}, nil
}

// lockError marks a lock wait that ran out of time as ErrLocked. Drivers
// cannot import this package, so besides wrapping ErrLocked they may return
// an error with a Timeout() bool method (as os.ErrDeadlineExceeded has).
func (e *Executor) lockError(err error) error {
	if isLockTimeout(err) {
		return fmt.Errorf("executor: %w (waited %s): %w", ErrLocked, e.lockTimeout(), err)
	}
	return fmt.Errorf("executor: take migration lock: %w", err)
}

func isLockTimeout(err error) bool {
	if errors.Is(err, ErrLocked) {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
