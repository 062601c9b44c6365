package main

import (
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
	)
	cmd := &cobra.Command{
		Use:   "plan --url URL --schema PATH... -m MESSAGE",
		Short: "Diff the database against the HCL and write the next migration",
		Long: `Plan reads the live schema at --url, compares it with the HCL files and
writes the difference as the next numbered migration in --dir, with an up and a
down section, and updates the directory's schemactl.sum. The database must be
at the directory's head: apply pending migrations first.

Destructive changes (dropping a table or column, narrowing a type) are refused
unless --allow-destructive is given. With --dry-run the plan and its SQL are
printed and nothing is written. With --exit-code the exit status is 0 when
there is nothing to do and 2 when the plan has changes (1 is an error).`,
		Example: `  schemactl plan --url sqlite://app.db --schema schema.hcl -m "add users"
  schemactl plan --url sqlite://app.db --schema schema/ --dry-run
  schemactl plan --schema schema.hcl --exit-code   # in CI: 2 means the schema and the DB differ`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			out := cmd.OutOrStdout()
			e, ex, err := db.open(ctx)
			if err != nil {
				return err
			}
			defer e.Close()
			desired, err := loadSchema(cmd, paths, e.target.Dialect, e.target.database())
			if err != nil {
				return err
			}
			if err := e.normalize(desired); err != nil {
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
			fmt.Fprintf(out, "Planning against %s (at %s, head %s)\n\n", e.target.Display, versionName(current), versionName(head))
			noteUnmanaged(cmd.ErrOrStderr(), live)
			p, err := planner.New(live, desired, e.dialect, planner.Options{AllowDestructive: allowDestructive})
			var derr *planner.DestructiveError
			if errors.As(err, &derr) {
				_ = p.WriteText(out)
				return err
			}
			if err != nil {
				return err
			}
			if err := p.WriteText(out); err != nil {
				return err
			}
			if p.Empty() {
				return nil
			}
			if dryRun {
				writeSQL(out, p)
			} else {
				if message == "" {
					return fmt.Errorf("the plan has changes: give the migration a message with -m \"what it does\" (or use --dry-run)")
				}
				m, err := ex.Dir.Write(message, toExec(p.Up), toExec(p.Down))
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "Wrote %s (%d %s up, %d down).\n", filepath.Join(db.dir, m.File),
					len(m.Up), plural(len(m.Up), "statement", "statements"), len(m.Down))
			}
			if exitCode {
				return &exitError{code: 2}
			}
			return nil
		},
	}
	db.register(cmd)
	f := cmd.Flags()
	f.StringArrayVar(&paths, "schema", nil, "HCL schema file or directory of *.hcl (repeatable)")
	f.StringVarP(&message, "message", "m", "", "what the migration does; becomes its file name")
	f.BoolVar(&dryRun, "dry-run", false, "print the plan and its SQL; write nothing")
	f.BoolVar(&exitCode, "exit-code", false, "exit 2 when the plan has changes, 0 when it has none")
	f.BoolVar(&allowDestructive, "allow-destructive", false, "allow dropping tables and columns and narrowing types")
	_ = cmd.MarkFlagRequired("schema")
	return cmd
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
