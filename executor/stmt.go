package executor

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// maxDeadlockRetries bounds the attempts at a transactional statement that
// the server chose as a deadlock's victim (which rolled it back whole).
const maxDeadlockRetries = 3

// runNonTx runs statement i of m on an engine without transactional DDL
// and records it in rec, together with what is known of statement i+1,
// before progress is reported. Statement i runs as rec.Next said it would:
// a transactional one in one transaction with that record (both commit or
// neither), any other by itself, the record following it.
func (r *runner) runNonTx(ctx context.Context, m *Migration, rec *Record, planned []string, i int) error {
	stmts := m.Statements(r.dir)
	st := stmts[i]
	if err := r.startStatement(ctx, m, i); err != nil {
		return err
	}
	start := time.Now()
	// The statement has committed when record runs: record it even if
	// ctx was cancelled meanwhile, or a resume would run it again.
	wctx := context.WithoutCancel(ctx)
	// record writes the progress; rec takes it only once it is durable
	// (after the COMMIT of a statement run in one transaction with it), so
	// that a failed commit is recorded as what it is: statement i not run.
	var pending *Record
	record := func() error {
		done := *rec
		done.Done = i + 1
		next, err := r.intent(wctx, m, i+1)
		if err != nil {
			return err
		}
		done.Next = next
		if err := r.e.recordProgress(wctx, r.conn, &done); err != nil {
			return err
		}
		done.StatementHashes = planned[:i+1]
		pending = &done
		return nil
	}
	stmtErr := func(err error) error {
		return &StmtError{File: m.File, Version: m.Version, Direction: r.dir, Index: i + 1, Total: len(stmts), Stmt: st, Err: err}
	}
	var err error
	if rec.Next.Statement == i+1 && rec.Next.Kind == IntentTx {
		for attempt := 1; ; attempt++ {
			err = r.inTx(ctx, st.SQL, record, stmtErr)
			d, ok := r.e.Driver.(StatementErrors)
			var se *StmtError
			if err == nil || attempt == maxDeadlockRetries || !ok || !errors.As(err, &se) || !d.Retryable(se.Err) {
				break
			}
		}
	} else {
		handled, oerr := r.execOnline(ctx, m, i, st)
		if !handled && oerr == nil {
			oerr = r.execStmt(ctx, st.SQL)
		}
		if handled && oerr == nil {
			// A copy can take hours: the lock must still be this run's
			// before its outcome is recorded.
			oerr = verifyLock(wctx, r.lock, m.File)
		}
		if err = oerr; err != nil {
			err = stmtErr(err)
		} else if rerr := record(); rerr != nil {
			err = fmt.Errorf("%s: statement %d of %d ran, but recording it failed: %w", m.File, i+1, len(stmts), rerr)
		}
	}
	if err != nil {
		return err
	}
	*rec = *pending
	r.res.Statements++
	r.e.emit(&StatementDone{Migration: m, Direction: r.dir, Index: i + 1, Total: len(stmts), Stmt: st, Duration: time.Since(start)})
	return nil
}

// inTx runs query and record in one transaction on the run's connection.
// A failed statement is followed by an explicit ROLLBACK: MySQL rolls back
// only the statement after a lock wait timeout, and keeps the transaction
// open. When the statement committed the transaction itself (an implicit
// commit, which the TxChecker tells), it has taken effect: it is recorded
// all the same, by itself.
func (r *runner) inTx(ctx context.Context, query string, record func() error, stmtErr func(error) error) error {
	wctx := context.WithoutCancel(ctx)
	if _, err := r.conn.ExecContext(ctx, "BEGIN"); err != nil {
		return stmtErr(fmt.Errorf("begin: %w", err))
	}
	rollback := func(err error) error {
		if _, rerr := r.conn.ExecContext(wctx, "ROLLBACK"); rerr != nil {
			err = errors.Join(err, fmt.Errorf("roll back: %w", rerr))
		}
		return err
	}
	if err := r.execStmt(ctx, query); err != nil {
		return rollback(stmtErr(err))
	}
	if c, ok := r.e.Driver.(TxChecker); ok {
		open, err := c.InTransaction(wctx, r.conn)
		if err != nil {
			return rollback(fmt.Errorf("statement ran, but whether its transaction is open could not be read: %w", err))
		}
		if !open {
			return record()
		}
	}
	if err := record(); err != nil {
		return rollback(fmt.Errorf("record the statement with its transaction: %w", err))
	}
	if _, err := r.conn.ExecContext(wctx, "COMMIT"); err != nil {
		return stmtErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// execStmt runs one statement of a migration on the run's connection.
// When ctx is cancelled while it runs, a driver that can stops it from
// another connection (QueryKiller) and the statement returns the server's
// answer on this one, which stays usable to record the outcome; without
// one, the database/sql driver gives up the connection.
func (r *runner) execStmt(ctx context.Context, query string) error {
	k, ok := r.e.Driver.(QueryKiller)
	if !ok || r.session == "" {
		_, err := r.conn.ExecContext(ctx, query)
		return err
	}
	finished := make(chan struct{})
	var (
		wg      sync.WaitGroup
		killErr error
		killed  bool
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-ctx.Done():
			kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			killed, killErr = true, k.KillQuery(kctx, r.e.DB, r.session)
		case <-finished:
		}
	}()
	_, err := r.conn.ExecContext(context.WithoutCancel(ctx), query)
	close(finished)
	wg.Wait()
	if killed && err != nil {
		err = fmt.Errorf("%w (stopped: %v)", err, context.Cause(ctx))
	}
	if killErr != nil {
		err = errors.Join(err, fmt.Errorf("stop the statement: %w", killErr))
	}
	return err
}
