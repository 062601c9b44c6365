package schema

// Change is one typed difference between two Realms. The set is closed: only
// this package adds kinds, and consumers type-switch over them, returning an
// error for a kind they do not know.
//
// Changes live here, not in the planner, because dialects render them and must
// not import the planner.
type Change interface{ change() }

// AddTable creates T with its columns, keys, indexes, checks and (unless they
// were split off to break a cycle) foreign keys.
type AddTable struct{ T *Table }

// DropTable drops T. T is the table as it was, so that the reverse can
// re-create it.
type DropTable struct{ T *Table }

// RenameTable renames a table. It comes before any ModifyTable of the same
// table, which then uses the new name.
type RenameTable struct{ From, To string }

// ModifyTable changes a table in place (or, on SQLite, by a rebuild). From is
// the current table and To the desired one, both whole, so that a dialect
// that must rebuild the table has everything it needs. Changes lists what
// differs, in the order it should be applied. SQL addresses the table by
// To.Name: any rename is a RenameTable earlier in the plan.
type ModifyTable struct {
	From, To *Table
	Changes  []Change
}

// AddColumn adds C to the table of the enclosing ModifyTable.
type AddColumn struct{ C *Column }

// DropColumn drops C (the column as it was).
type DropColumn struct{ C *Column }

// ModifyColumn changes a column's definition; Kind says which parts differ.
type ModifyColumn struct {
	From, To *Column
	Kind     ChangeKind
}

// RenameColumn renames a column. It comes before any ModifyColumn of the same
// column, which then uses the new name.
type RenameColumn struct{ From, To string }

// AddIndex creates an index.
type AddIndex struct{ I *Index }

// DropIndex drops an index (as it was).
type DropIndex struct{ I *Index }

// RenameIndex renames an index whose definition is otherwise unchanged.
type RenameIndex struct{ From, To string }

// ModifyPrimaryKey replaces the primary key. From or To is nil when the table
// had or gets none.
type ModifyPrimaryKey struct{ From, To *Index }

// AddForeignKey adds a foreign key constraint.
type AddForeignKey struct{ F *ForeignKey }

// DropForeignKey drops a foreign key constraint (as it was).
type DropForeignKey struct{ F *ForeignKey }

// AddCheck adds a check constraint.
type AddCheck struct{ C *Check }

// DropCheck drops a check constraint (as it was).
type DropCheck struct{ C *Check }

// ModifyTableOptions changes table options (comment, charset, collation,
// engine, auto_increment, strict, without rowid); Kind says which.
type ModifyTableOptions struct {
	From, To *Table
	Kind     ChangeKind
}

// ModifySchema changes schema (database) options: charset, collation, comment.
type ModifySchema struct {
	From, To *Schema
	Kind     ChangeKind
}

// ChangeKind is a bit set naming the parts of an object that changed.
type ChangeKind uint32

const (
	ChangeType ChangeKind = 1 << iota
	ChangeNull
	ChangeDefault
	ChangeAutoIncrement
	ChangeOnUpdate
	ChangeCharset
	ChangeCollate
	ChangeComment
	ChangeGenerated
	ChangeEngine
	ChangeStrict
	ChangeWithoutRowID
)

// Is reports whether k has every bit of c set.
func (k ChangeKind) Is(c ChangeKind) bool { return k&c == c }

func (*AddTable) change()           {}
func (*DropTable) change()          {}
func (*RenameTable) change()        {}
func (*ModifyTable) change()        {}
func (*AddColumn) change()          {}
func (*DropColumn) change()         {}
func (*ModifyColumn) change()       {}
func (*RenameColumn) change()       {}
func (*AddIndex) change()           {}
func (*DropIndex) change()          {}
func (*RenameIndex) change()        {}
func (*ModifyPrimaryKey) change()   {}
func (*AddForeignKey) change()      {}
func (*DropForeignKey) change()     {}
func (*AddCheck) change()           {}
func (*DropCheck) change()          {}
func (*ModifyTableOptions) change() {}
func (*ModifySchema) change()       {}
