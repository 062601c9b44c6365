package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

func newStatusCmd() *cobra.Command {
	var (
		db       dbFlags
		devURL   string
		exitCode bool
		format   textOrJSON
		ff       fleetFlags
	)
	cmd := &cobra.Command{
		Use:   "status --url URL [--dir migrations]",
		Short: "Show the database's version, pending migrations and failures",
		Long: `Status compares the database with the migration directory: its version, the
pending migrations, checksum problems, applied migrations whose files are not
what ran, the last run when it failed or stopped, and drift of the live schema
from what the migrations give. It exits 0 whatever it finds, unless
--exit-code: then 0 up to date, 2 migrations pending that apply would run,
3 a state that needs a human (drift, a checksum mismatch, an edited applied
migration, a version the directory lacks, a failed or partial run), 1 an error.

Over a fleet (--url more than once, an env with a list of URLs, --url-file
or a mysql:// glob; see apply --help) it shows each target's version beside
the head and the skew at a glance; --exit-code exits 2 when one is behind.`,
		Example: `  schemactl status --url sqlite://app.db
  schemactl status --exit-code   # in CI or a deploy script`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			urls, isFleet, err := ff.targets(cmd, &db.url)
			if err != nil {
				return err
			}
			if isFleet {
				return runFleetStatus(cmd, urls, &db, devURL, &ff, &format, exitCode)
			}
			asJSON, err := format.json(cmd)
			if err != nil {
				return err
			}
			t := db.target()
			t.DevURL = devURL
			if t.URL == "" {
				return engine.ErrNoDatabase
			}
			e, err := engine.Open(cmd.Context(), t)
			if err != nil {
				return err
			}
			defer e.Close()
			st, err := e.Status(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(cmd.OutOrStdout(), newStatusDocument(e, db.dir, st)); err != nil {
					return err
				}
			} else {
				writeStatus(cmd.OutOrStdout(), e.Where(), db.dir, &st.Status)
				writeDrift(cmd.OutOrStdout(), e, st)
			}
			if code := statusCode(st); exitCode && code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
	ff.register(cmd) // first: it marks the command as taking several --url
	db.register(cmd)
	format.register(cmd)
	cmd.Flags().BoolVar(&exitCode, "exit-code", false, "exit 2 when migrations are pending, 3 when the state needs a human (drift, an edited or unknown file, a failed run), 0 when up to date")
	cmd.Flags().StringVar(&devURL, "dev-url", "", "scratch database to replay migrations into, to check drift (default: SQLite in memory for SQLite)")
	return cmd
}

func writeStatus(w io.Writer, url, dir string, st *executor.Status) {
	fmt.Fprintf(w, "Database:   %s\n", printable(url))
	current := printable(versionName(st.Current))
	switch {
	case st.Unknown:
		current += " (not in " + dir + ": a newer checkout, or another branch)"
	case st.Current == st.Head && st.Head != "":
		current += " (head)"
	}
	fmt.Fprintf(w, "Version:    %s\n", current)
	n := st.Count
	fmt.Fprintf(w, "Directory:  %s (%d %s, head %s)\n", dir, n, plural(n, "migration", "migrations"), versionName(st.Head))
	switch {
	case st.Unknown:
		fmt.Fprintf(w, "Pending:    unknown: use the migrations that reached %s\n", printable(st.Current))
	case len(st.Pending) == 0:
		fmt.Fprintln(w, "Pending:    none")
	default:
		fmt.Fprintf(w, "Pending:    %d\n", len(st.Pending))
		for _, m := range st.Pending {
			fmt.Fprintf(w, "  %s %s\n", m.Version, printable(m.Name))
		}
	}
	if st.SumErr != nil {
		fmt.Fprintf(w, "Checksums:  MISMATCH: %s\n", printable(st.SumErr.Error()))
	}
	writePins(w, st)
	if f := st.Failure; f != nil {
		at := f.ErrorStatement
		if at == 0 {
			at = f.Done + 1
		}
		what := "failed"
		if f.Interrupted {
			what = "was interrupted"
		}
		switch {
		case f.ErrorStatement == 0 && !f.Partial && f.Error != "":
			// Rolled back whole after its statements ran (an interrupt, a
			// failed commit): no statement failed.
			if k, ok := interruptedAfter(f); ok {
				fmt.Fprintf(w, "Last run:   %s %s was interrupted after statement %d of %d\n", f.Direction, printable(f.Version), k, f.Total)
			} else {
				fmt.Fprintf(w, "Last run:   %s %s failed after its last statement (at commit)\n", f.Direction, printable(f.Version))
			}
		case at > f.Total:
			fmt.Fprintf(w, "Last run:   %s %s %s after its last statement\n", f.Direction, printable(f.Version), what)
		default:
			fmt.Fprintf(w, "Last run:   %s %s %s at statement %d of %d\n", f.Direction, printable(f.Version), what, at, f.Total)
		}
		if f.Error != "" {
			fmt.Fprintf(w, "  error: %s\n", printable(f.Error))
		}
		switch {
		case f.InDoubt:
			printDoubt(w, f)
		case f.Partial && strings.HasPrefix(f.Error, "interrupted after statement"):
			fmt.Fprintf(w, "  statements 1-%d ran and stay applied; run %s again to resume at statement %d\n", f.Done, again(f.Direction), f.Done+1)
		case f.Partial && f.Interrupted && f.Done >= f.Total:
			fmt.Fprintf(w, "  statements 1-%d ran and stay applied; the run stopped before recording the version: run %s again to record it\n", f.Done, again(f.Direction))
		case f.Partial && f.Interrupted:
			fmt.Fprintf(w, "  statements 1-%d ran and stay applied; run %s again to resume at statement %d\n", f.Done, again(f.Direction), f.Done+1)
		case f.Partial:
			fmt.Fprintf(w, "  statements 1-%d ran and stay applied; fix the migration and run %s again to resume at statement %d\n", f.Done, again(f.Direction), f.Done+1)
		case f.Interrupted:
			fmt.Fprintf(w, "  the process stopped without recording the outcome; check the schema, then apply again or stamp\n")
		default:
			fmt.Fprintln(w, "  rolled back: the database is as it was before that run")
		}
	}
}

// Exit codes of status --exit-code.
const (
	statusUpToDate  = 0
	statusPending   = 2 // apply would run migrations
	statusNeedHuman = 3 // apply would refuse, or the last run did not finish
)

// statusCode is what status --exit-code exits with for st.
func statusCode(st *engine.Status) int {
	switch {
	case st.Unknown, st.SumErr != nil, len(st.Edits) > 0, st.Failure != nil, st.Drift.Found():
		return statusNeedHuman
	case len(st.Pending) > 0:
		return statusPending
	}
	return statusUpToDate
}

// writePins says which applied migrations differ from their files, which
// apply and downgrade refuse, and which no history row pins.
func writePins(w io.Writer, st *executor.Status) {
	if len(st.Edits) > 0 {
		fmt.Fprintf(w, "Applied:    EDITED: %d applied %s no longer what ran; apply and downgrade refuse until resolved\n",
			len(st.Edits), plural(len(st.Edits), "migration is", "migrations are"))
		for _, d := range st.Edits {
			fmt.Fprintf(w, "  %s\n", printable(d.String()))
		}
		fmt.Fprintf(w, "  restore the files as applied, or after review run the next apply or downgrade with --accept-edited %s\n", editedVersions(st.Edits))
	}
	if len(st.NotPinned) > 0 {
		fmt.Fprintf(w, "Not pinned: %s (applied before a stamp: no record of what ran to compare the files with)\n",
			strings.Join(st.NotPinned, ", "))
	}
}

func editedVersions(edits []*executor.Edit) string {
	vs := make([]string, len(edits))
	for i, d := range edits {
		vs[i] = d.Version
	}
	return strings.Join(vs, ",")
}

// stampTargets is the error of a stamp without a target: it lists what
// the directory offers.
func stampTargets(ctx context.Context, dir string) error {
	e, err := engine.Open(ctx, engine.Target{Dir: dir})
	if err != nil {
		return err
	}
	defer e.Close()
	ms, err := e.Migrations()
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return fmt.Errorf("stamp needs a target: %s holds no migrations, so only base", dir)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "stamp needs a target: head (%s), base, or a version of %s:", ms[len(ms)-1].Version, dir)
	const shown = 10
	if len(ms) > shown {
		fmt.Fprintf(&b, "\n  … %d older", len(ms)-shown)
	}
	for _, m := range ms[max(0, len(ms)-shown):] {
		fmt.Fprintf(&b, "\n  %s %s", m.Version, printable(m.Name))
	}
	return errors.New(b.String())
}

// printDoubt says what is known of a statement an interrupted run left in
// doubt, and what the next run will do with it.
func printDoubt(w io.Writer, f *executor.Failure) {
	k, cmd := f.Done+1, again(f.Direction)
	if f.Done > 0 {
		fmt.Fprintf(w, "  statements 1-%d ran and stay applied; ", f.Done)
	} else {
		fmt.Fprint(w, "  ")
	}
	known := f.Next.Statement == k && (f.Next.Kind == executor.IntentTx || f.Next.Kind == executor.IntentRerun)
	if known {
		// Not "may have taken effect" just before "did not take effect".
		fmt.Fprintf(w, "statement %d is in doubt: it was running when the run stopped\n", k)
	} else {
		fmt.Fprintf(w, "statement %d is in doubt: it was running when the run stopped, and may have taken effect\n", k)
	}
	switch {
	case f.Next.Statement != k:
		fmt.Fprintf(w, "  the history does not say what it was: check the database, then run %s --resume-done if it took effect, or %s --resume-rerun if it did not\n", cmd, cmd)
	case f.Next.Kind == executor.IntentTx:
		fmt.Fprintf(w, "  it ran in one transaction with its record, so it did not take effect: %s again runs it\n", cmd)
	case f.Next.Kind == executor.IntentRerun:
		fmt.Fprintf(w, "  it only sets session state: %s again runs it\n", cmd)
	case f.Next.Kind == executor.IntentImage:
		fmt.Fprintf(w, "  %s again compares the catalog with the image taken before it: it runs it, marks it done, or refuses\n", cmd)
	default:
		fmt.Fprintf(w, "  the catalog cannot show the effect of %s: check the database, then run %s --resume-done if it took effect, or %s --resume-rerun if it did not\n",
			printable(f.Next.Image), cmd, cmd)
	}
}

// again is the command that finishes a partial run in direction d.
func again(d executor.Direction) string {
	if d == executor.Down {
		return "downgrade"
	}
	return "apply"
}

// interruptedAfter is the number of statements a run stopped by a signal
// had run before its migration rolled back whole.
func interruptedAfter(f *executor.Failure) (int, bool) {
	var done, total int
	if _, err := fmt.Sscanf(f.Error, "interrupted after statement %d of %d", &done, &total); err != nil {
		return 0, false
	}
	return done, true
}
