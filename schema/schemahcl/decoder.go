package schemahcl

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
)

// decoder holds one run of Parse: the declarations read from every file, to
// be resolved and checked once all files are in, and the diagnostics so far.
type decoder struct {
	opts    Options
	lang    *schema.Language
	types   *registry
	src     map[string][]byte // file bytes by name, for literal source text
	diags   hcl.Diagnostics
	schemas []*schemaDecl
	tables  []*tableDecl
	// values are the locals and variables; deferred the blocks that
	// refer to them, decoded once every file is read (see evaluate).
	// otherSchemas are the names of schema blocks after the first, an
	// error reported at each: their tables are left out of finish.
	otherSchemas []string
	values       []*valueDecl
	deferred     []*hclsyntax.Block
	// evaluated are the literals evaluate made, which have no source
	// text of their own.
	evaluated map[hclsyntax.Expression]bool
}

func newDecoder(opts Options) *decoder {
	lang := opts.Dialect.Language()
	return &decoder{opts: opts, lang: lang, types: newRegistry(lang), src: map[string][]byte{},
		evaluated: map[hclsyntax.Expression]bool{}}
}

// schemaDecl is a decoded schema block.
type schemaDecl struct {
	s          *schema.Schema
	labelRange hcl.Range
}

// tableDecl is a decoded table block with what is still to be resolved.
type tableDecl struct {
	t          *schema.Table
	qualifier  string // first label of table "s" "t", else ""
	qualRange  hcl.Range
	nameRange  hcl.Range
	defRange   hcl.Range
	attrs      attrSet
	cols       []*columnDecl
	pk         *keyDecl
	indexes    []*keyDecl
	fks        []*fkDecl
	checks     []*checkDecl
	schemaExpr hclsyntax.Expression // nil when missing or invalid
}

// columnDecl is a decoded column block.
type columnDecl struct {
	c         *schema.Column
	nameRange hcl.Range
	// attrs are only the columnLaterAttrs.
	attrs     attrSet
	typeOK    bool      // the type decoded without errors
	typeRange hcl.Range // the type value
	asRange   hcl.Range // the as attribute or block, when generated
}

// keyDecl is a decoded index or primary_key block.
type keyDecl struct {
	idx       *schema.Index
	what      string    // `index "x"` or `the primary key of table "t"`
	nameRange hcl.Range // label, or block type for an unlabelled primary key
	defRange  hcl.Range
	attrs     attrSet
	parts     []*partDecl
	resolved  bool // every column part was resolved
	unnamed   bool // an index block without a label (see nameIndexes)
}

// partDecl is one key part: an element of columns or an on block.
type partDecl struct {
	ref   hclsyntax.Expression // the column reference; nil for expr parts
	attrs attrSet
	rng   hcl.Range // the reference, or the on block header
}

// fkDecl is a decoded foreign_key block.
type fkDecl struct {
	fk        *schema.ForeignKey
	nameRange hcl.Range
	defRange  hcl.Range
	attrs     attrSet
	cols      []hclsyntax.Expression
	refs      []hclsyntax.Expression
	resolved  bool
}

// attrPos is where an attribute and its value are: all that the checks
// after decoding need of it. Declarations keep these, not the attributes,
// whose syntax trees would otherwise stay alive until the whole document is
// decoded (over 100 MB at 10,000 tables).
type attrPos struct {
	Name      string
	NameRange hcl.Range
	ExprRange hcl.Range
}

// attrSet is the attributes a declaration keeps, few enough to search.
type attrSet []attrPos

// get returns the attribute called name, or nil.
func (s attrSet) get(name string) *attrPos {
	for i := range s {
		if s[i].Name == name {
			return &s[i]
		}
	}
	return nil
}

// keepAttrs keeps the positions of attrs, only of those called names when
// names are given.
func keepAttrs(attrs map[string]*hclsyntax.Attribute, names ...string) attrSet {
	var s attrSet
	keep := func(a *hclsyntax.Attribute) {
		s = append(s, attrPos{Name: a.Name, NameRange: a.NameRange, ExprRange: a.Expr.Range()})
	}
	if len(names) == 0 {
		for _, a := range attrs {
			keep(a)
		}
		return s
	}
	for _, name := range names {
		if a := attrs[name]; a != nil {
			keep(a)
		}
	}
	return s
}

// checkDecl is a decoded check block.
type checkDecl struct {
	c         *schema.Check
	nameRange hcl.Range
}

// has reports whether the dialect has the engine-specific attribute or
// block key ("table.engine"); ignores, whether it accepts it to no effect.
func (d *decoder) has(key string) bool     { return slices.Contains(d.lang.Attrs, key) }
func (d *decoder) ignores(key string) bool { return slices.Contains(d.lang.Ignored, key) }

func (d *decoder) errorf(subject *hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  copyRange(subject),
	})
}

func (d *decoder) warnf(subject *hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  copyRange(subject),
	})
}

func copyRange(r *hcl.Range) *hcl.Range {
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

// at formats a position for "first defined at" details.
func at(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// finish resolves references across all files, runs the checks that need
// the whole document and builds the realm.
func (d *decoder) finish(firstFile string) *schema.Realm {
	if len(d.schemas) == 0 {
		rng := hcl.Range{Filename: firstFile, Start: hcl.InitialPos, End: hcl.InitialPos}
		d.errorf(&rng, "Missing schema block", "the document declares no schema block; add schema %q {} and schema = schema.%s to each table", d.wantSchemaName(), d.wantSchemaName())
		return nil
	}
	sd := d.schemas[0]
	d.tables = slices.DeleteFunc(d.tables, d.inOtherSchema)
	for _, td := range d.tables {
		d.resolveTable(sd, td)
	}
	d.nameIndexes()
	for _, td := range d.tables {
		d.checkTable(td)
	}
	d.checkDocument(sd)
	for _, td := range d.tables {
		sd.s.Tables = append(sd.s.Tables, td.t)
	}
	d.validate(sd)
	return &schema.Realm{Schemas: []*schema.Schema{sd.s}}
}

func (d *decoder) wantSchemaName() string {
	if d.opts.Database != "" {
		return d.opts.Database
	}
	return d.lang.SchemaName
}

// modelRange converts an hcl.Range to the model's own range type.
func modelRange(r hcl.Range) schema.Range {
	return schema.Range{
		Filename: r.Filename,
		Start:    schema.Position{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      schema.Position{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// inOtherSchema reports whether td belongs to a schema block after the
// first, by its label or its schema attribute: the second block is the
// error, and its tables would only add "not declared" ones.
func (d *decoder) inOtherSchema(td *tableDecl) bool {
	if slices.Contains(d.otherSchemas, td.qualifier) {
		return true
	}
	st, ok := td.schemaExpr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) != 2 || st.Traversal.RootName() != "schema" {
		return false
	}
	name, ok := st.Traversal[1].(hcl.TraverseAttr)
	return ok && slices.Contains(d.otherSchemas, name.Name)
}
