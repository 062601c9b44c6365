package schemahcl

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
)

func (d *decoder) topLevel(body *hclsyntax.Body) {
	c := d.content(body, topSpec, "the top level")
	for _, b := range c.blocks {
		switch {
		case b.Type == "locals":
			d.localsBlock(b)
		case b.Type == "variable":
			d.variableBlock(b)
		case refersToValues(b.Body):
			d.deferred = append(d.deferred, b)
		default:
			d.decodeBlock(b)
		}
	}
}

func (d *decoder) decodeBlock(b *hclsyntax.Block) {
	switch b.Type {
	case "schema":
		d.schemaBlock(b)
	case "table":
		d.tableBlock(b)
	}
}

func (d *decoder) schemaBlock(b *hclsyntax.Block) {
	if !d.labels(b, 1, 1) {
		return
	}
	name, labelRange := label(b, 0), b.LabelRanges[0]
	s := &schema.Schema{Name: name, Pos: modelRange(b.DefRange())}
	c := d.content(b.Body, schemaSpec, fmt.Sprintf("schema %q", name))
	if a := c.attrs["charset"]; a != nil {
		s.Charset, _ = d.nonEmpty(a)
	}
	if a := c.attrs["collate"]; a != nil {
		s.Collate, _ = d.nonEmpty(a)
	}
	if a := c.attrs["comment"]; a != nil {
		if v, ok := d.str(a); ok && !d.ignored("schema", a) {
			s.Comment = v
		}
	}
	if len(d.schemas) > 0 {
		first := d.schemas[0]
		if first.s.Name == name {
			d.errorf(&labelRange, "Duplicate schema", "duplicate schema %q (first defined at %s)", name, at(first.labelRange))
		} else {
			d.errorf(&labelRange, "Several schemas", "a document declares exactly one schema; schema %q is already declared at %s", first.s.Name, at(first.labelRange))
			d.otherSchemas = append(d.otherSchemas, name)
		}
		return
	}
	if d.opts.Database != "" && name != d.opts.Database {
		d.errorf(&labelRange, "Schema mismatch", "file declares schema %q, URL names database %q", name, d.opts.Database)
	}
	d.schemas = append(d.schemas, &schemaDecl{s: s, labelRange: labelRange})
}

func (d *decoder) tableBlock(b *hclsyntax.Block) {
	if !d.labels(b, 1, 2) {
		return
	}
	n := len(b.Labels)
	td := &tableDecl{
		t:         &schema.Table{Name: label(b, n-1), Pos: modelRange(b.DefRange())},
		nameRange: b.LabelRanges[n-1],
		defRange:  b.DefRange(),
	}
	if n == 2 {
		td.qualifier, td.qualRange = label(b, 0), b.LabelRanges[0]
	}
	t := td.t
	c := d.content(b.Body, tableSpec, fmt.Sprintf("table %q", t.Name))
	td.attrs = keepAttrs(c.attrs)
	d.tableAttrs(td, c)
	for _, blk := range c.blocks {
		switch blk.Type {
		case "column":
			d.columnBlock(td, blk)
		case "primary_key":
			d.pkBlock(td, blk)
		case "index":
			d.indexBlock(td, blk)
		case "foreign_key":
			d.fkBlock(td, blk)
		case "check":
			d.checkBlock(td, blk)
		}
	}
	if len(td.cols) == 0 {
		d.errorf(&td.defRange, "Missing columns", "table %q has no columns", t.Name)
	}
	d.tables = append(d.tables, td)
}

func (d *decoder) tableAttrs(td *tableDecl, c *content) {
	t := td.t
	if a := c.attrs["renamed_from"]; a != nil {
		t.RenamedFrom, _ = d.nonEmpty(a)
	}
	if a := c.attrs["schema"]; a != nil {
		td.schemaExpr = a.Expr
	} else {
		d.errorf(&td.defRange, "Missing required attribute", "table %q has no schema; add schema = schema.%s", t.Name, d.wantSchemaName())
	}
	if a := c.attrs["comment"]; a != nil {
		if s, ok := d.str(a); ok && !d.ignored("table", a) {
			t.Comment = s
		}
	}
	if a := c.attrs["charset"]; a != nil {
		t.Charset, _ = d.nonEmpty(a)
	}
	if a := c.attrs["collate"]; a != nil {
		t.Collate, _ = d.nonEmpty(a)
	}
	if a := c.attrs["engine"]; a != nil {
		t.Engine, _ = d.engine(a)
	}
	if a := c.attrs["auto_increment"]; a != nil {
		t.AutoIncrement, _ = d.integer(a, 1)
	}
	if a := c.attrs["strict"]; a != nil {
		t.Strict, _ = d.boolean(a)
	}
	if a := c.attrs["without_rowid"]; a != nil {
		t.WithoutRowID, _ = d.boolean(a)
	}
}

// ignored reports whether the dialect takes the attribute a of a kind
// block to no effect, and warns that it does.
func (d *decoder) ignored(kind string, a *hclsyntax.Attribute) bool {
	if !d.ignores(kind + "." + a.Name) {
		return false
	}
	d.warnf(&a.NameRange, "Ignored attribute", "%s has no effect on %s", a.Name, d.lang.Engine)
	return true
}

// engine reads a MySQL engine: a known keyword written bare, or any string
// (a warning when the server may not know it).
func (d *decoder) engine(a *hclsyntax.Attribute) (string, bool) {
	rng := a.Expr.Range()
	knownEngines := d.lang.StorageEngines
	if word, ok := keywordLit(a.Expr); ok {
		if contains(knownEngines, word) {
			return word, true
		}
		d.errorf(&rng, "Unknown keyword", "engine must be a string or one of %s, got %s%s", strings.Join(knownEngines, ", "), word, didYouMean(word, knownEngines))
		return "", false
	}
	s, ok := d.nonEmpty(a)
	if !ok {
		return "", false
	}
	for _, k := range knownEngines {
		if strings.EqualFold(k, s) {
			return s, true
		}
	}
	d.warnf(&rng, "Unknown engine", "engine %q is not one of %s; it is passed to the server as written", s, strings.Join(knownEngines, ", "))
	return s, true
}

// columnLaterAttrs are the column attributes that the checks after
// decoding read (checkColumn, the auto_increment and rename checks). A
// column keeps only those, columns being most of a schema.
var columnLaterAttrs = []string{"unsigned", "charset", "collate", "default", "on_update", "auto_increment", "renamed_from"}

func (d *decoder) columnBlock(td *tableDecl, b *hclsyntax.Block) {
	if !d.labels(b, 1, 1) {
		return
	}
	col := &schema.Column{Name: label(b, 0), Pos: modelRange(b.DefRange())}
	cd := &columnDecl{c: col, nameRange: b.LabelRanges[0]}
	where := fmt.Sprintf("column %q.%q", td.t.Name, col.Name)
	c := d.content(b.Body, columnSpec, where)
	cd.attrs = keepAttrs(c.attrs, columnLaterAttrs...)
	if a := c.attrs["renamed_from"]; a != nil {
		col.RenamedFrom, _ = d.nonEmpty(a)
	}
	if a := c.attrs["type"]; a != nil {
		col.Type, cd.typeOK = d.decodeType(a.Expr)
		cd.typeRange = a.Expr.Range()
	} else {
		rng := b.DefRange()
		d.errorf(&rng, "Missing required attribute", "%s has no type", where)
	}
	if a := c.attrs["null"]; a != nil {
		col.Null, _ = d.boolean(a)
	}
	if a := c.attrs["default"]; a != nil {
		col.Default = d.decodeDefault(a)
	}
	if a := c.attrs["auto_increment"]; a != nil {
		col.AutoIncrement, _ = d.boolean(a)
	}
	if a := c.attrs["unsigned"]; a != nil {
		col.Type.Unsigned, _ = d.boolean(a)
	}
	if a := c.attrs["on_update"]; a != nil {
		if raw, isSQL, valid := d.sqlCall(a.Expr, "on_update"); !isSQL {
			rng := a.Expr.Range()
			d.errorf(&rng, "Invalid on_update", "on_update takes sql(\"CURRENT_TIMESTAMP\"), got %s", kindOf(a.Expr))
		} else if valid {
			col.OnUpdate = raw
		}
	}
	if a := c.attrs["charset"]; a != nil {
		col.Charset, _ = d.nonEmpty(a)
	}
	if a := c.attrs["collate"]; a != nil {
		col.Collate, _ = d.nonEmpty(a)
	}
	if a := c.attrs["comment"]; a != nil {
		if s, ok := d.str(a); ok && !d.ignored("column", a) {
			col.Comment = s
		}
	}
	d.generated(cd, c, where)
	td.cols = append(td.cols, cd)
	td.t.Columns = append(td.t.Columns, col)
}

// generated reads the as attribute or block of a column.
func (d *decoder) generated(cd *columnDecl, c *content, where string) {
	if a := c.attrs["as"]; a != nil {
		cd.asRange = a.NameRange
		if expr, ok := d.nonEmpty(a); ok {
			cd.c.Generated = &schema.Generated{Expr: expr}
		}
	}
	for _, b := range c.blocks {
		if cd.asRange.Filename != "" {
			d.errorf(&b.TypeRange, "Invalid generated column", "%s: as may be an attribute or a block, not both, and only once", where)
			continue
		}
		cd.asRange = b.TypeRange
		if !d.labels(b, 0, 0) {
			continue
		}
		ac := d.content(b.Body, asSpec, "the as block of "+where)
		g := &schema.Generated{}
		ok := true
		if a := ac.attrs["expr"]; a != nil {
			g.Expr, ok = d.nonEmpty(a)
		} else {
			rng := b.DefRange()
			d.errorf(&rng, "Missing required attribute", "the as block of %s has no expr", where)
			ok = false
		}
		if a := ac.attrs["type"]; a != nil {
			allowed := append([]string{"VIRTUAL", "STORED"}, d.lang.StoredKeywords...)
			kw, kwOK := d.keyword(a, allowed)
			g.Stored = kw == "STORED" || contains(d.lang.StoredKeywords, kw)
			ok = ok && kwOK
		}
		if ok {
			cd.c.Generated = g
		}
	}
}

// decodeDefault reads a column default: a string, number, bool or sql("…").
func (d *decoder) decodeDefault(a *hclsyntax.Attribute) *schema.Default {
	e := a.Expr
	if raw, isSQL, valid := d.sqlCall(e, "default"); isSQL {
		if !valid {
			return nil
		}
		return &schema.Default{Kind: schema.DefaultRaw, Value: raw}
	}
	if s, ok := stringLit(e); ok {
		return &schema.Default{Kind: schema.DefaultString, Value: s}
	}
	if b, ok := boolLit(e); ok {
		return &schema.Default{Kind: schema.DefaultBool, Value: fmt.Sprint(b)}
	}
	if n, ok := d.numberText(e); ok {
		return &schema.Default{Kind: schema.DefaultNumber, Value: n}
	}
	d.badValue(e, "default", `a string, number, bool or sql("…")`)
	return nil
}
