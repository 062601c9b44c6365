// Package planner computes the difference between two schema realms as
// ordered, typed changes (Diff), and plans a migration from them (New): the
// changes, the reverse changes back, and both rendered as SQL statements by
// a dialect. It also resolves rename hints (WithRenames) and identifies a
// schema by its fingerprint (Fingerprint).
//
// Both realms handed to the planner are already normalised by the dialect,
// so the planner compares plain values and stays free of engine knowledge;
// the few engine behaviours that change the shape of a plan are optional
// interfaces of the Dialect. The planner neither lints nor prints: package
// planner/lint finds what in a plan can lose data or fail, and refuses
// destructive plans; package planner/report prints plans and lint reports.
package planner

import (
	"errors"
	"fmt"

	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/schema"
)

// Statement is one SQL statement of a plan.
type Statement struct {
	// Comment is one line describing the change the statement belongs to,
	// e.g. `add column "power" to table "hero"`. It is set on the first
	// statement of each change and empty on the statements that follow it,
	// so a migration file carries each description once.
	Comment string
	// SQL is the statement without a trailing semicolon.
	SQL string
	// Change is the index, in Plan.Changes (or Plan.Reverse for the down
	// section), of the change the statement carries out.
	Change int
}

// Plan is a planned migration: the changes, and the statements that carry
// them out and undo them.
type Plan struct {
	// Changes turn the current schema into the desired one, in order.
	Changes []schema.Change
	// Reverse are the changes of the down section: from the state Changes
	// lead to back to the current schema, renames turned around.
	Reverse []schema.Change
	// Up carries out Changes, Down carries out Reverse.
	Up, Down []Statement
	// Notes are remarks for the reader that are not changes, such as a
	// renamed_from hint that names neither an existing nor an old object.
	Notes []string
}

// Diff computes the changes that turn current into desired, as New plans
// them for d: the engine facts d declares (ForwardReferencer,
// ForeignKeyTypePinner, ObjectRenamer) shape the changes, so that a change
// Diff returns is one the engine accepts. Diff does not render or lint.
// It is pure: the inputs are never mutated and the same inputs give the
// same changes in the same order.
//
// Both realms hold exactly one schema. Tables match by exact name, columns
// and indexes case-insensitively, foreign keys and checks by name (an
// unnamed desired one by its definition). renamed_from hints of the desired
// side turn into renames (hcl-language §13.1). RenameTable changes come
// before the ModifyTable of the same table, and inside a ModifyTable the
// RenameColumn and RenameIndex changes come first; every other change names
// columns by their new names.
func Diff(current, desired *schema.Realm, d Dialect) ([]schema.Change, error) {
	if d == nil {
		return nil, errors.New("no dialect")
	}
	r, err := diffRealms(current, desired, factsOf(d))
	if err != nil {
		return nil, err
	}
	return r.changes, nil
}

// New plans the migration from current to desired for d: the changes as
// Diff computes them, the reverse changes back to current, and the
// statements of both rendered by d. New neither lints nor refuses
// anything: lint.New does both on top of it.
func New(current, desired *schema.Realm, d Dialect) (*Plan, error) {
	if d == nil {
		return nil, errors.New("no dialect")
	}
	facts := factsOf(d)
	up, err := diffRealms(current, desired, facts)
	if err != nil {
		return nil, err
	}
	// The down section is the plan from the state the up section leaves
	// behind back to current, with every rename hint turned around, so that
	// down restores current exactly and renames back instead of dropping.
	down, err := diffRealms(up.applied, up.reverseTarget, facts)
	if err != nil {
		return nil, fmt.Errorf("reverse plan: %w", err)
	}
	p := &Plan{Changes: up.changes, Reverse: down.changes, Notes: up.notes}
	if p.Up, err = render(d, up.changes); err != nil {
		return nil, err
	}
	if p.Down, err = render(d, down.changes); err != nil {
		return nil, fmt.Errorf("reverse plan: %w", err)
	}
	return p, nil
}

// render turns top-level changes into statements.
func render(d Dialect, changes []schema.Change) ([]Statement, error) {
	var stmts []Statement
	for j, c := range changes {
		comment := describe.Change(c)
		sqls, err := d.Render(c)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", comment, err)
		}
		for i, s := range sqls {
			st := Statement{SQL: s, Change: j}
			if i == 0 {
				st.Comment = comment
			}
			stmts = append(stmts, st)
		}
	}
	return stmts, nil
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// Summary counts the objects the plan creates, changes and destroys, the way
// Terraform does: a table is counted once however many changes touch it.
// A schema option change counts as one change.
func (p *Plan) Summary() (add, change, destroy int) {
	for _, e := range describe.Group(p.Changes) {
		switch e.Action {
		case describe.ActionAdd:
			add++
		case describe.ActionChange:
			change++
		case describe.ActionDestroy:
			destroy++
		}
	}
	return add, change, destroy
}

// ForwardReferencer is implemented by dialects whose CREATE TABLE may name a
// table created later in the same migration (SQLite checks foreign keys only
// when rows are written). Planning then creates a foreign key cycle of new
// tables inline instead of adding the keys afterwards.
type ForwardReferencer interface {
	ForwardReferences() bool
}

// ForeignKeyTypePinner is implemented by dialects whose engine refuses to
// change the type of a column used by a foreign key, on either end (InnoDB:
// errors 1832 and 1833, even with foreign_key_checks off). Such keys are
// dropped before the change and added again after it.
type ForeignKeyTypePinner interface {
	ForeignKeysPinTypes() bool
}

// ObjectRenamer is implemented by dialects whose in-place RENAME rewrites
// the text of triggers and views (SQLite). A rebuilt table's triggers are
// created again from their text (SQLite drops them with the table), and
// the state a plan leaves has the views as the engine rewrote them, so both
// must follow the plan's renames. RenameInObjects gets the current schema,
// the table renames (old → new) and the column renames by current table
// (lower-case old → new), and returns the new text of each trigger and view
// that changes, by name.
type ObjectRenamer interface {
	RenameInObjects(s *schema.Schema, tables map[string]string, columns map[string]map[string]string) (map[string]string, error)
}
