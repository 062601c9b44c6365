package planner

import "github.com/schemactl/schemactl/schema"

// Dialect is what the planner needs from an engine: how a change is written
// in its SQL, and which column changes lose data. Both realms handed to Diff
// are already normalised by the dialect, so the planner compares values.
type Dialect interface {
	// Name is the engine family.
	Name() schema.Dialect
	// Render returns the statements that carry out one top-level change
	// (AddTable, DropTable, RenameTable, ModifyTable, ModifySchema), in order,
	// without trailing semicolons. A ModifyTable the engine cannot ALTER in
	// place renders as a table rebuild.
	Render(c schema.Change) ([]string, error)
	// Narrows reports whether changing a column from one definition to the
	// other can lose or reject existing data (a smaller type, another type
	// family, a charset change), with a reason that names the column.
	Narrows(from, to *schema.Column) (narrows bool, reason string)
}
