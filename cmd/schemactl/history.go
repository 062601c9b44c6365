package main

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/spf13/cobra"
)

func newHistoryCmd() *cobra.Command {
	var (
		dir, table string
		dbURL      urlFlag
		dialect    dialectFlag
		format     textOrJSON
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
			asJSON, err := format.json(cmd)
			if err != nil {
				return err
			}
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
			if err != nil && d == "" && rawURL == "" {
				return unmarkedHint(cmd.Context(), e, err)
			}
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
			if asJSON {
				return writeJSON(w, newHistoryDocument(dir, ms, current, known))
			}
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
	format.register(cmd)
	return cmd
}

func newStampCmd() *cobra.Command {
	var (
		db     dbFlags
		format textOrJSON
	)
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
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			asJSON, err := format.json(cmd)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				return stampTargets(cmd.Context(), db.dir)
			}
			e, err := db.open(cmd.Context())
			if err != nil {
				return err
			}
			defer e.Close()
			v, err := e.Stamp(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), stampDocument{FormatVersion: report.JSONFormatVersion, Kind: "stamp", Target: e.Where(), Version: v})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Stamped %s at %s; nothing was run.\n", e.Where(), versionName(v))
			return nil
		},
	}
	db.register(cmd)
	format.register(cmd)
	return cmd
}
