package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/schema"
)

// allowFix ends the fix of a destructive finding of a plan; in a migration
// file the way to go ahead is a nolint comment instead.
const allowFix = "--allow-destructive to go ahead"

// DefaultLargeTable is the row count from which a table copy is reported
// when the number of rows is known.
const DefaultLargeTable = 100_000

// lintPlan lints the changes of a plan, with the current schema at hand,
// whose views and triggers may read what the changes drop or rename
// (BC103).
func lintPlan(changes []schema.Change, cur *schema.Schema, d Dialect, opts Options) []Finding {
	_, rewrites := d.(planner.ObjectRenamer)
	l := linter{d: d, opts: opts, readers: readersOf(cur, d), rewrites: rewrites}
	return l.run(changes)
}

// classify returns the destructive findings of a plan: those of severity
// error.
func classify(findings []Finding) []Finding {
	var out []Finding
	for _, f := range findings {
		if f.Destructive() {
			out = append(out, f)
		}
	}
	return out
}

type linter struct {
	d    Dialect
	opts Options
	// readers are the views and triggers of the current schema, for
	// BC103; rewrites says the engine rewrites them on a rename.
	readers  []reader
	rewrites bool
	created  map[string]bool // tables the changes create: they start empty
	out      []Finding
}

func (l *linter) add(f Finding) { l.out = append(l.out, f) }

func (l *linter) run(changes []schema.Change) []Finding {
	l.created = map[string]bool{}
	for _, c := range changes {
		if a, ok := c.(*schema.AddTable); ok {
			l.created[a.T.Name] = true
		}
	}
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.DropTable:
			l.add(Finding{
				Code:     CodeDropTable,
				Severity: SeverityError,
				Change:   c,
				Table:    c.T.Name,
				Message:  fmt.Sprintf("drop table %q (%s)", c.T.Name, describe.Count(len(c.T.Columns), "column")),
				Fix:      "keep the table, or copy its rows elsewhere first; " + allowFix,
			})
			l.readersBreak(c, c.T.Name, c.T.Name, "", fmt.Sprintf("drop table %q", c.T.Name))
		case *schema.RenameTable:
			if f, ok := l.d.(planner.NameFolder); ok && f.FoldName(c.From) == f.FoldName(c.To) {
				// Only the case changes, and the engine ignores it:
				// code that spells the old name still finds the table.
				continue
			}
			l.add(Finding{
				Code:     CodeRenameTable,
				Severity: SeverityWarning,
				Change:   c,
				Table:    c.To,
				Message:  fmt.Sprintf("rename table %q to %q: code that still uses %q breaks", c.From, c.To, c.From),
				Fix:      "deploy application code that reads both names (or a view under the old name) before this migration",
			})
			if !l.rewrites {
				l.readersBreak(c, c.To, c.From, "", fmt.Sprintf("rename table %q to %q", c.From, c.To))
			}
		case *schema.ModifyTable:
			l.table(c)
		}
	}
	l.probableTableRenames(changes)
	return l.out
}

// table lints the changes inside one ModifyTable.
func (l *linter) table(m *schema.ModifyTable) {
	name := m.To.Name
	added := map[string]*schema.Column{}
	for _, c := range m.Changes {
		if a, ok := c.(*schema.AddColumn); ok {
			added[strings.ToLower(a.C.Name)] = a.C
		}
	}
	for _, c := range m.Changes {
		switch c := c.(type) {
		case *schema.DropColumn:
			// A virtual column holds no data of its own (Atlas DS103 likewise
			// only reports non-virtual columns).
			if g := c.C.Generated; g == nil || g.Stored {
				l.add(Finding{
					Code:     CodeDropColumn,
					Severity: SeverityError,
					Change:   c,
					Table:    name,
					Message:  fmt.Sprintf("drop column %q of table %q", c.C.Name, name),
					Fix:      "keep the column, or copy its values elsewhere first; " + allowFix,
				})
			}
			l.readersBreak(c, name, m.From.Name, c.C.Name, fmt.Sprintf("drop column %q of table %q", c.C.Name, name))
		case *schema.ModifyColumn:
			l.modifyColumn(m, c)
		case *schema.RenameColumn:
			l.add(Finding{
				Code:     CodeRenameColumn,
				Severity: SeverityWarning,
				Change:   c,
				Table:    name,
				Message:  fmt.Sprintf("rename column %q of table %q to %q: code that still uses %q breaks", c.From, name, c.To, c.From),
				Fix:      "deploy application code that no longer uses the old name before this migration, or add the new column, backfill it and drop the old one later",
			})
			if !l.rewrites {
				l.readersBreak(c, name, m.From.Name, c.From, fmt.Sprintf("rename column %q of table %q to %q", c.From, name, c.To))
			}
		case *schema.AddColumn:
			l.addColumn(m, c)
		case *schema.AddIndex:
			l.addIndex(m, c, added)
		case *schema.ModifyPrimaryKey:
			l.primaryKey(m, c)
		case *schema.AddForeignKey:
			l.addForeignKey(m, c, added)
		}
	}
	l.probableColumnRenames(m)
	l.tableCopy(m)
}

func (l *linter) modifyColumn(m *schema.ModifyTable, c *schema.ModifyColumn) {
	name := m.To.Name
	if narrows, reason := l.d.Narrows(c.From, c.To); narrows {
		code, fix := CodeNarrowColumn, "keep the old type, or check every value fits the new one first; "+allowFix
		switch {
		case c.From.Type.Values != nil && c.To.Type.Values != nil:
			code, fix = CodeEnumShrink, "only append values at the end of the list; update rows that hold a removed value first; "+allowFix
		case c.Kind.Is(schema.ChangeCharset):
			code, fix = CodeCharsetChange, "check that every value converts to the new character set first; "+allowFix
		}
		// The dialect's reason names the column; the table is ours to add.
		msg := fmt.Sprintf("table %q: %s", name, reason)
		if reason == "" {
			msg = fmt.Sprintf("column %q of table %q narrows from %s to %s", c.To.Name, name, c.From.Type, c.To.Type)
		}
		l.add(Finding{Code: code, Severity: SeverityError, Change: c, Table: name, Message: msg, Fix: fix})
	}
	if c.Kind.Is(schema.ChangeNull) && c.From.Null && !c.To.Null {
		if f, ok := l.d.(NullFiller); ok && f.FillsNulls(c.From, c.To) {
			return
		}
		if l.empty(m.From.Name) {
			return
		}
		l.add(Finding{
			Code:     CodeNotNullModify,
			Severity: SeverityWarning,
			Change:   c,
			Table:    name,
			Message:  fmt.Sprintf("column %q of table %q becomes NOT NULL: the change fails if an existing row holds NULL in it", c.To.Name, name),
			Fix:      fmt.Sprintf("update the NULLs first (UPDATE %s SET %s = … WHERE %s IS NULL), in an earlier migration", name, c.To.Name, c.To.Name),
		})
	}
}

func (l *linter) addColumn(m *schema.ModifyTable, c *schema.AddColumn) {
	col := c.C
	if col.Null || col.Default != nil || col.Generated != nil || col.AutoIncrement || l.empty(m.From.Name) {
		return
	}
	l.add(Finding{
		Code:     CodeNotNullAdd,
		Severity: SeverityWarning,
		Change:   c,
		Table:    m.To.Name,
		Message: fmt.Sprintf("add column %q NOT NULL without a default to table %q: existing rows get no value for it (the change fails, or the engine fills in an implicit one)",
			col.Name, m.To.Name),
		Fix: "give the column a default, or add it as NULL, fill it, then make it NOT NULL in a later migration",
	})
}

func (l *linter) addIndex(m *schema.ModifyTable, c *schema.AddIndex, added map[string]*schema.Column) {
	i := c.I
	if !i.Unique || l.empty(m.From.Name) || onlyEmptyColumns(i.Columns(), len(i.Parts), added) {
		return
	}
	var old *schema.Index
	for _, nc := range m.Changes {
		if d, ok := nc.(*schema.DropIndex); ok && strings.EqualFold(d.I.Name, i.Name) {
			old = d.I
		}
	}
	cols := describe.Parts(i.Parts)
	key := strings.Join(keyExprs(i.Parts), ", ")
	check := fmt.Sprintf("SELECT %s, COUNT(*) FROM %s GROUP BY %s HAVING COUNT(*) > 1", key, m.To.Name, key)
	if old == nil {
		l.add(Finding{
			Code:     CodeUniqueIndex,
			Severity: SeverityWarning,
			Change:   c,
			Table:    m.To.Name,
			Message:  fmt.Sprintf("add unique index %q %s to table %q: the change fails if existing rows have duplicate values in it", i.Name, cols, m.To.Name),
			Fix:      "look for duplicates first: " + check,
		})
		return
	}
	if old.Unique && old.Where == "" && subset(old.Columns(), i.Columns()) && len(old.Columns()) == len(old.Parts) {
		return // the old unique columns are all in the new key: still unique
	}
	l.add(Finding{
		Code:     CodeUniqueModified,
		Severity: SeverityWarning,
		Change:   c,
		Table:    m.To.Name,
		Message:  fmt.Sprintf("index %q of table %q becomes unique on %s: the change fails if existing rows have duplicate values in it", i.Name, m.To.Name, cols),
		Fix:      "look for duplicates first: " + check,
	})
}

func (l *linter) primaryKey(m *schema.ModifyTable, c *schema.ModifyPrimaryKey) {
	if c.To == nil || l.empty(m.From.Name) {
		return
	}
	code, what := CodeUniqueModified, "the primary key of table %q changes to %s"
	if c.From == nil {
		code, what = CodeUniqueIndex, "table %q gets the primary key %s"
	} else if subset(c.From.Columns(), c.To.Columns()) && len(c.From.Columns()) == len(c.From.Parts) {
		return
	}
	l.add(Finding{
		Code:     code,
		Severity: SeverityWarning,
		Change:   c,
		Table:    m.To.Name,
		Message:  fmt.Sprintf(what+": the change fails if existing rows have duplicate or NULL values in it", m.To.Name, describe.Parts(c.To.Parts)),
		Fix:      "look for duplicates and NULLs in the key columns first",
	})
}

func (l *linter) addForeignKey(m *schema.ModifyTable, c *schema.AddForeignKey, added map[string]*schema.Column) {
	f := c.F
	if l.empty(m.From.Name) || onlyEmptyColumns(f.Columns, len(f.Columns), added) {
		return
	}
	name := ""
	if f.Name != "" {
		name = " " + fmt.Sprintf("%q", f.Name)
	}
	l.add(Finding{
		Code:     CodeForeignKeyAdded,
		Severity: SeverityWarning,
		Change:   c,
		Table:    m.To.Name,
		Message: fmt.Sprintf("add foreign key%s (%s) to table %q referencing %q: the change fails if an existing row refers to no row of %q",
			name, strings.Join(f.Columns, ", "), m.To.Name, f.RefTable, f.RefTable),
		Fix: fmt.Sprintf("look for orphans first: SELECT … FROM %s WHERE (%s) NOT IN (SELECT %s FROM %s)",
			m.To.Name, strings.Join(f.Columns, ", "), strings.Join(f.RefColumns, ", "), f.RefTable),
	})
}

// tableCopy reports a change the engine carries out by copying the table,
// and what the copy cannot carry over (DS107).
func (l *linter) tableCopy(m *schema.ModifyTable) {
	r, ok := l.d.(Rebuilder)
	if !ok || !r.Rebuilds(m) {
		return
	}
	if lost := lostClauses(m.From, m.To); len(lost) > 0 {
		l.add(Finding{
			Code:     CodeRebuildLoses,
			Severity: SeverityError,
			Change:   m,
			Table:    m.To.Name,
			Message:  fmt.Sprintf("table %q is re-created to carry out the change, which drops what schemactl cannot express: %s", m.To.Name, strings.Join(lost, "; ")),
			Fix:      rebuildLossFix,
		})
	}
	if f, ok := l.tableCopyFinding(m.To.Name, m.From.Name); ok {
		f.Change = m
		if o, ok := l.d.(OnlineDDL); ok {
			// One source of truth with plan's algorithm line: a rebuild
			// the server does in place lets writes go on.
			if server, alg, blocks := o.AlterAlgorithm(m); !blocks {
				f.Message = fmt.Sprintf("table %q is rebuilt %s on %s to carry out the change; writes go on, but %s",
					m.To.Name, alg, server, f.size)
			}
		}
		l.add(f.Finding)
	}
}

// rebuildLossFix is how to keep what a rebuild would drop (DS107).
const rebuildLossFix = "write the clause into the CREATE TABLE statement of the rebuild in the migration file, or change the table by hand; " + allowFix

// lostClauses are the clauses of from the model cannot express (Unmodeled)
// that to does not declare as well.
func lostClauses(from, to *schema.Table) []string {
	var lost []string
	for _, u := range from.Unmodeled {
		if !slices.Contains(to.Unmodeled, u) {
			lost = append(lost, u)
		}
	}
	return lost
}

// downLosses reports (DS107) the rebuilds of a plan's down section that
// re-create a table without what the model cannot express: the table they
// restore has it, the re-created one would not.
func downLosses(down []schema.Change, d Dialect) []Finding {
	r, ok := d.(Rebuilder)
	if !ok {
		return nil
	}
	var out []Finding
	for _, c := range down {
		m, ok := c.(*schema.ModifyTable)
		if !ok || len(m.To.Unmodeled) == 0 || !r.Rebuilds(m) {
			continue
		}
		out = append(out, Finding{
			Code:     CodeRebuildLoses,
			Severity: SeverityError,
			Change:   m,
			Table:    m.To.Name,
			Message:  fmt.Sprintf("the down section re-creates table %q without what schemactl cannot express: %s", m.To.Name, strings.Join(m.To.Unmodeled, "; ")),
			Fix:      rebuildLossFix,
		})
	}
	return out
}

// tableCopyFinding is the HZ101 finding for copying table (named current
// before the change), unless it is known to be small.
func (l *linter) tableCopyFinding(table, current string) (copyFinding, bool) {
	if l.empty(current) {
		return copyFinding{}, false
	}
	size := "on a large table this takes long, and needs room for a second copy"
	if n, ok := l.rows(current); ok {
		if n < l.largeTable() {
			return copyFinding{}, false
		}
		size = fmt.Sprintf("the table has %s rows: this takes long, and needs room for a second copy", atLeast(n, l.largeTable()))
	}
	return copyFinding{Finding: Finding{
		Code:     CodeTableCopy,
		Severity: SeverityWarning,
		Table:    table,
		Message:  fmt.Sprintf("table %q is copied (rebuilt) to carry out the change, and writes to it wait until the copy is done; %s", table, size),
		Fix:      "run it at a quiet time, or make the change in smaller steps the engine can do in place",
	}, size: size}, true
}

// copyFinding is an HZ101 finding with the words on the table's size, for
// a message that says the rebuild is in place.
type copyFinding struct {
	Finding
	size string
}

// probableColumnRenames flags a dropped column with an added column of the
// same type in the same table: without a hint that is a drop and an add,
// and the values are lost.
func (l *linter) probableColumnRenames(m *schema.ModifyTable) {
	used := map[*schema.Column]bool{}
	for _, c := range m.Changes {
		d, ok := c.(*schema.DropColumn)
		if !ok {
			continue
		}
		for _, nc := range m.Changes {
			a, ok := nc.(*schema.AddColumn)
			if !ok || used[a.C] || !a.C.Type.Equal(d.C.Type) {
				continue
			}
			used[a.C] = true
			l.add(Finding{
				Code:     CodeProbableColumnRename,
				Severity: SeverityWarning,
				Change:   d,
				Table:    m.To.Name,
				Message: fmt.Sprintf("column %q of table %q is dropped and column %q of the same type %s is added: a rename? As planned the values are lost",
					d.C.Name, m.To.Name, a.C.Name, a.C.Type),
				Fix: fmt.Sprintf("if it is a rename, plan with --rename table.%s.column.%s=%s (or renamed_from = %q on column %q)",
					m.To.Name, d.C.Name, a.C.Name, d.C.Name, a.C.Name),
			})
			break
		}
	}
}

// probableTableRenames flags a dropped table with a created table of the
// same columns.
func (l *linter) probableTableRenames(changes []schema.Change) {
	used := map[*schema.Table]bool{}
	for _, c := range changes {
		d, ok := c.(*schema.DropTable)
		if !ok {
			continue
		}
		for _, nc := range changes {
			a, ok := nc.(*schema.AddTable)
			if !ok || used[a.T] || !sameColumns(d.T, a.T) {
				continue
			}
			used[a.T] = true
			l.add(Finding{
				Code:     CodeProbableTableRename,
				Severity: SeverityWarning,
				Change:   d,
				Table:    d.T.Name,
				Message:  fmt.Sprintf("table %q is dropped and table %q with the same columns is created: a rename? As planned the rows are lost", d.T.Name, a.T.Name),
				Fix:      fmt.Sprintf("if it is a rename, plan with --rename table.%s=%s (or renamed_from = %q on table %q)", d.T.Name, a.T.Name, d.T.Name, a.T.Name),
			})
			break
		}
	}
}

// sameColumns reports whether two tables have columns of the same names and
// types, in the same order.
func sameColumns(a, b *schema.Table) bool {
	if len(a.Columns) != len(b.Columns) {
		return false
	}
	for i, c := range a.Columns {
		if !strings.EqualFold(c.Name, b.Columns[i].Name) || !c.Type.Equal(b.Columns[i].Type) {
			return false
		}
	}
	return true
}

// empty reports whether the current table is known to have no rows.
func (l *linter) empty(table string) bool {
	if l.created[table] {
		return true
	}
	n, ok := l.rows(table)
	return ok && n == 0
}

func (l *linter) rows(table string) (int64, bool) {
	if l.opts.Rows == nil {
		return 0, false
	}
	return l.opts.Rows(table)
}

func (l *linter) largeTable() int64 {
	if l.opts.LargeTable > 0 {
		return l.opts.LargeTable
	}
	return DefaultLargeTable
}

// onlyEmptyColumns reports whether every key part is a column added in the
// same change as NULL without a default: such a key holds only NULLs, which
// never conflict. parts counts expression parts too, which are never empty.
func onlyEmptyColumns(cols []string, parts int, added map[string]*schema.Column) bool {
	if len(cols) == 0 || len(cols) != parts {
		return false
	}
	for _, c := range cols {
		a, ok := added[strings.ToLower(c)]
		if !ok || !a.Null || a.Default != nil || a.Generated != nil {
			return false
		}
	}
	return true
}

// keyExprs lists key parts as SQL: a column name or an expression.
func keyExprs(parts []schema.IndexPart) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.Column
		if p.Expr != "" {
			out[i] = "(" + p.Expr + ")"
		}
	}
	return out
}

// subset reports whether every name of a is in b, case-insensitively.
func subset(a, b []string) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if strings.EqualFold(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func atLeast(n, limit int64) string {
	if n >= limit {
		return "at least " + thousands(limit)
	}
	return thousands(n)
}

// thousands writes n with comma separators: 1,200,000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
