package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Querier is satisfied by *sql.DB, *sql.Conn and *sql.Tx. It is an alias
// of an interface literal, which every dialect spells the same way, so
// that one interface declares Inspect for all of them.
type Querier = interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// The catalog is read with one query per object kind for the whole schema:
// sqlite_schema joined with a pragma table function, so that table names
// travel as values and the number of queries does not grow with the number
// of tables. pragma_table_list filters out virtual and shadow tables, whose
// pragmas may need a module that is not loaded; its schema column filters
// out temp tables that shadow main ones. It is read once per query and
// materialised (SQLite indexes it automatically): pragma_table_list(name)
// walks every table of the schema on each call, so joining it row by row
// was quadratic, 20 s per query at 10,000 tables.
const (
	objectsQuery = `WITH l AS MATERIALIZED (SELECT name, type, strict, wr FROM pragma_table_list WHERE schema = 'main')
SELECT m.type, m.name, m.tbl_name, coalesce(m.sql, ''),
	coalesce(l.type, ''), coalesce(l.strict, 0), coalesce(l.wr, 0)
FROM main.sqlite_schema AS m
LEFT JOIN l ON l.name = m.name AND m.type = 'table'`

	tablesList = `WITH l AS MATERIALIZED (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table')
`
	tablesFrom = `FROM main.sqlite_schema AS m
JOIN l ON l.name = m.name`

	tablesWhere = `WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`

	columnsQuery = tablesList + `SELECT m.name, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
` + tablesFrom + `
JOIN pragma_table_xinfo(m.name, 'main') AS c
` + tablesWhere + `
ORDER BY m.name, c.cid`

	indexesQuery = tablesList + `SELECT m.name, il.name, il."unique", il.origin, il.partial, ix.seqno, ix.cid, ix.name, ix."desc", coalesce(ix.coll, '')
` + tablesFrom + `
JOIN pragma_index_list(m.name, 'main') AS il
JOIN pragma_index_xinfo(il.name, 'main') AS ix
` + tablesWhere + ` AND ix.key = 1
ORDER BY m.name, il.name, ix.seqno`

	foreignKeysQuery = tablesList + `SELECT m.name, f.id, f."table", f."from", f."to", f.on_update, f.on_delete
` + tablesFrom + `
JOIN pragma_foreign_key_list(m.name, 'main') AS f
` + tablesWhere + `
ORDER BY m.name, f.id, f.seq`
)

// inspection holds the catalog while it is read.
type inspection struct {
	schema   *schema.Schema
	tables   map[string]*inspected // by exact table name
	indexSQL map[string]string     // CREATE INDEX text by index name
}

type inspected struct {
	t       *schema.Table
	facts   *tableFacts
	pkCols  []pkCol
	pkIndex *schema.Index // the automatic index behind a non-rowid primary key
	fkByID  map[int]*schema.ForeignKey
	fkOrder []int
}

type pkCol struct {
	pos  int
	name string
}

// Inspect reads the main schema: its tables, sorted by name, with columns,
// keys, indexes, foreign keys and checks; views, virtual tables and triggers
// on views as Schema.Objects; triggers on tables as Table.Triggers. Internal
// sqlite_* tables, the shadow tables of virtual tables and temp objects are
// left out. It runs four queries whatever the number of tables; pass a
// *sql.Tx for one consistent snapshot.
//
// What SQLite leaves unnamed is read as follows. A foreign key without a
// CONSTRAINT name is named <table>_<columns>_fkey (numbered on a clash);
// Render always writes the name, so it reads back the same. A check without
// a name has Name "". A UNIQUE table constraint is the unique index SQLite
// builds for it, named sqlite_autoindex_<table>_<n>; Render writes such an
// index back as a UNIQUE constraint. An index part that collates otherwise
// than its column is the expression part "column COLLATE name".
func (*Dialect) Inspect(ctx context.Context, q Querier) (*schema.Realm, error) {
	in := &inspection{
		schema:   &schema.Schema{Name: "main"},
		tables:   map[string]*inspected{},
		indexSQL: map[string]string{},
	}
	steps := []struct {
		what, query string
		row         func(*sql.Rows) error
	}{
		{"objects", objectsQuery, in.object},
		{"columns", columnsQuery, in.column},
		{"indexes", indexesQuery, in.index},
		{"foreign keys", foreignKeysQuery, in.foreignKey},
	}
	for _, s := range steps {
		if err := query(ctx, q, s.query, s.row); err != nil {
			return nil, fmt.Errorf("inspect %s: %w", s.what, err)
		}
	}
	in.finish()
	return &schema.Realm{Schemas: []*schema.Schema{in.schema}}, nil
}

func query(ctx context.Context, q Querier, text string, row func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, text)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func internal(name string) bool {
	return len(name) >= 7 && strings.EqualFold(name[:7], "sqlite_")
}

func (in *inspection) object(rows *sql.Rows) error {
	var typ, name, tbl, text, listType string
	var strict, wr bool
	if err := rows.Scan(&typ, &name, &tbl, &text, &listType, &strict, &wr); err != nil {
		return err
	}
	switch {
	case typ == "table" && listType == "table" && !internal(name):
		facts := parseCreateTable(text)
		t := &schema.Table{Name: name, Strict: strict, WithoutRowID: wr, Unmodeled: facts.unmodeled}
		in.tables[name] = &inspected{t: t, facts: facts, fkByID: map[int]*schema.ForeignKey{}}
		in.schema.Tables = append(in.schema.Tables, t)
	case typ == "table" && listType == "virtual":
		in.schema.Objects = append(in.schema.Objects, &schema.Object{Kind: "virtual table", Name: name, SQL: text})
	case typ == "view":
		in.schema.Objects = append(in.schema.Objects, &schema.Object{Kind: "view", Name: name, SQL: text})
	case typ == "trigger":
		// Attached to its table in finish, once every table is known.
		in.schema.Objects = append(in.schema.Objects, &schema.Object{Kind: "trigger", Name: name, Table: tbl, SQL: text})
	case typ == "index" && text != "":
		in.indexSQL[name] = text
	}
	return nil
}

func (in *inspection) column(rows *sql.Rows) error {
	var table, name, typ string
	var notNull bool
	var dflt sql.NullString
	var pk, hidden int
	if err := rows.Scan(&table, &name, &typ, &notNull, &dflt, &pk, &hidden); err != nil {
		return err
	}
	it, ok := in.tables[table]
	if !ok {
		return nil
	}
	// SQLite before 3.39 kept GENERATED ALWAYS in the declared type.
	if u := strings.ToUpper(typ); strings.HasSuffix(u, "GENERATED ALWAYS") {
		typ = strings.TrimSpace(typ[:len(u)-len("GENERATED ALWAYS")])
	}
	c := &schema.Column{Name: name, Type: parseType(typ), Null: !notNull}
	if dflt.Valid {
		c.Default = parseDefault(dflt.String, keepsSpelling(typeAffinity(c.Type)))
	}
	if f, ok := it.facts.columns[strings.ToLower(name)]; ok {
		c.Collate = normalizeCollate(f.collate)
		c.AutoIncrement = f.autoIncrement && pk > 0
		if hidden == 2 || hidden == 3 {
			c.Generated = &schema.Generated{Expr: f.genExpr, Stored: hidden == 3}
		}
	}
	if pk > 0 {
		it.pkCols = append(it.pkCols, pkCol{pos: pk, name: name})
	}
	it.t.Columns = append(it.t.Columns, c)
	return nil
}

func (in *inspection) index(rows *sql.Rows) error {
	var table, name, origin, coll string
	var unique, partial bool
	var seqno, cid int
	var col sql.NullString
	var desc bool
	if err := rows.Scan(&table, &name, &unique, &origin, &partial, &seqno, &cid, &col, &desc, &coll); err != nil {
		return err
	}
	it, ok := in.tables[table]
	if !ok {
		return nil
	}
	var idx *schema.Index
	if origin == "pk" {
		if it.pkIndex == nil {
			it.pkIndex = &schema.Index{Name: name}
		}
		idx = it.pkIndex
	} else {
		if n := len(it.t.Indexes); n > 0 && it.t.Indexes[n-1].Name == name {
			idx = it.t.Indexes[n-1]
		} else {
			idx = &schema.Index{Name: name, Unique: unique}
			if partial {
				idx.Where = parseCreateIndex(in.indexSQL[name]).where
			}
			it.t.Indexes = append(it.t.Indexes, idx)
		}
	}
	part := schema.IndexPart{Column: col.String, Desc: desc}
	switch cid {
	case -2:
		parts := parseCreateIndex(in.indexSQL[name]).parts
		if seqno < len(parts) {
			part.Expr = parts[seqno]
		}
	case -1:
		part.Column = "rowid"
	default:
		// A part that collates otherwise than its column is written as the
		// expression "column COLLATE name", which SQLite reads as such a part.
		if c, ok := it.t.Column(col.String); ok && !sameCollation(coll, c.Collate) {
			part = schema.IndexPart{Expr: collateExpr(c.Name, coll), Desc: desc}
		}
	}
	idx.Parts = append(idx.Parts, part)
	return nil
}

func (in *inspection) foreignKey(rows *sql.Rows) error {
	var table, ref, from, onUpdate, onDelete string
	var to sql.NullString
	var id int
	if err := rows.Scan(&table, &id, &ref, &from, &to, &onUpdate, &onDelete); err != nil {
		return err
	}
	it, ok := in.tables[table]
	if !ok {
		return nil
	}
	f, ok := it.fkByID[id]
	if !ok {
		f = &schema.ForeignKey{
			RefTable: ref,
			OnUpdate: normalizeAction(schema.ReferenceAction(onUpdate)),
			OnDelete: normalizeAction(schema.ReferenceAction(onDelete)),
		}
		it.fkByID[id] = f
		it.fkOrder = append(it.fkOrder, id)
	}
	f.Columns = append(f.Columns, from)
	if to.Valid {
		f.RefColumns = append(f.RefColumns, to.String)
	}
	return nil
}

// finish assembles what the queries read: primary keys, foreign key and
// check names from the CREATE text, triggers, and the canonical order.
func (in *inspection) finish() {
	for _, it := range in.tables {
		t := it.t
		t.Checks = it.facts.checks
		in.primaryKey(it)
		in.foreignKeys(it)
		slices.SortStableFunc(t.Indexes, func(a, b *schema.Index) int { return compareFold(a.Name, b.Name) })
		slices.SortStableFunc(t.ForeignKeys, func(a, b *schema.ForeignKey) int { return strings.Compare(a.Name, b.Name) })
	}
	objects := in.schema.Objects[:0]
	for _, o := range in.schema.Objects {
		if it, ok := in.tables[o.Table]; ok && o.Kind == "trigger" {
			it.t.Triggers = append(it.t.Triggers, o)
			continue
		}
		objects = append(objects, o)
	}
	in.schema.Objects = objects
	for _, it := range in.tables {
		slices.SortFunc(it.t.Triggers, func(a, b *schema.Object) int { return strings.Compare(a.Name, b.Name) })
	}
	canonicalRefs(in.schema)
	sortTables(in.schema)
}

func (in *inspection) primaryKey(it *inspected) {
	if len(it.pkCols) == 0 {
		return
	}
	slices.SortFunc(it.pkCols, func(a, b pkCol) int { return a.pos - b.pos })
	pk := &schema.Index{}
	for _, c := range it.pkCols {
		part := schema.IndexPart{Column: c.name}
		if it.pkIndex != nil {
			for _, p := range it.pkIndex.Parts {
				if strings.EqualFold(p.Column, c.name) {
					part.Desc = p.Desc
				}
			}
		}
		pk.Parts = append(pk.Parts, part)
	}
	it.t.PrimaryKey = pk
	// A rowid table whose key has no index of its own keys by an alias of
	// the rowid, which can never be NULL, whatever the declaration says.
	if !it.t.WithoutRowID && it.pkIndex == nil && len(pk.Parts) == 1 {
		if c, ok := it.t.Column(pk.Parts[0].Column); ok {
			c.Null = false
		}
	}
}

// foreignKeys names the foreign keys read from pragma_foreign_key_list with
// the CONSTRAINT names of the CREATE text. The pragma numbers foreign keys in
// reverse declaration order; each is checked against the declaration before
// it takes its name. Unnamed ones get a name made of the table and columns.
func (in *inspection) foreignKeys(it *inspected) {
	declared := it.facts.fks
	used := make([]bool, len(declared))
	match := func(k int, f *schema.ForeignKey) bool {
		d := declared[k]
		return !used[k] && strings.EqualFold(d.refTable, f.RefTable) &&
			slices.EqualFunc(d.columns, f.Columns, strings.EqualFold)
	}
	taken := map[string]bool{}
	for _, d := range declared {
		if d.name != "" {
			taken[strings.ToLower(d.name)] = true
		}
	}
	slices.Sort(it.fkOrder)
	var unnamed []*schema.ForeignKey
	// Walk in declaration order (highest id first) so synthesized names
	// are numbered in the order a reader sees the constraints.
	for i := len(it.fkOrder) - 1; i >= 0; i-- {
		id := it.fkOrder[i]
		f := it.fkByID[id]
		k := len(declared) - 1 - id
		if k < 0 || k >= len(declared) || !match(k, f) {
			k = -1
			for j := range declared {
				if match(j, f) {
					k = j
					break
				}
			}
		}
		if k >= 0 {
			used[k] = true
			f.Name = declared[k].name
			f.Deferred = declared[k].deferred
		}
		if f.Name == "" {
			unnamed = append(unnamed, f)
		}
		it.t.ForeignKeys = append(it.t.ForeignKeys, f)
	}
	for _, f := range unnamed {
		f.Name = fkName(it.t.Name, f.Columns, taken)
	}
}

// fkName makes the name of an unnamed foreign key, <table>_<columns>_fkey
// as PostgreSQL does, numbered when two would clash.
func fkName(table string, columns []string, taken map[string]bool) string {
	base := table + "_" + strings.Join(columns, "_") + "_fkey"
	name := base
	for n := 2; taken[strings.ToLower(name)]; n++ {
		name = fmt.Sprintf("%s%d", base, n)
	}
	taken[strings.ToLower(name)] = true
	return name
}
