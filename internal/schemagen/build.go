package schemagen

import (
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// newTable adds a table with columns, a primary key (or none), indexes,
// checks and generated columns; foreign keys come later, once the other
// tables exist.
func (g *Gen) newTable() *table {
	t := &table{id: g.m.id()}
	t.name = g.name("t", g.dbNames())
	g.m.tables = append(g.m.tables, t)
	if g.sqlite() && g.chance(0.15) {
		t.strict = true
	}
	switch r := g.intn(10); {
	case r < 5: // a single integer key, the rowid on SQLite
		c := g.newColumn(t, true)
		c.typ, c.class, c.collate = named("integer"), classInt, ""
		if !g.sqlite() {
			c.typ = pick(g, []schema.Type{named("int"), named("bigint"), {Name: "int", Unsigned: true}})
		}
		if c.def != nil {
			c.def = g.literalDefault(c)
		}
		t.pk = []int{c.id}
		if g.chance(0.3) {
			c.autoInc = true
			c.def = nil
		}
	case r < 7: // a composite key
		a, b := g.newColumn(t, true), g.newColumn(t, true)
		t.pk = []int{a.id, b.id}
		if g.chance(0.5) {
			t.pk = []int{b.id, a.id}
		}
	case r < 9: // a single key of another type
		t.pk = []int{g.newColumn(t, true).id}
	}
	for range 1 + g.intn(4) {
		g.newColumn(t, false)
	}
	if g.sqlite() && t.pk != nil && g.chance(0.12) && !hasAutoInc(t) {
		t.withoutRow = true
	}
	if g.chance(0.2) {
		g.addGenerated(t)
	}
	for range g.intn(3) {
		g.addIndex(t)
	}
	for range g.intn(3) {
		g.addCheck(t)
	}
	return t
}

func hasAutoInc(t *table) bool {
	return slices.ContainsFunc(t.cols, func(c *column) bool { return c.autoInc })
}

// newColumn appends a column; a key column is NOT NULL and of a type keys
// can use.
func (g *Gen) newColumn(t *table, key bool) *column {
	s := g.randomType(t, key)
	c := &column{id: g.m.id(), name: g.name("c", g.columnNames(t)), typ: cloneType(s.t), class: s.class}
	c.null = !key && g.chance(0.5)
	if g.chance(0.35) {
		c.def = g.randomDefault(c)
	}
	if g.sqlite() && c.class == classText && collatable(c.typ) && g.chance(0.15) {
		c.collate = pick(g, []string{"NOCASE", "RTRIM"})
	}
	t.cols = append(t.cols, c)
	return c
}

// generatedExprs are the expressions of generated columns, by the class of
// the column they read; %s is that column.
var generatedExprs = map[class][]struct {
	format string
	result class
}{
	classInt:  {{"%s + 1", classInt}, {"%s * 2", classInt}, {"abs(%s)", classInt}},
	classText: {{"upper(%s)", classText}, {"length(%s)", classInt}, {"%s || '!'", classText}},
}

// addGenerated appends a nullable generated column computed from another
// column of t.
func (g *Gen) addGenerated(t *table) *column {
	var sources []*column
	for _, c := range t.cols {
		// MariaDB refuses generated columns that read an AUTO_INCREMENT
		// column or one a foreign key's referential action may change.
		if c.gen == nil && (c.class == classInt || c.class == classText) && !g.specOf(c, t.strict).flag &&
			!(!g.sqlite() && (c.autoInc || c.copied || c.typ.Name == "char")) {
			// (and CHAR, whose value depends on PAD_CHAR_TO_FULL_LENGTH)
			sources = append(sources, c)
		}
	}
	if len(sources) == 0 {
		return nil
	}
	src := pick(g, sources)
	form := pick(g, generatedExprs[src.class])
	var typ schema.Type
	switch {
	case t.strict && form.result == classInt:
		typ = named("integer")
	case t.strict:
		typ = named("text")
	case form.result == classInt && g.sqlite():
		typ = pick(g, []schema.Type{named("integer"), named("bigint"), named("numeric")})
	case form.result == classInt:
		typ = named("bigint")
	case g.sqlite():
		typ = pick(g, []schema.Type{named("text"), named("varchar", 50)})
	default:
		typ = named("varchar", 200)
	}
	c := &column{id: g.m.id(), name: g.name("g", g.columnNames(t)), typ: typ, class: form.result, null: true,
		gen: &generated{expr: g.format(g.concat(form.format), src), stored: g.chance(0.4)}}
	t.cols = append(t.cols, c)
	return c
}

// concat spells string concatenation for the dialect: || is OR on MySQL.
func (g *Gen) concat(format string) string {
	if g.sqlite() {
		return format
	}
	return strings.ReplaceAll(format, "%s || '!'", "concat(%s, '!')")
}

// format builds an expression from a format with one %s, the column.
func (g *Gen) format(format string, c *column) expr {
	i := indexOf(format, "%s")
	var e expr
	if i > 0 {
		e = append(e, exprPart{text: format[:i]})
	}
	e = append(e, exprPart{col: c.id})
	if rest := format[i+2:]; rest != "" {
		e = append(e, exprPart{text: rest})
	}
	return e
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// fkColumns are the columns of t that are the child side of a foreign key.
func fkColumns(t *table) []int {
	var ids []int
	for _, f := range t.fks {
		ids = append(ids, f.cols...)
	}
	return ids
}

// uniqueCandidates are the columns of t whose values differ from row to
// row: not generated, not the child side of a foreign key now or before
// (whose values repeat parent keys), not a flag, and, in a table with rows,
// neither added nor filled by an edit.
func (g *Gen) uniqueCandidates(t *table) []*column {
	var out []*column
	for _, c := range t.cols {
		s := g.specOf(c, t.strict)
		if c.gen != nil || !s.key || s.flag || c.copied {
			continue
		}
		if t.filled && (c.fresh || c.nullFilled || c.retyped) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// indexable are the columns an index may name without a prefix.
func (g *Gen) indexable(t *table) []*column {
	var out []*column
	for _, c := range t.cols {
		if g.specOf(c, t.strict).key || g.sqlite() {
			out = append(out, c)
		}
	}
	return out
}

// addIndex adds a plain, unique, partial, descending or expression index.
func (g *Gen) addIndex(t *table) *index {
	i := &index{name: g.name("ix", g.indexNames(t))}
	switch r := g.intn(10); {
	case r < 4: // unique
		cands := g.uniqueCandidates(t)
		if len(cands) == 0 {
			return nil
		}
		i.unique = true
		first := pick(g, cands)
		i.parts = []indexPart{{col: first.id, desc: g.chance(0.2)}}
		if others := g.indexable(t); g.chance(0.3) {
			if o := pick(g, others); o != first {
				i.parts = append(i.parts, indexPart{col: o.id})
			}
		}
		if g.sqlite() && g.chance(0.2) {
			i.where = g.predicate(t)
		}
	case r < 7 || !g.sqlite() && g.cfg.MariaDB: // plain
		cols := g.indexable(t)
		if len(cols) == 0 {
			return nil
		}
		for _, k := range g.r.Perm(len(cols))[:1+g.intn(min(2, len(cols)))] {
			i.parts = append(i.parts, indexPart{col: cols[k].id, desc: g.chance(0.2)})
		}
		if g.sqlite() && g.chance(0.25) {
			i.where = g.predicate(t)
		}
	default: // an expression part
		var srcs []*column
		for _, c := range t.cols {
			if c.class == classInt || c.class == classText {
				srcs = append(srcs, c)
			}
		}
		if len(srcs) == 0 {
			return nil
		}
		c := pick(g, srcs)
		forms := map[class][]string{classInt: {"%s + 1", "abs(%s)"}, classText: {"lower(%s)", "length(%s)", "substr(%s, 1, 2)"}}
		i.parts = []indexPart{{expr: g.format(pick(g, forms[c.class]), c)}}
		if g.chance(0.3) {
			i.parts = append(i.parts, indexPart{col: c.id, desc: true})
		}
	}
	t.indexes = append(t.indexes, i)
	return i
}

// predicate returns a partial index predicate that holds for some rows.
func (g *Gen) predicate(t *table) expr {
	c := pick(g, t.cols)
	switch c.class {
	case classInt:
		return g.format(pick(g, []string{"%s IS NOT NULL", "%s > 0", "%s <> 3"}), c)
	case classText:
		return g.format(pick(g, []string{"%s IS NOT NULL", "%s <> 'x'", "%s > 'r'"}), c)
	}
	return g.format("%s IS NOT NULL", c)
}

// checkForms are check templates that every value the filler writes, and
// every default the generator picks, satisfies.
var checkForms = map[class][]string{
	classInt:  {"%s >= 0", "%s < 1000000", "%s BETWEEN 0 AND 999999", "%s <> -1", "(%s >= 0)"},
	classText: {"length(%s) <= 200", "%s <> 'forbidden'", "%s NOT LIKE '%%zz%%'", "%s <> 'it''s forbidden'"},
	classBlob: {"length(%s) < 100"},
	classTime: {"%s > '2000-01-01'"},
	classEnum: {"%s <> 'zz'"},
}

// addCheck adds a check on one column of t.
func (g *Gen) addCheck(t *table) *check {
	var cands []*column
	for _, c := range t.cols {
		// MariaDB refuses a check on an AUTO_INCREMENT column, and on a
		// column a foreign key's referential action may change.
		if c.gen == nil && !g.specOf(c, t.strict).flag && !(!g.sqlite() && (c.autoInc || c.copied)) {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	c := pick(g, cands)
	form := pick(g, checkForms[c.class])
	// The templates are written for Sprintf; a literal %% stays one %.
	k := &check{expr: g.format(unescapePercent(form), c)}
	if !g.sqlite() || g.chance(0.8) {
		k.name = g.name("ck", g.constraintNames(t))
	}
	t.checks = append(t.checks, k)
	return k
}

func unescapePercent(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+1 < len(s) && s[i+1] == '%' {
			out = append(out, '%')
			i++
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

var sqliteActions = []schema.ReferenceAction{"", schema.NoAction, schema.Restrict, schema.Cascade, schema.SetNull, schema.SetDefault}
var mysqlActions = []schema.ReferenceAction{"", schema.NoAction, schema.Restrict, schema.Cascade, schema.SetNull}

// addForeignKey adds new columns to t and a foreign key from them to a key
// of some table (t itself now and then). In a table with rows the columns
// are nullable: existing rows reference nothing.
func (g *Gen) addForeignKey(t *table, filled bool) *foreignKey {
	var parents []*table
	for _, p := range g.m.tables {
		if len(p.fkKeys()) > 0 && (p != t || g.chance(0.4)) {
			parents = append(parents, p)
		}
	}
	if len(parents) == 0 {
		return nil
	}
	p := pick(g, parents)
	key := pick(g, p.fkKeys())
	f := &foreignKey{name: g.name("fk", g.constraintNames(t)), ref: p.id, refCols: slices.Clone(key), selfParent: p == t}
	null := filled || g.chance(0.5)
	for _, id := range key {
		pc := p.col(id)
		c := &column{id: g.m.id(), name: g.name("c", g.columnNames(t)), typ: cloneType(pc.typ), class: pc.class,
			null: null, fresh: filled, copied: true}
		if t.strict && !p.strict {
			c.typ = strictFor(pc.class)
		}
		if !t.strict && p.strict && pc.typ.Raw == "ANY" {
			c.typ = named("text")
		}
		if collatable(c.typ) {
			c.collate = pc.collate
		}
		t.cols = append(t.cols, c)
		f.cols = append(f.cols, c.id)
	}
	actions := sqliteActions
	if !g.sqlite() {
		actions = mysqlActions
	}
	// SET_NULL needs nullable columns; on MySQL, ON UPDATE CASCADE from NOT
	// NULL columns needs NOT NULL referenced columns (see cascadesInto).
	nullableKey := slices.ContainsFunc(key, func(id int) bool { return p.col(id).null })
	for {
		f.onDelete, f.onUpdate = pick(g, actions), pick(g, actions)
		if null || f.onDelete != schema.SetNull && f.onUpdate != schema.SetNull &&
			(g.sqlite() || !nullableKey || f.onUpdate != schema.Cascade) {
			break
		}
	}
	f.deferred = g.sqlite() && g.chance(0.3)
	t.fks = append(t.fks, f)
	return f
}

// strictFor is the STRICT type for a class.
func strictFor(c class) schema.Type {
	switch c {
	case classInt:
		return named("integer")
	case classBlob:
		return named("blob")
	}
	return named("text")
}
