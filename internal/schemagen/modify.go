package schemagen

import (
	"fmt"
	"slices"

	"github.com/schemactl/schemactl/schema"
)

// opModifyColumn changes one part of a column: its type (within the class
// of its values, or from numbers to text), NULL to NOT NULL with a default
// that fills existing NULLs, NOT NULL to NULL, its default, its collation,
// auto_increment, or a generated column's expression and storage.
func (g *Gen) opModifyColumn() string {
	t := g.randomTable()
	if t == nil {
		return ""
	}
	c := pick(g, t.cols)
	where := fmt.Sprintf("%q.%q", t.name, c.name)
	if c.gen != nil {
		return g.modifyGenerated(t, c, where)
	}
	switch g.intn(7) {
	case 0, 1:
		return g.retype(t, c, where)
	case 2:
		return g.fillNulls(t, c, where)
	case 3:
		if c.null || slices.Contains(t.pk, c.id) || c.autoInc || !g.sqlite() && g.m.cascadesInto(t, c.id) {
			return ""
		}
		c.null = true
		return "modify column " + where + " NULL"
	case 4:
		if c.autoInc || slices.Contains(fkColumns(t), c.id) || (!g.sqlite() && !g.cfg.MariaDB && (c.class == classText || c.class == classBlob)) {
			// A default in a foreign key column would reference nothing.
			return ""
		}
		// A NOT NULL column that this edit adds or fills needs its
		// default, a literal one when it fills NULLs.
		needed := !c.null && (c.fresh || c.nullFilled)
		if c.def != nil && !needed && g.chance(0.4) {
			c.def = nil
			return "modify column " + where + " drop default"
		}
		def := g.randomDefault(c)
		if c.nullFilled {
			def = g.literalDefault(c)
		}
		if def == nil {
			return ""
		}
		c.def = def
		return fmt.Sprintf("modify column %s default %s", where, c.def.Value)
	case 5:
		if !g.sqlite() || c.class != classText || !collatable(c.typ) {
			return ""
		}
		old := c.collate
		for c.collate == old {
			c.collate = pick(g, []string{"", "NOCASE", "RTRIM"})
		}
		return fmt.Sprintf("modify column %s collate %q", where, c.collate)
	default:
		if !g.sqlite() || len(t.pk) != 1 || t.pk[0] != c.id || t.withoutRow || c.typ.Name != "integer" || c.typ.Args != nil {
			return ""
		}
		c.autoInc = !c.autoInc
		c.def = nil
		return fmt.Sprintf("modify column %s auto_increment = %v", where, c.autoInc)
	}
}

// keyColumn reports whether column id of t takes part in a key, a foreign
// key (either side) or a unique index.
func (g *Gen) keyColumn(t *table, id int) bool {
	if slices.Contains(t.pk, id) || slices.Contains(fkColumns(t), id) || g.isParentKey(t, id) {
		return true
	}
	for _, i := range t.indexes {
		if i.unique && i.uses(id) {
			return true
		}
	}
	return false
}

// retype gives a column another type of the same class, or turns a number
// column that nothing else uses into a text column (numbers convert to
// text and back without loss).
func (g *Gen) retype(t *table, c *column, where string) string {
	if c.autoInc || c.class == classEnum || (!g.sqlite() && c.class == classTime && c.typ.Name == "date") {
		return ""
	}
	key := g.keyColumn(t, c.id)
	if !g.sqlite() && (slices.Contains(fkColumns(t), c.id) || g.isParentKey(t, c.id)) {
		// MySQL refuses to change a column a foreign key uses.
		return ""
	}
	if c.class == classInt && !g.m.usesColumn(t, c.id) && !g.specOf(c, t.strict).flag && g.chance(0.3) {
		c.class, c.retyped = classText, true
		c.typ = g.randomTypeOf(t, classText)
		c.collate = ""
		if c.def != nil {
			c.def = g.literalDefault(c)
		}
		return fmt.Sprintf("modify column %s type %s (numbers to text)", where, c.typ)
	}
	// MySQL indexes TEXT and BLOB columns only by a prefix: a column of
	// any index keeps a type an index can hold whole.
	indexed := !g.sqlite() && slices.ContainsFunc(t.indexes, func(i *index) bool { return i.uses(c.id) })
	typ, ok := g.sameClassType(t, c, key || indexed)
	if !ok {
		return ""
	}
	if !g.sqlite() && c.class == classTime && typ.Name == "date" {
		return ""
	}
	c.typ = typ
	if !collatable(typ) {
		c.collate = ""
	}
	if c.def != nil && c.def.Kind != 0 {
		c.def = g.literalDefault(c)
	}
	return fmt.Sprintf("modify column %s type %s", where, c.typ)
}

// randomTypeOf picks a type of the class, usable in t, that needs no care:
// indexable, not a flag.
func (g *Gen) randomTypeOf(t *table, cl class) schema.Type {
	for {
		s := g.randomType(t, false)
		if s.class == cl && !s.flag {
			return cloneType(s.t)
		}
	}
}

// fillNulls makes a nullable column NOT NULL with a literal default, which
// the migration writes into the rows that hold NULL. Columns whose values
// must stay distinct or match a parent are left alone.
func (g *Gen) fillNulls(t *table, c *column, where string) string {
	if !c.null || g.keyColumn(t, c.id) {
		return ""
	}
	for _, i := range t.indexes {
		if i.unique && i.uses(c.id) {
			return ""
		}
	}
	def := g.literalDefault(c)
	if def == nil || (!g.sqlite() && !g.cfg.MariaDB && (c.class == classText || c.class == classBlob)) {
		return ""
	}
	c.null, c.def = false, def
	if !c.fresh {
		c.nullFilled = true
	}
	return fmt.Sprintf("modify column %s NOT NULL default %s", where, def.Value)
}

// modifyGenerated changes a generated column's storage or expression.
func (g *Gen) modifyGenerated(t *table, c *column, where string) string {
	// MariaDB cannot MODIFY a column between VIRTUAL and STORED; the
	// MySQL dialect drops and re-adds it in place.
	if g.chance(0.5) {
		c.gen.stored = !c.gen.stored
		return fmt.Sprintf("modify column %s stored = %v", where, c.gen.stored)
	}
	var src *column
	for _, p := range c.gen.expr {
		if p.col != 0 {
			src = t.col(p.col)
		}
	}
	if src == nil {
		return ""
	}
	var forms []string
	for _, f := range generatedExprs[src.class] {
		if f.result == c.class {
			forms = append(forms, f.format)
		}
	}
	c.gen.expr = g.format(g.concat(pick(g, forms)), src)
	return fmt.Sprintf("modify column %s as %s", where, g.render(t, c.gen.expr))
}
