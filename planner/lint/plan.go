// Package lint finds what in a migration can lose data, fail on existing
// rows, break applications or lock a large table: in a plan (New, which
// plans with planner.New, lints the plan and refuses destructive changes
// unless allowed) and in a migration file run statement by statement on a
// scratch database (File).
//
// Every finding has a code (DS… destructive, MF… data-dependent, BC…
// backward-incompatible, RN… probable rename, HZ… engine hazard), a
// severity, a message that names the object and a suggested fix. A code
// never changes meaning once released.
package lint

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
)

// Dialect is what lint needs from an engine: what the planner needs, and
// which column changes lose data. Rebuilder and NullFiller are optional.
type Dialect interface {
	planner.Dialect
	// Narrows reports whether changing a column from one definition to the
	// other can lose or reject existing data (a smaller type, another type
	// family, a charset change), with a reason that names the column.
	Narrows(from, to *schema.Column) (narrows bool, reason string)
}

// Rebuilder is implemented by dialects that carry out some table changes by
// copying the table (SQLite's rebuild, a MySQL ALTER with ALGORITHM=COPY).
// Lint then reports the copy of a large table.
type Rebuilder interface {
	Rebuilds(m *schema.ModifyTable) bool
}

// NullFiller is implemented by dialects that, when a column becomes NOT
// NULL, fill its NULLs with the column's default instead of failing.
type NullFiller interface {
	FillsNulls(from, to *schema.Column) bool
}

// Options tune lint.
type Options struct {
	// AllowDestructive lets New return a plan with findings of severity
	// error without a DestructiveError. File ignores it: a migration file
	// silences a finding with a nolint comment instead.
	AllowDestructive bool
	// Rows, when set, returns the number of rows of a current table, or
	// LargeTable when it has at least that many; ok is false when it is not
	// known. Lint then skips the data-dependent findings of empty tables
	// and reports a table copy only from LargeTable rows on. Without it
	// those findings say what might happen.
	Rows func(table string) (n int64, ok bool)
	// LargeTable is the row count from which copying a table is reported;
	// zero means DefaultLargeTable.
	LargeTable int64
	// Sizes, when set, returns the server's estimate of a current table's
	// size, for Plan.Algorithms (a dialect with OnlineDDL only).
	Sizes func(table string) (TableSize, bool)
}

// Plan is a planned migration with what lint found in it.
type Plan struct {
	*planner.Plan
	// Findings are every lint finding, in plan order: those of the up
	// section, then the losses of the down section's rebuilds (DS107),
	// then what the down section cannot restore once rows exist
	// (MF106-MF108).
	Findings []Finding
	// Destructive are the Findings of severity error, which New refuses
	// unless Options.AllowDestructive is set.
	Destructive []Finding
	// Algorithms say how the server carries out each changed table's
	// ALTER TABLE, in plan order; nil unless the dialect is OnlineDDL.
	Algorithms []Algorithm
}

// New plans the migration from current to desired with planner.New and
// lints it: the up section's changes against current, whose views and
// triggers may read what they drop or rename, and the down section's
// rebuilds. When the plan has destructive changes and
// opts.AllowDestructive is false, New returns the plan together with a
// *DestructiveError listing them, so callers can show what would have run.
func New(current, desired *schema.Realm, d Dialect, opts Options) (*Plan, error) {
	p, err := planner.New(current, desired, d)
	if err != nil {
		return nil, err
	}
	lp := &Plan{Plan: p}
	lp.Findings = append(lintPlan(p.Changes, current.Schemas[0], d, opts), downLosses(p.Reverse, d)...)
	lp.Findings = append(lp.Findings, downRestores(p.Reverse)...)
	lp.Destructive = classify(lp.Findings)
	lp.Algorithms = algorithms(p.Changes, d, opts.Sizes)
	lp.Notes = append(lp.Notes, onlineNotes(lp.Algorithms, p.Changes)...)
	if len(lp.Destructive) > 0 && !opts.AllowDestructive {
		return lp, &DestructiveError{Findings: lp.Destructive}
	}
	return lp, nil
}

// DestructiveError is returned by New for a plan with destructive changes
// when they are not allowed. The plan is returned beside it.
type DestructiveError struct {
	Findings []Finding
}

// Error lists the findings, for a one-line refusal.
func (e *DestructiveError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plan has %d destructive change(s): ", len(e.Findings))
	for i, f := range e.Findings {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (%s)", f.Message, f.Code)
	}
	b.WriteString("; use --allow-destructive")
	return b.String()
}
