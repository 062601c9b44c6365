package engine

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
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
	// Changes are what each file does, in the order of Files: a reviewer
	// reads a file for that, not only for its findings.
	Changes []*FileChanges
}

// FileChanges is what a migration file's sections do to the schema, as
// the scratch database shows it (no rows: lint says nothing about data).
type FileChanges struct {
	File string
	Up   []schema.Change
	// Down is what the down section does, run as downgrade runs it
	// (newest first, after the later files' down sections); nil for a file
	// without one (Irreversible), or when DownUnread says why it was not
	// read.
	Down         []schema.Change
	Irreversible bool
	DownUnread   string
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
	changes := make(map[string]*FileChanges)
	for _, m := range ms {
		path := filepath.Join(e.DirPath(), m.File)
		script, err := e.runSection(ctx, dev, conn, ex, path, m.Up, before)
		if err != nil {
			return err
		}
		if len(script.Steps) > 0 {
			before = script.Steps[len(script.Steps)-1].After
		}
		if !selected[m.File] {
			continue
		}
		res.Files = append(res.Files, path)
		script.Online = m.Online
		findings, err := lint.File(script, dev.d, lint.Options{})
		if err != nil {
			return err
		}
		res.Findings = append(res.Findings, findings...)
		fc := &FileChanges{File: path, Irreversible: m.Irreversible}
		if fc.Up, err = lint.Changes(script, dev.d); err != nil {
			return err
		}
		changes[m.File] = fc
		res.Changes = append(res.Changes, fc)
	}
	return e.lintDown(ctx, dev, conn, ex, ms, changes, before)
}

// lintDown reads what the down sections of the files to lint do, the way
// downgrade runs them: newest first, from the state the later ones left,
// on every engine without undoing anything (the scratch work is thrown
// away after). A file without a down section stops the walk: the down
// sections of the files before it are not read (DownUnread).
func (e *Engine) lintDown(ctx context.Context, dev *scratch, conn *sql.Conn, ex *executor.Executor, ms []*executor.Migration, changes map[string]*FileChanges, state *schema.Realm) error {
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.Irreversible {
			for _, earlier := range ms[:i] {
				if fc := changes[earlier.File]; fc != nil && !earlier.Irreversible {
					fc.DownUnread = fmt.Sprintf("%s, after it, has no down section", m.File)
				}
			}
			return nil
		}
		path := filepath.Join(e.DirPath(), m.File)
		script, err := e.runSection(ctx, dev, conn, ex, path+" (down)", m.Down, state)
		if err != nil {
			// Not an error of the file's up section, which is what lint
			// checks: a downgrade through here would fail, which the
			// report says instead of the changes.
			if fc := changes[m.File]; fc != nil {
				fc.DownUnread = fmt.Sprintf("downgrade fails here, after the later files' down sections: %v", err)
			}
			for _, earlier := range ms[:i] {
				if fc := changes[earlier.File]; fc != nil && !earlier.Irreversible {
					fc.DownUnread = fmt.Sprintf("downgrade fails before it, at %s", m.File)
				}
			}
			return nil
		}
		if len(script.Steps) > 0 {
			state = script.Steps[len(script.Steps)-1].After
		}
		if fc := changes[m.File]; fc != nil {
			if fc.Down, err = lint.Changes(script, dev.d); err != nil {
				return err
			}
		}
	}
	return nil
}

// runSection runs stmts on the scratch database one by one, reading the
// schema after each.
func (e *Engine) runSection(ctx context.Context, dev *scratch, conn *sql.Conn, ex *executor.Executor, path string, stmts []executor.Statement, before *schema.Realm) (*lint.Script, error) {
	script := &lint.Script{File: path, Before: before}
	for _, st := range stmts {
		if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
			return nil, fmt.Errorf("%s:%d: the statement fails on the dev database %s: %w", path, st.Line, dev.display, err)
		}
		after, err := inspectManaged(ctx, dev.database, conn, ex)
		if err != nil {
			return nil, err
		}
		script.Steps = append(script.Steps, lint.Step{Line: st.Line, Comment: st.Comment, SQL: st.SQL, After: after})
	}
	return script, nil
}
