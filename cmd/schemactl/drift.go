package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/schemactl/schemactl/schema"
)

// writeDriftReport shows why apply stopped: what the migration was planned
// against, what the database is, and the difference as a plan.
func writeDriftReport(w io.Writer, e *engine.Engine, r *engine.DriftReport) {
	fmt.Fprintf(w, "\nDrift: %s was planned against schema %s,\n       but the database at %s is %s.\n", printable(r.File), r.Want, e.Where(), r.Got)
	if r.Err != nil {
		fmt.Fprintf(w, "       (cannot show the difference: %s)\n", printable(r.Err.Error()))
		return
	}
	at := versionName(r.Version)
	switch r.Kind {
	case engine.DriftChanged:
		fmt.Fprintf(w, "\nThe database was changed outside the migrations. From what the migrations up to %s give\nto what the database has:\n\n", at)
	case engine.DriftStale:
		fmt.Fprintf(w, "\nThe database is what the migrations up to %s give, but %s was planned against another\nschema: the plan is stale (made on another branch, or against a database that had drifted).\n", at, printable(r.File))
		return
	case engine.DriftStamp:
		fmt.Fprintf(w, "\nThe database is exactly what the migrations up to %s give, but its version table says %s:\nthe version is wrong (a stamp of the wrong version?), not the schema.\n", versionName(r.Stamp), at)
		return
	default:
		fmt.Fprintf(w, "\n%s was planned against a schema the migrations before it do not give (a stale plan), and the\ndatabase differs from what they give too. From what the migrations up to %s give to the database:\n\n", printable(r.File), at)
	}
	writeDiff(w, e, r.Expected, r.Live)
}

// writeDiff writes the changes from one schema to another as the text plan
// lists them, indented.
func writeDiff(w io.Writer, e *engine.Engine, from, to *schema.Realm) {
	changes, err := e.Diff(from, to)
	if err != nil {
		fmt.Fprintf(w, "  (cannot diff: %v)\n", err)
		return
	}
	if err := report.WriteChanges(w, changes); err != nil {
		fmt.Fprintf(w, "  (cannot print: %v)\n", err)
	}
}

// writeDrift adds the drift line to status: the live schema against what
// the next pending migration was planned against and against what the
// applied migrations give.
func writeDrift(w io.Writer, e *engine.Engine, st *engine.Status) {
	d := st.Drift
	if d == nil {
		return
	}
	if d.Err != nil {
		fmt.Fprintf(w, "Drift:      not checked: %s\n", printable(d.Err.Error()))
		return
	}
	if len(st.Edits) > 0 {
		// What the applied migrations give is read from the directory's
		// files, which are not what ran.
		fmt.Fprintln(w, "Drift:      not checked: the directory's files of applied migrations are not what ran (see Applied)")
		return
	}
	refused := ""
	switch {
	case d.Next == nil:
	case d.NextMatches:
		fmt.Fprintf(w, "Drift:      none (the schema is what %s was planned against)\n", d.Next.Version)
		return
	case d.NextOtherRules:
		// Apply checks it against what the applied migrations give, as
		// below: it refuses exactly when that differs.
		if d.ExpectedErr == nil && !d.ExpectedMatches {
			refused = fmt.Sprintf("apply will refuse %s (--allow-drift to override)", printable(d.Next.File))
		}
	default:
		refused = fmt.Sprintf("apply will refuse %s, planned against another schema (--allow-drift to override)", printable(d.Next.File))
	}
	at := versionName(st.Current)
	switch {
	case d.ExpectedErr != nil && refused != "":
		fmt.Fprintf(w, "Drift:      %s\n", refused)
	case d.ExpectedErr != nil:
		fmt.Fprintf(w, "Drift:      not checked: %s\n", printable(d.ExpectedErr.Error()))
	case d.ExpectedMatches && refused != "":
		fmt.Fprintf(w, "Drift:      none against the migrations up to %s, but %s: a stale plan\n", at, refused)
	case d.ExpectedMatches:
		fmt.Fprintf(w, "Drift:      none (the schema is what the migrations up to %s give)\n", at)
	case d.WrongVersion:
		fmt.Fprintf(w, "Drift:      the schema is exactly what the migrations up to %s give, not %s: the version table is wrong (a stamp of the wrong version?); schemactl stamp %s?\n",
			versionName(d.Stamp), at, versionName(d.Stamp))
	default:
		if refused != "" {
			refused = "; " + refused
		}
		fmt.Fprintf(w, "Drift:      the schema differs from what the migrations up to %s give%s:\n", at, refused)
		var b strings.Builder
		writeDiff(&b, e, d.Expected, d.Live)
		for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// driftHint adds to apply's drift error the one way out of the state r
// found; plan, which refuses a database behind the directory for the same
// drift, gives the same.
func driftHint(err error, r *engine.DriftReport) error {
	var de *executor.DriftError
	if !errors.As(err, &de) {
		return err
	}
	file := printable(de.File)
	switch r.Kind {
	case engine.DriftChanged:
		return fmt.Errorf("%w; the database was changed outside the migrations: undo the change shown above and apply again (or apply --allow-drift to run %s over it, then plan the change as a migration)", err, file)
	case engine.DriftStale:
		return fmt.Errorf("%w; %s is a stale plan: remove it, run schemactl hash, and plan again (or apply --allow-drift if it still fits)", err, file)
	case engine.DriftBoth:
		return fmt.Errorf("%w; undo the change shown above, then remove %s (a stale plan), run schemactl hash, and plan again", err, file)
	case engine.DriftStamp:
		return fmt.Errorf("%w; the database is at %s, not %s: schemactl stamp %s?", err, versionName(r.Stamp), versionName(r.Version), versionName(r.Stamp))
	}
	return fmt.Errorf("%w; bring the database back to what the migrations give, or pass --allow-drift", err)
}

// refuseDrift shows, when err is a refusal for drift, why (on w) and
// returns the error with the way out; other errors come back as they are.
func refuseDrift(ctx context.Context, w io.Writer, e *engine.Engine, err error) error {
	var de *executor.DriftError
	if !errors.As(err, &de) {
		return err
	}
	r := e.ExplainDrift(ctx, de)
	writeDriftReport(w, e, r)
	return driftHint(err, r)
}
