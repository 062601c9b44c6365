package executor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrLockLost is wrapped when a run finds that it no longer holds the
// migration lock: its session was ended (KILL, a server restart, a network
// failure the server noticed) or its lease was taken over. The run stops.
var ErrLockLost = errors.New("the migration lock was lost")

// connLock is the Lock of a driver without LockAcquirer: Driver.Lock's,
// which holds as long as the connection does (SQLite's lock is the
// migration's own write transaction).
type connLock struct {
	conn     *sql.Conn
	unlock   func() error
	released bool
}

func (l *connLock) Verify(ctx context.Context) (bool, error) {
	if l.released {
		return false, nil
	}
	if err := l.conn.PingContext(ctx); err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		return false, nil // the connection is gone, and its lock with it
	}
	return true, nil
}

func (l *connLock) Renew(context.Context) error { return nil }

func (l *connLock) Release(context.Context) error {
	if l.released {
		return nil
	}
	l.released = true
	return l.unlock()
}

// lock pins a connection and takes the migration lock on it. The returned
// function releases both.
func (e *Executor) lock(ctx context.Context) (*sql.Conn, Lock, func() error, error) {
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("connect: %w", err)
	}
	var (
		l         Lock
		clustered bool
		restore   = func() error { return nil }
	)
	if c, ok := e.Driver.(Clusterer); ok {
		var r func() error
		if clustered, r, err = c.Cluster(ctx, conn); err != nil {
			conn.Close()
			return nil, nil, nil, fmt.Errorf("take migration lock: %w", err)
		}
		if r != nil {
			restore = r
		}
	}
	if d, ok := e.Driver.(ClusterDDLChecker); ok && clustered {
		if err := d.CheckClusterDDL(ctx, conn); err != nil {
			err = errors.Join(fmt.Errorf("take migration lock: %w", err), restore())
			conn.Close()
			return nil, nil, nil, err
		}
	}
	if clustered {
		l, err = e.acquireLease(ctx, conn)
	} else if a, ok := e.Driver.(LockAcquirer); ok {
		l, err = a.AcquireLock(ctx, e.DB, conn, e.lockTimeout())
	} else {
		var unlock func() error
		unlock, err = e.Driver.Lock(ctx, conn, e.lockTimeout())
		l = &connLock{conn: conn, unlock: unlock}
	}
	if err != nil {
		err = e.explainHolder(ctx, conn, e.lockError(err))
		_ = restore()
		conn.Close()
		return nil, nil, nil, err
	}
	return conn, l, func() error {
		// Releasing must happen even when the run's context is done.
		uerr := l.Release(context.WithoutCancel(ctx))
		if rerr := restore(); rerr != nil && uerr == nil {
			uerr = rerr
		}
		cerr := conn.Close()
		if uerr != nil {
			return fmt.Errorf("release lock: %w", uerr)
		}
		if cerr != nil {
			return fmt.Errorf("close connection: %w", cerr)
		}
		return nil
	}, nil
}

// lockError marks a lock wait that ran out of time as ErrLocked. Drivers
// cannot import this package, so besides wrapping ErrLocked they may return
// an error with a Timeout() bool method (as os.ErrDeadlineExceeded has).
func (e *Executor) lockError(err error) error {
	if isLockTimeout(err) {
		return fmt.Errorf("%w (waited %s): %w", ErrLocked, e.lockTimeout(), err)
	}
	return fmt.Errorf("take migration lock: %w", err)
}

func isLockTimeout(err error) bool {
	if errors.Is(err, ErrLocked) {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// verifyLock checks, before a bookkeeping write about what (a migration's
// file, or "stamp"), that the run still holds its lock: a run that lost it
// must not write a version another run may be writing too.
func verifyLock(ctx context.Context, l Lock, what string) error {
	ok, err := l.Verify(ctx)
	if err != nil {
		return fmt.Errorf("%s: verify the migration lock: %w", what, err)
	}
	if !ok {
		return lockLost(what)
	}
	return nil
}

func lockLost(what string) error {
	return fmt.Errorf("%s: %w: another session ended this run's session or took the lock over; nothing more runs (run status to see where the database stands)", what, ErrLockLost)
}

// explainLoss adds to the error of a failed step that the lock was lost,
// when it was: on MySQL a killed session shows first as a failing query
// ("invalid connection"), which says nothing of the lock.
func explainLoss(ctx context.Context, l Lock, err error) error {
	if err == nil || errors.Is(err, ErrLockLost) {
		return err
	}
	vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if ok, verr := l.Verify(vctx); verr == nil && !ok {
		return errors.Join(err, lockLost("the run stopped"))
	}
	return err
}
