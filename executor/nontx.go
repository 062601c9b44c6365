package executor

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// stepNonTx runs one migration on an engine where every DDL statement
// commits by itself (MySQL, MariaDB). The whole run holds the driver's lock.
// Progress is written to the history row after each statement, so that a
// failure or a crash leaves an exact account, and the next run in the same
// direction resumes after the last statement that ran, provided those
// statements are unchanged.
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
// not have changed since.
func (r *runner) resumeAt(ctx context.Context, m *Migration) (int, error) {
	last, err := r.e.lastRecord(ctx, r.conn, TablesFormat)
	if err != nil || !last.partial() {
		return 0, err
	}
	if m == nil || last.Version != m.Version || last.Direction != r.dir {
		return 0, partialError(last, r.c)
	}
	if err := checkRan(m, r.dir, last); err != nil {
		return 0, err
	}
	return last.Done, nil
}

// startRecord writes the history row of an attempt at m that starts at
// statement resume, and returns it with the hashes of all the section's
// statements. The row gets every hash at once, so that progress is a
// fixed-size write of the count (appending a hash per statement rewrote a
// growing value: quadratic on the server). Reading the row keeps only the
// first Done of them.
func (r *runner) startRecord(ctx context.Context, m *Migration, resume int) (*Record, []string, error) {
	stmts := m.Statements(r.dir)
	planned := make([]string, len(stmts))
	for i, s := range stmts {
		planned[i] = stmtHash(s.SQL)
	}
	rec := &Record{Version: m.Version, Direction: r.dir, Checksum: m.Checksum, StartedAt: time.Now(),
		Total: len(stmts), Done: resume, StatementHashes: planned, Operator: r.operator, Session: r.session}
	if err := verifyLock(ctx, r.lock, m.File); err != nil {
		return nil, nil, err
	}
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
	e.emit(&MigrationStart{Migration: m, Direction: r.dir, Resume: resume})
	for i := resume; i < len(planned); i++ {
		// The statement has committed: record it even if ctx was cancelled
		// meanwhile, or a resume would run it again.
		record := func() error {
			rec.Done = i + 1
			rec.StatementHashes = planned[:i+1]
			if err := e.recordProgress(context.WithoutCancel(ctx), r.conn, rec); err != nil {
				return fmt.Errorf("%s: statement %d of %d ran, but recording it failed: %w", m.File, i+1, len(planned), err)
			}
			return nil
		}
		if err := r.exec(ctx, m, i, record); err != nil {
			if rerr := h.End(context.WithoutCancel(ctx), false); rerr != nil {
				err = errors.Join(err, fmt.Errorf("end migration: %w", rerr))
			}
			var se *StmtError
			if !errors.As(err, &se) {
				return err // recording failed; the row still says what is known
			}
			return r.fail(ctx, m, rec, i+1, err)
		}
	}
	if err := h.End(ctx, true); err != nil {
		return r.fail(ctx, m, rec, 0, fmt.Errorf("%s: end migration: %w", m.File, err))
	}
	return nil
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
	return fmt.Errorf("%s was partly %s (%d of %d statements ran): %w; run %s again to finish it, or repair the database by hand and stamp",
		file, how, last.Done, last.Total, ErrPartial, again)
}
