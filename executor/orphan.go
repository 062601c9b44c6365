package executor

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// explainHolder adds to a lock wait that timed out what the holder runs,
// when the holder is the session of the last, unfinished run in the
// history: a client killed during a statement leaves its session running
// that statement on the server, holding the lock, until the statement
// ends. The operator may wait or end it; schemactl does neither for them.
func (e *Executor) explainHolder(ctx context.Context, conn *sql.Conn, err error) error {
	b, ok := e.Driver.(LockBreaker)
	if !ok || !isLockTimeout(err) {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	h, held, herr := b.LockHolder(ctx, conn)
	if herr != nil || !held || h.Session == "" {
		return err
	}
	f, ferr := e.format(ctx, conn)
	if ferr != nil || f == 0 {
		return err
	}
	last, lerr := e.lastRecord(ctx, conn, f)
	if lerr != nil || last == nil || last.Session != h.Session || !last.FinishedAt.IsZero() || last.Direction == Stamp {
		return err
	}
	what := "it is idle"
	if h.Command == "Query" || h.Command == "Execute" {
		what = fmt.Sprintf("it has been running a statement for %s", h.Running)
	}
	return fmt.Errorf("%w\nthe lock is held by thread %s, the session of the last run (%s %s, by %s, started %s), which did not finish: %s. "+
		"If that run's process is gone, statement %d of a dead run is still running on the server: wait for it (--lock-timeout) or end it with `KILL %s`; then run again",
		err, h.Session, last.Direction, last.Version, last.Operator, last.StartedAt.Format(time.RFC3339), what, last.Done+1, h.Session)
}
