package schemahcl

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/text/unicode/norm"
)

// step is one step of a reference: column, id.
type step struct {
	name string
	rng  hcl.Range
}

// refSteps splits a reference into its steps. what names the position for
// messages ("index columns"). Anything that is not a reference is reported.
func (d *decoder) refSteps(e hclsyntax.Expression, what, want string) ([]step, bool) {
	rng := e.Range()
	st, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		if msg := scopeProblem(e, false); msg != "" {
			d.errorf(&rng, "Unsupported construct", "%s", msg)
			return nil, false
		}
		if s, isStr := stringLit(e); isStr {
			d.errorf(&rng, "Invalid value", "%s take references, not strings; write %s", what, refText(want, s))
			return nil, false
		}
		d.errorf(&rng, "Invalid value", "%s take references such as %s.id, got %s", what, want, kindOf(e))
		return nil, false
	}
	steps := make([]step, 0, len(st.Traversal))
	for _, tr := range st.Traversal {
		switch tr := tr.(type) {
		case hcl.TraverseRoot:
			steps = append(steps, step{norm.NFC.String(tr.Name), tr.SrcRange})
		case hcl.TraverseAttr:
			r := tr.SrcRange // ".name": point at the name, not the dot
			if r.End.Byte-r.Start.Byte > len(tr.Name) {
				r.Start.Byte++
				r.Start.Column++
			}
			steps = append(steps, step{norm.NFC.String(tr.Name), r})
		case hcl.TraverseIndex:
			if !tr.Key.IsKnown() || tr.Key.IsNull() || tr.Key.Type() != cty.String {
				r := tr.SrcRange
				d.errorf(&r, "Invalid reference", "a reference step must be a name such as [\"name\"], got %s", tr.Key.Type().FriendlyName())
				return nil, false
			}
			steps = append(steps, step{tr.Key.AsString(), tr.SrcRange})
		default:
			d.errorf(&rng, "Invalid reference", "%s take references such as %s.id", what, want)
			return nil, false
		}
	}
	if msg := scopeProblem(e, false); msg != "" {
		d.errorf(&rng, "Unsupported construct", "%s", msg)
		return nil, false
	}
	return steps, true
}

// refText writes a reference root.name, with index syntax for names that
// are not identifiers.
func refText(root, name string) string {
	if isIdent(name) {
		return root + "." + name
	}
	return fmt.Sprintf("%s[%q]", root, name)
}

func isIdent(name string) bool {
	return hclsyntax.ValidIdentifier(name) && !strings.Contains(name, "-")
}

// resolveTable resolves the references of one table.
func (d *decoder) resolveTable(sd *schemaDecl, td *tableDecl) {
	if td.qualifier != "" && td.qualifier != sd.s.Name {
		d.errorf(&td.qualRange, "Undeclared schema", "table %q %q: no schema %q is declared; the schema is %q", td.qualifier, td.t.Name, td.qualifier, sd.s.Name)
	}
	if td.schemaExpr != nil {
		d.resolveSchemaRef(sd, td)
	}
	for _, kd := range append([]*keyDecl{td.pk}, td.indexes...) {
		if kd == nil {
			continue
		}
		what := "index columns"
		if kd == td.pk {
			what = "primary key columns"
		}
		kd.resolved = len(kd.parts) > 0
		for i, pd := range kd.parts {
			if pd.ref == nil {
				if kd.idx.Parts[i].Expr == "" {
					kd.resolved = false
				}
				continue
			}
			owner, col, ok := d.resolveColumn(td, pd.ref, what)
			switch {
			case !ok:
				kd.resolved = false
			case owner != td:
				d.errorf(&pd.rng, "Wrong reference", "%s must be columns of table %q", what, td.t.Name)
				kd.resolved = false
			default:
				kd.idx.Parts[i].Column = col.c.Name
			}
		}
	}
	for _, fd := range td.fks {
		d.resolveFK(td, fd)
	}
}

func (d *decoder) resolveSchemaRef(sd *schemaDecl, td *tableDecl) {
	e := td.schemaExpr
	steps, ok := d.refSteps(e, "schema attributes", "schema")
	if !ok {
		return
	}
	rng := e.Range()
	if steps[0].name != "schema" || len(steps) != 2 {
		d.errorf(&rng, "Wrong reference", "schema must be a reference to a schema, such as schema.%s", sd.s.Name)
		return
	}
	if steps[1].name != sd.s.Name {
		d.errorf(&steps[1].rng, "Undeclared schema", "no schema %q is declared%s", steps[1].name, didYouMean(steps[1].name, []string{sd.s.Name}))
		return
	}
	if td.qualifier != "" && td.qualifier != steps[1].name {
		d.errorf(&rng, "Wrong reference", "table %q %q names schema %q in its label but schema.%s here", td.qualifier, td.t.Name, td.qualifier, steps[1].name)
	}
}

// resolveColumn resolves a column reference: column.x (a column of td),
// table.t.column.x or table.s.t.column.x.
func (d *decoder) resolveColumn(td *tableDecl, e hclsyntax.Expression, what string) (*tableDecl, *columnDecl, bool) {
	steps, ok := d.refSteps(e, what, "column")
	if !ok {
		return nil, nil, false
	}
	rng := e.Range()
	owner := td
	var colStep step
	switch root := steps[0].name; {
	case root == "column" && len(steps) == 2:
		colStep = steps[1]
	case root == "table" && len(steps) == 2:
		d.errorf(&rng, "Wrong reference", "%s take column references such as %s.column.<name>, got the table %s", what, exprText(e), exprText(e))
		return nil, nil, false
	case root == "table" && (len(steps) == 4 || len(steps) == 5) && steps[len(steps)-2].name == "column":
		tstep := steps[len(steps)-3]
		if len(steps) == 5 {
			if s := steps[1]; len(d.schemas) > 0 && s.name != d.schemas[0].s.Name {
				d.errorf(&s.rng, "Undeclared schema", "no schema %q is declared%s", s.name, didYouMean(s.name, []string{d.schemas[0].s.Name}))
				return nil, nil, false
			}
		}
		if owner = d.table(tstep.name); owner == nil {
			var names []string
			for _, t := range d.tables {
				names = append(names, t.t.Name)
			}
			d.errorf(&tstep.rng, "Undeclared table", "no table %q is declared%s", tstep.name, didYouMean(tstep.name, names))
			return nil, nil, false
		}
		colStep = steps[len(steps)-1]
	case root == "column" || root == "table" || root == "schema":
		d.errorf(&rng, "Wrong reference", "%s take column references such as column.id or table.users.column.id, got %s", what, exprText(e))
		return nil, nil, false
	default:
		hint := ""
		if len(steps) == 1 {
			hint = "; write " + refText("column", root)
		}
		d.errorf(&steps[0].rng, "Invalid reference", "unknown reference %q%s", exprText(e), hint)
		return nil, nil, false
	}
	for _, cd := range owner.cols {
		if cd.c.Name == colStep.name {
			return owner, cd, true
		}
	}
	var names []string
	for _, cd := range owner.cols {
		names = append(names, cd.c.Name)
	}
	d.errorf(&colStep.rng, "Undeclared column", "table %q has no column %q%s", owner.t.Name, colStep.name, didYouMean(colStep.name, names))
	return nil, nil, false
}

// table finds a declared table by exact name.
func (d *decoder) table(name string) *tableDecl {
	for _, td := range d.tables {
		if td.t.Name == name {
			return td
		}
	}
	return nil
}

func (d *decoder) resolveFK(td *tableDecl, fd *fkDecl) {
	fk := fd.fk
	what := "foreign key"
	fd.resolved = len(fd.cols) > 0 && len(fd.refs) > 0
	for _, e := range fd.cols {
		owner, cd, ok := d.resolveColumn(td, e, what+" columns")
		switch {
		case !ok:
			fd.resolved = false
		case owner != td:
			rng := e.Range()
			d.errorf(&rng, "Wrong reference", "%s columns must be columns of table %q", what, td.t.Name)
			fd.resolved = false
		default:
			fk.Columns = append(fk.Columns, cd.c.Name)
		}
	}
	var refTable *tableDecl
	for _, e := range fd.refs {
		owner, cd, ok := d.resolveColumn(td, e, what+" ref_columns")
		if !ok {
			fd.resolved = false
			continue
		}
		if refTable != nil && owner != refTable {
			rng := e.Range()
			d.errorf(&rng, "Invalid foreign key", "foreign key %q references columns of both %q and %q", fk.Name, refTable.t.Name, owner.t.Name)
			fd.resolved = false
			continue
		}
		refTable = owner
		fk.RefTable = owner.t.Name
		fk.RefColumns = append(fk.RefColumns, cd.c.Name)
	}
}
