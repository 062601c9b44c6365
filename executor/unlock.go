package executor

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoLockHolder is returned by Holder for an engine whose runs hold no
// lock that outlives them (SQLite: a write transaction ends with its
// process).
var ErrNoLockHolder = errors.New("this engine's migration lock cannot outlive the run that holds it")

// Holder reports who holds the migration lock of the database: a session
// lock's session (MySQL/MariaDB, LockBreaker), or a cluster's lease and
// its token (Galera). held is false when nobody does.
func (e *Executor) Holder(ctx context.Context) (h LockHolder, held bool, err error) {
	if err := e.check(); err != nil {
		return h, false, err
	}
	clustered, err := e.clustered(ctx)
	if err != nil {
		return h, false, err
	}
	if clustered {
		return e.LeaseHolder(ctx)
	}
	b, ok := e.Driver.(LockBreaker)
	if !ok {
		return h, false, ErrNoLockHolder
	}
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return h, false, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	return b.LockHolder(ctx, conn)
}

// Unlock frees the migration lock from h, as Holder named it: it kills a
// session lock's session, or clears a lease under its token. It refuses
// when h no longer holds it, so that a confirmation given for one holder
// never frees another.
func (e *Executor) Unlock(ctx context.Context, h LockHolder) error {
	if err := e.check(); err != nil {
		return err
	}
	clustered, err := e.clustered(ctx)
	if err != nil {
		return err
	}
	if clustered {
		return e.ForceUnlock(ctx, h.Session)
	}
	b, ok := e.Driver.(LockBreaker)
	if !ok {
		return ErrNoLockHolder
	}
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	return b.ForceUnlock(ctx, conn, h.Session)
}

// clustered reports whether the database is a cluster node (Clusterer),
// whose lock is a lease.
func (e *Executor) clustered(ctx context.Context) (bool, error) {
	c, ok := e.Driver.(Clusterer)
	if !ok {
		return false, nil
	}
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	return withRestore(c.Cluster(ctx, conn))
}

func withRestore(clustered bool, restore func() error, err error) (bool, error) {
	if restore != nil {
		err = errors.Join(err, restore())
	}
	return clustered, err
}
