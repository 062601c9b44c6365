package executor

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// DefaultPreflightTimeout bounds each preflight query when
// Executor.PreflightTimeout is zero.
const DefaultPreflightTimeout = time.Minute

// Preflighter is implemented by drivers whose migrations commit statement
// by statement (MySQL, MariaDB), where a statement that fails on the data
// leaves the ones before it applied. Preflight checks, before the first
// statement runs, the data conditions stmts need and returns what fails
// them; every query it runs is bounded by timeout, and one that does not
// finish is a finding, not a pass.
type Preflighter interface {
	Preflight(ctx context.Context, conn *sql.Conn, stmts []string, timeout time.Duration) ([]PreflightFinding, error)
}

// PreflightFinding is what a preflight found for one statement. Like
// LockHolder it is an alias of a struct literal that dialects spell the
// same way.
type PreflightFinding = struct {
	// Statement is the statement's index among those given, from 0.
	Statement int
	// Warning is set for rows the statement changes without failing
	// (a DECIMAL scale that rounds); the migration runs.
	Warning bool
	// Problem says what is wrong, count first.
	Problem string
	// Count is the number of rows; -1 when the check timed out.
	Count int64
	// Sample is one of the rows, as col=value pairs; "" when none.
	Sample string
}

// PreflightError is a migration refused by its preflight: nothing of it
// ran, and no history row was written.
type PreflightError struct {
	File      string
	Direction Direction
	// Stmts are the section's statements; Findings index them.
	Stmts    []Statement
	Findings []PreflightFinding
}

func (e *PreflightError) Error() string {
	var b strings.Builder
	section := "up"
	if e.Direction == Down {
		section = "down"
	}
	fmt.Fprintf(&b, "%s: preflight refused the %s section; nothing ran:", e.File, section)
	timedOut := false
	last := -1
	for _, f := range e.Findings {
		if f.Warning {
			continue
		}
		if f.Statement != last {
			st := e.Stmts[f.Statement]
			fmt.Fprintf(&b, "\n  statement %d of %d (line %d): %s", f.Statement+1, len(e.Stmts), st.Line, oneLineSQL(st.SQL))
			last = f.Statement
		}
		fmt.Fprintf(&b, "\n    %s", f.Problem)
		if f.Sample != "" {
			fmt.Fprintf(&b, "\n    e.g. %s", f.Sample)
		}
		timedOut = timedOut || f.Count < 0
	}
	if timedOut {
		b.WriteString("\na check that did not finish proves nothing: raise --preflight-timeout, or run with --no-preflight to skip the checks")
	} else {
		b.WriteString("\nfix the rows (or the migration) first; --no-preflight runs it anyway")
	}
	return b.String()
}

// PreflightWarning: the preflight found rows a statement changes without
// failing; the migration runs.
type PreflightWarning struct {
	Migration *Migration
	Direction Direction
	Index     int // 1-based
	Stmt      Statement
	Problem   string
	Sample    string
}

func (*PreflightWarning) event() {}

// preflight checks m's statements from resume on (those before ran in an
// earlier attempt) when the driver can, and refuses m before anything of
// it runs when the data would fail one of them.
func (r *runner) preflight(ctx context.Context, m *Migration, resume int) error {
	p, ok := r.e.Driver.(Preflighter)
	if !ok || r.e.NoPreflight {
		return nil
	}
	timeout := r.e.PreflightTimeout
	if timeout <= 0 {
		timeout = DefaultPreflightTimeout
	}
	all := m.Statements(r.dir)
	stmts := all[resume:]
	texts := make([]string, len(stmts))
	for i, s := range stmts {
		texts[i] = s.SQL
	}
	fs, err := p.Preflight(ctx, r.conn, texts, timeout)
	if err != nil {
		return fmt.Errorf("%s: %w", m.File, err)
	}
	pe := &PreflightError{File: m.File, Direction: r.dir, Stmts: all}
	for _, f := range fs {
		f.Statement += resume
		if f.Warning {
			r.e.emit(&PreflightWarning{Migration: m, Direction: r.dir, Index: f.Statement + 1,
				Stmt: all[f.Statement], Problem: f.Problem, Sample: f.Sample})
		}
		pe.Findings = append(pe.Findings, f)
	}
	for _, f := range pe.Findings {
		if !f.Warning {
			return pe
		}
	}
	return nil
}

// oneLineSQL shortens a statement to one line for a message.
func oneLineSQL(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
