package sqlite

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Render returns the statements that carry out one top-level change
// (AddTable, DropTable, RenameTable, ModifyTable; ModifySchema is a no-op),
// without trailing semicolons. AddTable also creates the table's indexes and
// re-creates its Triggers (statements that contain semicolons of their own).
//
// A ModifyTable is altered in place when SQLite can: column and index
// renames, index additions and drops, adding a column without a key, a
// unique constraint, a foreign key, STORED generation or an expression
// default, and dropping a column nothing else refers to. Anything else
// rebuilds the table: _schemactl_tmp_<table> is created, the rows copied, the old table
// dropped and the new one renamed (with legacy_alter_table on, so that views
// reading the table do not break the rename), then indexes and To.Triggers
// are created again. The rebuild relies on BeginMigration having turned
// foreign key enforcement off.
func (d *Dialect) Render(c schema.Change) ([]string, error) {
	switch c := c.(type) {
	case *schema.AddTable:
		return d.addTable(c.T)
	case *schema.DropTable:
		return []string{"DROP TABLE " + d.QuoteIdent(c.T.Name)}, nil
	case *schema.RenameTable:
		// SQLite ≥ 3.26 also rewrites the references in foreign keys, views
		// and triggers.
		if FoldName(c.From) == FoldName(c.To) {
			// SQLite refuses a rename to a name that differs only in
			// case ("there is already another table or index with this
			// name"), so it goes through a temporary name.
			tmp := rebuildPrefix + c.To
			return []string{
				fmt.Sprintf("ALTER TABLE %s RENAME TO %s", d.QuoteIdent(c.From), d.QuoteIdent(tmp)),
				fmt.Sprintf("ALTER TABLE %s RENAME TO %s", d.QuoteIdent(tmp), d.QuoteIdent(c.To)),
			}, nil
		}
		return []string{fmt.Sprintf("ALTER TABLE %s RENAME TO %s", d.QuoteIdent(c.From), d.QuoteIdent(c.To))}, nil
	case *schema.ModifyTable:
		return d.modifyTable(c)
	case *schema.ModifySchema:
		// SQLite has no schema options: nothing to change.
		return nil, nil
	}
	return nil, fmt.Errorf("unsupported change %T", c)
}

// addTable creates the table, then its indexes and triggers.
func (d *Dialect) addTable(t *schema.Table) ([]string, error) {
	create, err := d.createTable(t, t.Name)
	if err != nil {
		return nil, err
	}
	stmts := []string{create}
	idx, err := d.createIndexes(t, t.Indexes)
	if err != nil {
		return nil, err
	}
	stmts = append(stmts, idx...)
	for _, tr := range t.Triggers {
		stmts = append(stmts, tr.SQL)
	}
	return stmts, nil
}

// createTable renders CREATE TABLE for t under the given name (t.Name, or a
// temporary name during a rebuild). Keys, unique constraints, foreign keys
// and checks are table constraints; foreign keys always carry their name so
// that they read back under it.
func (d *Dialect) createTable(t *schema.Table, name string) (string, error) {
	inlinePK, err := inlinePrimaryKey(t)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, c := range t.Columns {
		def := d.columnDef(c)
		if inlinePK == c {
			def += " PRIMARY KEY AUTOINCREMENT"
		}
		lines = append(lines, def)
	}
	keys, err := d.keyConstraints(t, inlinePK != nil)
	if err != nil {
		return "", err
	}
	lines = append(lines, keys...)
	for _, f := range t.ForeignKeys {
		lines = append(lines, d.foreignKeyDef(f))
	}
	for _, c := range t.Checks {
		def := "CHECK (" + c.Expr + ")"
		if c.Name != "" {
			def = "CONSTRAINT " + d.QuoteIdent(c.Name) + " " + def
		}
		lines = append(lines, def)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n  %s\n)", d.QuoteIdent(name), strings.Join(lines, ",\n  "))
	var opts []string
	if t.WithoutRowID {
		opts = append(opts, "WITHOUT ROWID")
	}
	if t.Strict {
		opts = append(opts, "STRICT")
	}
	if len(opts) > 0 {
		b.WriteString(" " + strings.Join(opts, ", "))
	}
	return b.String(), nil
}

// inlinePrimaryKey returns the column that must carry PRIMARY KEY
// AUTOINCREMENT in its definition, the only place SQLite accepts it.
func inlinePrimaryKey(t *schema.Table) (*schema.Column, error) {
	var auto *schema.Column
	for _, c := range t.Columns {
		if !c.AutoIncrement {
			continue
		}
		pk := t.PrimaryKey
		if pk == nil || len(pk.Parts) != 1 || !strings.EqualFold(pk.Parts[0].Column, c.Name) || t.WithoutRowID {
			return nil, fmt.Errorf("table %q: auto_increment on column %q needs it to be the only primary key column of a rowid table", t.Name, c.Name)
		}
		auto = c
	}
	return auto, nil
}

func (d *Dialect) columnDef(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(d.QuoteIdent(c.Name))
	b.WriteString(" " + declared(c.Type))
	if c.Null {
		b.WriteString(" NULL")
	} else {
		b.WriteString(" NOT NULL")
	}
	if c.Default != nil && c.Generated == nil {
		b.WriteString(" DEFAULT " + defaultSQL(c.Default))
	}
	if c.Collate != "" {
		b.WriteString(" COLLATE " + collationName(c.Collate))
	}
	if g := c.Generated; g != nil {
		kind := "VIRTUAL"
		if g.Stored {
			kind = "STORED"
		}
		fmt.Fprintf(&b, " GENERATED ALWAYS AS (%s) %s", g.Expr, kind)
	}
	return b.String()
}

// defaultSQL writes a default value; raw SQL goes in parentheses, which
// SQLite requires for expressions.
func defaultSQL(d *schema.Default) string {
	switch d.Kind {
	case schema.DefaultString:
		return schema.QuoteString(d.Value)
	case schema.DefaultNumber, schema.DefaultBool:
		return d.Value
	}
	return "(" + stripParens(d.Value) + ")"
}

// keyConstraints renders the primary key and the UNIQUE constraints (indexes
// named sqlite_autoindex_<table>_<n>). SQLite numbers the automatic indexes of
// a table in declaration order, so the constraints are written in the order
// of those numbers, with the primary key, when it needs an index of its own,
// in the first free place: the table then reads back with the same names.
func (d *Dialect) keyConstraints(t *schema.Table, pkInline bool) ([]string, error) {
	type keyed struct {
		n   int
		def string
	}
	var keys []keyed
	used := map[int]bool{}
	for _, i := range t.Indexes {
		n, ok := autoindexNumber(i.Name)
		if !ok {
			continue
		}
		if !i.Unique || i.Where != "" {
			return nil, fmt.Errorf("table %q: index %q has a name reserved for UNIQUE constraints, but is not a plain unique index", t.Name, i.Name)
		}
		parts, err := d.constraintParts(t, i)
		if err != nil {
			return nil, err
		}
		keys = append(keys, keyed{n, "UNIQUE (" + parts + ")"})
		used[n] = true
	}
	if pk := t.PrimaryKey; pk != nil && !pkInline {
		parts, err := d.constraintParts(t, pk)
		if err != nil {
			return nil, err
		}
		n := 0
		if needsPKIndex(t) {
			for n = 1; used[n]; n++ {
			}
		}
		keys = append(keys, keyed{n, "PRIMARY KEY (" + parts + ")"})
	}
	slices.SortStableFunc(keys, func(a, b keyed) int { return cmp.Compare(a.n, b.n) })
	defs := make([]string, len(keys))
	for k, c := range keys {
		defs[k] = c.def
	}
	return defs, nil
}

// needsPKIndex reports whether SQLite builds an automatic index for t's
// primary key: always, unless the key is a single INTEGER column of a rowid
// table (an alias of the rowid).
func needsPKIndex(t *schema.Table) bool {
	pk := t.PrimaryKey
	if t.WithoutRowID || len(pk.Parts) != 1 {
		return true
	}
	c, ok := t.Column(pk.Parts[0].Column)
	return !ok || !isRowidAlias(c.Type)
}

// autoindexNumber returns n for the name sqlite_autoindex_<table>_<n>.
func autoindexNumber(name string) (int, bool) {
	if !isAutoindex(name) {
		return 0, false
	}
	n, err := strconv.Atoi(name[strings.LastIndexByte(name, '_')+1:])
	return n, err == nil
}

func isAutoindex(name string) bool {
	return len(name) > 17 && strings.EqualFold(name[:17], "sqlite_autoindex_")
}

func (d *Dialect) constraintParts(t *schema.Table, i *schema.Index) (string, error) {
	parts := make([]string, len(i.Parts))
	for k, p := range i.Parts {
		switch _, _, collate := splitCollateExpr(p.Expr); {
		case p.Expr != "" && collate:
			parts[k] = p.Expr
		case p.Expr != "" || p.Column == "":
			return "", fmt.Errorf("table %q: a key or UNIQUE constraint can only have column parts", t.Name)
		default:
			parts[k] = d.QuoteIdent(p.Column)
		}
		if p.Desc {
			parts[k] += " DESC"
		}
	}
	return strings.Join(parts, ", "), nil
}

func (d *Dialect) foreignKeyDef(f *schema.ForeignKey) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s", d.QuoteIdent(f.Name), d.identList(f.Columns), d.QuoteIdent(f.RefTable))
	if len(f.RefColumns) > 0 {
		b.WriteString(" (" + d.identList(f.RefColumns) + ")")
	}
	if a := normalizeAction(f.OnUpdate); a != "" {
		b.WriteString(" ON UPDATE " + string(a))
	}
	if a := normalizeAction(f.OnDelete); a != "" {
		b.WriteString(" ON DELETE " + string(a))
	}
	if f.Deferred {
		b.WriteString(" DEFERRABLE INITIALLY DEFERRED")
	}
	return b.String()
}

func (d *Dialect) identList(names []string) string {
	quoted := make([]string, len(names))
	for k, n := range names {
		quoted[k] = d.QuoteIdent(n)
	}
	return strings.Join(quoted, ", ")
}

// createIndexes renders CREATE INDEX for the indexes that are not UNIQUE
// constraints of the table.
func (d *Dialect) createIndexes(t *schema.Table, indexes []*schema.Index) ([]string, error) {
	var stmts []string
	for _, i := range indexes {
		if isAutoindex(i.Name) {
			continue
		}
		s, err := d.createIndex(t.Name, i)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s)
	}
	return stmts, nil
}

func (d *Dialect) createIndex(table string, i *schema.Index) (string, error) {
	if len(i.Parts) == 0 {
		return "", fmt.Errorf("index %q on table %q has no parts", i.Name, table)
	}
	parts := make([]string, len(i.Parts))
	for k, p := range i.Parts {
		if p.Expr != "" {
			parts[k] = "(" + p.Expr + ")"
		} else {
			parts[k] = d.QuoteIdent(p.Column)
		}
		if p.Desc {
			parts[k] += " DESC"
		}
	}
	var b strings.Builder
	b.WriteString("CREATE ")
	if i.Unique {
		b.WriteString("UNIQUE ")
	}
	fmt.Fprintf(&b, "INDEX %s ON %s (%s)", d.QuoteIdent(i.Name), d.QuoteIdent(table), strings.Join(parts, ", "))
	if i.Where != "" {
		b.WriteString(" WHERE " + i.Where)
	}
	return b.String(), nil
}
