package schemagen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Step is one random edit of the realm.
type Step struct {
	// To is the edited realm. Renamed objects carry renamed_from hints
	// naming what they were called in the realm before the edit.
	To *schema.Realm
	// Log lists the edits made, one line each, for a failure report.
	Log []string
	// Kept lists the tables and columns whose rows the edit keeps.
	Kept []KeptTable
	// DownBlocked lists the tables (names after the edit) whose rows keep
	// the reverse migration from running: the edit dropped a NOT NULL
	// column without a default, which down must add back with no value to
	// give the rows, or dropped a table the rows referenced, which down
	// creates again empty before it adds the foreign key back.
	DownBlocked []string
}

// KeptTable is a table that exists before and after an edit, possibly
// renamed, with the columns whose values the edit keeps.
type KeptTable struct {
	From, To string
	Columns  []KeptColumn
}

// KeptColumn is a column that exists before and after an edit.
type KeptColumn struct {
	From, To string
	// Fill is set when the column became NOT NULL with a default: rows
	// that held NULL then hold this value (canonical, see Canon).
	Fill string
}

// Edit makes one to four random changes to the current realm and returns
// the result. Every change is one that rows written by Rows for the realm
// before the edit survive: see the package comment.
func (g *Gen) Edit() *Step {
	if g.m == nil {
		g.Realm()
	}
	prev := g.m.clone()
	g.prev = prev
	defer func() { g.prev = nil }()
	for _, t := range g.m.tables {
		t.renamedFrom, t.filled = "", true
		for _, c := range t.cols {
			// fresh, nullFilled and retyped stay: the values they tell of
			// stay too, in the rows of every later version.
			c.renamedFrom = ""
		}
		for _, i := range t.indexes {
			i.renamedFrom = ""
		}
	}
	st := &Step{}
	ops := g.ops()
	for n := 1 + g.intn(4); len(st.Log) < n; {
		op := pick(g, ops)
		if msg := op(); msg != "" {
			st.Log = append(st.Log, msg)
		}
	}
	st.To = g.realm()
	st.Kept = kept(prev, g.m)
	st.DownBlocked = downBlocked(prev, g.m)
	return st
}

// ops are the edits, weighted by repetition.
func (g *Gen) ops() []func() string {
	ops := []func() string{
		g.opAddTable, g.opDropTable, g.opRenameTable, g.opRenameTable,
		g.opAddColumn, g.opAddColumn, g.opDropColumn, g.opRenameColumn, g.opRenameColumn,
		g.opModifyColumn, g.opModifyColumn, g.opModifyColumn, g.opModifyColumn,
		g.opAddIndex, g.opDropIndex, g.opRenameIndex,
		g.opAddForeignKey, g.opDropForeignKey, g.opAddCheck, g.opDropCheck,
		g.opPrimaryKey,
	}
	if g.sqlite() {
		ops = append(ops, g.opStrict, g.opWithoutRowID, g.opDeferForeignKey)
	}
	return ops
}

func kept(from, to *model) []KeptTable {
	var out []KeptTable
	for _, t := range to.tables {
		p := from.table(t.id)
		if p == nil {
			continue
		}
		kt := KeptTable{From: p.name, To: t.name}
		for _, c := range t.cols {
			pc := p.col(c.id)
			if pc == nil || pc.gen != nil || c.gen != nil {
				continue
			}
			kc := KeptColumn{From: pc.name, To: c.name}
			if pc.null && !c.null {
				kc.Fill = CanonDefault(c.def)
			}
			kt.Columns = append(kt.Columns, kc)
		}
		out = append(out, kt)
	}
	return out
}

func (g *Gen) randomTable() *table {
	if len(g.m.tables) == 0 {
		return nil
	}
	return pick(g, g.m.tables)
}

func (g *Gen) opAddTable() string {
	if len(g.m.tables) >= 8 {
		return ""
	}
	t := g.newTable()
	for range g.intn(2) {
		g.addForeignKey(t, false)
	}
	if o := g.randomTable(); o != t && g.chance(0.3) {
		// A key from an existing table to the new one, maybe a cycle.
		g.addForeignKey(o, true)
	}
	return fmt.Sprintf("add table %q", t.name)
}

func (g *Gen) opDropTable() string {
	if len(g.m.tables) < 2 {
		return ""
	}
	t := g.randomTable()
	g.m.tables = slices.DeleteFunc(g.m.tables, func(o *table) bool { return o == t })
	for _, o := range g.m.tables {
		o.fks = slices.DeleteFunc(o.fks, func(f *foreignKey) bool { return f.ref == t.id })
	}
	return fmt.Sprintf("drop table %q", t.name)
}

func (g *Gen) opRenameTable() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	old := t.name
	if g.chance(0.1) && !g.sqlite() {
		// On MySQL, table names are file names: a change of case is a
		// different table on Linux. SQLite compares them without case.
		return ""
	}
	t.name = g.name("t", g.dbNames())
	if t.renamedFrom == "" {
		t.renamedFrom = old
	}
	if t.renamedFrom == t.name {
		t.renamedFrom = ""
	}
	return fmt.Sprintf("rename table %q to %q", old, t.name)
}

func (g *Gen) opAddColumn() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	if g.chance(0.15) {
		if c := g.addGenerated(t); c != nil {
			c.fresh = true
			if t.strict && c.gen.stored && g.chance(0.5) {
				c.gen.stored = false
			}
			return fmt.Sprintf("add generated column %q.%q", t.name, c.name)
		}
	}
	c := g.newColumn(t, false)
	c.fresh = true
	if !c.null && c.def == nil {
		c.def = g.literalDefault(c)
		if c.def == nil {
			c.null = true
		}
	}
	return fmt.Sprintf("add column %q.%q %s", t.name, c.name, c.typ)
}

func (g *Gen) opDropColumn() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	c := pick(g, t.cols)
	if slices.Contains(t.pk, c.id) || g.isParentKey(t, c.id) {
		return ""
	}
	before := g.m.clone()
	g.dropColumn(t, c)
	if len(t.cols) == 0 {
		g.m = before // a table needs a column
		return ""
	}
	return fmt.Sprintf("drop column %q.%q", t.name, c.name)
}

// dropColumn removes a column and everything that uses it: indexes, checks,
// generated columns reading it, foreign keys it is part of.
func (g *Gen) dropColumn(t *table, c *column) {
	t.cols = slices.DeleteFunc(t.cols, func(o *column) bool { return o == c })
	t.indexes = slices.DeleteFunc(t.indexes, func(i *index) bool { return i.uses(c.id) })
	t.checks = slices.DeleteFunc(t.checks, func(k *check) bool { return k.expr.uses(c.id) })
	t.fks = slices.DeleteFunc(t.fks, func(f *foreignKey) bool { return slices.Contains(f.cols, c.id) })
	for _, o := range slices.Clone(t.cols) {
		if o.gen != nil && o.gen.expr.uses(c.id) {
			g.dropColumn(t, o)
		}
	}
}

// isParentKey reports whether a foreign key references column id of t.
func (g *Gen) isParentKey(t *table, id int) bool {
	for _, o := range g.m.tables {
		for _, f := range o.fks {
			if f.ref == t.id && slices.Contains(f.refCols, id) {
				return true
			}
		}
	}
	return false
}

func (g *Gen) opRenameColumn() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	c := pick(g, t.cols)
	old := c.name
	c.name = g.name("c", g.columnNames(t))
	if (isRowidName(old) || isRowidName(c.name)) && g.isParentKey(t, c.id) {
		// SQLite renames such a column only by a rebuild, which does not
		// rewrite the foreign keys of other tables that reference it.
		c.name = old
		return ""
	}
	if c.renamedFrom == "" && !c.fresh {
		c.renamedFrom = old
	}
	if c.renamedFrom == c.name {
		c.renamedFrom = ""
	}
	return fmt.Sprintf("rename column %q.%q to %q", t.name, old, c.name)
}

// columnNames are the names a new or renamed column of t must not take:
// those it has and those it had before the edit.
func (g *Gen) columnNames(t *table) map[string]bool {
	used := t.colNames()
	if g.prev != nil {
		if p := g.prev.table(t.id); p != nil {
			for k := range p.colNames() {
				used[k] = true
			}
		}
	}
	return used
}

func (g *Gen) opAddIndex() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	i := g.addIndex(t)
	if i == nil {
		return ""
	}
	return fmt.Sprintf("add index %q on %q", i.name, t.name)
}

func (g *Gen) opDropIndex() string {
	t := g.randomTable()
	if t == nil || len(t.indexes) == 0 {
		return ""
	}
	i := pick(g, t.indexes)
	if cols := i.plainCols(); i.unique && cols != nil && g.m.referenced(t, cols) && !g.hasOtherKey(t, i, cols) {
		return ""
	}
	t.indexes = slices.DeleteFunc(t.indexes, func(o *index) bool { return o == i })
	return fmt.Sprintf("drop index %q on %q", i.name, t.name)
}

// hasOtherKey reports whether t has another key over the same columns as
// unique index i, which a foreign key can keep referencing.
func (g *Gen) hasOtherKey(t *table, i *index, cols []int) bool {
	if sameSet(t.pk, cols) {
		return true
	}
	for _, o := range t.indexes {
		if o != i && o.unique && sameSet(o.plainCols(), cols) {
			return true
		}
	}
	return false
}

func (g *Gen) opRenameIndex() string {
	t := g.randomTable()
	if t == nil || len(t.indexes) == 0 {
		return ""
	}
	i := pick(g, t.indexes)
	old := i.name
	i.name = g.name("ix", g.indexNamesWithPrev(t))
	if i.renamedFrom == "" {
		i.renamedFrom = old
	}
	if i.renamedFrom == i.name {
		i.renamedFrom = ""
	}
	return fmt.Sprintf("rename index %q on %q to %q", old, t.name, i.name)
}

func (g *Gen) indexNamesWithPrev(t *table) map[string]bool {
	used := g.indexNames(t)
	if g.prev != nil {
		for _, p := range g.prev.tables {
			if !g.sqlite() && p.id != t.id {
				continue
			}
			for _, i := range p.indexes {
				used[strings.ToLower(i.name)] = true
			}
		}
	}
	return used
}

func (g *Gen) opAddForeignKey() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	f := g.addForeignKey(t, true)
	if f == nil {
		return ""
	}
	return fmt.Sprintf("add foreign key %q on %q to %q", f.name, t.name, g.m.table(f.ref).name)
}

func (g *Gen) opDropForeignKey() string {
	t := g.randomTable()
	if t == nil || len(t.fks) == 0 {
		return ""
	}
	f := pick(g, t.fks)
	t.fks = slices.DeleteFunc(t.fks, func(o *foreignKey) bool { return o == f })
	return fmt.Sprintf("drop foreign key %q on %q", f.name, t.name)
}

// opDeferForeignKey makes a SQLite foreign key DEFERRABLE INITIALLY
// DEFERRED, or immediate again.
func (g *Gen) opDeferForeignKey() string {
	t := g.randomTable()
	if t == nil || len(t.fks) == 0 {
		return ""
	}
	f := pick(g, t.fks)
	f.deferred = !f.deferred
	return fmt.Sprintf("foreign key %q on %q deferred = %v", f.name, t.name, f.deferred)
}

func (g *Gen) opAddCheck() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	k := g.addCheck(t)
	if k == nil {
		return ""
	}
	return fmt.Sprintf("add check %q on %q: %s", k.name, t.name, g.render(t, k.expr))
}

func (g *Gen) opDropCheck() string {
	t := g.randomTable()
	if t == nil || len(t.checks) == 0 {
		return ""
	}
	k := pick(g, t.checks)
	t.checks = slices.DeleteFunc(t.checks, func(o *check) bool { return o == k })
	return fmt.Sprintf("drop check %q on %q", k.name, t.name)
}

// opPrimaryKey drops a primary key nothing references, or gives a table
// without one a key over a column whose values are unique and not NULL.
func (g *Gen) opPrimaryKey() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	if t.pk != nil {
		if t.withoutRow || g.m.referenced(t, t.pk) {
			return ""
		}
		for _, id := range t.pk {
			t.col(id).autoInc = false
		}
		t.pk = nil
		return fmt.Sprintf("drop primary key of %q", t.name)
	}
	var cands []*column
	for _, c := range g.uniqueCandidates(t) {
		if !c.null && (g.sqlite() || g.specOf(c, false).key) {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return ""
	}
	c := pick(g, cands)
	t.pk = []int{c.id}
	return fmt.Sprintf("primary key of %q on %q", t.name, c.name)
}

func (g *Gen) opStrict() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	t.strict = !t.strict
	if !t.strict {
		return fmt.Sprintf("table %q not strict", t.name)
	}
	for _, c := range t.cols {
		if !slices.ContainsFunc(strictTypes(), func(s typeSpec) bool { return s.t.Equal(c.typ) }) {
			c.typ = strictFor(c.class)
			if !collatable(c.typ) {
				c.collate = ""
			}
		}
	}
	return fmt.Sprintf("table %q strict", t.name)
}

func (g *Gen) opWithoutRowID() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	if !t.withoutRow && (t.pk == nil || hasAutoInc(t)) {
		return ""
	}
	t.withoutRow = !t.withoutRow
	return fmt.Sprintf("table %q without_rowid = %v", t.name, t.withoutRow)
}

// downBlocked returns the tables (names after the edit) whose rows can keep
// the reverse migration from running, because the edit lost or changed
// values that down would need: a dropped NOT NULL column without a default
// (down adds it back with nothing to fill it); a dropped column with a
// default that was in a key, a unique index or a foreign key (down fills every row
// with the same value); a foreign key the edit dropped whose parent table or
// key columns it dropped or whose columns it changed (down adds the key back
// over rows that no longer match).
//
// A test empties these tables to let down run, so the tables whose foreign
// keys before the edit reference one of them are listed too: down may add
// those keys back.
func downBlocked(from, to *model) []string {
	blocked := map[int]bool{}
	for _, t := range to.tables {
		if p := from.table(t.id); p != nil && blocksDown(from, to, p, t) {
			blocked[t.id] = true
		}
	}
	for grown := true; grown; {
		grown = false
		for _, t := range to.tables {
			p := from.table(t.id)
			if p == nil || blocked[t.id] {
				continue
			}
			if slices.ContainsFunc(p.fks, func(f *foreignKey) bool { return blocked[f.ref] }) {
				blocked[t.id], grown = true, true
			}
		}
	}
	var out []string
	for _, t := range to.tables {
		if blocked[t.id] {
			out = append(out, t.name)
		}
	}
	return out
}

func blocksDown(from, to *model, p, t *table) bool {
	for _, c := range p.cols {
		if t.col(c.id) != nil || c.gen != nil {
			continue
		}
		if !c.null && c.def == nil {
			return true
		}
		inUnique := slices.Contains(p.pk, c.id) || slices.ContainsFunc(p.indexes, func(i *index) bool { return i.unique && i.uses(c.id) })
		if c.def != nil && (inUnique || slices.Contains(fkColumns(p), c.id)) {
			return true
		}
	}
	changed := func(tb *table, id int) bool {
		c := tb.col(id)
		return c == nil || c.nullFilled || c.retyped
	}
	for _, f := range p.fks {
		if slices.ContainsFunc(t.fks, func(o *foreignKey) bool { return o.name == f.name }) {
			continue // still there: the up migration checked it
		}
		parent := to.table(f.ref)
		if parent == nil || slices.ContainsFunc(f.refCols, func(id int) bool { return changed(parent, id) }) ||
			slices.ContainsFunc(f.cols, func(id int) bool { return changed(t, id) }) {
			return true
		}
	}
	return false
}

func isRowidName(name string) bool {
	switch strings.ToLower(name) {
	case "rowid", "_rowid_", "oid":
		return true
	}
	return false
}
