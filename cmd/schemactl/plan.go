package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/spf13/cobra"
)

func newPlanCmd() *cobra.Command {
	var (
		db               dbFlags
		paths            []string
		message          string
		dryRun           bool
		exitCode         bool
		allowDestructive bool
		renames          []string
		devURL           string
		format           formatFlag
	)
	cmd := &cobra.Command{
		Use:   "plan --url URL --schema PATH... -m MESSAGE",
		Short: "Diff the database against the HCL and write the next migration",
		Long: `Plan reads the live schema at --url, compares it with the HCL files and
writes the difference as the next numbered migration in --dir, with an up and a
down section, and updates the directory's schemactl.sum. The database must be
at the directory's head: apply pending migrations first. The file records the
fingerprint of the schema it was planned against; apply refuses to run it on a
database whose schema has drifted from that.

With --dev-url the plan needs no access to the real database: the migration
directory is replayed into a scratch database (sqlite://file?mode=memory, or a
MySQL server where a throwaway database is created and dropped) and the plan is
made against that.

Every change is linted (see schemactl lint). Destructive changes (dropping a
table or column, narrowing a type) are refused unless --allow-destructive is
given. A rename needs a hint: renamed_from in the HCL, or --rename. With
--dry-run the plan and its SQL are printed and nothing is written. With
--exit-code the exit status is 0 when there is nothing to do and 2 when the
plan has changes (1 is an error).`,
		Example: `  schemactl plan --url sqlite://app.db --schema schema.hcl -m "add users"
  schemactl plan --url sqlite://app.db --schema schema/ --dry-run
  schemactl plan --url sqlite://app.db --schema schema.hcl --rename table.hero.column.name=full_name -m "rename"
  schemactl plan --dev-url sqlite://file?mode=memory --schema schema.hcl --dry-run --format markdown
  schemactl plan --schema schema.hcl --exit-code   # in CI: 2 means the schema and the DB differ`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			out := cmd.OutOrStdout()
			pr, err := format.printer(out)
			if err != nil {
				return err
			}
			hints, err := parseRenames(renames)
			if err != nil {
				return err
			}
			e, closeFn, ex, dev, err := openPlanTarget(ctx, &db, devURL)
			if err != nil {
				return err
			}
			defer closeFn()
			// A dev database has a throwaway name: the HCL names the real one.
			database := e.target.database()
			if dev {
				database = ""
			}
			desired, err := loadSchema(cmd, paths, e.target.Dialect, database)
			if err != nil {
				return err
			}
			if err := e.normalize(desired); err != nil {
				return err
			}
			if desired, err = planner.WithRenames(desired, hints); err != nil {
				return err
			}
			if err := ex.Dir.Verify(); err != nil {
				return err
			}
			current, head, err := positions(ctx, ex)
			if err != nil {
				return err
			}
			if current != head {
				return fmt.Errorf("database is at %s but %s is at %s: run schemactl apply first, then plan again", versionName(current), db.dir, versionName(head))
			}
			live, err := e.inspectManaged(ctx, ex)
			if err != nil {
				return err
			}
			noteUnmanaged(cmd.ErrOrStderr(), live)
			info := planner.PlanInfo{Target: e.target.Display, Dev: dev, Current: current, Head: head, Fingerprint: planner.Fingerprint(live)}
			opts := planner.Options{AllowDestructive: allowDestructive}
			if !dev {
				opts.Rows = rowCounter(ctx, e, planner.DefaultLargeTable)
			}
			p, err := planner.New(live, desired, e.dialect, opts)
			var derr *planner.DestructiveError
			if errors.As(err, &derr) {
				info.Error = err.Error()
				_ = pr.Plan(out, p, info)
				return err
			}
			if err != nil {
				return err
			}
			switch {
			case p.Empty():
			case dryRun:
			case message == "":
				err = fmt.Errorf("the plan has changes: give the migration a message with -m \"what it does\" (or use --dry-run)")
				info.Error = err.Error()
			default:
				m, werr := ex.Dir.WritePlanned(message, info.Fingerprint, toExec(p.Up), toExec(p.Down))
				if werr != nil {
					return werr
				}
				info.File = filepath.Join(db.dir, m.File)
			}
			if perr := pr.Plan(out, p, info); perr != nil {
				return perr
			}
			if err != nil {
				return err
			}
			if dryRun && !p.Empty() && pr.Format == planner.FormatText {
				writeSQL(out, p)
			}
			if exitCode && !p.Empty() {
				return &exitError{code: 2}
			}
			return nil
		},
	}
	db.register(cmd)
	format.register(cmd)
	f := cmd.Flags()
	f.StringArrayVar(&paths, "schema", nil, "HCL schema file or directory of *.hcl (repeatable)")
	f.StringVarP(&message, "message", "m", "", "what the migration does; becomes its file name")
	f.BoolVar(&dryRun, "dry-run", false, "print the plan and its SQL; write nothing")
	f.BoolVar(&exitCode, "exit-code", false, "exit 2 when the plan has changes, 0 when it has none")
	f.BoolVar(&allowDestructive, "allow-destructive", false, "allow dropping tables and columns and narrowing types")
	f.StringArrayVar(&renames, "rename", nil, "a rename, like renamed_from: table.OLD=NEW or table.T.column.OLD=NEW or table.T.index.OLD=NEW (repeatable)")
	f.StringVar(&devURL, "dev-url", "", "plan against this scratch database, into which the migration directory is replayed, instead of --url")
	_ = cmd.MarkFlagRequired("schema")
	return cmd
}

// openPlanTarget opens what plan diffs against: the database at --url, or
// with --dev-url a scratch database with the directory replayed into it.
// closeFn closes it (and drops a throwaway MySQL database).
func openPlanTarget(ctx context.Context, db *dbFlags, devURL string) (e *engine, closeFn func() error, ex *executor.Executor, dev bool, err error) {
	if devURL == "" {
		e, ex, err := db.open(ctx)
		if err != nil {
			return nil, nil, nil, false, err
		}
		return e, e.Close, ex, false, nil
	}
	d, err := openDev(ctx, devURL)
	if err != nil {
		return nil, nil, nil, false, err
	}
	dir, err := executor.OpenDir(db.dir)
	if err != nil {
		d.Close()
		return nil, nil, nil, false, err
	}
	dir.Lexer = d.lexer()
	if ex, err = d.replay(ctx, dir, db.versionTable, ""); err != nil {
		d.Close()
		return nil, nil, nil, false, err
	}
	return d.engine, d.Close, ex, true, nil
}

func parseRenames(flags []string) ([]planner.Rename, error) {
	var out []planner.Rename
	for _, f := range flags {
		r, err := planner.ParseRename(f)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// rowCounter counts the rows of a live table for lint, up to limit: a
// bounded count costs at most limit rows of an index scan, and lint only
// needs to know "empty" and "large". Tables are counted once, when lint
// asks; an error makes the count unknown.
func rowCounter(ctx context.Context, e *engine, limit int64) func(string) (int64, bool) {
	cache := map[string]int64{}
	return func(table string) (int64, bool) {
		if n, ok := cache[table]; ok {
			return n, n >= 0
		}
		q := fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM %s LIMIT %d) AS t", e.driver.QuoteIdent(table), limit)
		var n int64
		if err := e.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			cache[table] = -1
			return 0, false
		}
		cache[table] = n
		return n, true
	}
}

// writeSQL prints the up section of a plan as it would be written.
func writeSQL(w io.Writer, p *planner.Plan) {
	fmt.Fprintln(w, "\n-- +up")
	for _, s := range p.Up {
		if s.Comment != "" {
			fmt.Fprintf(w, "-- %s\n", s.Comment)
		}
		fmt.Fprintf(w, "%s;\n", s.SQL)
	}
	fmt.Fprintln(w, "-- +down")
	for _, s := range p.Down {
		if s.Comment != "" {
			fmt.Fprintf(w, "-- %s\n", s.Comment)
		}
		fmt.Fprintf(w, "%s;\n", s.SQL)
	}
}

func toExec(stmts []planner.Statement) []executor.Statement {
	out := make([]executor.Statement, len(stmts))
	for i, s := range stmts {
		out[i] = executor.Statement{Comment: s.Comment, SQL: s.SQL}
	}
	return out
}

// versionName prints the empty version as "base", as Alembic does.
func versionName(v string) string {
	if v == "" {
		return "base"
	}
	return v
}
