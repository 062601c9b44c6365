package executor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Apply verifies schemactl.sum, then runs the pending migrations in order up
// to opts.To. A database at a version the directory does not have is
// refused, as is a target behind the database (that is Downgrade's job).
func (e *Executor) Apply(ctx context.Context, opts ApplyOptions) (*Result, error) {
	return e.migrate(ctx, opts.To, Up, opts.DryRun, opts.AllowAhead)
}

// Downgrade verifies schemactl.sum, then runs down sections, newest first,
// until the database is at target: "-N" (N migrations back), a version, or
// "base". Every migration on the way must have a down section; this is
// checked before anything runs.
func (e *Executor) Downgrade(ctx context.Context, target string) (*Result, error) {
	return e.migrate(ctx, target, Down, false, false)
}

func (e *Executor) migrate(ctx context.Context, target string, dir Direction, dryRun, allowAhead bool) (*Result, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	if err := e.Dir.Verify(); err != nil {
		return nil, err
	}
	c, err := e.migrations()
	if err != nil {
		return nil, err
	}
	st, err := e.readStart(ctx, c, allowAhead && dir == Up)
	if err != nil {
		return nil, err
	}
	p, ok := c.pos(st.cur)
	switch {
	case !ok && st.ahead:
		return &Result{Direction: dir, From: st.cur, To: st.cur, DryRun: dryRun, Ahead: true}, nil
	case !ok && st.notAheadWhy != "":
		return nil, fmt.Errorf("%w; %s", unknownVersion(st.cur), st.notAheadWhy)
	case !ok:
		return nil, unknownVersion(st.cur)
	}
	t, todo, err := c.todo(target, p, dir)
	if err != nil {
		return nil, err
	}
	accepted, err := e.checkPins(c, p, st.pins)
	if err != nil {
		return nil, err
	}
	if err := checkPartial(c, todo, dir, st.last); err != nil {
		return nil, err
	}
	if err := e.checkOnlineAvailable(todo); err != nil {
		return nil, err
	}
	if err := checkFilledIn(todo, dir); err != nil {
		return nil, err
	}
	res := &Result{Direction: dir, From: st.cur, To: st.cur, DryRun: dryRun, OnlineAll: e.OnlineAll}
	if dryRun {
		if res.Resume, err = e.forecastResume(todo, dir, st.last); err != nil {
			return nil, err
		}
		// A run that resumes checks no drift: the schema is part way.
		if res.Resume == nil {
			if err := e.checkDriftDryRun(ctx, todo, dir); err != nil {
				return nil, err
			}
		}
		if res.Online, err = e.forecastOnline(ctx, todo, dir, res.Resume.First()); err != nil {
			return nil, err
		}
		res.Migrations, res.To, res.WouldAccept = todo, c.version(t), accepted
		return res, nil
	}
	if len(accepted) > 0 {
		if err := e.accept(ctx, c, accepted); err != nil {
			return nil, err
		}
	}
	if len(todo) == 0 {
		return res, nil
	}
	return res, e.run(ctx, c, t, dir, res)
}

// start is where a run finds the database before it takes the lock.
type start struct {
	cur  string  // the version
	last *Record // the last run, nil when none
	// ahead is set when cur is a version c lacks that is past its head
	// along the same history; when it is not, notAheadWhy may say why.
	ahead       bool
	notAheadWhy string
	pins        pinState // what the applied versions are pinned to
}

// readStart reads the state on a connection of its own, without the lock
// and without writing: a dry run, or a run with nothing to do, changes
// nothing, not even the format of the executor's tables. With allowAhead,
// a version c lacks is checked for being ahead of it.
func (e *Executor) readStart(ctx context.Context, c chain, allowAhead bool) (*start, error) {
	st := &start{}
	err := e.withConn(ctx, func(conn *sql.Conn) error {
		f, err := e.format(ctx, conn)
		if err != nil {
			return err
		}
		if st.cur, err = e.current(ctx, conn); err != nil {
			return err
		}
		if st.last, err = e.lastRun(ctx, conn, f); err != nil {
			return err
		}
		if st.pins, err = e.readPins(ctx, conn, f); err != nil {
			return err
		}
		if e.Resolve != ResolveAuto && !st.last.inDoubt() {
			return fmt.Errorf("--resume-%s: no statement is in doubt; the last run left nothing to resolve", e.Resolve)
		}
		if _, known := c.pos(st.cur); !known && allowAhead {
			st.ahead, st.notAheadWhy, err = e.ahead(ctx, conn, f, c, st.cur)
		}
		return err
	})
	return st, err
}

// checkPartial refuses early, before taking the lock, when the last run
// left a migration half done and this one would not start by finishing it.
// The check is made again under the lock (stepNonTx); this one also covers
// a run with nothing to do, which would otherwise report success.
func checkPartial(c chain, todo []*Migration, dir Direction, last *Record) error {
	if !last.partial() {
		return nil
	}
	if len(todo) == 0 || todo[0].Version != last.Version || last.Direction != dir {
		return partialError(last, c)
	}
	return nil
}

// run takes the lock and steps toward target until there. Each step reads
// the version again under the lock, so that a migration another process
// applied meanwhile is never run twice.
func (e *Executor) run(ctx context.Context, c chain, target int, dir Direction, res *Result) (err error) {
	conn, lock, unlock, err := e.lock(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, unlock()) }()
	defer func() { err = explainLoss(ctx, lock, err) }()
	if err := e.prepareTables(ctx, conn); err != nil {
		return err
	}
	session, err := e.session(ctx, conn)
	if err != nil {
		return err
	}
	r := runner{e: e, conn: conn, lock: lock, c: c, target: target, dir: dir, res: res, operator: operator(), session: session, resolve: e.Resolve}
	for {
		if n := len(res.Migrations); n > 0 && r.interrupted() {
			// Between two migrations: the last one committed whole.
			last := res.Migrations[n-1]
			total := len(last.Statements(dir))
			return &InterruptedError{File: last.File, Done: total, Total: total}
		}
		var more bool
		if e.Driver.TransactionalDDL() {
			more, err = r.stepTx(ctx)
		} else {
			more, err = r.stepNonTx(ctx)
		}
		if err != nil || !more {
			return err
		}
	}
}

// runner carries one run's state through its steps.
type runner struct {
	e        *Executor
	conn     *sql.Conn
	lock     Lock
	c        chain
	target   int
	dir      Direction
	res      *Result
	operator string
	session  string // the engine's session running the migrations
	resolve  Resolution
}

// next reads the version on the pinned connection (inside the transaction
// for transactional engines) and picks the migration to run, if any.
func (r *runner) next(ctx context.Context) (*Migration, error) {
	cur, err := r.e.readVersion(ctx, r.conn)
	if err != nil {
		return nil, err
	}
	if cur != r.res.To {
		r.e.emit(&VersionMoved{Expected: r.res.To, Found: cur})
		r.res.To = cur
	}
	return r.c.step(cur, r.target, r.dir)
}

// pins is what an up run of m pins its version to; "" for a down run.
func (r *runner) pins(m *Migration) string {
	if r.dir != Up {
		return ""
	}
	return pinsOf(m, r.e.lexer()).String()
}

// after is the version a migration leaves behind in direction dir.
func after(m *Migration, dir Direction) string {
	if dir == Down {
		return m.Revises
	}
	return m.Version
}

// stepTx runs one migration in one transaction together with its version
// bump and history row: all of it commits, or none.
func (r *runner) stepTx(ctx context.Context) (more bool, err error) {
	e := r.e
	h, err := e.Driver.BeginMigration(ctx, r.conn)
	if err != nil {
		if isLockTimeout(err) {
			return false, e.lockError(err)
		}
		return false, fmt.Errorf("begin migration: %w", err)
	}
	open := true
	defer func() {
		if open {
			if rerr := h.End(ctx, false); rerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back: %w", rerr))
			}
		}
	}()
	m, err := r.next(ctx)
	if err != nil || m == nil {
		return false, err
	}
	if err := r.checkDrift(ctx, m); err != nil {
		return false, err
	}
	if _, err := r.checkOnline(ctx, m, 0); err != nil {
		return false, err
	}
	stmts := m.Statements(r.dir)
	rec := &Record{Version: m.Version, Direction: r.dir, Checksum: m.Checksum, StartedAt: time.Now(),
		Total: len(stmts), Operator: r.operator, Session: r.session, Pins: r.pins(m)}
	e.emit(&MigrationStart{Migration: m, Direction: r.dir, Online: r.wantsOnline(m)})
	for i := range stmts {
		err := r.exec(ctx, m, i, nil)
		if err == nil && i+1 < len(stmts) && r.interrupted() {
			// Stop here: the migration's transaction rolls back whole.
			open = false
			err = errors.Join(&InterruptedError{File: m.File, Done: i + 1, Total: len(stmts), RolledBack: true}, h.End(ctx, false))
			r.res.Statements -= i + 1
			return false, r.fail(ctx, m, rec, 0, err)
		}
		if err != nil {
			open = false
			if rerr := h.End(ctx, false); rerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back: %w", rerr))
			}
			r.res.Statements -= i // rolled back
			return false, r.fail(ctx, m, rec, i+1, err)
		}
	}
	if err := verifyLock(ctx, r.lock, m.File); err != nil {
		return false, err
	}
	if err := e.writeVersion(ctx, r.conn, after(m, r.dir)); err != nil {
		return false, err
	}
	rec.Done, rec.FinishedAt = len(stmts), time.Now()
	if err := e.insertRecord(ctx, r.conn, rec); err != nil {
		return false, err
	}
	open = false
	if err := h.End(ctx, true); err != nil {
		// The driver rolled back (a foreign key check failed, or the commit).
		r.res.Statements -= len(stmts)
		return false, r.fail(ctx, m, rec, 0, fmt.Errorf("%s: commit: %w", m.File, err))
	}
	r.done(m, rec, len(stmts))
	return true, nil
}

// fail records a failed migration in the history table and returns err.
// On a transactional engine the migration was rolled back: the row says
// nothing stayed (Done 0). The row is written even if ctx was cancelled,
// since the failure is what the next status must explain.
func (r *runner) fail(ctx context.Context, m *Migration, rec *Record, stmt int, err error) error {
	ctx = context.WithoutCancel(ctx)
	r.e.emit(&MigrationFailed{Migration: m, Direction: r.dir, Err: err})
	rec.Error, rec.ErrorStatement, rec.FinishedAt = err.Error(), stmt, time.Now()
	if r.e.Driver.TransactionalDDL() {
		rec.Done = 0
		rec.StatementHashes = nil
		if herr := r.e.insertRecord(ctx, r.conn, rec); herr != nil {
			return errors.Join(err, herr)
		}
		return err
	}
	if herr := r.e.updateRecord(ctx, r.conn, rec); herr != nil {
		return errors.Join(err, herr)
	}
	return err
}

// done records a finished migration in the result and reports it; ran is
// the number of statements this attempt executed.
func (r *runner) done(m *Migration, rec *Record, ran int) {
	r.res.To = after(m, r.dir)
	r.res.Migrations = append(r.res.Migrations, m)
	r.e.emit(&MigrationDone{Migration: m, Direction: r.dir, Version: r.res.To,
		Statements: ran, Duration: time.Since(rec.StartedAt)})
}

// startStatement renews the lock before statement i of m runs, and
// reports the start.
func (r *runner) startStatement(ctx context.Context, m *Migration, i int) error {
	stmts := m.Statements(r.dir)
	if err := r.lock.Renew(ctx); err != nil {
		return fmt.Errorf("%s: renew the migration lock before statement %d: %w", m.File, i+1, err)
	}
	r.e.emit(&StatementStart{Migration: m, Direction: r.dir, Index: i + 1, Total: len(stmts), Stmt: stmts[i]})
	return nil
}

// exec runs statement i of m. After it succeeds, record (if not nil) puts
// it on record before progress is reported.
func (r *runner) exec(ctx context.Context, m *Migration, i int, record func() error) error {
	stmts := m.Statements(r.dir)
	st := stmts[i]
	if err := r.startStatement(ctx, m, i); err != nil {
		return err
	}
	start := time.Now()
	if _, err := r.conn.ExecContext(ctx, st.SQL); err != nil {
		return &StmtError{File: m.File, Version: m.Version, Direction: r.dir, Index: i + 1, Total: len(stmts), Stmt: st, Err: err}
	}
	r.res.Statements++
	if record != nil {
		if err := record(); err != nil {
			return err
		}
	}
	r.e.emit(&StatementDone{Migration: m, Direction: r.dir, Index: i + 1, Total: len(stmts), Stmt: st, Duration: time.Since(start)})
	return nil
}

// ahead tells whether a database at cur, a version the directory lacks,
// is past the directory's head along the same history: a version numbered
// after the head, and the head's file applied (by its checksum) and not
// reverted since. An empty directory has no head to show that by. When it
// is not ahead, why says so.
func (e *Executor) ahead(ctx context.Context, conn *sql.Conn, format int, c chain, cur string) (ok bool, why string, err error) {
	head := c.head()
	switch {
	case head == "":
		// Nothing shows the database came along this directory: a wrong
		// fs.Sub path gives an empty one, which would accept any version.
		return false, fmt.Sprintf("%s is empty, so nothing shows the database is ahead along it", e.Dir), nil
	case compareVersions(cur, head) <= 0:
		return false, fmt.Sprintf("it is not ahead of %s, whose head is %s", e.Dir, head), nil
	}
	if ok, err := e.tableExists(ctx, conn, e.historyTable()); err != nil || !ok {
		return false, fmt.Sprintf("without a history, %s cannot be shown to be ahead of %s", cur, head), err
	}
	rs, err := e.records(ctx, conn, format, false)
	if err != nil {
		return false, "", err
	}
	m := c.find(head)
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		if r.Version != head || !r.Succeeded() || r.Direction == Stamp {
			continue
		}
		if r.Direction == Down || r.Checksum != m.Checksum {
			break
		}
		return true, "", nil
	}
	return false, fmt.Sprintf("the history does not show %s (%s) applied, so it is not ahead along this directory", head, m.File), nil
}

// checkFilledIn refuses to apply a migration whose up section is empty:
// "schemactl revision" writes one for the user to fill in, and recording
// its version without running anything would let the database claim a
// change it never got.
func checkFilledIn(todo []*Migration, dir Direction) error {
	if dir != Up {
		return nil
	}
	for _, m := range todo {
		if len(m.Up) == 0 {
			return fmt.Errorf("%s: the up section is empty: fill in the revision (write its SQL after -- +up, then run schemactl hash); nothing was run", m.File)
		}
	}
	return nil
}
