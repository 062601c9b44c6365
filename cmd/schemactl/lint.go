package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/spf13/cobra"
)

func newLintCmd() *cobra.Command {
	var f lintFlags
	cmd := &cobra.Command{
		Use:   "lint [--dir migrations] [--latest N | --base GITREF] [--dev-url URL]",
		Short: "Check migration files for destructive and risky changes",
		Long: `Lint checks migration files, written by plan or by hand, the way plan checks
its own changes. The older migrations are replayed into a scratch database
(--dev-url, default SQLite in memory); then each statement of the files to lint
runs there, the schema is read after each one, and the file's changes are
classified: destructive (error), data-dependent, backward-incompatible and
engine hazards (warnings). Each finding is reported at file:line with its code
and a suggested fix; the codes are listed in the README.

The files linted are the last --latest N (default 1), or with --base those
added or changed since a git revision, as in a pull request. A comment line
right above a statement silences findings of that statement:

  -- schemactl:nolint DS103,DS102 the table moved to the archive database

The codes come first (blank- or comma-separated; none silences every code),
then the reason. A silenced finding is still listed, as silenced with its
reason, and fails nothing; --fail-on-silenced CODE,… makes silenced findings
of those codes fail the run, for a CI gate that wants a second reviewer. A
directive naming a code that does not exist is a warning (NL101).

The exit status is 1 when there is a finding of severity error that is not
silenced (or the files do not run), 0 otherwise.`,
		Example: `  schemactl lint
  schemactl lint --latest 3 --format markdown
  schemactl lint --base origin/main --format json
  schemactl lint --dev-url mysql://root@localhost:3306/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLint(cmd, &f) },
	}
	f.format.register(cmd)
	f.dialect.register(cmd)
	f.url.register(cmd, "database URL, used only to know the engine of files that do not record it; lint never runs anything there")
	fl := cmd.Flags()
	fl.StringVar(&f.dir, "dir", "migrations", "migration directory")
	fl.StringVar(&f.versionTable, "version-table", "schemactl_version", "name of the version table (in the scratch database)")
	fl.IntVar(&f.latest, "latest", 1, "lint the last N migration files")
	fl.StringVar(&f.base, "base", "", "lint the files added or changed since this git revision (e.g. origin/main)")
	fl.StringSliceVar(&f.failOnSilenced, "fail-on-silenced", nil, "CODE[,CODE]: silenced findings of these codes fail the run (exit 1)")
	fl.StringVar(&f.devURL, "dev-url", "", "scratch database to run the migrations in (default sqlite://file?mode=memory for SQLite migrations); MySQL: mysql://user@host:3306/ for a throwaway database, or an empty or missing database name")
	return cmd
}

// lintFlags are the flags of lint.
type lintFlags struct {
	dir            string
	versionTable   string
	latest         int
	base           string
	devURL         string
	failOnSilenced []string
	format         formatFlag
	dialect        dialectFlag
	url            urlFlag
}

// runLint lints the chosen files with the engine and prints the report;
// an error finding is exit status 1.
func runLint(cmd *cobra.Command, f *lintFlags) error {
	ctx := cmd.Context()
	out := cmd.OutOrStdout()
	pr, err := f.format.printer(out)
	if err != nil {
		return err
	}
	if f.base != "" && cmd.Flags().Changed("latest") {
		return errors.New("--latest and --base cannot be used together")
	}
	if f.latest < 1 {
		return fmt.Errorf("--latest must be at least 1, not %d", f.latest)
	}
	opts := engine.LintOptions{Latest: f.latest}
	if f.base != "" {
		if opts.Changed, err = gitChanged(ctx, f.dir, f.base); err != nil {
			return err
		}
	}
	d, err := f.dialect.get()
	if err != nil {
		return err
	}
	if raw := f.url.get(); d == "" && raw != "" {
		// Only the engine: the live database is never the scratch one.
		if d, err = engine.URLDialect(raw); err != nil {
			return err
		}
	}
	e, err := engine.Open(ctx, engine.Target{Dir: f.dir, DevURL: f.devURL, VersionTable: f.versionTable, Dialect: d})
	if err != nil {
		return err
	}
	defer e.Close()
	res, err := e.Lint(ctx, opts)
	if err != nil {
		return err
	}
	rep := &report.LintReport{Dir: f.dir, Dev: res.Dev, Files: res.Files, Findings: res.Findings}
	for _, fc := range res.Changes {
		rep.Changes = append(rep.Changes, report.FileChanges{File: fc.File, Up: fc.Up, Down: fc.Down, Irreversible: fc.Irreversible, DownUnread: fc.DownUnread})
	}
	if err := pr.Lint(out, rep); err != nil {
		return err
	}
	if n := rep.Errors(); n > 0 {
		return &exitError{code: 1}
	}
	if gated := silencedOf(res.Findings, f.failOnSilenced); len(gated) > 0 {
		return fmt.Errorf("--fail-on-silenced: %d %s silenced by nolint: %s", len(gated), plural(len(gated), "finding is", "findings are"), strings.Join(gated, "; "))
	}
	return nil
}

// silencedOf lists the silenced findings whose code is one of codes.
func silencedOf(fs []lint.Finding, codes []string) []string {
	var out []string
	for _, f := range fs {
		if f.Silenced && slices.ContainsFunc(codes, func(c string) bool { return strings.EqualFold(strings.TrimSpace(c), f.Code) }) {
			out = append(out, fmt.Sprintf("%s %s %s", f.Pos(), f.Code, f.Message))
		}
	}
	return out
}

func gitChanged(ctx context.Context, dir, base string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, args := range [][]string{
		{"diff", "--name-only", "--no-renames", "--diff-filter=AM", "--relative", base, "--", dir},
		{"ls-files", "--others", "--exclude-standard", "--", dir},
	} {
		cmd := exec.CommandContext(ctx, "git", args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		for _, line := range strings.Split(string(stdout), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out[filepath.Base(line)] = true
			}
		}
	}
	return out, nil
}
