package sqlite

import "github.com/schemactl/schemactl/schema"

// Rebuilds reports whether m is carried out by a table rebuild: the rows
// are copied into a new table while writers wait, which on a large table
// takes long and needs room for a second copy. The planner's lint reports
// it (HZ101).
func (*Dialect) Rebuilds(m *schema.ModifyTable) bool {
	if m == nil || m.From == nil || m.To == nil {
		return false
	}
	for _, c := range m.Changes {
		// SQLite refuses RENAME COLUMN from or to rowid, _rowid_ or oid:
		// the rebuild's copy renames it (see modifyTable).
		if r, ok := c.(*schema.RenameColumn); ok && (isRowidName(r.From) || isRowidName(r.To)) {
			return true
		}
	}
	return needsRebuild(m)
}

// FillsNulls reports whether making a column NOT NULL fills its NULLs
// instead of failing: a rebuild copies IFNULL(column, default) when the
// column has a default (see copyRows).
func (*Dialect) FillsNulls(from, to *schema.Column) bool {
	return from != nil && to != nil && from.Null && !to.Null && to.Default != nil
}
