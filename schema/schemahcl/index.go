package schemahcl

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
)

// referenceActions are the foreign key action keywords, in HCL spelling.
var referenceActions = []string{"NO_ACTION", "RESTRICT", "CASCADE", "SET_NULL", "SET_DEFAULT"}

func (d *decoder) pkBlock(td *tableDecl, b *hclsyntax.Block) {
	if !d.labels(b, 0, 1) {
		return
	}
	nameRange := b.TypeRange
	if len(b.Labels) == 1 {
		nameRange = b.LabelRanges[0]
	}
	if td.pk != nil {
		d.errorf(&nameRange, "Duplicate primary key", "table %q has two primary_key blocks (first defined at %s)", td.t.Name, at(td.pk.nameRange))
		return
	}
	where := fmt.Sprintf("the primary key of table %q", td.t.Name)
	c := d.content(b.Body, pkSpec, where)
	kd := &keyDecl{idx: &schema.Index{Pos: modelRange(b.DefRange())}, what: where, nameRange: nameRange, defRange: b.DefRange(), attrs: keepAttrs(c.attrs)}
	d.keyParts(kd, c, b, where)
	if a := c.attrs["type"]; a != nil {
		kd.idx.Type, _ = d.keyword(a, []string{"BTREE", "HASH"})
	}
	if a := c.attrs["comment"]; a != nil {
		kd.idx.Comment, _ = d.str(a)
	}
	td.pk = kd
	td.t.PrimaryKey = kd.idx
}

func (d *decoder) indexBlock(td *tableDecl, b *hclsyntax.Block) {
	if !d.labels(b, 0, 1) {
		return
	}
	idx := &schema.Index{Pos: modelRange(b.DefRange())}
	var kd *keyDecl
	if len(b.Labels) == 0 {
		// Named in finish, from the table and the resolved columns.
		kd = &keyDecl{idx: idx, what: fmt.Sprintf("an unnamed index of table %q", td.t.Name), nameRange: b.TypeRange, defRange: b.DefRange(), unnamed: true}
	} else {
		idx.Name = label(b, 0)
		kd = &keyDecl{idx: idx, what: fmt.Sprintf("index %q", idx.Name), nameRange: b.LabelRanges[0], defRange: b.DefRange()}
	}
	where := kd.what
	c := d.content(b.Body, indexSpec, where)
	kd.attrs = keepAttrs(c.attrs)
	if a := c.attrs["renamed_from"]; a != nil {
		idx.RenamedFrom, _ = d.nonEmpty(a)
	}
	if a := c.attrs["unique"]; a != nil {
		idx.Unique, _ = d.boolean(a)
	}
	d.keyParts(kd, c, b, where)
	if a := c.attrs["type"]; a != nil {
		idx.Type, _ = d.keyword(a, []string{"BTREE", "HASH", "FULLTEXT", "SPATIAL"})
	}
	if a := c.attrs["parser"]; a != nil {
		idx.Parser, _ = d.parser(a)
	}
	if a := c.attrs["comment"]; a != nil {
		idx.Comment, _ = d.str(a)
	}
	if a := c.attrs["where"]; a != nil {
		idx.Where, _ = d.nonEmpty(a)
	}
	td.indexes = append(td.indexes, kd)
	td.t.Indexes = append(td.t.Indexes, idx)
}

// parser reads a FULLTEXT parser: ngram or mecab bare, or any string.
func (d *decoder) parser(a *hclsyntax.Attribute) (string, bool) {
	if word, ok := keywordLit(a.Expr); ok {
		if word == "ngram" || word == "mecab" {
			return word, true
		}
		rng := a.Expr.Range()
		d.errorf(&rng, "Unknown keyword", "parser must be ngram, mecab or a string, got %s%s", word, didYouMean(word, []string{"ngram", "mecab"}))
		return "", false
	}
	return d.nonEmpty(a)
}

// keyParts reads the parts of an index or primary key: a columns list or
// on blocks, exactly one of the two.
func (d *decoder) keyParts(kd *keyDecl, c *content, b *hclsyntax.Block, where string) {
	colsAttr := c.attrs["columns"]
	var ons []*hclsyntax.Block
	for _, blk := range c.blocks {
		if blk.Type == "on" {
			ons = append(ons, blk)
		}
	}
	rejected := false // on blocks reported already (another dialect's)
	for _, blk := range b.Body.Blocks {
		rejected = rejected || (blk.Type == "on" && len(ons) == 0)
	}
	rng := b.DefRange()
	switch {
	case colsAttr != nil && len(ons) > 0:
		d.errorf(&rng, "Invalid index", "%s: use columns or on, not both", where)
		return
	case colsAttr == nil && len(ons) == 0 && rejected:
		return
	case colsAttr == nil && len(ons) == 0:
		d.errorf(&rng, "Invalid index", "%s has no parts: add columns = [column.x] or on blocks", where)
		return
	case colsAttr != nil:
		for _, e := range d.list(colsAttr) {
			kd.parts = append(kd.parts, &partDecl{ref: e, rng: e.Range()})
			kd.idx.Parts = append(kd.idx.Parts, schema.IndexPart{})
		}
		return
	}
	for i, on := range ons {
		if !d.labels(on, 0, 0) {
			continue
		}
		pc := d.content(on.Body, partSpec, fmt.Sprintf("part %d of %s", i+1, where))
		pd := &partDecl{attrs: keepAttrs(pc.attrs), rng: on.DefRange()}
		var part schema.IndexPart
		colAttr, exprAttr := pc.attrs["column"], pc.attrs["expr"]
		switch {
		case colAttr != nil && exprAttr != nil:
			d.errorf(&pd.rng, "Invalid index part", "part %d of %s: use column or expr, not both", i+1, where)
		case colAttr == nil && exprAttr == nil:
			d.errorf(&pd.rng, "Invalid index part", "part %d of %s needs a column or an expr", i+1, where)
		case colAttr != nil:
			pd.ref, pd.rng = colAttr.Expr, colAttr.Expr.Range()
		default:
			part.Expr, _ = d.nonEmpty(exprAttr)
		}
		if a := pc.attrs["desc"]; a != nil {
			part.Desc, _ = d.boolean(a)
		}
		if a := pc.attrs["prefix"]; a != nil {
			p, _ := d.integer(a, 1)
			part.Prefix = int(p)
		}
		kd.parts = append(kd.parts, pd)
		kd.idx.Parts = append(kd.idx.Parts, part)
	}
}

// list returns the elements of a list attribute, reporting anything else.
func (d *decoder) list(a *hclsyntax.Attribute) []hclsyntax.Expression {
	t, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		rng := a.Expr.Range()
		if msg := scopeProblem(a.Expr, false); msg != "" {
			d.errorf(&rng, "Unsupported construct", "%s", msg)
			return nil
		}
		hint := ""
		if _, isRef := a.Expr.(*hclsyntax.ScopeTraversalExpr); isRef {
			hint = "; put it in brackets: [" + exprText(a.Expr) + "]"
		}
		d.errorf(&rng, "Invalid value", "%s must be a list of column references such as [column.id], got %s%s", a.Name, kindOf(a.Expr), hint)
		return nil
	}
	if len(t.Exprs) == 0 {
		rng := a.Expr.Range()
		d.errorf(&rng, "Invalid value", "%s must list at least one column", a.Name)
	}
	return t.Exprs
}

func (d *decoder) fkBlock(td *tableDecl, b *hclsyntax.Block) {
	if !d.labels(b, 1, 1) {
		return
	}
	fk := &schema.ForeignKey{Name: label(b, 0), Pos: modelRange(b.DefRange())}
	fd := &fkDecl{fk: fk, nameRange: b.LabelRanges[0], defRange: b.DefRange()}
	where := fmt.Sprintf("foreign key %q", fk.Name)
	c := d.content(b.Body, fkSpec, where)
	fd.attrs = keepAttrs(c.attrs)
	for _, name := range []string{"columns", "ref_columns"} {
		a := c.attrs[name]
		if a == nil {
			d.errorf(&fd.defRange, "Missing required attribute", "%s has no %s", where, name)
			continue
		}
		if name == "columns" {
			fd.cols = d.list(a)
		} else {
			fd.refs = d.list(a)
		}
	}
	for _, name := range []string{"on_update", "on_delete"} {
		a := c.attrs[name]
		if a == nil {
			continue
		}
		kw, ok := d.keyword(a, referenceActions)
		if !ok {
			continue
		}
		act := schema.ReferenceAction(strings.ReplaceAll(kw, "_", " "))
		if name == "on_update" {
			fk.OnUpdate = act
		} else {
			fk.OnDelete = act
		}
	}
	if a := c.attrs["deferred"]; a != nil {
		fk.Deferred, _ = d.boolean(a)
	}
	td.fks = append(td.fks, fd)
	td.t.ForeignKeys = append(td.t.ForeignKeys, fk)
}

func (d *decoder) checkBlock(td *tableDecl, b *hclsyntax.Block) {
	if !d.labels(b, 0, 1) {
		return
	}
	ck := &schema.Check{Enforced: true, Pos: modelRange(b.DefRange())}
	nameRange := b.TypeRange
	where := fmt.Sprintf("check of table %q", td.t.Name)
	if len(b.Labels) == 1 {
		ck.Name, nameRange = label(b, 0), b.LabelRanges[0]
		where = fmt.Sprintf("check %q", ck.Name)
	}
	c := d.content(b.Body, checkSpec, where)
	if a := c.attrs["expr"]; a != nil {
		ck.Expr, _ = d.nonEmpty(a)
	} else {
		rng := b.DefRange()
		d.errorf(&rng, "Missing required attribute", "%s has no expr", where)
	}
	if a := c.attrs["enforced"]; a != nil {
		if v, ok := d.boolean(a); ok {
			ck.Enforced = v
		}
	}
	td.checks = append(td.checks, &checkDecl{c: ck, nameRange: nameRange})
	td.t.Checks = append(td.t.Checks, ck)
}

// exprText is the source text of a traversal, for hints.
func exprText(e hclsyntax.Expression) string {
	st, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return "…"
	}
	var b strings.Builder
	for _, step := range st.Traversal {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type().FriendlyName() == "string" && s.Key.IsKnown() && !s.Key.IsNull() {
				fmt.Fprintf(&b, "[%q]", s.Key.AsString())
			} else {
				b.WriteString("[…]")
			}
		}
	}
	return b.String()
}
