package mysql

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Normalize canonicalises a realm in place so that a desired realm decoded
// from HCL compares equal to what Inspect reads back once it is created.
// Inspect ends with the same normalisation, so its output is already normal
// and Normalize leaves it unchanged. What it does:
//
//   - types in one spelling with implied sizes (see parseType), text(n) and
//     blob(n) resolved for the column's character set;
//   - character sets and collations completed (a charset gets its default
//     collation, a collation its charset, utf8 is utf8mb3); a column's are
//     written relative to its table: "" when inherited, the collation alone
//     when only it differs, the charset alone when the collation is the
//     charset's default;
//   - defaults by column type (see canonicalDefault), CURRENT_TIMESTAMP and
//     ON UPDATE in one spelling, expressions canonical (see canonicalExpr);
//   - the index MySQL creates for a foreign key without one, named after
//     the foreign key, added (the implicit index is not a difference);
//   - primary key columns NOT NULL, generated columns nullable on MariaDB,
//     names of keys' columns spelled as declared, the default foreign key
//     action written as "", BTREE written as "";
//   - tables and objects sorted by name, foreign keys by name.
//
// A desired table without charset leaves it to the server: its columns are
// then read relative to the schema's charset, or the database default the
// Flavor holds.
func (d *Dialect) Normalize(r *schema.Realm) error {
	if r == nil {
		return nil
	}
	for _, s := range r.Schemas {
		if err := d.normalizeSchema(s); err != nil {
			return err
		}
	}
	return nil
}

func (d *Dialect) normalizeSchema(s *schema.Schema) error {
	if err := d.checkCollations(s); err != nil {
		return err
	}
	s.Charset, s.Collate = d.completeCharset(s.Charset, s.Collate)
	if s.Comment != "" && !d.Flavor.SchemaComment() {
		return fmt.Errorf("normalize: schema %q has a comment, which %s cannot store (MariaDB ≥ 10.5 can)", s.Name, d.Flavor)
	}
	if d.Flavor.LowerCaseTableNames == 1 {
		for _, t := range s.Tables {
			t.Name = strings.ToLower(t.Name)
			for _, f := range t.ForeignKeys {
				f.RefTable = strings.ToLower(f.RefTable)
			}
		}
	}
	for _, t := range s.Tables {
		if err := d.normalizeTable(s, t); err != nil {
			return fmt.Errorf("normalize: table %q: %w", t.Name, err)
		}
	}
	canonicalRefs(s)
	for _, t := range s.Tables {
		d.implicitIndexes(t)
	}
	slices.SortStableFunc(s.Tables, func(a, b *schema.Table) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(s.Objects, func(a, b *schema.Object) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name))
	})
	return nil
}

// completeCharset canonicalises a charset and collation pair and fills in
// the one that is missing.
func (d *Dialect) completeCharset(cs, co string) (string, string) {
	cs, co = canonicalCharset(cs), d.Flavor.collationAlias(canonicalCollation(co))
	switch {
	case cs == "" && co != "":
		cs = charsetOf(co)
	case cs != "" && co == "":
		co = d.Flavor.DefaultCollation(cs)
	}
	return cs, co
}

// tableCharset returns the charset and collation a table's columns inherit.
func (d *Dialect) tableCharset(s *schema.Schema, t *schema.Table) (string, string) {
	switch {
	case t.Charset != "":
		return t.Charset, t.Collate
	case s != nil && s.Charset != "":
		return s.Charset, s.Collate
	}
	return d.Flavor.Charset, d.Flavor.Collate
}

func (d *Dialect) normalizeTable(s *schema.Schema, t *schema.Table) error {
	t.Charset, t.Collate = d.completeCharset(t.Charset, t.Collate)
	t.Engine = canonicalEngine(t.Engine)
	if t.AutoIncrement <= 1 || !slices.ContainsFunc(t.Columns, func(c *schema.Column) bool { return c.AutoIncrement }) {
		// 1 is where every counter starts: the same as not saying; and a
		// table without an AUTO_INCREMENT column has no counter.
		t.AutoIncrement = 0
	}
	cols := tableColumns(t)
	tcs, tco := d.tableCharset(s, t)
	if d.Flavor.ImplicitTimestampDefaults {
		implicitTimestampDefaults(t)
	}
	for _, c := range t.Columns {
		if err := d.normalizeColumn(c, tcs, tco, cols); err != nil {
			return fmt.Errorf("column %q: %w", c.Name, err)
		}
	}
	if pk := t.PrimaryKey; pk != nil {
		if len(pk.Parts) == 0 {
			t.PrimaryKey = nil
		} else {
			pk.Name, pk.Unique = "", false
			d.normalizeIndex(t, pk, cols)
			for _, p := range pk.Parts {
				if c, ok := t.Column(p.Column); ok {
					c.Null = false
				}
			}
		}
	}
	for _, i := range t.Indexes {
		d.normalizeIndex(t, i, cols)
	}
	for _, f := range t.ForeignKeys {
		f.OnUpdate = d.normalizeAction(f.OnUpdate)
		f.OnDelete = d.normalizeAction(f.OnDelete)
	}
	for _, c := range t.Checks {
		c.Expr = canonicalExpr(c.Expr, cols)
		if !d.Flavor.CheckNotEnforced() {
			c.Enforced = true
		}
	}
	slices.SortStableFunc(t.ForeignKeys, func(a, b *schema.ForeignKey) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

// tableColumns resolves column names case-insensitively to their declared
// spelling.
func tableColumns(t *schema.Table) columnResolver {
	return func(name string) (string, bool) {
		if c, ok := t.Column(name); ok {
			return c.Name, true
		}
		return "", false
	}
}

func (d *Dialect) normalizeColumn(c *schema.Column, tcs, tco string, cols columnResolver) error {
	if c.Type.Raw == "" && c.Type.Name == "" {
		return fmt.Errorf("no type")
	}
	p := parseType(typeSQL(c.Type))
	c.Type = p.t
	if c.Charset == "" && c.Collate == "" {
		c.Charset, c.Collate = p.charset, p.collate
	}
	cs, co := d.completeCharset(c.Charset, c.Collate)
	if cs == "" {
		cs, co = tcs, tco
	}
	if p.binary {
		co = cs + "_bin"
	}
	c.Type = resolveText(c.Type, d.Flavor.MaxLen(cs))
	if hasCharset(classOf(c.Type)) {
		c.Charset, c.Collate = d.relativeCharset(cs, co, tcs, tco)
	} else {
		c.Charset, c.Collate = "", ""
	}
	c.OnUpdate = canonicalOnUpdate(c.OnUpdate)
	if g := c.Generated; g != nil {
		g.Expr = canonicalExpr(g.Expr, cols)
		c.Default = nil
		if !d.Flavor.GeneratedNull() {
			c.Null = true
		}
	}
	if c.AutoIncrement {
		c.Default = nil
	}
	c.Default = canonicalDefault(c.Default, c.Type, cols)
	return nil
}

// implicitTimestampDefaults gives timestamp columns the defaults a server
// with explicit_defaults_for_timestamp off gives them (see Flavor).
func implicitTimestampDefaults(t *schema.Table) {
	first := true
	for _, c := range t.Columns {
		p := parseType(typeSQL(c.Type)).t
		if p.Name != "timestamp" || c.Generated != nil {
			continue
		}
		if !c.Null && c.Default == nil {
			fsp := ""
			if len(p.Args) == 1 && p.Args[0] > 0 {
				fsp = "(" + strconv.Itoa(p.Args[0]) + ")"
			}
			switch {
			case first && c.OnUpdate == "":
				c.Default = &schema.Default{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP" + fsp}
				c.OnUpdate = "CURRENT_TIMESTAMP" + fsp
			default:
				zero := "0000-00-00 00:00:00"
				if len(p.Args) == 1 && p.Args[0] > 0 {
					zero += "." + strings.Repeat("0", p.Args[0])
				}
				c.Default = &schema.Default{Kind: schema.DefaultString, Value: zero}
			}
		}
		first = false
	}
}

// relativeCharset writes a column's charset and collation relative to its
// table's: "" for what is inherited.
func (d *Dialect) relativeCharset(cs, co, tcs, tco string) (string, string) {
	switch {
	case cs == tcs && co == tco:
		return "", ""
	case cs == tcs:
		return "", co
	case co == d.Flavor.DefaultCollation(cs):
		return cs, ""
	}
	return cs, co
}

// columnCharset returns a column's effective charset and collation in a
// table whose are tcs and tco.
func (d *Dialect) columnCharset(c *schema.Column, tcs, tco string) (string, string) {
	switch {
	case c.Charset == "" && c.Collate == "":
		return tcs, tco
	case c.Charset == "":
		return charsetOf(c.Collate), c.Collate
	case c.Collate == "":
		return c.Charset, d.Flavor.DefaultCollation(c.Charset)
	}
	return c.Charset, c.Collate
}

func (d *Dialect) normalizeIndex(t *schema.Table, i *schema.Index, cols columnResolver) {
	// An index type is written when it is not the engine's default: MEMORY
	// builds HASH indexes unless told BTREE, the other engines build BTREE
	// whatever they are told (InnoDB accepts USING HASH and ignores it).
	i.Type = strings.ToUpper(strings.TrimSpace(i.Type))
	switch {
	case t.Engine == "MEMORY" && i.Type == "":
		i.Type = "HASH"
	case t.Engine == "MEMORY":
	case i.Type == "BTREE" || i.Type == "HASH":
		i.Type = ""
	}
	i.Parser = strings.ToLower(strings.Trim(strings.TrimSpace(i.Parser), "`"))
	special := i.Type == "FULLTEXT" || i.Type == "SPATIAL"
	if special {
		i.Unique = false
	}
	for k := range i.Parts {
		p := &i.Parts[k]
		if p.Expr != "" {
			p.Expr = canonicalExpr(p.Expr, cols)
		}
		if special || !d.Flavor.DescendingIndexes() {
			p.Desc = false
		}
		if special {
			p.Prefix = 0
		}
		if c, ok := t.Column(p.Column); ok && p.Prefix > 0 && classOf(c.Type) == schema.ClassChar && len(c.Type.Args) == 1 && p.Prefix >= c.Type.Args[0] {
			// A prefix as long as the column is the whole column.
			p.Prefix = 0
		}
	}
}

// normalizeAction spells a foreign key action in upper case with spaces.
// NO ACTION and RESTRICT are "", the action of a key that names none: InnoDB
// treats the three alike (a change to a referenced row is refused at once),
// and the HCL language makes them equal on MySQL (§9.4), so a key written
// one way and read back another plans nothing. SHOW CREATE TABLE may still
// spell out the one it was created with.
func (d *Dialect) normalizeAction(a schema.ReferenceAction) schema.ReferenceAction {
	s := strings.Join(strings.Fields(strings.ToUpper(strings.ReplaceAll(string(a), "_", " "))), " ")
	switch schema.ReferenceAction(s) {
	case schema.NoAction, schema.Restrict:
		return ""
	}
	return schema.ReferenceAction(s)
}

// canonicalEngine spells the common engines as the server reports them.
func canonicalEngine(e string) string {
	switch strings.ToLower(strings.TrimSpace(e)) {
	case "innodb":
		return "InnoDB"
	case "myisam":
		return "MyISAM"
	case "memory", "heap":
		return "MEMORY"
	case "csv":
		return "CSV"
	case "aria":
		return "Aria"
	case "archive":
		return "ARCHIVE"
	case "blackhole":
		return "BLACKHOLE"
	case "ndb", "ndbcluster":
		return "ndbcluster"
	}
	return strings.TrimSpace(e)
}

// canonicalRefs spells the columns of keys, indexes and foreign keys the way
// their tables declare them, and fills in omitted referenced columns.
func canonicalRefs(s *schema.Schema) {
	tables := map[string]*schema.Table{}
	for _, t := range s.Tables {
		tables[t.Name] = t
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
				if t.PrimaryKey.Parts[k].Column != "" {
					t.PrimaryKey.Parts[k].Column = colName(t, t.PrimaryKey.Parts[k].Column)
				}
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
			ref := tables[f.RefTable]
			if ref == nil {
				continue
			}
			if len(f.RefColumns) == 0 && ref.PrimaryKey != nil {
				f.RefColumns = ref.PrimaryKey.Columns()
			}
			for k := range f.RefColumns {
				f.RefColumns[k] = colName(ref, f.RefColumns[k])
			}
		}
	}
}

// implicitIndexes adds the index the server creates for a foreign key whose
// columns do not begin any index of the table: named after the foreign key,
// on its columns.
func (d *Dialect) implicitIndexes(t *schema.Table) {
	for _, f := range t.ForeignKeys {
		if leadsIndex(t, f.Columns) {
			continue
		}
		i := &schema.Index{Name: f.Name}
		for _, c := range f.Columns {
			i.Parts = append(i.Parts, schema.IndexPart{Column: c})
		}
		t.Indexes = append(t.Indexes, i)
	}
}

// leadsIndex reports whether cols are the first columns, in order, of the
// primary key or of a B-tree index of t.
func leadsIndex(t *schema.Table, cols []string) bool {
	leads := func(i *schema.Index) bool {
		if i == nil || len(i.Parts) < len(cols) || (i.Type != "" && i.Type != "HASH") {
			return false
		}
		for k, c := range cols {
			p := i.Parts[k]
			if p.Expr != "" || p.Prefix != 0 || !strings.EqualFold(p.Column, c) {
				return false
			}
		}
		return true
	}
	if leads(t.PrimaryKey) {
		return true
	}
	return slices.ContainsFunc(t.Indexes, leads)
}
