package planner

import "github.com/schemactl/schemactl/schema"

// Dialect is what the planner needs from an engine: how a change is written
// in its SQL. Both realms handed to Diff and New are already normalised by
// the dialect, so the planner compares plain values. Engine facts that
// change the shape of a plan are optional interfaces: ForwardReferencer,
// ForeignKeyTypePinner and ObjectRenamer.
type Dialect interface {
	// Render returns the statements that carry out one top-level change
	// (AddTable, DropTable, RenameTable, ModifyTable, ModifySchema), in order,
	// without trailing semicolons. A ModifyTable the engine cannot ALTER in
	// place renders as a table rebuild.
	Render(c schema.Change) ([]string, error)
}

// NameFolder is implemented by engines that compare table names ignoring
// some differences of case: SQLite folds ASCII letters, so "Hero" and
// "hero" are one table. The planner then pairs a current table with the
// desired table whose name folds to the same, and renames it when the
// names differ; the dialect renders that rename (RenameTable with names
// that fold alike) in a way the engine takes.
type NameFolder interface {
	FoldName(name string) string
}
