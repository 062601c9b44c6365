package executor

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// stepNonTx runs one migration on an engine where every DDL statement
// commits by itself (MySQL, MariaDB). The whole run holds the driver's lock.
// Progress is written to the history row after each statement, together
// with what is known of the next one (see doubt.go), so that a failure or
// a crash leaves an exact account: the next run in the same direction
// resumes after the last statement that ran, provided those statements are
// unchanged, and decides the one that was running, or refuses.
func (r *runner) stepNonTx(ctx context.Context) (more bool, err error) {
	m, err := r.next(ctx)
	if err != nil {
		return false, err
	}
	resume, err := r.resumeAt(ctx, m)
	if err != nil || m == nil {
		return false, err
	}
	if resume == 0 {
		if err := r.checkDrift(ctx, m); err != nil {
			return false, err
		}
	}
	if err := r.preflight(ctx, m, resume); err != nil {
		return false, err
	}
	if _, err := r.checkOnline(ctx, m, resume); err != nil {
		return false, err
	}
	rec, planned, err := r.startRecord(ctx, m, resume)
	if err != nil {
		return false, err
	}
	if err := r.execNonTx(ctx, m, rec, planned, resume); err != nil {
		return false, err
	}
	if err := r.bump(ctx, m, rec); err != nil {
		return false, err
	}
	r.done(m, rec, len(planned)-resume)
	return true, nil
}

// resumeAt is the statement of m, the migration to run next (nil when
// none), that this run starts at: after those that ran and stayed when
// the last run left m partly done in the same direction. A partial run
// of anything else must be finished first, and statements that ran must
// not have changed since. A statement the last run left in doubt is
// decided here, under the lock: the dead run's session, and so its
// statement, is over once this run holds it.
func (r *runner) resumeAt(ctx context.Context, m *Migration) (int, error) {
	// The operator's word is about the run found at the start.
	resolve := r.resolve
	r.resolve = ResolveAuto
	last, err := r.e.lastRecord(ctx, r.conn, TablesFormat)
	if err != nil || !last.partial() {
		if err == nil && resolve != ResolveAuto {
			return 0, fmt.Errorf("--resume-%s: no statement is in doubt; the last run left nothing to resolve", resolve)
		}
		return 0, err
	}
	if m == nil || last.Version != m.Version || last.Direction != r.dir {
		return 0, partialError(last, r.c)
	}
	if err := checkRan(m, r.dir, last); err != nil {
		return 0, err
	}
	if last.inDoubt() {
		return r.resolveDoubt(ctx, m, last, resolve)
	}
	if resolve != ResolveAuto {
		return 0, fmt.Errorf("--resume-%s: no statement is in doubt: %s stopped at statement %d, which failed and left nothing", resolve, m.File, last.Done+1)
	}
	return last.Done, nil
}

// startRecord writes the history row of an attempt at m that starts at
// statement resume, and returns it with the hashes of all the section's
// statements. The row gets every hash at once, so that progress is a
// fixed-size write of the count (appending a hash per statement rewrote a
// growing value: quadratic on the server). Reading the row keeps only the
// first Done of them. The row also says what is known of statement
// resume+1 before it starts (see doubt.go).
func (r *runner) startRecord(ctx context.Context, m *Migration, resume int) (*Record, []string, error) {
	stmts := m.Statements(r.dir)
	planned := make([]string, len(stmts))
	for i, s := range stmts {
		planned[i] = stmtHash(s.SQL)
	}
	if err := verifyLock(ctx, r.lock, m.File); err != nil {
		return nil, nil, err
	}
	next, err := r.intent(ctx, m, resume)
	if err != nil {
		return nil, nil, err
	}
	rec := &Record{Version: m.Version, Direction: r.dir, Checksum: m.Checksum, StartedAt: time.Now(),
		Total: len(stmts), Done: resume, StatementHashes: planned, Operator: r.operator, Session: r.session, Next: next, Pins: r.pins(m)}
	if err := r.e.insertRecord(ctx, r.conn, rec); err != nil {
		return nil, nil, err
	}
	rec.StatementHashes = planned[:resume]
	return rec, planned, nil
}

// execNonTx runs m's statements from resume on between BeginMigration and
// the end of the migration, recording each in rec as it commits. A
// failure is recorded in the row, as far as it can be.
func (r *runner) execNonTx(ctx context.Context, m *Migration, rec *Record, planned []string, resume int) error {
	e := r.e
	h, err := e.Driver.BeginMigration(ctx, r.conn)
	if err != nil {
		return r.fail(ctx, m, rec, 0, fmt.Errorf("begin migration: %w", err))
	}
	end := func(err error) error {
		// The row keeps every planned hash (reading it keeps the first
		// Done): a statement left in doubt is checked against its own.
		rec.StatementHashes = planned
		if rerr := h.End(context.WithoutCancel(ctx), false); rerr != nil {
			err = errors.Join(err, fmt.Errorf("end migration: %w", rerr))
		}
		return err
	}
	e.emit(&MigrationStart{Migration: m, Direction: r.dir, Resume: resume, Online: r.wantsOnline(m)})
	if resume > 0 {
		if err := r.replaySession(ctx, m, resume); err != nil {
			return end(err)
		}
	}
	for i := resume; i < len(planned); i++ {
		if r.interrupted() || ctx.Err() != nil {
			// Statement i+1 has not started: nothing is in doubt.
			rec.Next = Intent{}
			return r.fail(ctx, m, rec, 0, end(&InterruptedError{File: m.File, Done: i, Total: len(planned), Cause: context.Cause(ctx)}))
		}
		if err := r.runNonTx(ctx, m, rec, planned, i); err != nil {
			err = end(err)
			var se *StmtError
			if !errors.As(err, &se) {
				return err // recording failed; the row still says what is known
			}
			if d, ok := e.Driver.(StatementErrors); !ok || d.Definite(se.Err) {
				rec.Next = Intent{} // it left nothing: not in doubt
			}
			err = r.fail(ctx, m, rec, i+1, err)
			if ctx.Err() != nil {
				err = &InterruptedError{File: m.File, Done: i, Total: len(planned), Cause: err}
			}
			return err
		}
	}
	if err := h.End(ctx, true); err != nil {
		return r.fail(ctx, m, rec, 0, fmt.Errorf("%s: end migration: %w", m.File, err))
	}
	return nil
}

// interrupted reports whether Executor.Interrupt asks the run to stop.
func (r *runner) interrupted() bool {
	select {
	case <-r.e.Interrupt:
		return true
	default:
		return false
	}
}

// bump moves the version and closes the history row in one transaction;
// both are plain rows, which every engine commits together.
func (r *runner) bump(ctx context.Context, m *Migration, rec *Record) error {
	if err := verifyLock(ctx, r.lock, m.File); err != nil {
		return err
	}
	tx, err := r.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: record version: %w", m.File, err)
	}
	defer tx.Rollback()
	rec.FinishedAt = time.Now()
	if err := r.e.writeVersion(ctx, tx, after(m, r.dir)); err != nil {
		return err
	}
	if err := r.e.updateRecord(ctx, tx, rec); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: record version: %w", m.File, err)
	}
	return nil
}

// checkRan refuses to resume when a statement that already ran is no longer
// the one in the file.
func checkRan(m *Migration, dir Direction, last *Record) error {
	stmts := m.Statements(dir)
	for i := 0; i < last.Done; i++ {
		if i >= len(stmts) || i >= len(last.StatementHashes) || stmtHash(stmts[i].SQL) != last.StatementHashes[i] {
			return &HistoryChangedError{File: m.File, Index: i + 1}
		}
	}
	return nil
}

func partialError(last *Record, c chain) error {
	file := last.Version
	if m := c.find(last.Version); m != nil {
		file = m.File
	}
	how := "applied"
	again := "apply"
	if last.Direction == Down {
		how, again = "reverted", "downgrade"
	}
	ran := fmt.Sprintf("%d of %d statements ran", last.Done, last.Total)
	if last.inDoubt() {
		ran += fmt.Sprintf(", statement %d is in doubt", last.Done+1)
	}
	return fmt.Errorf("%s was partly %s (%s): %w; run %s again to finish it, or repair the database by hand and stamp",
		file, how, ran, ErrPartial, again)
}
