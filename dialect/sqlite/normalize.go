package sqlite

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Normalize canonicalises a desired realm, decoded from HCL, in place, so that
// it compares equal to what Inspect reads back after the realm is created:
// types through ParseType, defaults by the kind their SQL text has, outer
// parentheses of expressions dropped, NO ACTION written as "", names of
// referenced tables and columns spelled as declared, tables, indexes and
// foreign keys sorted by name, and what SQLite cannot store (comments,
// primary key names) cleared. Inspect's output is already normal, and
// Normalize leaves it unchanged.
func (*Dialect) Normalize(r *schema.Realm) error {
	if r == nil {
		return nil
	}
	for _, s := range r.Schemas {
		if s.Name != "main" {
			return fmt.Errorf("normalize: sqlite has only the schema \"main\", not %q", s.Name)
		}
		for _, t := range s.Tables {
			normalizeTable(t)
		}
		canonicalRefs(s)
		sortTables(s)
	}
	return nil
}

func normalizeTable(t *schema.Table) {
	t.Comment = ""
	for _, c := range t.Columns {
		normalizeColumn(c)
	}
	if pk := t.PrimaryKey; pk != nil {
		pk.Name = ""
		pk.Unique = false
		if len(pk.Parts) == 0 {
			t.PrimaryKey = nil
		}
	}
	if pk := t.PrimaryKey; pk != nil {
		for _, p := range pk.Parts {
			if c, ok := t.Column(p.Column); ok {
				// Only a rowid table's key that is not the rowid alias can
				// hold NULL (SQLite keeps that old bug for compatibility):
				// a rowid alias turns NULL into a new rowid, and STRICT and
				// WITHOUT ROWID tables enforce NOT NULL, which pragma
				// table_info reports. So null = true on such a key is what
				// the engine makes NOT NULL, and plans nothing.
				if t.WithoutRowID || t.Strict || (len(pk.Parts) == 1 && isRowidAlias(c.Type)) {
					c.Null = false
				}
			}
		}
	}
	for _, i := range t.Indexes {
		normalizeIndex(t, i)
	}
	for _, f := range t.ForeignKeys {
		f.OnUpdate = normalizeAction(f.OnUpdate)
		f.OnDelete = normalizeAction(f.OnDelete)
	}
	for _, c := range t.Checks {
		c.Expr = stripParens(c.Expr)
		c.Enforced = true
	}
	slices.SortStableFunc(t.Indexes, func(a, b *schema.Index) int { return compareFold(a.Name, b.Name) })
	slices.SortStableFunc(t.ForeignKeys, func(a, b *schema.ForeignKey) int { return strings.Compare(a.Name, b.Name) })
}

func normalizeColumn(c *schema.Column) {
	c.Type = normalizeType(c.Type)
	c.Comment = ""
	c.Default = normalizeDefault(c.Default, keepsSpelling(typeAffinity(c.Type)))
	c.Collate = normalizeCollate(c.Collate)
	if g := c.Generated; g != nil {
		g.Expr = stripParens(g.Expr)
	}
}

func normalizeType(t schema.Type) schema.Type {
	switch {
	case t.Raw != "":
		return parseType(t.Raw)
	case t.Name == "":
		return schema.Type{Name: "blob"}
	}
	return parseType(t.String())
}

func normalizeIndex(t *schema.Table, i *schema.Index) {
	i.Where = stripParens(i.Where)
	for k, p := range i.Parts {
		if p.Expr == "" {
			continue
		}
		p.Expr = stripParens(p.Expr)
		if name, coll, ok := splitCollateExpr(p.Expr); ok {
			if c, found := t.Column(name); found {
				if sameCollation(coll, c.Collate) {
					p = schema.IndexPart{Column: c.Name, Desc: p.Desc}
				} else {
					p.Expr = collateExpr(c.Name, coll)
				}
			}
		}
		i.Parts[k] = p
	}
}

// splitCollateExpr splits an index part "column COLLATE name".
func splitCollateExpr(expr string) (column, coll string, ok bool) {
	toks := tokenize(expr)
	if len(toks) != 3 || !(toks[0].kind == tokWord || toks[0].kind == tokQuoted) || !toks[1].is("COLLATE") || !toks[2].ident() {
		return "", "", false
	}
	return toks[0].val, toks[2].val, true
}

// collateExpr writes the index part "column COLLATE name" in one way: the
// column quoted, built-in collations bare in upper case.
func collateExpr(column, coll string) string {
	return quoteIdent(column) + " COLLATE " + collationName(coll)
}

// collationName writes a collation name: a built-in one bare in upper case,
// any other quoted.
func collationName(coll string) string {
	switch u := strings.ToUpper(coll); u {
	case "BINARY", "NOCASE", "RTRIM":
		return u
	}
	return quoteIdent(coll)
}

// sameCollation reports whether an index part collation is the one its
// column has (normalised: "" is BINARY).
func sameCollation(part, column string) bool {
	if column == "" {
		column = "BINARY"
	}
	return part == "" || strings.EqualFold(part, column)
}

// normalizeAction spells an action in upper case; NO ACTION, SQLite's
// default, is written as absent.
func normalizeAction(a schema.ReferenceAction) schema.ReferenceAction {
	s := strings.Join(strings.Fields(strings.ToUpper(strings.ReplaceAll(string(a), "_", " "))), " ")
	if s == string(schema.NoAction) {
		return ""
	}
	return schema.ReferenceAction(s)
}

// normalizeCollate spells the built-in collations in upper case and drops
// BINARY, the default.
func normalizeCollate(c string) string {
	switch u := strings.ToUpper(c); u {
	case "BINARY":
		return ""
	case "NOCASE", "RTRIM":
		return u
	}
	return c
}

// normalizeDefault gives a default the kind that its SQL text has, so that a
// default reads back as the same value: 'x' is a string, 4.99 a number,
// true a bool, NULL no default at all, anything else raw SQL without outer
// parentheses. With keep (a column whose affinity keeps what it is given,
// see keepsSpelling) a number keeps its spelling, exponent and hex forms
// included: DEFAULT 1.0 stores '1.0' there and DEFAULT 1 stores '1', so
// writing 1.0 as 1 would change the rows it gives.
func normalizeDefault(d *schema.Default, keep bool) *schema.Default {
	if d == nil {
		return nil
	}
	switch d.Kind {
	case schema.DefaultString:
		return d
	case schema.DefaultNumber:
		if keep && numberLiteral(d.Value) {
			return &schema.Default{Kind: schema.DefaultNumber, Value: strings.TrimSpace(d.Value)}
		}
		if n, ok := canonicalNumber(d.Value); ok {
			return &schema.Default{Kind: schema.DefaultNumber, Value: n}
		}
		return parseDefault(d.Value, keep)
	case schema.DefaultBool:
		if v := strings.ToLower(d.Value); v == "true" || v == "false" {
			return &schema.Default{Kind: schema.DefaultBool, Value: v}
		}
	}
	return parseDefault(d.Value, keep)
}

// keepsSpelling reports whether a column of affinity a stores a numeric
// default other than its value: TEXT converts it to the text SQLite
// prints for it (1.0 gives '1.0', 1 gives '1'), BLOB (no affinity) keeps
// its storage class (1.0 is a REAL, 1 an INTEGER). The numeric affinities
// store the number, so 1.0 and 1 are one default there.
func keepsSpelling(a affinity) bool { return a == affText || a == affBlob }

// numberLiteral reports whether s is one numeric literal, possibly signed:
// 1, -1.0, 1e3, 0x1F.
func numberLiteral(s string) bool {
	s = strings.TrimSpace(s)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = strings.TrimSpace(s[1:])
	}
	toks := tokenize(s)
	return len(toks) == 1 && toks[0].kind == tokNumber && toks[0].pos == 0 && toks[0].end == len(s)
}

// parseDefault classifies the SQL text of a default, as pragma_table_xinfo
// reports it (without the parentheses of DEFAULT (expr)); keep as for
// normalizeDefault.
func parseDefault(sql string, keep bool) *schema.Default {
	sql = stripParens(sql)
	toks := tokenize(sql)
	switch {
	case len(toks) == 0:
		return nil
	case len(toks) == 1 && toks[0].is("NULL"):
		return nil
	case len(toks) == 1 && (toks[0].is("TRUE") || toks[0].is("FALSE")):
		return &schema.Default{Kind: schema.DefaultBool, Value: strings.ToLower(toks[0].val)}
	case len(toks) == 1 && toks[0].kind == tokString && sql[0] == '\'':
		return &schema.Default{Kind: schema.DefaultString, Value: toks[0].val}
	case keep && numberLiteral(sql):
		return &schema.Default{Kind: schema.DefaultNumber, Value: sql}
	}
	if n, ok := canonicalNumber(sql); ok {
		return &schema.Default{Kind: schema.DefaultNumber, Value: n}
	}
	return &schema.Default{Kind: schema.DefaultRaw, Value: sql}
}

// canonicalNumber writes a decimal literal in one way: no plus sign, no
// leading zeros, no trailing fractional zeros ("+01.50" → "1.5", "-0" → "0").
// Hex and exponent forms are not decimal literals here and stay raw.
func canonicalNumber(s string) (string, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = strings.TrimSpace(s[1:])
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return "", false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if hasDot {
		frac = strings.TrimRight(frac, "0")
	}
	n := intPart
	if frac != "" {
		n += "." + frac
	}
	if neg && n != "0" {
		n = "-" + n
	}
	return n, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// canonicalRefs spells referenced tables and columns, and the columns named
// by keys and indexes, the way the tables declare them, as SQLite compares
// these names case-insensitively.
func canonicalRefs(s *schema.Schema) {
	tables := map[string]*schema.Table{}
	for _, t := range s.Tables {
		tables[strings.ToLower(t.Name)] = t
	}
	colName := func(t *schema.Table, name string) string {
		if t != nil {
			if c, ok := t.Column(name); ok {
				return c.Name
			}
		}
		return name
	}
	for _, t := range s.Tables {
		if t.PrimaryKey != nil {
			for k := range t.PrimaryKey.Parts {
				t.PrimaryKey.Parts[k].Column = colName(t, t.PrimaryKey.Parts[k].Column)
			}
		}
		for _, i := range t.Indexes {
			for k := range i.Parts {
				if i.Parts[k].Column != "" {
					i.Parts[k].Column = colName(t, i.Parts[k].Column)
				}
			}
		}
		for _, f := range t.ForeignKeys {
			for k := range f.Columns {
				f.Columns[k] = colName(t, f.Columns[k])
			}
			ref := tables[strings.ToLower(f.RefTable)]
			if ref == nil {
				continue
			}
			f.RefTable = ref.Name
			if len(f.RefColumns) == 0 && ref.PrimaryKey != nil {
				// REFERENCES t without columns means t's primary key.
				f.RefColumns = ref.PrimaryKey.Columns()
			}
			for k := range f.RefColumns {
				f.RefColumns[k] = colName(ref, f.RefColumns[k])
			}
		}
	}
}

func sortTables(s *schema.Schema) {
	slices.SortStableFunc(s.Tables, func(a, b *schema.Table) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(s.Objects, func(a, b *schema.Object) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name))
	})
}

func compareFold(a, b string) int {
	return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
}
