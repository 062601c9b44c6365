package schemahcl

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/schemactl/schemactl/schema"
)

// checkFK checks a resolved foreign key: column counts (E15), the
// referenced key (E17), MySQL column compatibility (E17) and actions.
func (d *decoder) checkFK(td *tableDecl, fd *fkDecl) {
	fk := fd.fk
	refsRange := fd.attrs.get("ref_columns").ExprRange
	if len(fk.Columns) != len(fk.RefColumns) {
		d.errorf(&refsRange, "Foreign key column mismatch", "foreign key %q: %s reference %s", fk.Name, count(len(fk.Columns), "column"), count(len(fk.RefColumns), "column"))
		return
	}
	rt := d.table(fk.RefTable)
	if rt == nil {
		return
	}
	d.checkReferencedKey(fd, rt, refsRange)
	if d.mysql() {
		for i := range fk.Columns {
			from, to := td.column(fk.Columns[i]), rt.column(fk.RefColumns[i])
			if from == nil || to == nil || !from.typeOK || !to.typeOK {
				continue
			}
			if !d.compatible(td, from.c, rt, to.c) {
				rng := fd.refs[i].Range()
				d.errorf(&rng, "Invalid foreign key", "foreign key %q: column %q (%s) is not compatible with %q.%q (%s)", fk.Name, from.c.Name, from.c.Type, rt.t.Name, to.c.Name, to.c.Type)
			}
		}
	}
	for _, name := range []string{"on_update", "on_delete"} {
		a := fd.attrs.get(name)
		act := fk.OnUpdate
		if name == "on_delete" {
			act = fk.OnDelete
		}
		if a == nil {
			continue
		}
		rng := a.ExprRange
		switch {
		case act == schema.SetDefault && d.mysql():
			d.errorf(&rng, "Invalid foreign key", "foreign key %q: InnoDB rejects SET_DEFAULT; use NO_ACTION, RESTRICT, CASCADE or SET_NULL", fk.Name)
		case act == schema.SetNull:
			for _, col := range fk.Columns {
				if cd := td.column(col); cd != nil && !cd.c.Null {
					d.errorf(&rng, "Invalid foreign key", "foreign key %q: SET_NULL needs nullable columns, but %q is null = false", fk.Name, cd.c.Name)
					break
				}
			}
		case act == schema.Cascade && name == "on_update" && d.mysql():
			// A NULL written to the referenced column would cascade into a
			// column that cannot hold it. MariaDB refuses such a key in
			// strict mode (MDEV-34392); MySQL fails the cascade instead.
			for i, col := range fk.Columns {
				from, to := td.column(col), rt.column(fk.RefColumns[i])
				if from != nil && to != nil && !from.c.Null && to.c.Null {
					d.errorf(&rng, "Invalid foreign key", "foreign key %q: ON UPDATE CASCADE from null = false column %q to nullable %q.%q; make %q nullable, %q.%q null = false, or pick another action", fk.Name, from.c.Name, rt.t.Name, to.c.Name, from.c.Name, rt.t.Name, to.c.Name)
					break
				}
			}
		}
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// checkReferencedKey requires the referenced columns to be the primary key
// or a unique index of rt. MySQL <= 8.0 and MariaDB also accept any index
// that starts with them, which is a warning.
func (d *decoder) checkReferencedKey(fd *fkDecl, rt *tableDecl, rng hcl.Range) {
	keys := append([]*keyDecl{rt.pk}, rt.indexes...)
	for _, kd := range keys {
		if kd != nil && !kd.resolved {
			return // reported already; do not guess
		}
	}
	refs := fd.fk.RefColumns
	if rt.pk != nil && sameColumns(rt.pk.idx.Parts, refs) {
		return
	}
	for _, kd := range rt.indexes {
		if kd.idx.Unique && kd.idx.Where == "" && sameColumns(kd.idx.Parts, refs) {
			return
		}
	}
	list := quoteList(refs)
	if d.mysql() {
		for _, kd := range keys {
			if kd != nil && startsWith(kd.idx.Parts, refs) {
				d.warnf(&rng, "Non-unique foreign key target", "foreign key %q: referenced columns %s of %q are neither its primary key nor a unique index; MySQL 8.4 rejects this, older MySQL and MariaDB accept it because an index starts with them", fd.fk.Name, list, rt.t.Name)
				return
			}
		}
	}
	d.errorf(&rng, "Invalid foreign key", "foreign key %q: referenced columns %s of %q are neither its primary key nor a unique index", fd.fk.Name, list, rt.t.Name)
}

func quoteList(names []string) string {
	var q []string
	for _, n := range names {
		q = append(q, fmt.Sprintf("%q", n))
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// sameColumns reports whether parts are plain columns forming the set cols.
func sameColumns(parts []schema.IndexPart, cols []string) bool {
	if len(parts) != len(cols) {
		return false
	}
	for _, p := range parts {
		if p.Column == "" || p.Prefix != 0 {
			return false
		}
		found := false
		for _, c := range cols {
			if strings.EqualFold(p.Column, c) {
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

func startsWith(parts []schema.IndexPart, cols []string) bool {
	if len(parts) < len(cols) {
		return false
	}
	for i, c := range cols {
		if !strings.EqualFold(parts[i].Column, c) {
			return false
		}
	}
	return true
}

// compatible reports whether MySQL accepts a foreign key from column a to
// column b: same integer or decimal kind, size and signedness; for
// non-binary strings the same charset and collation. Raw types are not
// judged.
func (d *decoder) compatible(ta *tableDecl, a *schema.Column, tb *tableDecl, b *schema.Column) bool {
	if a.Type.Raw != "" || b.Type.Raw != "" {
		return true
	}
	ca, cb := classOf(d.opts.Dialect, a.Type), classOf(d.opts.Dialect, b.Type)
	if ca == classBool {
		ca = classInteger
	}
	if cb == classBool {
		cb = classInteger
	}
	if ca != cb {
		return false
	}
	switch ca {
	case classInteger:
		return intKind(a.Type) == intKind(b.Type) && a.Type.Unsigned == b.Type.Unsigned
	case classDecimal:
		pa, sa := decimalArgs(a.Type)
		pb, sb := decimalArgs(b.Type)
		return pa == pb && sa == sb && a.Type.Unsigned == b.Type.Unsigned
	case classFloat:
		return floatKind(a.Type) == floatKind(b.Type) && a.Type.Unsigned == b.Type.Unsigned
	case classString, classEnum, classSet:
		csA, coA := d.effectiveCharset(ta, a)
		csB, coB := d.effectiveCharset(tb, b)
		return (csA == "" || csB == "" || strings.EqualFold(csA, csB)) &&
			(coA == "" || coB == "" || strings.EqualFold(coA, coB))
	}
	return true
}

func intKind(t schema.Type) string {
	if t.Name == "bool" || t.Name == "boolean" {
		return "tinyint"
	}
	return t.Name
}

func floatKind(t schema.Type) string {
	if t.Name == "real" || (t.Name == "float" && len(t.Args) >= 1 && t.Args[0] > 24) {
		return "double"
	}
	return t.Name
}

func decimalArgs(t schema.Type) (p, s int) {
	p = 10
	if len(t.Args) >= 1 {
		p = t.Args[0]
	}
	if len(t.Args) == 2 {
		s = t.Args[1]
	}
	return p, s
}

// effectiveCharset is the declared charset and collation of a column,
// inherited from its table and schema; "" when the server decides.
func (d *decoder) effectiveCharset(td *tableDecl, c *schema.Column) (string, string) {
	charset, collate := c.Charset, c.Collate
	if charset == "" && collate == "" {
		charset, collate = td.t.Charset, td.t.Collate
	}
	if charset == "" && collate == "" && len(d.schemas) > 0 {
		charset, collate = d.schemas[0].s.Charset, d.schemas[0].s.Collate
	}
	return charset, collate
}

// checkDocument runs the checks across tables: duplicate table names,
// database-wide name spaces and renamed_from hints.
func (d *decoder) checkDocument(sd *schemaDecl) {
	sqlite := d.opts.Dialect == schema.SQLite
	tables := newNameSet(sqlite)
	for _, td := range d.tables {
		if prev, dup := tables.add(td.t.Name, td.nameRange); dup {
			d.errorf(&td.nameRange, "Duplicate table", "duplicate table %q in schema %q (first defined at %s)", td.t.Name, sd.s.Name, at(prev))
		}
	}
	type owned struct {
		table string
		rng   hcl.Range
	}
	if sqlite {
		indexes := map[string]owned{}
		for _, td := range d.tables {
			for _, kd := range td.indexes {
				key := strings.ToLower(kd.idx.Name)
				if prev, ok := indexes[key]; ok && prev.table != td.t.Name {
					d.errorf(&kd.nameRange, "Duplicate index", "duplicate index %q: SQLite index names are unique per database, and table %q has one (first defined at %s)", kd.idx.Name, prev.table, at(prev.rng))
				} else if !ok {
					indexes[key] = owned{td.t.Name, kd.nameRange}
				}
			}
		}
	} else {
		fks := map[string]owned{}
		for _, td := range d.tables {
			for _, fd := range td.fks {
				if prev, ok := fks[fd.fk.Name]; ok && prev.table != td.t.Name {
					d.errorf(&fd.nameRange, "Duplicate foreign key", "duplicate foreign key %q: MySQL constraint names are unique per database, and table %q has one (first defined at %s)", fd.fk.Name, prev.table, at(prev.rng))
				} else if !ok {
					fks[fd.fk.Name] = owned{td.t.Name, fd.nameRange}
				}
			}
		}
	}
	d.checkRenames()
}

// renameHint is one block with renamed_from, for E28.
type renameHint struct {
	what  string // `column "users"."name"`, for messages
	label string // the block's own name
	old   string
	value hcl.Range // the renamed_from value
}

func (d *decoder) checkRenames() {
	sqlite := d.opts.Dialect == schema.SQLite
	var hints []renameHint
	declared := newNameSet(sqlite)
	for _, td := range d.tables {
		declared.add(td.t.Name, td.nameRange)
		if a := td.attrs.get("renamed_from"); a != nil && td.t.RenamedFrom != "" {
			hints = append(hints, renameHint{fmt.Sprintf("table %q", td.t.Name), td.t.Name, td.t.RenamedFrom, a.ExprRange})
		}
	}
	d.checkHints(hints, declared)
	for _, td := range d.tables {
		var colHints, idxHints []renameHint
		cols, idxs := newNameSet(true), newNameSet(true)
		for _, cd := range td.cols {
			cols.add(cd.c.Name, cd.nameRange)
			if a := cd.attrs.get("renamed_from"); a != nil && cd.c.RenamedFrom != "" {
				colHints = append(colHints, renameHint{fmt.Sprintf("column %q.%q", td.t.Name, cd.c.Name), cd.c.Name, cd.c.RenamedFrom, a.ExprRange})
			}
		}
		for _, kd := range td.indexes {
			idxs.add(kd.idx.Name, kd.nameRange)
			if a := kd.attrs.get("renamed_from"); a != nil && kd.idx.RenamedFrom != "" {
				idxHints = append(idxHints, renameHint{fmt.Sprintf("index %q", kd.idx.Name), kd.idx.Name, kd.idx.RenamedFrom, a.ExprRange})
			}
		}
		d.checkHints(colHints, cols)
		d.checkHints(idxHints, idxs)
	}
}

// checkHints checks the renamed_from hints of one kind in one scope, whose
// declared names are in declared: a hint may not name its own block or a
// name still declared, and two hints may not claim the same old name.
func (d *decoder) checkHints(hints []renameHint, declared *nameSet) {
	claims := newNameSet(declared.fold)
	claimer := map[hcl.Range]renameHint{}
	for _, h := range hints {
		own := h.old == h.label || (declared.fold && strings.EqualFold(h.old, h.label))
		if own {
			d.errorf(&h.value, "Invalid renamed_from", "%s: renamed_from names the block itself", h.what)
			continue
		}
		if prev, ok := declared.lookup(h.old); ok {
			d.errorf(&h.value, "Invalid renamed_from", "%s: renamed_from names %q, which is also declared at %s", h.what, h.old, at(prev))
			continue
		}
		if prev, dup := claims.add(h.old, h.value); dup {
			first := claimer[prev]
			d.errorf(&h.value, "Invalid renamed_from", "%s: %q is already claimed by the renamed_from of %s at %s", h.what, h.old, first.what, at(first.value))
			continue
		}
		claimer[h.value] = h
	}
}
