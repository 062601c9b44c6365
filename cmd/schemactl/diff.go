package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/schemactl/schemactl/schema"
	"github.com/spf13/cobra"
)

func newDiffCmd() *cobra.Command {
	var (
		from, to, devURL string
		format           string
		exitCode         bool
		dialect          dialectFlag
	)
	cmd := &cobra.Command{
		Use:   "diff --from A --to B [--dev-url URL] [--format sql|text|markdown|json] [--exit-code]",
		Short: "Print the SQL that turns one schema into another",
		Long: `Diff prints the statements that turn schema A into schema B, as plan would
write them, without touching either (Atlas's "schema diff"). Each of --from and
--to is one of:

  a database URL          sqlite://app.db, mysql://user@host:3306/app
  HCL files or directory  schema.hcl, schema/ (a comma-separated list of paths)
  a migration directory   migrations/ (a directory holding *.sql migrations or
                          schemactl.sum): replayed into --dev-url (default for
                          SQLite: a database in memory) and inspected

A "file://" prefix is allowed, as Atlas writes paths. The engine is the one
of the URLs given, else --dialect, else what the migration files record,
else SQLite. --format sql (the default) prints the statements; text,
markdown and json print the changes and lint's findings as plan does.
--exit-code exits 2 when there are changes, 0 when there are none (1 on
error), as plan --exit-code.`,
		Example: `  schemactl diff --from sqlite://app.db --to schema.hcl
  schemactl diff --from migrations --to schema.hcl --exit-code --format text`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return &inputError{errors.New("diff needs --from and --to: each a database URL, HCL files, or a migration directory")}
			}
			if format != "sql" {
				if _, err := report.ParseFormat(format); err != nil {
					return &inputError{fmt.Errorf("--format %q: diff writes sql, text, markdown or json", format)}
				}
			}
			d, err := dialect.get()
			if err != nil {
				return err
			}
			return runDiff(cmd, diffSide(from), diffSide(to), devURL, d, format, exitCode)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the schema the changes start from: database URL, HCL paths, or migration directory")
	cmd.Flags().StringVar(&to, "to", "", "the schema the changes lead to: database URL, HCL paths, or migration directory")
	cmd.Flags().StringVar(&devURL, "dev-url", "", "scratch database to replay a migration directory into (default: SQLite in memory for SQLite)")
	cmd.Flags().StringVar(&format, "format", "sql", "output format: sql, text, markdown or json")
	cmd.Flags().BoolVar(&exitCode, "exit-code", false, "exit 2 when there are changes, 0 when there are none")
	dialect.register(cmd)
	return cmd
}

// side is one of --from and --to, classified.
type side struct {
	given string   // as the user wrote it, for messages
	url   string   // a database URL
	dir   string   // a migration directory
	hcl   []string // HCL paths
}

func diffSide(v string) side {
	s := side{given: v}
	p := strings.TrimPrefix(v, "file://")
	switch {
	case p == v && strings.Contains(v, "://"):
		s.url = v
	case isMigrationDir(p):
		s.dir = p
	default:
		s.hcl = strings.Split(p, ",")
	}
	return s
}

// isMigrationDir tells a migration directory from a directory of HCL
// files: it holds schemactl.sum or numbered .sql files.
func isMigrationDir(path string) bool {
	if _, err := os.Stat(filepath.Join(path, executor.SumFile)); err == nil {
		return true
	}
	sql, _ := filepath.Glob(filepath.Join(path, "[0-9]*.sql"))
	return len(sql) > 0
}

func runDiff(cmd *cobra.Command, from, to side, devURL string, d schema.Dialect, format string, exitCode bool) error {
	ctx := cmd.Context()
	// ref is the engine that reads HCL and renders the changes: the
	// database's when a side is one, so that the server's rules apply.
	refURL := from.url
	if refURL == "" {
		refURL = to.url
	}
	ref, err := engine.Open(ctx, engine.Target{URL: refURL, Dialect: d, DevURL: devURL, Dir: firstNonEmpty(from.dir, to.dir)})
	if err != nil {
		return err
	}
	defer ref.Close()
	if refURL == "" && d == "" && (from.dir != "" || to.dir != "") {
		// The migration files may record the engine.
		if _, err := ref.Dir(); err != nil {
			return err
		}
	}
	a, err := diffRealm(ctx, cmd, ref, from, devURL)
	if err != nil {
		return err
	}
	b, err := diffRealm(ctx, cmd, ref, to, devURL)
	if err != nil {
		return err
	}
	p, err := ref.DiffPlan(a, b)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if format == "sql" {
		writeDiffSQL(out, p.Up)
	} else {
		var f formatFlag
		f.value = format
		pr, err := f.printer(out)
		if err != nil {
			return err
		}
		if err := pr.Plan(out, p, report.PlanInfo{From: from.given, Target: to.given}); err != nil {
			return err
		}
	}
	if exitCode && !p.Empty() {
		return &exitError{code: 2}
	}
	return nil
}

// diffRealm reads one side, normalised for ref's engine.
func diffRealm(ctx context.Context, cmd *cobra.Command, ref *engine.Engine, s side, devURL string) (*schema.Realm, error) {
	switch {
	case s.url != "":
		e, err := engine.Open(ctx, engine.Target{URL: s.url})
		if err != nil {
			return nil, err
		}
		defer e.Close()
		if e.Dialect() != ref.Dialect() {
			return nil, &inputError{fmt.Errorf("%s is a %s database; the other side is %s", e.Where(), e.Dialect(), ref.Dialect())}
		}
		r, foreign, err := e.InspectForeign(ctx)
		if err != nil {
			return nil, err
		}
		noteForeign(cmd.ErrOrStderr(), foreign)
		return r, nil
	case s.dir != "":
		e, err := engine.Open(ctx, engine.Target{Dir: s.dir, Dialect: ref.Dialect(), DevURL: devURL})
		if err != nil {
			return nil, err
		}
		defer e.Close()
		return e.Expected(ctx, "head")
	}
	// Read without a database, so that the HCL's schema need not be
	// named after the other side's database: diff compares two schemas,
	// wherever they live (DiffPlan pairs them up).
	offline, err := engine.Open(ctx, engine.Target{Dialect: ref.Dialect()})
	if err != nil {
		return nil, err
	}
	defer offline.Close()
	r, files, diags := offline.LoadSchema(nil, s.hcl...)
	if diags.HasErrors() {
		return nil, reportDiagnostics(cmd, s.hcl, files, diags)
	}
	if err := ref.Normalize(r); err != nil {
		return nil, err
	}
	return r, nil
}

// writeDiffSQL prints statements as a migration file's section holds
// them: each change's comment, then its statements ending in semicolons.
func writeDiffSQL(w io.Writer, stmts []planner.Statement) {
	for _, st := range stmts {
		for _, l := range strings.Split(st.Comment, "\n") {
			if l != "" {
				fmt.Fprintf(w, "-- %s\n", printable(l))
			}
		}
		fmt.Fprintf(w, "%s;\n", st.SQL)
	}
}

// noteForeign says that the tables of other migration tools were left out.
func noteForeign(w io.Writer, tables []string) {
	if len(tables) > 0 {
		fmt.Fprintf(w, "note: left out %s, the version table of Alembic: schemactl neither reads nor changes it\n", strings.Join(tables, ", "))
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
