package executor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrDrift is wrapped by every *DriftError.
var ErrDrift = errors.New("the live schema differs from the one the migration was planned against")

// DriftError stops Apply before a migration whose planned-against
// fingerprint does not match the live schema: someone changed the database
// by hand, or the migration was planned against another state (a stale
// plan from another branch). Nothing of the migration ran.
type DriftError struct {
	File    string
	Version string
	Want    string // the fingerprint the migration was planned against
	Got     string // the live schema's
}

func (e *DriftError) Error() string {
	return fmt.Sprintf("%s: the database's schema (%s) is not the one the migration was planned against (%s)",
		e.File, e.Got, e.Want)
}

// Is makes errors.Is(err, ErrDrift) true.
func (e *DriftError) Is(target error) bool { return target == ErrDrift }

// checkDrift compares the live schema with the one m was planned against,
// on the run's pinned connection, before m runs up.
func (r *runner) checkDrift(ctx context.Context, m *Migration) error {
	if r.dir != Up {
		return nil
	}
	return r.e.drift(ctx, r.conn, m)
}

// checkDriftDryRun makes a dry run report the drift a real run would stop
// at: before the first pending migration. (Later ones are checked against
// the schema the earlier ones leave, which a dry run does not produce.)
func (e *Executor) checkDriftDryRun(ctx context.Context, todo []*Migration, dir Direction) error {
	if dir != Up || len(todo) == 0 || e.CheckDrift == nil || todo[0].PlannedAgainst == "" {
		return nil
	}
	return e.withConn(ctx, func(conn *sql.Conn) error { return e.drift(ctx, conn, todo[0]) })
}

func (e *Executor) drift(ctx context.Context, conn *sql.Conn, m *Migration) error {
	if e.CheckDrift == nil || m.PlannedAgainst == "" {
		return nil
	}
	return e.CheckDrift(ctx, conn, m)
}
