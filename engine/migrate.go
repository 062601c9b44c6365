package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

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
	// AcceptEdited names applied migrations whose files were edited since
	// they ran, after review: their files are recorded, once, as what the
	// versions are pinned to (see executor.EditedError).
	AcceptEdited []string
	// Observer receives progress events; nil is silent.
	Observer func(executor.Event)
	// Note receives remarks that are not errors, such as a migration whose
	// drift could not be checked; nil drops them.
	Note func(msg string)
	Control
	Preflight
}

// Control is how a caller steers a run that may meet, or be, an
// interrupted one.
type Control struct {
	// Resolve decides a statement an earlier run left in doubt that the
	// catalog cannot decide (see executor.DoubtError): the operator's
	// word after checking the database.
	Resolve executor.Resolution
	// Interrupt, once closed, stops the run after its running statement
	// (see executor.Executor.Interrupt).
	Interrupt <-chan struct{}
	// Online runs the ALTER TABLE statements of every migration without
	// blocking writes, as a "-- schemactl:online" header line asks for one
	// (MySQL and MariaDB, through pt-online-schema-change).
	Online bool
}

// Preflight are the settings of the data checks run before each migration
// on MySQL and MariaDB (see executor.Preflighter).
type Preflight struct {
	// NoPreflight runs migrations without the checks: for tables too big
	// to scan.
	NoPreflight bool
	// PreflightTimeout bounds each check's query; 0 is
	// executor.DefaultPreflightTimeout.
	PreflightTimeout time.Duration
}

func (p Preflight) set(ex *executor.Executor) {
	ex.NoPreflight, ex.PreflightTimeout = p.NoPreflight, p.PreflightTimeout
}

// Apply verifies the directory against schemactl.sum, then runs the
// pending migrations in order up to opts.To under the migration lock. A
// migration that plan wrote runs only on the schema it was planned against
// (see DriftError and ExplainDrift) unless opts.AllowDrift is set.
func (e *Engine) Apply(ctx context.Context, opts ApplyOptions) (*executor.Result, error) {
	if !opts.DryRun {
		if err := e.writable("apply"); err != nil {
			return nil, err
		}
		// Before a SQLite file may be created for it.
		dir, err := e.Dir()
		if err != nil {
			return nil, err
		}
		if err := dir.Verify(); err != nil {
			return nil, err
		}
	}
	ex, err := e.executor(ctx, access{create: !opts.DryRun, note: opts.Note})
	if err != nil {
		return nil, err
	}
	ex.Observer = opts.Observer
	if c, ok := ex.Driver.(clusterNoter); ok && !opts.DryRun && opts.Note != nil {
		if note := c.ClusterNote(); note != "" {
			ex.Observer = noteAtFirstMigration(note, opts.Note, opts.Observer)
		}
	}
	ex.AcceptEdited = opts.AcceptEdited
	ex.Resolve, ex.Interrupt, ex.OnlineAll = opts.Resolve, opts.Interrupt, opts.Online
	opts.Preflight.set(ex)
	if !opts.AllowDrift {
		ex.CheckDrift = e.driftCheck(ex, opts.Note)
	}
	return ex.Apply(ctx, executor.ApplyOptions{To: opts.To, DryRun: opts.DryRun, AllowAhead: opts.AllowAhead})
}

// clusterNoter is implemented by dialects that say something about how a
// cluster runs migrations (Galera: TOI), once, when one is about to run.
type clusterNoter interface {
	ClusterNote() string
}

// noteAtFirstMigration passes events to next and tells note before the
// first migration starts: a run with nothing to do says nothing.
func noteAtFirstMigration(note string, tell func(string), next func(executor.Event)) func(executor.Event) {
	told := false
	return func(ev executor.Event) {
		if _, ok := ev.(*executor.MigrationStart); ok && !told {
			told = true
			tell(note)
		}
		if next != nil {
			next(ev)
		}
	}
}

// DowngradeOptions select what Downgrade reverts and how.
type DowngradeOptions struct {
	// To is the target: "-N" (N migrations back), a version, or "base".
	To string
	// AcceptEdited is as for ApplyOptions.
	AcceptEdited []string
	// DryRun reports what would be reverted and changes nothing.
	DryRun bool
	// Observer receives progress events; nil is silent.
	Observer func(executor.Event)
	Control
	Preflight
}

// Downgrade runs down sections, newest first, until the database is at
// opts.To.
func (e *Engine) Downgrade(ctx context.Context, opts DowngradeOptions) (*executor.Result, error) {
	if !opts.DryRun {
		if err := e.writable("downgrade"); err != nil {
			return nil, err
		}
	}
	ex, err := e.executor(ctx, access{})
	if err != nil {
		return nil, err
	}
	ex.Observer = opts.Observer
	ex.AcceptEdited = opts.AcceptEdited
	ex.Resolve, ex.Interrupt, ex.OnlineAll = opts.Resolve, opts.Interrupt, opts.Online
	opts.Preflight.set(ex)
	if opts.DryRun {
		return ex.DowngradeDryRun(ctx, opts.To)
	}
	return ex.Downgrade(ctx, opts.To)
}

// Stamp records version ("head", "base" or a version, "3" for 0003) as the
// one the database is at, running nothing, and returns the version stamped
// as the directory spells it ("" is base).
func (e *Engine) Stamp(ctx context.Context, version string) (string, error) {
	if err := e.writable("stamp"); err != nil {
		return "", err
	}
	ex, err := e.executor(ctx, access{})
	if err != nil {
		return "", err
	}
	return ex.Stamp(ctx, version)
}

// Current is the version the database is at ("" = base). Nothing is
// created.
func (e *Engine) Current(ctx context.Context) (string, error) {
	ex, err := e.executor(ctx, access{})
	if err != nil {
		return "", err
	}
	return ex.Current(ctx)
}

// Migrations are the directory's migrations, in order.
func (e *Engine) Migrations() ([]*executor.Migration, error) {
	dir, err := e.Dir()
	if err != nil {
		return nil, err
	}
	return dir.Migrations()
}

// driftCheck is how Apply checks, under its lock and on its pinned
// connection, that the live schema is the one a migration was planned
// against. A fingerprint written under this build's rules is compared as
// it is. One written by a build whose rules differ
// (planner.FingerprintVersion) cannot be: the migrations before it are
// replayed into a scratch database instead, and the live schema must be
// what they give. Only when the target has no scratch database at all
// (MySQL without DevURL) does such a migration run unchecked, and note
// says so; a scratch database that fails is an error, not a pass.
func (e *Engine) driftCheck(ex *executor.Executor, note func(string)) func(context.Context, *sql.Conn, *executor.Migration) error {
	return func(ctx context.Context, conn *sql.Conn, m *executor.Migration) error {
		live, err := inspectManaged(ctx, e.live, conn, ex)
		if err != nil {
			return fmt.Errorf("%s: read the live schema for the drift check: %w", m.File, err)
		}
		got := planner.Fingerprint(live)
		if got == m.PlannedAgainst {
			return nil
		}
		de := &executor.DriftError{File: m.File, Version: m.Version, Want: m.PlannedAgainst, Got: got}
		if planner.SameFingerprintRules(m.PlannedAgainst) {
			return de
		}
		if _, err := e.devURL(); err != nil {
			if note != nil {
				note(fmt.Sprintf("%s was planned by a schemactl with other fingerprint rules (%s, this one writes %s): drift not checked: %v",
					m.File, fingerprintRules(m.PlannedAgainst), planner.FingerprintVersion, err))
			}
			return nil
		}
		expected, err := e.Expected(ctx, m.Revises)
		if err != nil {
			return fmt.Errorf("%s: check drift by replaying the migrations before it (planned under fingerprint rules %s): %w",
				m.File, fingerprintRules(m.PlannedAgainst), err)
		}
		if planner.Fingerprint(expected) == got {
			return nil
		}
		return de
	}
}

// fingerprintRules is the version prefix of a fingerprint.
func fingerprintRules(fp string) string {
	v, _, _ := strings.Cut(fp, ":")
	return v
}

// migration finds a migration of the directory by version.
func (e *Engine) migration(version string) (*executor.Migration, error) {
	ms, err := e.Migrations()
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

// LockHolder reports who holds the migration lock (see
// executor.Executor.Holder); held is false when nobody does, and the
// error wraps executor.ErrNoLockHolder on SQLite, whose lock ends with
// its run.
func (e *Engine) LockHolder(ctx context.Context) (executor.LockHolder, bool, error) {
	// The lock is the database's: no migration directory is read.
	ex, err := e.executor(ctx, access{newDir: true})
	if err != nil {
		return executor.LockHolder{}, false, err
	}
	return ex.Holder(ctx)
}

// Unlock frees the migration lock from h, as LockHolder named it, and
// refuses when h no longer holds it (see executor.Executor.Unlock).
func (e *Engine) Unlock(ctx context.Context, h executor.LockHolder) error {
	if err := e.writable("unlock"); err != nil {
		return err
	}
	ex, err := e.executor(ctx, access{newDir: true})
	if err != nil {
		return err
	}
	return ex.Unlock(ctx, h)
}
