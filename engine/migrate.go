package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
)

// ApplyOptions select what Apply runs and how.
type ApplyOptions struct {
	// To is the version to stop at: "" or "head" for the last migration,
	// a version ("0003" or "3"), or "+N" for N migrations.
	To string
	// DryRun reports what would run and changes nothing.
	DryRun bool
	// AllowDrift runs a migration even when the live schema is not the one
	// it was planned against.
	AllowDrift bool
	// AllowAhead accepts a database at a version past the directory's head
	// that the directory's migrations led to, doing nothing: an
	// application rolled back to an older build must still start.
	AllowAhead bool
	// Observer receives progress events; nil is silent.
	Observer func(executor.Event)
}

// Apply verifies the directory against schemactl.sum, then runs the
// pending migrations in order up to opts.To under the migration lock. A
// migration that plan wrote runs only on the schema it was planned against
// (see DriftError and ExplainDrift) unless opts.AllowDrift is set.
func (e *Engine) Apply(ctx context.Context, opts ApplyOptions) (*executor.Result, error) {
	ex, err := e.executor()
	if err != nil {
		return nil, err
	}
	ex.Observer = opts.Observer
	if !opts.AllowDrift {
		ex.Fingerprint = e.fingerprinter(ex)
	}
	return ex.Apply(ctx, executor.ApplyOptions{To: opts.To, DryRun: opts.DryRun})
}

// Downgrade runs down sections, newest first, until the database is at
// target: "-N" (N migrations back), a version, or "base".
func (e *Engine) Downgrade(ctx context.Context, target string, observer func(executor.Event)) (*executor.Result, error) {
	ex, err := e.executor()
	if err != nil {
		return nil, err
	}
	ex.Observer = observer
	return ex.Downgrade(ctx, target)
}

// Stamp records version ("head", "base" or a version) as the one the
// database is at, running nothing, and returns the version stamped ("" is
// base).
func (e *Engine) Stamp(ctx context.Context, version string) (string, error) {
	ex, err := e.executor()
	if err != nil {
		return "", err
	}
	if version == "head" {
		if version, err = e.dir.Head(); err != nil {
			return "", err
		}
	}
	if version == "base" {
		version = ""
	}
	if err := ex.Stamp(ctx, version); err != nil {
		return "", err
	}
	return version, nil
}

// Current is the version the database is at ("" = base). Nothing is
// created.
func (e *Engine) Current(ctx context.Context) (string, error) {
	ex, err := e.executor()
	if err != nil {
		return "", err
	}
	return ex.Current(ctx)
}

// Migrations are the directory's migrations, in order.
func (e *Engine) Migrations() ([]*executor.Migration, error) { return e.dir.Migrations() }

// fingerprinter is how Apply reads the live schema's fingerprint before
// each migration, on the run's pinned connection under its lock.
func (e *Engine) fingerprinter(ex *executor.Executor) func(context.Context, *sql.Conn) (string, error) {
	return func(ctx context.Context, conn *sql.Conn) (string, error) {
		realm, err := inspectManaged(ctx, e.live, conn, ex)
		if err != nil {
			return "", err
		}
		return planner.Fingerprint(realm), nil
	}
}

// migration finds a migration of the directory by version.
func (e *Engine) migration(version string) (*executor.Migration, error) {
	ms, err := e.dir.Migrations()
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Version == version {
			return m, nil
		}
	}
	return nil, fmt.Errorf("migration %s is not in %s", version, e.DirPath())
}

// isDrift reports whether err is a refusal because of drift.
func isDrift(err error) (*executor.DriftError, bool) {
	var de *executor.DriftError
	ok := errors.As(err, &de)
	return de, ok
}
