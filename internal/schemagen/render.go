package schemagen

import (
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// realm renders the model as the schema.Realm an HCL file would decode to.
func (g *Gen) realm() *schema.Realm {
	s := &schema.Schema{Name: g.cfg.Schema}
	for _, t := range g.m.tables {
		s.Tables = append(s.Tables, g.renderTable(t))
	}
	return &schema.Realm{Schemas: []*schema.Schema{s}}
}

func (g *Gen) renderTable(t *table) *schema.Table {
	st := &schema.Table{Name: t.name, RenamedFrom: t.renamedFrom, Strict: t.strict, WithoutRowID: t.withoutRow}
	for _, c := range t.cols {
		sc := &schema.Column{Name: c.name, RenamedFrom: c.renamedFrom, Type: cloneType(c.typ), Null: c.null,
			AutoIncrement: c.autoInc, Collate: c.collate}
		if c.def != nil {
			d := *c.def
			sc.Default = &d
		}
		if c.gen != nil {
			sc.Generated = &schema.Generated{Expr: g.render(t, c.gen.expr), Stored: c.gen.stored}
		}
		st.Columns = append(st.Columns, sc)
	}
	if t.pk != nil {
		st.PrimaryKey = &schema.Index{}
		for _, id := range t.pk {
			st.PrimaryKey.Parts = append(st.PrimaryKey.Parts, schema.IndexPart{Column: t.col(id).name})
		}
	}
	for _, i := range t.indexes {
		si := &schema.Index{Name: i.name, RenamedFrom: i.renamedFrom, Unique: i.unique, Where: g.render(t, i.where)}
		for _, p := range i.parts {
			sp := schema.IndexPart{Desc: p.desc}
			if p.expr != nil {
				sp.Expr = g.render(t, p.expr)
			} else {
				sp.Column = t.col(p.col).name
			}
			si.Parts = append(si.Parts, sp)
		}
		st.Indexes = append(st.Indexes, si)
	}
	for _, f := range t.fks {
		p := g.m.table(f.ref)
		sf := &schema.ForeignKey{Name: f.name, RefTable: p.name, OnUpdate: f.onUpdate, OnDelete: f.onDelete, Deferred: f.deferred}
		for _, id := range f.cols {
			sf.Columns = append(sf.Columns, t.col(id).name)
		}
		for _, id := range f.refCols {
			sf.RefColumns = append(sf.RefColumns, p.col(id).name)
		}
		st.ForeignKeys = append(st.ForeignKeys, sf)
	}
	for _, k := range t.checks {
		st.Checks = append(st.Checks, &schema.Check{Name: k.name, Expr: g.render(t, k.expr), Enforced: true})
	}
	return st
}

// render writes an expression with the current column names, quoted when
// they are not plain identifiers.
func (g *Gen) render(t *table, e expr) string {
	var b strings.Builder
	for _, p := range e {
		if p.col == 0 {
			b.WriteString(p.text)
			continue
		}
		b.WriteString(g.ident(t.col(p.col).name))
	}
	return b.String()
}

// ident writes a column name in an expression: bare when it is a plain
// identifier that is no keyword, else quoted with backticks (both engines
// accept them), embedded backticks doubled.
func (g *Gen) ident(name string) string {
	if plainIdent(name) {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// keywords are the reserved words among the generator's names, plus the
// names SQLite gives a meaning of their own in expressions.
var keywords = map[string]bool{
	"order": true, "select": true, "group": true, "from": true, "key": true, "index": true,
	"table": true, "check": true, "default": true, "primary": true, "rowid": true, "oid": true,
	"_rowid_": true,
}

func plainIdent(s string) bool {
	if s == "" || keywords[strings.ToLower(s)] {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
