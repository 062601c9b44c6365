package main

import (
	"errors"
	"fmt"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/spf13/cobra"
)

func newPlanCmd() *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "plan --url URL --schema PATH [PATH...] -m MESSAGE",
		Short: "Diff the database against the HCL and write the next migration",
		Long: `Plan reads the live schema at --url, compares it with the HCL files and
writes the difference as the next numbered migration in --dir, with an up and a
down section, and updates the directory's schemactl.sum. The database must be
at the directory's head; when it is not, plan gives the diagnosis apply would
(drift, a wrong stamp, a version the directory lacks) or says to apply first.
The file records the fingerprint of the schema it was planned against; apply
refuses to run it on a database whose schema has drifted from that. For the
first migration plan creates --dir, and a SQLite file that does not exist,
and says so on stderr; with --dry-run it creates nothing.

With --dev-url the plan needs no access to the real database: the migration
directory is replayed into a scratch database (sqlite://file?mode=memory; on
MySQL, mysql://user@host:3306/ for a throwaway database, or a database name that
is created and dropped when missing and must be empty when it exists) and the
plan is made against that.

Every change is linted (see schemactl lint). Destructive changes (dropping a
table or column, narrowing a type) are refused unless --allow-destructive is
given. A rename needs a hint: renamed_from in the HCL, or --rename. With
--dry-run the plan and the migration file it would write are printed, and
nothing is written. With --exit-code the exit status is 0 when there is
nothing to do and 2 when the plan has changes (1 is an error).

With --dry-run, plan also takes a fleet (--url more than once, an env with a
list of URLs, --url-file or a mysql:// glob; see apply --help): each target
is planned against the HCL, whose schema block need not name its database,
and nothing is written. A row a target, then each distinct plan once with the
targets that get it: drift on one tenant shows as a plan of its own.`,
		Example: `  schemactl plan --url sqlite://app.db --schema schema.hcl -m "add users"
  schemactl plan --url sqlite://app.db --schema schema/ --dry-run
  schemactl plan --url sqlite://app.db --schema schema.hcl --rename table.hero.column.name=full_name -m "rename"
  schemactl plan --dev-url sqlite://file?mode=memory --schema schema.hcl --dry-run --format markdown
  schemactl plan --schema schema.hcl --exit-code   # in CI: 2 means the schema and the DB differ
  schemactl plan --url-file shards.txt --schema schema.hcl --dry-run   # every database of a fleet`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.paths = append(f.paths, args...)
			return runPlan(cmd, &f)
		},
	}
	f.ff.registerTargets(cmd) // first: it marks the command as taking several --url
	f.db.register(cmd)
	f.format.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVar(&f.paths, "schema", nil, schemaFlagHelp)
	fl.StringVarP(&f.message, "message", "m", "", "what the migration does; becomes its file name")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan and the file it would write; write nothing")
	fl.BoolVar(&f.exitCode, "exit-code", false, "exit 2 when the plan has changes, 0 when it has none")
	fl.BoolVar(&f.allowDestructive, "allow-destructive", false, "allow dropping tables and columns and narrowing types; the file records the approval as nolint lines")
	fl.StringVar(&f.reason, "reason", "", `the reason written in those nolint lines (default "`+lint.DefaultApproval+`")`)
	fl.StringArrayVar(&f.renames, "rename", nil, "a rename, like renamed_from: table.OLD=NEW or table.T.column.OLD=NEW or table.T.index.OLD=NEW (repeatable)")
	fl.StringVar(&f.devURL, "dev-url", "", "plan against this scratch database, into which the migration directory is replayed, instead of --url")
	_ = cmd.MarkFlagRequired("schema")
	return cmd
}

// planFlags are the flags of plan.
type planFlags struct {
	db               dbFlags
	paths            []string
	message          string
	dryRun           bool
	exitCode         bool
	allowDestructive bool
	reason           string
	renames          []string
	devURL           string
	format           formatFlag
	ff               fleetFlags
}

// runPlan plans with the engine and prints the plan, the file it wrote
// (or would write, with --dry-run) and the exit code.
func runPlan(cmd *cobra.Command, f *planFlags) error {
	ctx := cmd.Context()
	out := cmd.OutOrStdout()
	pr, err := f.format.printer(out)
	if err != nil {
		return err
	}
	hints, err := parseRenames(f.renames)
	if err != nil {
		return err
	}
	urls, isFleet, err := f.ff.targets(cmd, &f.db.url)
	if err != nil {
		return err
	}
	if isFleet {
		return runFleetPlan(cmd, f, urls, hints)
	}
	t := f.db.target()
	dev := f.devURL != ""
	if dev {
		// The real database is never opened: CI plans a pull request
		// without production credentials.
		t.URL, t.DevURL = "", f.devURL
	} else if t.URL == "" {
		return engine.ErrNoDatabase
	}
	e, err := engine.Open(ctx, t)
	if err != nil {
		return err
	}
	defer e.Close()
	if f.reason != "" && !f.allowDestructive {
		return &inputError{errors.New("--reason is the reason written with --allow-destructive: give both")}
	}
	vars, err := schemaVars(cmd)
	if err != nil {
		return err
	}
	p, err := e.Plan(ctx, engine.PlanOptions{Schema: f.paths, Vars: vars, Renames: hints, AllowDestructive: f.allowDestructive, Reason: f.reason,
		Dev: dev, Message: f.message, DryRun: f.dryRun, Note: noteTo(cmd.ErrOrStderr())})
	if p, err = reportPlanInput(cmd, f.paths, p, err); p == nil {
		// A database behind the directory that apply would refuse for
		// drift gets apply's diagnosis.
		return refuseDrift(ctx, out, e, err)
	}
	info := report.PlanInfo{Target: p.Where, Dev: dev, Current: p.Current, Head: p.Head, Fingerprint: p.Fingerprint, File: p.File}
	var derr *lint.DestructiveError
	switch {
	case errors.As(err, &derr):
		info.Error, info.ErrorCode = err.Error(), codeDestructive
		_ = pr.Plan(out, p.Plan, info)
		return err
	case err != nil:
		return err
	case !p.Empty() && !f.dryRun && f.message == "" && !f.exitCode:
		// With --exit-code a plan without -m is a check (exit 2), as
		// Terraform's -detailed-exitcode.
		err = errNoMessage
		info.Error, info.ErrorCode = err.Error(), codeNoMessage
	}
	if perr := pr.Plan(out, p.Plan, info); perr != nil {
		return perr
	}
	if err != nil {
		return err
	}
	if f.dryRun && !p.Empty() && pr.Format == report.FormatText {
		// The file as plan would write it, through the same writer.
		fmt.Fprintf(out, "\n%s", p.Preview)
	}
	if f.exitCode && !p.Empty() {
		return &exitError{code: 2}
	}
	return nil
}

// reportPlanInput prints on stderr what decoding the HCL reported and
// what the plan leaves alone. It returns the plan when there is one to
// print, else nil and the error to return.
func reportPlanInput(cmd *cobra.Command, paths []string, p *engine.Plan, err error) (*engine.Plan, error) {
	var se *engine.SchemaError
	if errors.As(err, &se) {
		return nil, reportDiagnostics(cmd, se.Paths, se.Files, se.Diags)
	}
	if p != nil && p.Warnings != nil {
		if werr := reportDiagnostics(cmd, paths, p.Warnings.Files, p.Warnings.Diags); werr != nil {
			return nil, werr
		}
	}
	if p == nil || p.Plan == nil {
		return nil, err
	}
	noteUnmanaged(cmd.ErrOrStderr(), p.Live)
	return p, err
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

// versionName prints the empty version as "base", as Alembic does.
func versionName(v string) string {
	if v == "" {
		return "base"
	}
	return v
}
