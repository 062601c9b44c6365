package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/spf13/cobra"
)

func newLintCmd() *cobra.Command {
	var (
		dir          string
		versionTable string
		latest       int
		base         string
		devURL       string
		format       formatFlag
	)
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
"-- schemactl:nolint CODE…" right above a statement silences those codes for
that statement ("-- schemactl:nolint" alone silences all of them).

The exit status is 1 when there is a finding of severity error (or the files
do not run), 0 otherwise.`,
		Example: `  schemactl lint
  schemactl lint --latest 3 --format markdown
  schemactl lint --base origin/main --format json
  schemactl lint --dev-url mysql://root@localhost:3306/scratch`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			out := cmd.OutOrStdout()
			pr, err := format.printer(out)
			if err != nil {
				return err
			}
			if base != "" && cmd.Flags().Changed("latest") {
				return errors.New("--latest and --base cannot be used together")
			}
			if latest < 1 {
				return fmt.Errorf("--latest must be at least 1, not %d", latest)
			}
			if devURL == "" {
				devURL = defaultDevURL
			}
			d, err := executor.OpenDir(dir)
			if err != nil {
				return err
			}
			dev, err := openDev(ctx, devURL)
			if err != nil {
				return err
			}
			defer dev.Close()
			d.Lexer = dev.lexer()
			if err := d.Verify(); err != nil {
				return err
			}
			ms, err := d.Migrations()
			if err != nil {
				return err
			}
			selected, err := selectFiles(ctx, dir, ms, latest, base)
			if err != nil {
				return err
			}
			report := &planner.LintReport{Dir: dir, Dev: dev.target.Display}
			if err := lintFiles(ctx, dev, d, versionTable, ms, selected, report); err != nil {
				return err
			}
			if err := pr.Lint(out, report); err != nil {
				return err
			}
			if n := report.Errors(); n > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	format.register(cmd)
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "migrations", "migration directory")
	f.StringVar(&versionTable, "version-table", "schemactl_version", "name of the version table (in the scratch database)")
	f.IntVar(&latest, "latest", 1, "lint the last N migration files")
	f.StringVar(&base, "base", "", "lint the files added or changed since this git revision (e.g. origin/main)")
	f.StringVar(&devURL, "dev-url", "", "scratch database to run the migrations in (default sqlite://file?mode=memory); a MySQL URL gets a throwaway database")
	return cmd
}

// selectFiles returns the set of migration files to lint.
func selectFiles(ctx context.Context, dir string, ms []*executor.Migration, latest int, base string) (map[string]bool, error) {
	sel := map[string]bool{}
	if base == "" {
		for i := max(0, len(ms)-latest); i < len(ms); i++ {
			sel[ms[i].File] = true
		}
		return sel, nil
	}
	changed, err := gitChanged(ctx, dir, base)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if changed[m.File] {
			sel[m.File] = true
		}
	}
	return sel, nil
}

// gitChanged lists the files of dir added or modified since base: changes
// committed since, staged or not, and untracked files.
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

// lintFiles replays the migrations before the first selected file, then
// runs every later migration statement by statement, inside one migration
// transaction that is rolled back at the end, and lints the selected ones.
func lintFiles(ctx context.Context, dev *devEngine, d *executor.Dir, versionTable string, ms []*executor.Migration, selected map[string]bool, report *planner.LintReport) error {
	first := len(ms)
	for i, m := range ms {
		if selected[m.File] {
			first = i
			break
		}
	}
	if first == len(ms) {
		return nil
	}
	to := "base"
	if first > 0 {
		to = ms[first-1].Version
	}
	ex, err := dev.replay(ctx, d, versionTable, to)
	if err != nil {
		return err
	}
	conn, err := dev.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to the dev database: %w", err)
	}
	defer conn.Close()
	if err := dev.driver.BeginMigration(ctx, conn); err != nil {
		return fmt.Errorf("dev database: %w", err)
	}
	// Scratch work: roll it back, whatever happens.
	defer func() { _ = dev.driver.EndMigration(context.WithoutCancel(ctx), conn, false) }()
	before, err := dev.inspectManagedOn(ctx, conn, ex)
	if err != nil {
		return err
	}
	for _, m := range ms[first:] {
		path := filepath.Join(d.Path(), m.File)
		script := &planner.Script{File: path, Before: before}
		for _, st := range m.Up {
			if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
				return fmt.Errorf("%s:%d: the statement fails on the dev database %s: %w", path, st.Line, dev.target.Display, err)
			}
			after, err := dev.inspectManagedOn(ctx, conn, ex)
			if err != nil {
				return err
			}
			script.Steps = append(script.Steps, planner.Step{Line: st.Line, Comment: st.Comment, SQL: st.SQL, After: after})
		}
		if len(script.Steps) > 0 {
			before = script.Steps[len(script.Steps)-1].After
		}
		if !selected[m.File] {
			continue
		}
		report.Files = append(report.Files, path)
		findings, err := planner.LintScript(script, dev.dialect, planner.Options{})
		if err != nil {
			return err
		}
		report.Findings = append(report.Findings, findings...)
	}
	return nil
}
