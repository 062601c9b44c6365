package schemahcl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/schemactl/schemactl/schema"
	"github.com/zclconf/go-cty/cty"
)

// Encode writes a realm as canonical HCL that Parse decodes to the same
// model: the schema block, then the tables in model order; in each table
// its attributes, columns, primary key, foreign keys, indexes and checks.
// The output depends only on the model and the dialect.
//
// Values the language cannot spell directly are written in a form that
// decodes to an equivalent model: a type outside the dialect's registry (or
// with arguments the registry rejects) as sql("<type text>"), a numeric
// default that is not an HCL number literal as sql("…"). Encode does not
// validate the model: a realm inspected from a database is written even
// when Parse would report problems in it.
func Encode(r *schema.Realm, d Dialect) ([]byte, error) {
	if d == nil {
		return nil, errors.New("encode: no dialect")
	}
	if r == nil || len(r.Schemas) != 1 || r.Schemas[0] == nil {
		n := 0
		if r != nil {
			n = len(r.Schemas)
		}
		return nil, fmt.Errorf("encode: realm has %d schemas; schemactl writes exactly one", n)
	}
	s := r.Schemas[0]
	e := &encoder{types: newRegistry(d.Language()), engines: d.Language().StorageEngines, schema: s}
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	sb := body.AppendNewBlock("schema", []string{s.Name}).Body()
	e.setString(sb, "charset", s.Charset)
	e.setString(sb, "collate", s.Collate)
	e.setString(sb, "comment", s.Comment)
	for _, t := range s.Tables {
		if t == nil {
			return nil, errors.New("encode: nil table")
		}
		body.AppendNewline()
		if err := e.table(body.AppendNewBlock("table", []string{t.Name}).Body(), t); err != nil {
			return nil, fmt.Errorf("encode table %q: %w", t.Name, err)
		}
	}
	// f.Bytes() is formatted already: formatting the whole document once
	// more took half the time and memory of encoding a large schema.
	return compactEmptyBlocks(f.Bytes()), nil
}

type encoder struct {
	types   *registry
	engines []string // the storage engines written as bare keywords
	schema  *schema.Schema
}

func (e *encoder) setString(b *hclwrite.Body, name, v string) {
	if v != "" {
		b.SetAttributeValue(name, cty.StringVal(v))
	}
}

func (e *encoder) setTrue(b *hclwrite.Body, name string, v bool) {
	if v {
		b.SetAttributeValue(name, cty.True)
	}
}

func (e *encoder) table(b *hclwrite.Body, t *schema.Table) error {
	e.setString(b, "renamed_from", t.RenamedFrom)
	b.SetAttributeRaw("schema", hclwrite.TokensForTraversal(reference("schema", e.schema.Name)))
	e.setString(b, "comment", t.Comment)
	e.setString(b, "charset", t.Charset)
	e.setString(b, "collate", t.Collate)
	if t.Engine != "" {
		if contains(e.engines, t.Engine) {
			b.SetAttributeRaw("engine", hclwrite.TokensForIdentifier(t.Engine))
		} else {
			e.setString(b, "engine", t.Engine)
		}
	}
	if t.AutoIncrement != 0 {
		b.SetAttributeValue("auto_increment", cty.NumberIntVal(t.AutoIncrement))
	}
	e.setTrue(b, "strict", t.Strict)
	e.setTrue(b, "without_rowid", t.WithoutRowID)
	for _, c := range t.Columns {
		if c == nil {
			return errors.New("nil column")
		}
		if err := e.column(b.AppendNewBlock("column", []string{c.Name}).Body(), c); err != nil {
			return fmt.Errorf("column %q: %w", c.Name, err)
		}
	}
	if t.PrimaryKey != nil {
		if err := e.key(b.AppendNewBlock("primary_key", nil).Body(), t.PrimaryKey, true); err != nil {
			return fmt.Errorf("primary key: %w", err)
		}
	}
	for _, fk := range t.ForeignKeys {
		if err := e.foreignKey(b.AppendNewBlock("foreign_key", []string{fk.Name}).Body(), fk); err != nil {
			return fmt.Errorf("foreign key %q: %w", fk.Name, err)
		}
	}
	for _, idx := range t.Indexes {
		if err := e.key(b.AppendNewBlock("index", []string{idx.Name}).Body(), idx, false); err != nil {
			return fmt.Errorf("index %q: %w", idx.Name, err)
		}
	}
	for _, ck := range t.Checks {
		var labels []string
		if ck.Name != "" {
			labels = []string{ck.Name}
		}
		cb := b.AppendNewBlock("check", labels).Body()
		if ck.Expr == "" {
			return fmt.Errorf("check %q has no expression", ck.Name)
		}
		e.setString(cb, "expr", ck.Expr)
		if !ck.Enforced {
			cb.SetAttributeValue("enforced", cty.False)
		}
	}
	return nil
}

func (e *encoder) column(b *hclwrite.Body, c *schema.Column) error {
	e.setString(b, "renamed_from", c.RenamedFrom)
	b.SetAttributeValue("null", cty.BoolVal(c.Null))
	typ, err := e.typeTokens(c.Type)
	if err != nil {
		return err
	}
	b.SetAttributeRaw("type", typ)
	if c.Default != nil {
		def, err := defaultTokens(c.Default)
		if err != nil {
			return err
		}
		b.SetAttributeRaw("default", def)
	}
	e.setTrue(b, "auto_increment", c.AutoIncrement)
	e.setTrue(b, "unsigned", c.Type.Unsigned)
	if c.OnUpdate != "" {
		b.SetAttributeRaw("on_update", sqlTokens(c.OnUpdate))
	}
	e.setString(b, "charset", c.Charset)
	e.setString(b, "collate", c.Collate)
	e.setString(b, "comment", c.Comment)
	if g := c.Generated; g != nil {
		if g.Expr == "" {
			return errors.New("generated column has no expression")
		}
		if !g.Stored {
			e.setString(b, "as", g.Expr)
		} else {
			ab := b.AppendNewBlock("as", nil).Body()
			e.setString(ab, "expr", g.Expr)
			ab.SetAttributeRaw("type", hclwrite.TokensForIdentifier("STORED"))
		}
	}
	return nil
}

// typeTokens writes a type with its HCL spelling when the dialect's
// registry has it and accepts its arguments, else as sql("…").
func (e *encoder) typeTokens(t schema.Type) (hclwrite.Tokens, error) {
	if t.Raw == "" && t.Name == "" {
		return nil, errors.New("column has no type")
	}
	if t.Raw == "" {
		if s, ok := e.types.bySQL[t.Name]; ok && validArgs(s, t) {
			switch {
			case t.Values != nil:
				var args []hclwrite.Tokens
				for _, v := range t.Values {
					args = append(args, hclwrite.TokensForValue(cty.StringVal(v)))
				}
				return hclwrite.TokensForFunctionCall(hclName(s), args...), nil
			case t.Args == nil:
				return hclwrite.TokensForIdentifier(hclName(s)), nil
			default:
				var args []hclwrite.Tokens
				for _, a := range t.Args {
					args = append(args, hclwrite.TokensForValue(cty.NumberIntVal(int64(a))))
				}
				return hclwrite.TokensForFunctionCall(hclName(s), args...), nil
			}
		}
	}
	raw := t.Raw
	if raw == "" {
		plain := t
		plain.Unsigned = false // written as the unsigned attribute
		raw = plain.String()
	}
	if strings.TrimSpace(raw) == "" {
		return nil, fmt.Errorf("blank raw type %q", raw)
	}
	return sqlTokens(raw), nil
}

func sqlTokens(s string) hclwrite.Tokens {
	return hclwrite.TokensForFunctionCall("sql", hclwrite.TokensForValue(cty.StringVal(s)))
}

func defaultTokens(d *schema.Default) (hclwrite.Tokens, error) {
	switch d.Kind {
	case schema.DefaultString:
		return hclwrite.TokensForValue(cty.StringVal(d.Value)), nil
	case schema.DefaultNumber:
		if !numberRe.MatchString(d.Value) {
			// Not an HCL number literal (".5", "+1", "0x1F"): keep the
			// text exactly, as raw SQL.
			return sqlTokens(d.Value), nil
		}
		var toks hclwrite.Tokens
		v := d.Value
		if strings.HasPrefix(v, "-") {
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenMinus, Bytes: []byte("-")})
			v = v[1:]
		}
		return append(toks, &hclwrite.Token{Type: hclsyntax.TokenNumberLit, Bytes: []byte(v)}), nil
	case schema.DefaultBool:
		switch d.Value {
		case "true":
			return hclwrite.TokensForValue(cty.True), nil
		case "false":
			return hclwrite.TokensForValue(cty.False), nil
		}
		return nil, fmt.Errorf("bool default %q is neither true nor false", d.Value)
	case schema.DefaultRaw:
		if strings.TrimSpace(d.Value) == "" {
			return nil, errors.New("blank raw default")
		}
		return sqlTokens(d.Value), nil
	}
	return nil, fmt.Errorf("unknown default kind %d", d.Kind)
}

func (e *encoder) key(b *hclwrite.Body, idx *schema.Index, pk bool) error {
	if len(idx.Parts) == 0 {
		return errors.New("no parts")
	}
	if !pk {
		e.setString(b, "renamed_from", idx.RenamedFrom)
		e.setTrue(b, "unique", idx.Unique)
	}
	if plainParts(idx.Parts) {
		var cols []hclwrite.Tokens
		for _, p := range idx.Parts {
			cols = append(cols, hclwrite.TokensForTraversal(reference("column", p.Column)))
		}
		b.SetAttributeRaw("columns", hclwrite.TokensForTuple(cols))
	}
	if idx.Type != "" {
		if kw := strings.ToUpper(idx.Type); contains([]string{"BTREE", "HASH", "FULLTEXT", "SPATIAL"}, kw) {
			b.SetAttributeRaw("type", hclwrite.TokensForIdentifier(kw))
		} else {
			e.setString(b, "type", idx.Type)
		}
	}
	if idx.Parser == "ngram" || idx.Parser == "mecab" {
		b.SetAttributeRaw("parser", hclwrite.TokensForIdentifier(idx.Parser))
	} else {
		e.setString(b, "parser", idx.Parser)
	}
	e.setString(b, "comment", idx.Comment)
	e.setString(b, "where", idx.Where)
	if !plainParts(idx.Parts) {
		for _, p := range idx.Parts {
			ob := b.AppendNewBlock("on", nil).Body()
			switch {
			case p.Column != "" && p.Expr != "":
				return fmt.Errorf("part has both column %q and expression %q", p.Column, p.Expr)
			case p.Column != "":
				ob.SetAttributeRaw("column", hclwrite.TokensForTraversal(reference("column", p.Column)))
			case p.Expr != "":
				e.setString(ob, "expr", p.Expr)
			default:
				return errors.New("part has neither column nor expression")
			}
			e.setTrue(ob, "desc", p.Desc)
			if p.Prefix != 0 {
				ob.SetAttributeValue("prefix", cty.NumberIntVal(int64(p.Prefix)))
			}
		}
	}
	return nil
}

// plainParts reports whether every part is a plain ascending column.
func plainParts(parts []schema.IndexPart) bool {
	for _, p := range parts {
		if p.Column == "" || p.Expr != "" || p.Desc || p.Prefix != 0 {
			return false
		}
	}
	return true
}

func (e *encoder) foreignKey(b *hclwrite.Body, fk *schema.ForeignKey) error {
	if len(fk.Columns) == 0 || len(fk.RefColumns) == 0 || fk.RefTable == "" {
		return errors.New("incomplete foreign key")
	}
	var cols, refs []hclwrite.Tokens
	for _, c := range fk.Columns {
		cols = append(cols, hclwrite.TokensForTraversal(reference("column", c)))
	}
	for _, c := range fk.RefColumns {
		tr := reference("table", fk.RefTable)
		tr = append(tr, hcl.TraverseAttr{Name: "column"}, reference("column", c)[1])
		refs = append(refs, hclwrite.TokensForTraversal(tr))
	}
	b.SetAttributeRaw("columns", hclwrite.TokensForTuple(cols))
	b.SetAttributeRaw("ref_columns", hclwrite.TokensForTuple(refs))
	for _, a := range []struct {
		name string
		act  schema.ReferenceAction
	}{{"on_update", fk.OnUpdate}, {"on_delete", fk.OnDelete}} {
		if a.act == "" {
			continue
		}
		kw := strings.ReplaceAll(strings.ToUpper(string(a.act)), " ", "_")
		if !contains(referenceActions, kw) {
			return fmt.Errorf("unknown %s action %q", a.name, a.act)
		}
		b.SetAttributeRaw(a.name, hclwrite.TokensForIdentifier(kw))
	}
	if fk.Deferred {
		b.SetAttributeValue("deferred", cty.True)
	}
	return nil
}

// reference builds root.name, or root["name"] when name is not an
// identifier.
func reference(root, name string) hcl.Traversal {
	tr := hcl.Traversal{hcl.TraverseRoot{Name: root}}
	if isIdent(name) {
		return append(tr, hcl.TraverseAttr{Name: name})
	}
	return append(tr, hcl.TraverseIndex{Key: cty.StringVal(name)})
}

// emptyBlock is a block with nothing inside as hclwrite prints it.
var emptyBlock = regexp.MustCompile(`(?m)\{\n[ \t]*\}$`)

// compactEmptyBlocks writes `schema "main" {}` the way people do, instead of
// hclwrite's brace on a line of its own.
func compactEmptyBlocks(src []byte) []byte {
	return emptyBlock.ReplaceAll(src, []byte("{}"))
}
