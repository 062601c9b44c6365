package schemahcl

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/schemactl/schemactl/schema"
)

// checkFK checks a resolved foreign key: column counts (E15) and the
// actions every engine refuses; the dialect checks the rest.
func (d *decoder) checkFK(td *tableDecl, fd *fkDecl) {
	fk := fd.fk
	if len(fk.Columns) != len(fk.RefColumns) {
		refsRange := fd.attrs.get("ref_columns").ExprRange
		d.errorf(&refsRange, "Foreign key column mismatch", "foreign key %q: %s reference %s", fk.Name, count(len(fk.Columns), "column"), count(len(fk.RefColumns), "column"))
		fd.resolved = false // nothing more to say about it
		return
	}
	if d.table(fk.RefTable) == nil {
		return
	}
	for _, name := range []string{"on_update", "on_delete"} {
		a := fd.attrs.get(name)
		act := fk.OnUpdate
		if name == "on_delete" {
			act = fk.OnDelete
		}
		if a == nil || act != schema.SetNull {
			continue
		}
		rng := a.ExprRange
		for _, col := range fk.Columns {
			if cd := td.column(col); cd != nil && !cd.c.Null {
				d.errorf(&rng, "Invalid foreign key", "foreign key %q: SET_NULL needs nullable columns, but %q is null = false", fk.Name, cd.c.Name)
				break
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

// checkDocument runs the checks across tables: duplicate table names,
// database-wide name spaces and renamed_from hints.
func (d *decoder) checkDocument(sd *schemaDecl) {
	tables := d.tableNameSet()
	for _, td := range d.tables {
		if prev, dup := tables.add(td.t.Name, td.nameRange); dup {
			d.errorf(&td.nameRange, "Duplicate table", "duplicate table %q in schema %q (first defined at %s)", td.t.Name, sd.s.Name, at(prev))
		}
	}
	type owned struct {
		table string
		rng   hcl.Range
	}
	if d.lang.SchemaIndexNames {
		indexes := map[string]owned{}
		for _, td := range d.tables {
			for _, kd := range td.indexes {
				key := strings.ToLower(kd.idx.Name)
				if prev, ok := indexes[key]; ok && prev.table != td.t.Name {
					d.errorf(&kd.nameRange, "Duplicate index", "duplicate index %q: %s index names are unique per database, and table %q has one (first defined at %s)", kd.idx.Name, d.lang.Engine, prev.table, at(prev.rng))
				} else if !ok {
					indexes[key] = owned{td.t.Name, kd.nameRange}
				}
			}
		}
	}
	if d.lang.SchemaForeignKeyNames {
		fks := map[string]owned{}
		for _, td := range d.tables {
			for _, fd := range td.fks {
				if prev, ok := fks[fd.fk.Name]; ok && prev.table != td.t.Name {
					d.errorf(&fd.nameRange, "Duplicate foreign key", "duplicate foreign key %q: %s constraint names are unique per database, and table %q has one (first defined at %s)", fd.fk.Name, d.lang.Engine, prev.table, at(prev.rng))
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
	var hints []renameHint
	declared := d.tableNameSet()
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
	claims := &nameSet{fold: declared.fold, ascii: declared.ascii, first: map[string]hcl.Range{}}
	claimer := map[hcl.Range]renameHint{}
	for _, h := range hints {
		own := h.old == h.label || (declared.fold && foldKey(h.old, declared.ascii) == foldKey(h.label, declared.ascii))
		switch {
		case own && h.old != h.label:
			d.errorf(&h.value, "Invalid renamed_from", "%s: renamed_from names the block itself: %s takes %q and %q for one name; remove renamed_from",
				h.what, d.lang.Engine, h.old, h.label)
			continue
		case own:
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
