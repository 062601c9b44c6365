package sqlite

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// modifyTable renders a ModifyTable. Renames come first. When every other
// change is one SQLite can ALTER in place (index changes, adding a plain
// column, dropping an unreferenced column) they follow as ALTER TABLE,
// CREATE INDEX and DROP INDEX statements; otherwise the table is rebuilt.
//
// From is the table as it is before the renames, To the desired table, and
// SQL addresses the table as To.Name: a table rename is an earlier change.
func (d *Dialect) modifyTable(m *schema.ModifyTable) ([]string, error) {
	if m.From == nil || m.To == nil {
		return nil, fmt.Errorf("modify table: From and To are both required")
	}
	table := d.QuoteIdent(m.To.Name)
	var stmts []string
	// SQLite refuses RENAME COLUMN from or to rowid, _rowid_ or oid: such
	// a rename is made by the copy of a rebuild (by new name, lower case).
	inCopy := map[string]bool{}
	for _, c := range m.Changes {
		r, ok := c.(*schema.RenameColumn)
		switch {
		case !ok:
		case isRowidName(r.From) || isRowidName(r.To):
			inCopy[strings.ToLower(r.To)] = true
		default:
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", table, d.QuoteIdent(r.From), d.QuoteIdent(r.To)))
		}
	}
	if len(inCopy) > 0 || needsRebuild(m) {
		rebuild, err := d.rebuild(m, inCopy)
		if err != nil {
			return nil, fmt.Errorf("rebuild table %q: %w", m.To.Name, err)
		}
		return append(stmts, rebuild...), nil
	}
	alter, err := d.alterInPlace(m)
	if err != nil {
		return nil, fmt.Errorf("alter table %q: %w", m.To.Name, err)
	}
	return append(stmts, alter...), nil
}

// alterInPlace renders the changes in the order that keeps every statement
// valid: index renames, index drops (so a column can be dropped), column
// drops, column additions in the order of the desired table (a generated
// column after the columns it reads), index additions.
func (d *Dialect) alterInPlace(m *schema.ModifyTable) ([]string, error) {
	table := d.QuoteIdent(m.To.Name)
	var renames, dropIdx, dropCol, addCol, addIdx []string
	addPos := map[string]int{} // ADD COLUMN statement → position of the column in To
	for _, c := range m.Changes {
		switch c := c.(type) {
		case *schema.RenameIndex:
			i, ok := m.To.Index(c.To)
			if !ok {
				return nil, fmt.Errorf("renamed index %q is not in the desired table", c.To)
			}
			create, err := d.createIndex(m.To.Name, i)
			if err != nil {
				return nil, err
			}
			renames = append(renames, "DROP INDEX "+d.QuoteIdent(c.From), create)
		case *schema.DropIndex:
			dropIdx = append(dropIdx, "DROP INDEX "+d.QuoteIdent(c.I.Name))
		case *schema.AddIndex:
			create, err := d.createIndex(m.To.Name, c.I)
			if err != nil {
				return nil, err
			}
			addIdx = append(addIdx, create)
		case *schema.DropColumn:
			dropCol = append(dropCol, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", table, d.QuoteIdent(c.C.Name)))
		case *schema.AddColumn:
			stmt := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", table, d.columnDef(c.C))
			addCol = append(addCol, stmt)
			addPos[stmt] = columnPos(m.To, c.C.Name)
		}
	}
	slices.SortStableFunc(addCol, func(a, b string) int { return cmp.Compare(addPos[a], addPos[b]) })
	var stmts []string
	for _, s := range [][]string{renames, dropIdx, dropCol, addCol, addIdx} {
		stmts = append(stmts, s...)
	}
	return stmts, nil
}

// needsRebuild reports whether some change of m is beyond SQLite's ALTER
// TABLE: anything but renames, index changes, adding a column SQLite can add
// and dropping a column nothing refers to.
func needsRebuild(m *schema.ModifyTable) bool {
	for _, c := range m.Changes {
		switch c := c.(type) {
		case *schema.RenameColumn:
		case *schema.RenameIndex:
			if isAutoindex(c.From) || isAutoindex(c.To) {
				return true
			}
		case *schema.AddIndex:
			if isAutoindex(c.I.Name) {
				return true
			}
		case *schema.DropIndex:
			if isAutoindex(c.I.Name) {
				return true
			}
		case *schema.AddColumn:
			if !canAddInPlace(m.To, c.C) || readsLaterColumn(m, c.C) || isRowidName(c.C.Name) {
				return true
			}
		case *schema.DropColumn:
			if !canDropInPlace(m.From, m.To, c.C) || isRowidName(c.C.Name) {
				return true
			}
		case *schema.ModifyColumn:
			// A comment is all SQLite can ignore; any other part lives in
			// the CREATE TABLE text.
			if c.Kind&^schema.ChangeComment != 0 {
				return true
			}
		case *schema.ModifyTableOptions:
			if c.Kind.Is(schema.ChangeStrict) || c.Kind.Is(schema.ChangeWithoutRowID) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// canAddInPlace follows the rules of ALTER TABLE ADD COLUMN: no key, no
// unique constraint, no STORED generation, a constant default (not
// CURRENT_* nor an expression) and, when NOT NULL, a default other than NULL.
// A foreign key on the column arrives as AddForeignKey, which rebuilds.
func canAddInPlace(t *schema.Table, c *schema.Column) bool {
	if inKey(t.PrimaryKey, c.Name) {
		return false
	}
	for _, i := range t.Indexes {
		if isAutoindex(i.Name) && inKey(i, c.Name) {
			return false
		}
	}
	for _, f := range t.ForeignKeys {
		if containsFold(f.Columns, c.Name) {
			return false
		}
	}
	if c.Generated != nil {
		return !c.Generated.Stored && c.Null
	}
	if c.Default != nil && c.Default.Kind == schema.DefaultRaw {
		return false
	}
	return c.Null || c.Default != nil
}

// canDropInPlace follows the rules of ALTER TABLE DROP COLUMN: the column is
// in no key, unique constraint or foreign key, and no index left on the
// table, check, generated column or trigger names it.
func canDropInPlace(from, to *schema.Table, c *schema.Column) bool {
	name := c.Name
	if inKey(from.PrimaryKey, name) {
		return false
	}
	for _, i := range from.Indexes {
		if isAutoindex(i.Name) && inKey(i, name) {
			return false
		}
	}
	for _, f := range from.ForeignKeys {
		if containsFold(f.Columns, name) {
			return false
		}
	}
	for _, i := range to.Indexes {
		if inKey(i, name) || mentions(i.Where, name) {
			return false
		}
		for _, p := range i.Parts {
			if mentions(p.Expr, name) {
				return false
			}
		}
	}
	for _, k := range from.Checks {
		if mentions(k.Expr, name) {
			return false
		}
	}
	for _, col := range from.Columns {
		if col.Generated != nil && !strings.EqualFold(col.Name, name) && mentions(col.Generated.Expr, name) {
			return false
		}
	}
	for _, tr := range from.Triggers {
		if mentions(tr.SQL, name) {
			return false
		}
	}
	return true
}

// readsLaterColumn reports whether c is a generated column that reads a
// column added after it: ADD COLUMN appends, so it would not exist yet.
func readsLaterColumn(m *schema.ModifyTable, c *schema.Column) bool {
	if c.Generated == nil {
		return false
	}
	pos := columnPos(m.To, c.Name)
	for _, ch := range m.Changes {
		if a, ok := ch.(*schema.AddColumn); ok && columnPos(m.To, a.C.Name) > pos && mentions(c.Generated.Expr, a.C.Name) {
			return true
		}
	}
	return false
}

func columnPos(t *schema.Table, name string) int {
	return slices.IndexFunc(t.Columns, func(c *schema.Column) bool { return strings.EqualFold(c.Name, name) })
}

func inKey(i *schema.Index, column string) bool {
	if i == nil {
		return false
	}
	for _, p := range i.Parts {
		if strings.EqualFold(p.Column, column) {
			return true
		}
	}
	return false
}

func containsFold(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// rebuild renders the table rebuild of "Making Other Kinds Of Table Schema
// Changes" (sqlite.org/lang_altertable.html): create the new table under a
// temporary name, copy the rows, drop the old table, rename the new one,
// re-create indexes and triggers. The executor turns foreign key enforcement
// off outside the transaction, so dropping the old table fires no ON DELETE
// action, and runs PRAGMA foreign_key_check before it commits.
//
// The rename runs with legacy_alter_table on: in the default mode SQLite
// re-parses every view and trigger of the schema on RENAME, and a view that
// reads the table fails to resolve while the table is gone. In legacy mode
// the views, which name the table, simply see it again afterwards.
//
// The new table is called _schemactl_tmp_<table>, a name no schema is
// expected to use: new_<table>, the name the SQLite documentation shows,
// is an ordinary table or index name ("orders" and "new_orders").
//
// inCopy names the columns (new names, lower case) that the copy renames;
// every other rename of m ran before, as ALTER TABLE … RENAME COLUMN.
func (d *Dialect) rebuild(m *schema.ModifyTable, inCopy map[string]bool) ([]string, error) {
	from, to := m.From, m.To
	tmp := rebuildPrefix + to.Name
	create, err := d.createTable(to, tmp)
	if err != nil {
		return nil, err
	}
	stmts := []string{create}
	if copyRows := d.copyRows(m, tmp, inCopy); copyRows != "" {
		stmts = append(stmts, copyRows)
	}
	if hasAutoIncrement(from) && hasAutoIncrement(to) {
		// Keep the AUTOINCREMENT high-water mark: the copy only raises the
		// new table's counter to the largest key copied, and the counter of
		// the old table goes with it.
		stmts = append(stmts,
			"DELETE FROM sqlite_sequence WHERE name = "+schema.QuoteString(tmp),
			fmt.Sprintf("INSERT INTO sqlite_sequence (name, seq) SELECT %s, seq FROM sqlite_sequence WHERE name = %s",
				schema.QuoteString(tmp), schema.QuoteString(to.Name)))
	}
	stmts = append(stmts,
		"DROP TABLE "+d.QuoteIdent(to.Name),
		"PRAGMA legacy_alter_table = ON",
		fmt.Sprintf("ALTER TABLE %s RENAME TO %s", d.QuoteIdent(tmp), d.QuoteIdent(to.Name)),
		"PRAGMA legacy_alter_table = OFF",
	)
	idx, err := d.createIndexes(to, to.Indexes)
	if err != nil {
		return nil, err
	}
	stmts = append(stmts, idx...)
	for _, tr := range to.Triggers {
		stmts = append(stmts, tr.SQL)
	}
	return stmts, nil
}

// copyRows renders the INSERT … SELECT that copies the rows into the new
// table. Columns are matched by name after the renames, which ran first
// except those inCopy names, which the copy makes by reading the old name;
// added and generated columns are left out so that their defaults and
// expressions apply; a column that becomes NOT NULL with a default copies
// IFNULL(column, default). The rowid is copied too, when both tables have
// one that is not an alias of a column, so that rowids survive.
func (d *Dialect) copyRows(m *schema.ModifyTable, tmp string, inCopy map[string]bool) string {
	current := map[string]*schema.Column{} // From columns by name after the renames
	renamed := map[string]string{}
	for _, c := range m.Changes {
		if r, ok := c.(*schema.RenameColumn); ok {
			renamed[strings.ToLower(r.From)] = r.To
		}
	}
	for _, c := range m.From.Columns {
		name := c.Name
		if n, ok := renamed[strings.ToLower(name)]; ok {
			name = n
		}
		current[strings.ToLower(name)] = c
	}
	for _, c := range m.Changes {
		if a, ok := c.(*schema.AddColumn); ok {
			delete(current, strings.ToLower(a.C.Name))
		}
	}
	var cols, exprs []string
	if hasRowid(m.From) && hasRowid(m.To) && !aliasesRowid(m.To) {
		cols, exprs = append(cols, "rowid"), append(exprs, "rowid")
	}
	for _, c := range m.To.Columns {
		old, ok := current[strings.ToLower(c.Name)]
		if !ok || c.Generated != nil {
			continue
		}
		expr := d.QuoteIdent(c.Name)
		if inCopy[strings.ToLower(c.Name)] {
			expr = d.QuoteIdent(old.Name)
		}
		if old.Null && !c.Null && c.Default != nil {
			expr = fmt.Sprintf("IFNULL(%s, %s)", expr, defaultSQL(c.Default))
		}
		cols = append(cols, d.QuoteIdent(c.Name))
		exprs = append(exprs, expr)
	}
	if len(cols) == 0 {
		return ""
	}
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s",
		d.QuoteIdent(tmp), strings.Join(cols, ", "), strings.Join(exprs, ", "), d.QuoteIdent(m.To.Name))
}

// rebuildPrefix starts the name of the table a rebuild copies rows into.
const rebuildPrefix = "_schemactl_tmp_"

// isRowidName reports whether a column name is one of SQLite's names for
// the rowid, which ALTER TABLE refuses to add, drop or rename (SQLite 3.54:
// "cannot add rowid alias").
func isRowidName(name string) bool {
	switch strings.ToLower(name) {
	case "rowid", "_rowid_", "oid":
		return true
	}
	return false
}

// hasRowid reports whether t has a rowid that "rowid" names: a rowid table
// with no column called rowid, _rowid_ or oid.
func hasRowid(t *schema.Table) bool {
	if t.WithoutRowID {
		return false
	}
	return !slices.ContainsFunc(t.Columns, func(c *schema.Column) bool { return isRowidName(c.Name) })
}

func aliasesRowid(t *schema.Table) bool {
	return t.PrimaryKey != nil && !needsPKIndex(t)
}

func hasAutoIncrement(t *schema.Table) bool {
	for _, c := range t.Columns {
		if c.AutoIncrement {
			return true
		}
	}
	return false
}
