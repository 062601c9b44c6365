package engine

import (
	"context"
	"fmt"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
)

// DriftKind says why a live schema is not the one a migration was planned
// against.
type DriftKind int

const (
	// DriftUnknown: the schema the migrations give could not be derived
	// (no scratch database), so only the fingerprints are known.
	DriftUnknown DriftKind = iota
	// DriftChanged: the database was changed outside the migrations.
	DriftChanged
	// DriftStale: the database is what the migrations give, but the
	// migration was planned against another schema (on another branch,
	// or against a database that had drifted): plan it again.
	DriftStale
	// DriftBoth: the migration was planned against a schema the
	// migrations before it do not give, and the database differs from
	// what they give too.
	DriftBoth
	// DriftStamp: the database is exactly what the migrations up to
	// another version (DriftReport.Stamp) give: its version table is wrong,
	// after a stamp of the wrong version, and stamping that one fixes it.
	DriftStamp
)

// DriftReport explains a refusal of Apply for drift: the migration was
// planned against schema Want, the database is Got.
type DriftReport struct {
	File, Want, Got string
	// Version is the version the migration follows; Expected is the schema
	// the migrations up to it give, replayed into a scratch database.
	Version string
	Kind    DriftKind
	// Stamp is, with DriftStamp, the version whose schema the database
	// has.
	Stamp string
	// Expected and Live are set unless Kind is DriftUnknown; Err then says
	// why the difference cannot be shown.
	Expected, Live *schema.Realm
	Err            error
}

// ExplainDrift tells why Apply refused a migration with de. Drift cannot be
// shown from a hash alone, so the schema the migrations before it give is
// re-derived by replaying them into a scratch database (SQLite in memory,
// or Target.DevURL).
func (e *Engine) ExplainDrift(ctx context.Context, de *executor.DriftError) *DriftReport {
	r := &DriftReport{File: de.File, Want: de.Want, Got: de.Got}
	m, err := e.migration(de.Version)
	if err != nil {
		r.Err = err
		return r
	}
	r.Version = m.Revises
	if r.Expected, r.Live, r.Err = e.driftStates(ctx, m.Revises); r.Err != nil {
		return r
	}
	switch fp := planner.Fingerprint(r.Expected); {
	case !planner.SameFingerprintRules(de.Want):
		// Planned under other rules: Want cannot be compared, and the
		// drift check found the database is not what the migrations
		// before it give.
		r.Kind = DriftChanged
	case fp == de.Want:
		r.Kind = DriftChanged
	case fp == de.Got:
		r.Kind = DriftStale
	default:
		r.Kind = DriftBoth
	}
	if r.Kind == DriftChanged || r.Kind == DriftBoth {
		// A database that is exactly another version's schema was not
		// changed by hand: its version is wrong. An error finding out
		// leaves the diagnosis as it is.
		if v, ok, err := e.VersionOf(ctx, de.Got, m.Revises); err == nil && ok {
			r.Kind, r.Stamp = DriftStamp, v
		}
	}
	return r
}

// driftStates returns the schema the migrations give at version and the
// live schema.
func (e *Engine) driftStates(ctx context.Context, version string) (expected, live *schema.Realm, err error) {
	if expected, err = e.Expected(ctx, version); err != nil {
		return nil, nil, err
	}
	if live, err = e.Inspect(ctx); err != nil {
		return nil, nil, err
	}
	return expected, live, nil
}

// Status is where a database stands against its directory, with drift.
type Status struct {
	executor.Status
	Drift *StatusDrift // nil when the database is at a version the directory lacks
}

// StatusDrift compares the live schema with what the next pending migration
// was planned against and with what the applied migrations give.
type StatusDrift struct {
	// Err is set when the live schema could not be read: nothing else is.
	Err  error
	Live *schema.Realm
	// Next is the first pending migration when it records what it was
	// planned against; NextMatches says whether the live schema is that.
	// NextOtherRules is set instead when Next was planned under other
	// fingerprint rules: apply then checks it against Expected, as status
	// does.
	Next           *executor.Migration
	NextMatches    bool
	NextOtherRules bool
	// Expected is the schema the applied migrations give, replayed into a
	// scratch database; nil with ExpectedErr when that was not possible.
	// It is not derived when NextMatches already says there is no drift.
	Expected        *schema.Realm
	ExpectedErr     error
	ExpectedMatches bool
	// WrongVersion is set when the live schema, not what the applied
	// migrations give, is exactly what the migrations up to another
	// version, Stamp ("" = base), give: the version table is wrong, and
	// stamping Stamp fixes it.
	WrongVersion bool
	Stamp        string
}

// Found reports whether drift was found: apply would refuse the next
// migration, or the live schema is not what the applied migrations give.
// Drift that could not be checked is not found.
func (d *StatusDrift) Found() bool {
	switch {
	case d == nil || d.Err != nil || d.NextMatches:
		return false
	case d.Next != nil && !d.NextOtherRules:
		return true
	}
	return d.ExpectedErr == nil && !d.ExpectedMatches
}

// Status compares the database with the directory, and the live schema
// with what the migrations give.
func (e *Engine) Status(ctx context.Context) (*Status, error) {
	ex, err := e.executor(ctx, access{})
	if err != nil {
		return nil, err
	}
	st, err := ex.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := &Status{Status: *st}
	if st.Unknown {
		return out, nil
	}
	d := &StatusDrift{}
	out.Drift = d
	if d.Live, d.Err = e.Inspect(ctx); d.Err != nil {
		return out, nil
	}
	fp := planner.Fingerprint(d.Live)
	if len(st.Pending) > 0 && st.Pending[0].PlannedAgainst != "" {
		d.Next = st.Pending[0]
		d.NextOtherRules = !planner.SameFingerprintRules(d.Next.PlannedAgainst)
		if d.NextMatches = !d.NextOtherRules && d.Next.PlannedAgainst == fp; d.NextMatches {
			return out, nil
		}
	}
	if d.Expected, d.ExpectedErr = e.Expected(ctx, st.Current); d.ExpectedErr == nil {
		d.ExpectedMatches = planner.Fingerprint(d.Expected) == fp
	}
	if d.ExpectedErr == nil && !d.ExpectedMatches {
		if v, ok, err := e.VersionOf(ctx, fp, st.Current); err == nil && ok {
			d.WrongVersion, d.Stamp = true, v
		}
	}
	return out, nil
}

// VersionProbeLimit bounds VersionOf: the schemas of at most this many
// versions, those nearest the one given, are derived and compared.
const VersionProbeLimit = 64

// VersionOf finds the version whose migrations give exactly the schema of
// fingerprint fp (planner.Fingerprint), other than near: the version a
// database whose version table says near really is at. The directory is
// replayed into one scratch database a migration at a time and read after
// each, so the cost is one replay up to the last version tried and one
// inspection per version, at most VersionProbeLimit of them around near.
// Of several that match (a migration and the one that reverts it) the
// nearest to near is returned; found is false when none matches. "" is
// base.
func (e *Engine) VersionOf(ctx context.Context, fp, near string) (version string, found bool, err error) {
	ms, err := e.Migrations()
	if err != nil {
		return "", false, err
	}
	at := 0 // near's position: 0 is base
	for i, m := range ms {
		if m.Version == near {
			at = i + 1
		}
	}
	lo := max(0, at-VersionProbeLimit/2)
	hi := min(len(ms), lo+VersionProbeLimit-1)
	lo = max(0, hi-VersionProbeLimit+1)
	dev, err := e.openDev(ctx)
	if err != nil {
		return "", false, err
	}
	defer dev.close(ctx)
	versionAt := func(p int) string {
		if p == 0 {
			return "base"
		}
		return ms[p-1].Version
	}
	ex, err := e.replay(ctx, dev, versionAt(lo))
	if err != nil {
		return "", false, err
	}
	best := -1
	for p := lo; p <= hi; p++ {
		if p > lo {
			if _, err := ex.Apply(ctx, executor.ApplyOptions{To: versionAt(p)}); err != nil {
				return "", false, fmt.Errorf("replay %s into the dev database: %w", e.DirPath(), err)
			}
		}
		if p == at {
			continue
		}
		realm, err := inspectManaged(ctx, dev.database, dev.db, ex)
		if err != nil {
			return "", false, err
		}
		if planner.Fingerprint(realm) == fp && (best < 0 || abs(p-at) <= abs(best-at)) {
			best = p
		}
	}
	switch {
	case best < 0:
		return "", false, nil
	case best == 0:
		return "", true, nil
	}
	return ms[best-1].Version, true, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
