package engine

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner/lint"
)

// LintOptions choose the migration files to lint.
type LintOptions struct {
	// Latest lints the last Latest files of the directory (at least one).
	Latest int
	// Changed, when not nil, lints instead the files of the directory it
	// names (base names): those a pull request adds or changes.
	Changed map[string]bool
}

// LintResult is the lint of migration files.
type LintResult struct {
	// Dev is the scratch database the files ran on.
	Dev string
	// Files are the paths of the files linted, in order.
	Files    []string
	Findings []lint.Finding
}

// Lint checks migration files, planned or hand-written, the way Plan
// checks its own changes. The migrations before the first file to lint
// are replayed into the scratch database; then every later migration runs
// there statement by statement, inside one transaction that is rolled back
// at the end, the schema is read after each statement, and the chosen files
// are linted (lint.File).
func (e *Engine) Lint(ctx context.Context, opts LintOptions) (*LintResult, error) {
	// The directory first: the engine its files record decides the
	// scratch database's.
	dir, err := e.Dir()
	if err != nil {
		return nil, err
	}
	dev, err := e.openDev(ctx)
	if err != nil {
		return nil, err
	}
	defer dev.close(ctx)
	if err := dir.Verify(); err != nil {
		return nil, err
	}
	ms, err := dir.Migrations()
	if err != nil {
		return nil, err
	}
	res := &LintResult{Dev: dev.display}
	selected := selectFiles(ms, opts)
	first := len(ms)
	for i, m := range ms {
		if selected[m.File] {
			first = i
			break
		}
	}
	if first == len(ms) {
		return res, nil
	}
	to := "base"
	if first > 0 {
		to = ms[first-1].Version
	}
	ex, err := e.replay(ctx, dev, to)
	if err != nil {
		return nil, err
	}
	return res, e.lintFrom(ctx, dev, ex, ms[first:], selected, res)
}

func selectFiles(ms []*executor.Migration, opts LintOptions) map[string]bool {
	sel := map[string]bool{}
	if opts.Changed != nil {
		for _, m := range ms {
			if opts.Changed[m.File] {
				sel[m.File] = true
			}
		}
		return sel
	}
	for i := max(0, len(ms)-max(opts.Latest, 1)); i < len(ms); i++ {
		sel[ms[i].File] = true
	}
	return sel
}

// lintFrom runs ms on the scratch database statement by statement and
// lints the selected ones.
func (e *Engine) lintFrom(ctx context.Context, dev *scratch, ex *executor.Executor, ms []*executor.Migration, selected map[string]bool, res *LintResult) error {
	conn, err := dev.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to the dev database: %w", err)
	}
	defer conn.Close()
	m, err := dev.d.BeginMigration(ctx, conn)
	if err != nil {
		return fmt.Errorf("dev database: %w", err)
	}
	// Scratch work: roll it back, whatever happens.
	defer func() { _ = m.End(context.WithoutCancel(ctx), false) }()
	before, err := inspectManaged(ctx, dev.database, conn, ex)
	if err != nil {
		return err
	}
	for _, m := range ms {
		path := filepath.Join(e.DirPath(), m.File)
		script := &lint.Script{File: path, Before: before}
		for _, st := range m.Up {
			if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
				return fmt.Errorf("%s:%d: the statement fails on the dev database %s: %w", path, st.Line, dev.display, err)
			}
			after, err := inspectManaged(ctx, dev.database, conn, ex)
			if err != nil {
				return err
			}
			script.Steps = append(script.Steps, lint.Step{Line: st.Line, Comment: st.Comment, SQL: st.SQL, After: after})
		}
		if len(script.Steps) > 0 {
			before = script.Steps[len(script.Steps)-1].After
		}
		if !selected[m.File] {
			continue
		}
		res.Files = append(res.Files, path)
		findings, err := lint.File(script, dev.d, lint.Options{})
		if err != nil {
			return err
		}
		res.Findings = append(res.Findings, findings...)
	}
	return nil
}
