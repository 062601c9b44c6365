package mysql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Render returns the statements that carry out one top-level change,
// without trailing semicolons. Tables are created with their keys, indexes,
// foreign keys and checks inline; a ModifyTable is one ALTER TABLE with
// comma-joined clauses (see modifyTable).
func (d *Dialect) Render(c schema.Change) ([]string, error) {
	switch c := c.(type) {
	case *schema.AddTable:
		s, err := d.createTable(c.T)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	case *schema.DropTable:
		return []string{"DROP TABLE " + quoteIdent(c.T.Name)}, nil
	case *schema.RenameTable:
		return []string{fmt.Sprintf("RENAME TABLE %s TO %s", quoteIdent(c.From), quoteIdent(c.To))}, nil
	case *schema.ModifyTable:
		return d.modifyTable(c)
	case *schema.ModifySchema:
		return d.modifySchema(c), nil
	}
	return nil, fmt.Errorf("unsupported change %T", c)
}

func (d *Dialect) modifySchema(c *schema.ModifySchema) []string {
	var opts []string
	if c.Kind.Is(schema.ChangeCharset) || c.Kind.Is(schema.ChangeCollate) {
		if c.To.Charset != "" {
			opts = append(opts, "CHARACTER SET "+c.To.Charset)
		}
		if c.To.Collate != "" {
			opts = append(opts, "COLLATE "+c.To.Collate)
		}
	}
	if c.Kind.Is(schema.ChangeComment) && d.Flavor.SchemaComment() {
		opts = append(opts, "COMMENT "+quoteString(c.To.Comment))
	}
	if len(opts) == 0 {
		return nil
	}
	return []string{"ALTER DATABASE " + quoteIdent(c.To.Name) + " " + strings.Join(opts, " ")}
}

// createTable renders CREATE TABLE with every key, index, foreign key and
// check inline, and the table options that are set.
func (d *Dialect) createTable(t *schema.Table) (string, error) {
	var lines []string
	inline := d.inlineChecks(t)
	for _, c := range t.Columns {
		def, err := d.columnDef(t, c, false)
		if err != nil {
			return "", fmt.Errorf("table %q: %w", t.Name, err)
		}
		if ck := inline[strings.ToLower(c.Name)]; ck != nil {
			def += " CHECK (" + ck.Expr + ")"
		}
		lines = append(lines, def)
	}
	if t.PrimaryKey != nil {
		def, err := d.keyDef(t, t.PrimaryKey, true)
		if err != nil {
			return "", err
		}
		lines = append(lines, def)
	}
	for _, i := range t.Indexes {
		def, err := d.keyDef(t, i, false)
		if err != nil {
			return "", err
		}
		lines = append(lines, def)
	}
	for _, f := range t.ForeignKeys {
		lines = append(lines, d.foreignKeyDef(f))
	}
	for _, c := range t.Checks {
		if inline[strings.ToLower(c.Name)] != c {
			lines = append(lines, d.checkDef(c))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n  %s\n)", quoteIdent(t.Name), strings.Join(lines, ",\n  "))
	if opts := d.tableOptions(t, t, ^schema.ChangeKind(0)); len(opts) > 0 {
		b.WriteString(" " + strings.Join(opts, " "))
	}
	return b.String(), nil
}

// inlineChecks returns, by column name in lower case, the checks to write
// inside a column definition: on MariaDB a column-level check is named
// after its column, and writing it there makes it read back the same way.
func (d *Dialect) inlineChecks(t *schema.Table) map[string]*schema.Check {
	if !d.Flavor.MariaDB {
		return nil
	}
	m := map[string]*schema.Check{}
	for _, ck := range t.Checks {
		if c, ok := t.Column(ck.Name); ok && c.Name == ck.Name && ck.Enforced {
			m[strings.ToLower(c.Name)] = ck
		}
	}
	return m
}

// tableOptions renders the options of t that kind selects. from is the
// table before the change: an AUTO_INCREMENT of 0 on a new table means none.
func (d *Dialect) tableOptions(from, t *schema.Table, kind schema.ChangeKind) []string {
	var opts []string
	if kind.Is(schema.ChangeEngine) && t.Engine != "" {
		opts = append(opts, "ENGINE="+t.Engine)
	}
	if kind.Is(schema.ChangeAutoIncrement) && t.AutoIncrement > 0 {
		opts = append(opts, "AUTO_INCREMENT="+strconv.FormatInt(t.AutoIncrement, 10))
	}
	if (kind.Is(schema.ChangeCharset) || kind.Is(schema.ChangeCollate)) && t.Charset != "" {
		opts = append(opts, "DEFAULT CHARSET="+t.Charset)
		if t.Collate != "" {
			opts = append(opts, "COLLATE="+t.Collate)
		}
	}
	if kind.Is(schema.ChangeComment) && (t.Comment != "" || from != t) {
		opts = append(opts, "COMMENT="+quoteString(t.Comment))
	}
	return opts
}

// columnDef renders a column definition. With explicit set, a character
// column inheriting its table's charset names it, so that the column keeps
// it whatever the table's default is when the statement runs.
func (d *Dialect) columnDef(t *schema.Table, c *schema.Column, explicit bool) (string, error) {
	if c.Type.Raw == "" && c.Type.Name == "" {
		return "", fmt.Errorf("column %q has no type", c.Name)
	}
	var b strings.Builder
	b.WriteString(quoteIdent(c.Name) + " " + typeSQL(c.Type))
	cs, co := c.Charset, c.Collate
	if explicit && t.Charset != "" {
		if hasCharset(classOf(c.Type)) {
			cs, co = d.columnCharset(c, t.Charset, t.Collate)
		}
	}
	if cs != "" {
		b.WriteString(" CHARACTER SET " + cs)
	}
	if co != "" {
		b.WriteString(" COLLATE " + co)
	}
	if g := c.Generated; g != nil {
		kind := "VIRTUAL"
		if g.Stored {
			kind = "STORED"
		}
		fmt.Fprintf(&b, " GENERATED ALWAYS AS (%s) %s", g.Expr, kind)
		if d.Flavor.GeneratedNull() && !c.Null {
			b.WriteString(" NOT NULL")
		}
	} else {
		if c.Null {
			b.WriteString(" NULL")
		} else {
			b.WriteString(" NOT NULL")
		}
		if c.Default != nil {
			b.WriteString(" DEFAULT " + d.defaultSQL(c.Default, c.Type))
		}
		if c.OnUpdate != "" {
			b.WriteString(" ON UPDATE " + c.OnUpdate)
		}
		if c.AutoIncrement {
			b.WriteString(" AUTO_INCREMENT")
		}
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT " + quoteString(c.Comment))
	}
	return b.String(), nil
}

// keyDef renders a primary key or an index inside CREATE TABLE or ALTER
// TABLE ADD.
func (d *Dialect) keyDef(t *schema.Table, i *schema.Index, primary bool) (string, error) {
	parts, err := d.keyParts(t, i)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	switch {
	case primary:
		b.WriteString("PRIMARY KEY")
	case i.Type == "FULLTEXT" || i.Type == "SPATIAL":
		b.WriteString(i.Type + " KEY " + quoteIdent(i.Name))
	case i.Unique:
		b.WriteString("UNIQUE KEY " + quoteIdent(i.Name))
	default:
		b.WriteString("KEY " + quoteIdent(i.Name))
	}
	b.WriteString(" (" + parts + ")")
	if i.Type == "HASH" || i.Type == "BTREE" {
		b.WriteString(" USING " + i.Type)
	}
	if i.Parser != "" {
		b.WriteString(" WITH PARSER " + quoteIdent(i.Parser))
	}
	if i.Comment != "" {
		b.WriteString(" COMMENT " + quoteString(i.Comment))
	}
	return b.String(), nil
}

func (d *Dialect) keyParts(t *schema.Table, i *schema.Index) (string, error) {
	if len(i.Parts) == 0 {
		return "", fmt.Errorf("table %q: index %q has no parts", t.Name, i.Name)
	}
	parts := make([]string, len(i.Parts))
	for k, p := range i.Parts {
		switch {
		case p.Expr != "":
			if !d.Flavor.ExpressionIndexes() {
				return "", fmt.Errorf("table %q: index %q has an expression part, which %s does not support (MySQL ≥ 8.0.13 does)", t.Name, i.Name, d.Flavor)
			}
			parts[k] = "(" + p.Expr + ")"
		case p.Column != "":
			parts[k] = quoteIdent(p.Column)
			if p.Prefix > 0 {
				parts[k] += "(" + strconv.Itoa(p.Prefix) + ")"
			}
		default:
			return "", fmt.Errorf("table %q: index %q has an empty part", t.Name, i.Name)
		}
		if p.Desc {
			parts[k] += " DESC"
		}
	}
	return strings.Join(parts, ","), nil
}

func (d *Dialect) foreignKeyDef(f *schema.ForeignKey) string {
	var b strings.Builder
	if f.Name != "" {
		b.WriteString("CONSTRAINT " + quoteIdent(f.Name) + " ")
	}
	fmt.Fprintf(&b, "FOREIGN KEY (%s) REFERENCES %s (%s)", identList(f.Columns), quoteIdent(f.RefTable), identList(f.RefColumns))
	if f.OnDelete != "" {
		b.WriteString(" ON DELETE " + string(f.OnDelete))
	}
	if f.OnUpdate != "" {
		b.WriteString(" ON UPDATE " + string(f.OnUpdate))
	}
	return b.String()
}

func (d *Dialect) checkDef(c *schema.Check) string {
	def := "CHECK (" + c.Expr + ")"
	if c.Name != "" {
		def = "CONSTRAINT " + quoteIdent(c.Name) + " " + def
	}
	if !c.Enforced && d.Flavor.CheckNotEnforced() {
		def += " NOT ENFORCED"
	}
	return def
}

func identList(names []string) string {
	quoted := make([]string, len(names))
	for k, n := range names {
		quoted[k] = quoteIdent(n)
	}
	return strings.Join(quoted, ",")
}
