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
	e := r.e
	m, err := r.next(ctx)
	if err != nil {
		return false, err
	}
	last, err := e.lastRecord(ctx, r.conn, TablesFormat)
	if err != nil {
		return false, err
	}
	resume := 0
	if last.partial() {
		if m == nil || last.Version != m.Version || last.Direction != r.dir {
			return false, partialError(last, r.c)
		}
		if err := checkRan(m, r.dir, last); err != nil {
			return false, err
		}
		resume = last.Done
	}
	if m == nil {
		return false, nil
	}
	if resume == 0 {
		if err := r.checkDrift(ctx, m); err != nil {
			return false, err
		}
	}
	stmts := m.Statements(r.dir)
	// The row gets the hashes of every statement of the section at once,
	// so that progress is a fixed-size write of the count (appending a
	// hash per statement rewrote a growing value: quadratic on the
	// server). Reading the row keeps only the first Done of them.
	planned := make([]string, len(stmts))
	for i, s := range stmts {
		planned[i] = stmtHash(s.SQL)
	}
	rec := &Record{Version: m.Version, Direction: r.dir, Checksum: m.Checksum, StartedAt: time.Now(),
		Total: len(stmts), Done: resume, StatementHashes: planned, Operator: r.operator, Session: r.session}
	if err := verifyLock(ctx, r.lock, m.File); err != nil {
		return false, err
	}
	if err := e.insertRecord(ctx, r.conn, rec); err != nil {
		return false, err
	}
	rec.StatementHashes = planned[:resume]
	h, err := e.Driver.BeginMigration(ctx, r.conn)
	if err != nil {
		return false, r.fail(ctx, m, rec, 0, fmt.Errorf("begin migration: %w", err))
	}
	e.emit(&MigrationStart{Migration: m, Direction: r.dir, Resume: resume})
	for i := resume; i < len(stmts); i++ {
		// The statement has committed: record it even if ctx was cancelled
		// meanwhile, or a resume would run it again.
		record := func() error {
			rec.Done = i + 1
			rec.StatementHashes = planned[:i+1]
			if err := e.recordProgress(context.WithoutCancel(ctx), r.conn, rec); err != nil {
				return fmt.Errorf("%s: statement %d of %d ran, but recording it failed: %w", m.File, i+1, len(stmts), err)
			}
			return nil
		}
		if err := r.exec(ctx, m, i, record); err != nil {
			if rerr := h.End(context.WithoutCancel(ctx), false); rerr != nil {
				err = errors.Join(err, fmt.Errorf("end migration: %w", rerr))
			}
			var se *StmtError
			if !errors.As(err, &se) {
				return false, err // recording failed; the row still says what is known
			}
			return false, r.fail(ctx, m, rec, i+1, err)
		}
	}
	if err := h.End(ctx, true); err != nil {
		return false, r.fail(ctx, m, rec, 0, fmt.Errorf("%s: end migration: %w", m.File, err))
	}
	if err := r.bump(ctx, m, rec); err != nil {
		return false, err
	}
	r.done(m, rec, len(stmts)-resume)
	return true, nil
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
