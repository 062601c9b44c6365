package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/schemactl/schemactl/schema"
)

// fingerprinter returns the function with which the executor reads the
// live schema's fingerprint before each migration, under its lock.
func fingerprinter(e *engine, ex *executor.Executor) func(context.Context, *sql.Conn) (string, error) {
	return func(ctx context.Context, conn *sql.Conn) (string, error) {
		realm, err := e.inspectManagedOn(ctx, conn, ex)
		if err != nil {
			return "", err
		}
		return planner.Fingerprint(realm), nil
	}
}

// explainDrift shows why apply stopped: what the migration was planned
// against, what the database is, and, by replaying the migrations before it
// into a scratch database, the difference as a plan. Drift cannot be shown
// from a hash alone, so the expected schema is re-derived; when no scratch
// database is available (MySQL without --dev-url) only the fingerprints are
// shown.
func explainDrift(ctx context.Context, w io.Writer, e *engine, ex *executor.Executor, de *executor.DriftError, devURL string) {
	fmt.Fprintf(w, "\nDrift: %s was planned against schema %s,\n       but the database at %s is %s.\n", de.File, de.Want, e.target.Display, de.Got)
	m, err := findMigration(ex.Dir, de.Version)
	if err != nil {
		fmt.Fprintf(w, "       (cannot show the difference: %v)\n", err)
		return
	}
	expected, live, err := driftStates(ctx, e, ex, m.Revises, devURL)
	if err != nil {
		fmt.Fprintf(w, "       (cannot show the difference: %v)\n", err)
		return
	}
	at := versionName(m.Revises)
	switch fp := planner.Fingerprint(expected); {
	case fp == de.Want:
		fmt.Fprintf(w, "\nThe database was changed outside the migrations. From what the migrations up to %s give\nto what the database has:\n\n", at)
	case fp == de.Got:
		fmt.Fprintf(w, "\nThe database is what the migrations up to %s give, but %s was planned against another\nschema: the plan is stale (made on another branch, or against a database that had drifted).\nPlan it again.\n", at, de.File)
		return
	default:
		fmt.Fprintf(w, "\n%s was planned against a schema the migrations before it do not give (a stale plan), and the\ndatabase differs from what they give too. From what the migrations up to %s give to the database:\n\n", de.File, at)
	}
	writeDiff(w, e.dialect, expected, live)
}

// driftStates returns the schema the migrations give at version (replayed
// into a scratch database) and the live schema.
func driftStates(ctx context.Context, e *engine, ex *executor.Executor, version, devURL string) (expected, live *schema.Realm, err error) {
	url, err := devURLFor(devURL, e.target.Dialect)
	if err != nil {
		return nil, nil, err
	}
	if expected, err = expectedSchema(ctx, url, ex.Dir, ex.VersionTable, version); err != nil {
		return nil, nil, err
	}
	if live, err = e.inspectManaged(ctx, ex); err != nil {
		return nil, nil, err
	}
	return expected, live, nil
}

// writeDiff writes the changes from one schema to another as the text plan
// lists them, indented: the changes a plan for d would make.
func writeDiff(w io.Writer, d planner.Dialect, from, to *schema.Realm) {
	changes, err := planner.Diff(from, to, d)
	if err != nil {
		fmt.Fprintf(w, "  (cannot diff: %v)\n", err)
		return
	}
	if err := report.WriteChanges(w, changes); err != nil {
		fmt.Fprintf(w, "  (cannot print: %v)\n", err)
	}
}

func findMigration(dir *executor.Dir, version string) (*executor.Migration, error) {
	ms, err := dir.Migrations()
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Version == version {
			return m, nil
		}
	}
	return nil, fmt.Errorf("migration %s is not in %s", version, dir.Path())
}

// writeDrift adds the drift line to status: the live schema against what
// the applied migrations give (replayed into a scratch database) and
// against what the next pending migration was planned against.
func writeDrift(ctx context.Context, w io.Writer, e *engine, ex *executor.Executor, st *executor.Status, devURL string) {
	if st.Unknown {
		return
	}
	live, err := e.inspectManaged(ctx, ex)
	if err != nil {
		fmt.Fprintf(w, "Drift:      not checked: %v\n", err)
		return
	}
	fp := planner.Fingerprint(live)
	refused := ""
	if len(st.Pending) > 0 && st.Pending[0].PlannedAgainst != "" {
		next := st.Pending[0]
		if next.PlannedAgainst == fp {
			fmt.Fprintf(w, "Drift:      none (the schema is what %s was planned against)\n", next.Version)
			return
		}
		refused = fmt.Sprintf("apply will refuse %s, planned against another schema (--allow-drift to override)", next.File)
	}
	at := versionName(st.Current)
	var expected *schema.Realm
	url, err := devURLFor(devURL, e.target.Dialect)
	if err == nil {
		expected, err = expectedSchema(ctx, url, ex.Dir, ex.VersionTable, st.Current)
	}
	switch {
	case err != nil && refused != "":
		fmt.Fprintf(w, "Drift:      %s\n", refused)
	case err != nil:
		fmt.Fprintf(w, "Drift:      not checked: %v\n", err)
	case planner.Fingerprint(expected) == fp && refused != "":
		fmt.Fprintf(w, "Drift:      none against the migrations up to %s, but %s: a stale plan\n", at, refused)
	case planner.Fingerprint(expected) == fp:
		fmt.Fprintf(w, "Drift:      none (the schema is what the migrations up to %s give)\n", at)
	default:
		if refused != "" {
			refused = "; " + refused
		}
		fmt.Fprintf(w, "Drift:      the schema differs from what the migrations up to %s give%s:\n", at, refused)
		var b strings.Builder
		writeDiff(&b, e.dialect, expected, live)
		for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// driftHint adds what to do to apply's drift error.
func driftHint(err error) error {
	var de *executor.DriftError
	if !errors.As(err, &de) {
		return err
	}
	return fmt.Errorf("%w; bring the database back to what the migrations give, plan again, or pass --allow-drift", err)
}
