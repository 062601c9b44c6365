package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

func newStatusCmd() *cobra.Command {
	var (
		db     dbFlags
		devURL string
	)
	cmd := &cobra.Command{
		Use:     "status --url URL [--dir migrations]",
		Short:   "Show the database's version, pending migrations and failures",
		Example: `  schemactl status --url sqlite://app.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
			writeStatus(cmd.OutOrStdout(), e.Where(), db.dir, &st.Status)
			writeDrift(cmd.OutOrStdout(), e, st)
			return nil
		},
	}
	db.register(cmd)
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
	if f := st.Failure; f != nil {
		at := f.ErrorStatement
		if at == 0 {
			at = f.Done + 1
		}
		what := "failed"
		if f.Interrupted {
			what = "was interrupted"
		}
		if at > f.Total {
			fmt.Fprintf(w, "Last run:   %s %s %s after its last statement\n", f.Direction, printable(f.Version), what)
		} else {
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

// printDoubt says what is known of a statement an interrupted run left in
// doubt, and what the next run will do with it.
func printDoubt(w io.Writer, f *executor.Failure) {
	k, cmd := f.Done+1, again(f.Direction)
	if f.Done > 0 {
		fmt.Fprintf(w, "  statements 1-%d ran and stay applied; ", f.Done)
	} else {
		fmt.Fprint(w, "  ")
	}
	fmt.Fprintf(w, "statement %d is in doubt: it was running when the run stopped, and may have taken effect\n", k)
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

func newHistoryCmd() *cobra.Command {
	var (
		dir, table string
		dbURL      urlFlag
		dialect    dialectFlag
	)
	cmd := &cobra.Command{
		Use:   "history [--dir migrations] [--url URL]",
		Short: "List the migration chain",
		Long: `History lists the migrations of the directory in order. With --url (or
SCHEMACTL_URL / DATABASE_URL) it also marks the version the database is at.`,
		Example: `  schemactl history
  schemactl history --url sqlite://app.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := dialect.get()
			if err != nil {
				return err
			}
			rawURL := dbURL.get()
			e, err := engine.Open(cmd.Context(), engine.Target{URL: rawURL, Dir: dir, VersionTable: table, Dialect: d})
			if err != nil {
				return err
			}
			defer e.Close()
			ms, err := e.Migrations()
			if err != nil {
				return err
			}
			current, known := "", false
			if rawURL != "" {
				if current, err = e.Current(cmd.Context()); err != nil {
					return err
				}
				known = true
			}
			w := cmd.OutOrStdout()
			if len(ms) == 0 {
				fmt.Fprintf(w, "No migrations in %s.\n", dir)
				return nil
			}
			for i := len(ms) - 1; i >= 0; i-- {
				m := ms[i]
				var marks []string
				if i == len(ms)-1 {
					marks = append(marks, "head")
				}
				if known && m.Version == current {
					marks = append(marks, "current")
				}
				mark := ""
				if len(marks) > 0 {
					mark = " (" + strings.Join(marks, ", ") + ")"
				}
				fmt.Fprintf(w, "%s -> %s  %s%s\n", versionName(m.Revises), m.Version, printable(m.Name), mark)
			}
			if known && current == "" {
				fmt.Fprintln(w, "Database is at base.")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "migrations", "migration directory")
	dbURL.register(cmd, "database URL, to mark the current version")
	cmd.Flags().StringVar(&table, "version-table", "schemactl_version", "name of the version table")
	dialect.register(cmd)
	return cmd
}

func newStampCmd() *cobra.Command {
	var db dbFlags
	cmd := &cobra.Command{
		Use:   "stamp --url URL VERSION|head|base",
		Short: "Set the version table without running anything",
		Long: `Stamp records VERSION as the version the database is at, without running
any migration: the way to adopt an existing database whose schema already
matches that version. It trusts you; run plan afterwards to check. The target
is required: an empty one, a version the directory lacks, or head of a
directory without migrations is refused rather than read as base. Stamp also
recreates a version table that was dropped while the history was kept.`,
		Example: `  schemactl stamp --url sqlite://app.db 0003
  schemactl stamp --url sqlite://app.db base`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := db.open(cmd.Context())
			if err != nil {
				return err
			}
			defer e.Close()
			v, err := e.Stamp(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Stamped %s at %s; nothing was run.\n", e.Where(), versionName(v))
			return nil
		},
	}
	db.register(cmd)
	return cmd
}
