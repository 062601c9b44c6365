package schemagen

import (
	"slices"

	"github.com/schemactl/schemactl/schema"
)

// The generator keeps its own model, in which objects refer to each other by
// stable ids rather than by name: a renamed column is still the same column
// for every index, key, check and generated expression that uses it, and an
// edit can be applied by changing one name. The schema.Realm is rendered from
// it.

// class is what kind of values a column holds, which decides the values the
// row filler writes and the type changes an edit may make without making
// those values invalid.
type class int

const (
	classInt  class = iota // whole numbers
	classText              // short strings
	classBlob              // bytes
	classTime              // dates and times (MySQL; on SQLite they are text)
	classEnum              // one of Type.Values (MySQL)
)

type model struct {
	tables []*table
	nextID int
}

type table struct {
	id          int
	name        string
	renamedFrom string
	cols        []*column
	pk          []int // column ids; nil: no primary key
	indexes     []*index
	fks         []*foreignKey
	checks      []*check
	strict      bool
	withoutRow  bool
	// filled: the table existed before the edit being made, so it holds
	// rows that every change must keep valid.
	filled bool
}

type column struct {
	id          int
	name        string
	renamedFrom string
	typ         schema.Type
	class       class
	null        bool
	def         *schema.Default
	collate     string
	gen         *generated
	autoInc     bool
	// fresh: added by an edit, so its value in the rows of the first
	// realm is its default (or NULL), the same for every row.
	fresh bool
	// nullFilled: made NOT NULL by an edit, with a default that replaced
	// the NULLs of existing rows.
	nullFilled bool
	// retyped: the value class changed in an edit.
	retyped bool
	// copied: a foreign key column, now or before, whose values repeat
	// keys of a parent.
	copied bool
}

type generated struct {
	expr   expr
	stored bool
}

// expr is SQL text with column references, rendered with the columns'
// current names.
type expr []exprPart

type exprPart struct {
	text string // literal SQL, when col is 0
	col  int    // column id
}

type index struct {
	name        string
	renamedFrom string
	unique      bool
	parts       []indexPart
	where       expr
}

type indexPart struct {
	col  int // column id, when expr is nil
	expr expr
	desc bool
}

type foreignKey struct {
	name       string
	cols       []int
	ref        int // table id
	refCols    []int
	onUpdate   schema.ReferenceAction
	onDelete   schema.ReferenceAction
	deferred   bool // SQLite DEFERRABLE INITIALLY DEFERRED
	selfParent bool // references its own table
}

type check struct {
	name string
	expr expr
}

func (m *model) id() int {
	m.nextID++
	return m.nextID
}

func (m *model) table(id int) *table {
	for _, t := range m.tables {
		if t.id == id {
			return t
		}
	}
	return nil
}

func (t *table) col(id int) *column {
	for _, c := range t.cols {
		if c.id == id {
			return c
		}
	}
	return nil
}

func (e expr) uses(id int) bool {
	for _, p := range e {
		if p.col == id {
			return true
		}
	}
	return false
}

func (i *index) uses(id int) bool {
	if i.where.uses(id) {
		return true
	}
	for _, p := range i.parts {
		if p.col == id || p.expr.uses(id) {
			return true
		}
	}
	return false
}

// plainCols returns the column ids of an index whose parts are all plain
// ascending-or-descending columns, or nil.
func (i *index) plainCols() []int {
	if i.where != nil {
		return nil
	}
	var ids []int
	for _, p := range i.parts {
		if p.expr != nil {
			return nil
		}
		ids = append(ids, p.col)
	}
	return ids
}

// keys returns the column sets of t that a foreign key may reference: the
// primary key and the plain unique indexes.
func (t *table) keys() [][]int {
	var keys [][]int
	if t.pk != nil {
		keys = append(keys, t.pk)
	}
	for _, i := range t.indexes {
		if cols := i.plainCols(); i.unique && cols != nil {
			keys = append(keys, cols)
		}
	}
	return keys
}

// fkKeys are the keys of t a new foreign key may reference: those whose
// columns hold values of their own, not generated ones nor copies of
// another table's keys.
func (t *table) fkKeys() [][]int {
	var out [][]int
	for _, k := range t.keys() {
		if !slices.ContainsFunc(k, func(id int) bool {
			c := t.col(id)
			return c.gen != nil || c.copied || c.fresh || c.nullFilled
		}) {
			out = append(out, k)
		}
	}
	return out
}

// referenced reports whether some foreign key of m references the columns
// cols of table t.
func (m *model) referenced(t *table, cols []int) bool {
	for _, o := range m.tables {
		for _, f := range o.fks {
			if f.ref == t.id && sameSet(f.refCols, cols) {
				return true
			}
		}
	}
	return false
}

// cascadesInto reports whether a foreign key with ON UPDATE CASCADE from a
// NOT NULL column references column id of t. MariaDB then refuses to let
// the referenced column hold NULL (MDEV-34392), and the HCL decoder
// refuses such keys on MySQL.
func (m *model) cascadesInto(t *table, id int) bool {
	for _, o := range m.tables {
		for _, f := range o.fks {
			if f.ref != t.id || f.onUpdate != schema.Cascade {
				continue
			}
			for i, rc := range f.refCols {
				if rc == id && !o.col(f.cols[i]).null {
					return true
				}
			}
		}
	}
	return false
}

// usesColumn reports whether anything but the column itself refers to
// column id of t: a key, an index, a foreign key (either side), a check or a
// generated column.
func (m *model) usesColumn(t *table, id int) bool {
	if slices.Contains(t.pk, id) {
		return true
	}
	for _, i := range t.indexes {
		if i.uses(id) {
			return true
		}
	}
	for _, f := range t.fks {
		if slices.Contains(f.cols, id) {
			return true
		}
	}
	for _, k := range t.checks {
		if k.expr.uses(id) {
			return true
		}
	}
	for _, c := range t.cols {
		if c.gen != nil && c.gen.expr.uses(id) {
			return true
		}
	}
	for _, o := range m.tables {
		for _, f := range o.fks {
			if f.ref == t.id && slices.Contains(f.refCols, id) {
				return true
			}
		}
	}
	return false
}

func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// clone copies the model deeply; ids stay the same, so the copy describes
// the same objects.
func (m *model) clone() *model {
	c := &model{nextID: m.nextID}
	for _, t := range m.tables {
		nt := *t
		nt.cols = make([]*column, len(t.cols))
		for k, col := range t.cols {
			nc := *col
			nc.typ = cloneType(col.typ)
			if col.def != nil {
				d := *col.def
				nc.def = &d
			}
			if col.gen != nil {
				g := *col.gen
				g.expr = slices.Clone(g.expr)
				nc.gen = &g
			}
			nt.cols[k] = &nc
		}
		nt.pk = slices.Clone(t.pk)
		nt.indexes = make([]*index, len(t.indexes))
		for k, i := range t.indexes {
			ni := *i
			ni.parts = make([]indexPart, len(i.parts))
			for p, part := range i.parts {
				part.expr = slices.Clone(part.expr)
				ni.parts[p] = part
			}
			ni.where = slices.Clone(i.where)
			nt.indexes[k] = &ni
		}
		nt.fks = make([]*foreignKey, len(t.fks))
		for k, f := range t.fks {
			nf := *f
			nf.cols, nf.refCols = slices.Clone(f.cols), slices.Clone(f.refCols)
			nt.fks[k] = &nf
		}
		nt.checks = make([]*check, len(t.checks))
		for k, ck := range t.checks {
			nk := *ck
			nk.expr = slices.Clone(ck.expr)
			nt.checks[k] = &nk
		}
		c.tables = append(c.tables, &nt)
	}
	return c
}

func cloneType(t schema.Type) schema.Type {
	t.Args = slices.Clone(t.Args)
	t.Values = slices.Clone(t.Values)
	return t
}

// inKey reports whether column id is part of a key of t that a foreign key
// may reference.
func (t *table) inKey(id int) bool {
	for _, k := range t.keys() {
		if slices.Contains(k, id) {
			return true
		}
	}
	return false
}
