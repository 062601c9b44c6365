package schemahcl

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
)

// validate asks the dialect what its engine refuses in the decoded schema
// and reports each problem at the source of the object it is about.
func (d *decoder) validate(sd *schemaDecl) {
	d.ownTables()
	for _, p := range d.opts.Dialect.Validate(sd.s, d.broken()) {
		rng := d.problemRange(sd, p)
		if p.Warning {
			d.warnf(rng, p.Summary, "%s", p.Detail)
		} else {
			d.errorf(rng, p.Summary, "%s", p.Detail)
		}
	}
}

// ownTables refuses tables named like schemactl's own: plan would leave
// them out of the live schema and try to create them, and apply would
// overwrite the history. The comparison ignores ASCII case, as SQLite and
// MySQL with lower_case_table_names do.
func (d *decoder) ownTables() {
	for _, td := range d.tables {
		for _, own := range d.opts.OwnTables {
			if asciiEqualFold(td.t.Name, own) {
				d.errorf(&td.nameRange, "Reserved table name", "table %q: schemactl keeps %q for its version history; pick another name (or another --version-table)", td.t.Name, own)
				break
			}
		}
		for _, other := range d.opts.ForeignTables {
			if asciiEqualFold(td.t.Name, other) {
				d.errorf(&td.nameRange, "Reserved table name", "table %q is another tool's (Alembic's version table): schemactl leaves it out of every inspection, so declaring it would plan it again on every run; remove it from the schema", td.t.Name)
			}
		}
	}
}

// asciiEqualFold is strings.EqualFold for ASCII letters only, the way
// SQLite compares names.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// broken marks what decoding reported already: types that did not decode,
// keys and foreign keys with a reference that did not resolve.
func (d *decoder) broken() schema.Broken {
	var b schema.Broken
	for _, td := range d.tables {
		for _, cd := range td.cols {
			if !cd.typeOK {
				mark(&b.Types, cd.c)
			}
		}
		for _, kd := range append([]*keyDecl{td.pk}, td.indexes...) {
			if kd != nil && !kd.resolved {
				mark(&b.Keys, kd.idx)
			}
		}
		for _, fd := range td.fks {
			if !fd.resolved {
				mark(&b.ForeignKeys, fd.fk)
			}
		}
	}
	return b
}

func mark[K comparable](m *map[K]bool, k K) {
	if *m == nil {
		*m = map[K]bool{}
	}
	(*m)[k] = true
}

// problemRange finds where the object of p was declared: its name, or the
// name or value of the attribute p names. It is nil for an object the
// document does not declare.
func (d *decoder) problemRange(sd *schemaDecl, p schema.Problem) *hcl.Range {
	if p.Table == nil {
		return &sd.labelRange
	}
	var td *tableDecl
	for _, t := range d.tables {
		if t.t == p.Table {
			td = t
			break
		}
	}
	if td == nil {
		return nil
	}
	switch o := p.Object.(type) {
	case *schema.Table:
		return attrRange(td.attrs, p, td.nameRange)
	case *schema.Column:
		for _, cd := range td.cols {
			if cd.c == o {
				if p.Attr == "type" && p.Value {
					return &cd.typeRange
				}
				return attrRange(cd.attrs, p, cd.nameRange)
			}
		}
	case *schema.Index:
		for _, kd := range append([]*keyDecl{td.pk}, td.indexes...) {
			if kd != nil && kd.idx == o {
				return attrRange(kd.attrs, p, kd.nameRange)
			}
		}
	case *schema.IndexPart:
		for _, kd := range append([]*keyDecl{td.pk}, td.indexes...) {
			for i := 0; kd != nil && i < len(kd.parts); i++ {
				if &kd.idx.Parts[i] == o {
					return attrRange(kd.parts[i].attrs, p, kd.parts[i].rng)
				}
			}
		}
	case *schema.ForeignKey:
		for _, fd := range td.fks {
			if fd.fk != o {
				continue
			}
			list := map[string][]hclsyntax.Expression{"columns": fd.cols, "ref_columns": fd.refs}[p.Attr]
			if p.Item > 0 && p.Item <= len(list) {
				rng := list[p.Item-1].Range()
				return &rng
			}
			return attrRange(fd.attrs, p, fd.nameRange)
		}
	case *schema.Check:
		for _, ck := range td.checks {
			if ck.c == o {
				return &ck.nameRange
			}
		}
	}
	return &td.nameRange
}

// attrRange is the name or value of the attribute p names, or name when p
// names none or one the block does not have.
func attrRange(attrs attrSet, p schema.Problem, name hcl.Range) *hcl.Range {
	a := attrs.get(p.Attr)
	switch {
	case p.Attr == "" || a == nil:
		return &name
	case p.Value:
		return &a.ExprRange
	}
	return &a.NameRange
}
