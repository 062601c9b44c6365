package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Querier is satisfied by *sql.DB, *sql.Conn and *sql.Tx. It is an alias
// of an interface literal, which every dialect spells the same way, so
// that one interface declares Inspect for all of them.
type Querier = interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Inspect reads one database (a schema) from information_schema: its
// options; its tables, sorted by name, with columns, keys, indexes (in the
// server's key order, which SHOW CREATE TABLE follows), foreign keys and
// checks; triggers as Table.Triggers; views, routines, events, sequences,
// partitioning, system versioning and foreign keys to other databases as
// Schema.Objects.
//
// It runs one query per kind of object for the whole database, so the
// number of queries does not grow with the number of tables. The catalog
// hides only the parser of a FULLTEXT index; SHOW CREATE TABLE is read for
// the tables that have one, and only when the server has a full-text
// parser plugin installed.
//
// The result is normalised (see Normalize): MariaDB's JSON columns
// (longtext with a json_valid check) read as json, display widths, default
// quoting and the other differences between the servers are gone.
//
// The database is the one the dialect was opened on (Open, Attach), else
// the current database of q.
func (d *Dialect) Inspect(ctx context.Context, q Querier) (*schema.Realm, error) {
	database := d.database
	if database == "" {
		var err error
		if database, err = currentDatabase(ctx, q); err != nil {
			return nil, err
		}
	}
	return d.inspect(ctx, q, database)
}

// currentDatabase is the database q's session uses.
func currentDatabase(ctx context.Context, q Querier) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT DATABASE()")
	if err != nil {
		return "", fmt.Errorf("read the current database: %w", err)
	}
	defer rows.Close()
	var name sql.NullString
	if rows.Next() {
		if err := rows.Scan(&name); err != nil {
			return "", fmt.Errorf("read the current database: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("read the current database: %w", err)
	}
	if name.String == "" {
		return "", errors.New("the connection has no current database: name one in its URL")
	}
	return name.String, nil
}

func (d *Dialect) inspect(ctx context.Context, q Querier, database string) (*schema.Realm, error) {
	in := &inspection{d: d, db: database, tables: map[string]*inspectedTable{}, s: &schema.Schema{}}
	// The database and its tables come first: what follows depends on
	// what kinds of table there are.
	tq := d.tablesQuery()
	if err := query(ctx, q, tq, in.table, slices.Repeat([]any{database}, strings.Count(tq, "?"))...); err != nil {
		return nil, fmt.Errorf("inspect tables of database %q: %w", database, err)
	}
	if in.s.Name == "" {
		return nil, fmt.Errorf("inspect database %q: no such database", database)
	}
	// A query whose skip reports true, asked when its turn comes, has
	// nothing to read: each one touches every table of the database,
	// which costs the server a third of a second at 10,000 tables.
	never := func() bool { return false }
	steps := []struct {
		what  string
		query string
		skip  func() bool
		row   func(*sql.Rows) error
	}{
		{"columns", columnsQuery, never, in.column},
		{"indexes", d.indexesQuery(), never, in.index},
		{"foreign keys", foreignKeysQuery, never, in.foreignKey},
		{"checks", d.checksQuery(), func() bool { return !d.Flavor.Checks() }, in.check},
		{"views", viewsQuery, func() bool { return !in.views }, in.view},
		{"triggers", triggersQuery, never, in.trigger},
		{"routines", routinesQuery, never, in.routine},
		{"events", eventsQuery, never, in.event},
		{"partitions", partitionsQuery, func() bool { return !in.partitioned }, in.partition},
	}
	for _, st := range steps {
		if st.skip() {
			continue
		}
		// Every placeholder of a catalog query is the database name.
		args := slices.Repeat([]any{database}, strings.Count(st.query, "?"))
		if err := query(ctx, q, st.query, st.row, args...); err != nil {
			return nil, fmt.Errorf("inspect %s of database %q: %w", st.what, database, err)
		}
	}
	if err := in.parsers(ctx, q); err != nil {
		return nil, fmt.Errorf("inspect full-text parsers of database %q: %w", database, err)
	}
	if err := in.crossCheck(ctx, q); err != nil {
		return nil, fmt.Errorf("inspect database %q: %w", database, err)
	}
	in.finish()
	r := &schema.Realm{Schemas: []*schema.Schema{in.s}}
	if err := d.Normalize(r); err != nil {
		return nil, fmt.Errorf("inspect database %q: %w", database, err)
	}
	return r, nil
}

const (
	columnsQuery = `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
	COALESCE(CHARACTER_SET_NAME, ''), COALESCE(COLLATION_NAME, ''), COLUMN_COMMENT,
	COALESCE(GENERATION_EXPRESSION, '')
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`

	// The rules are read into a derived table first: joined directly,
	// REFERENTIAL_CONSTRAINTS is filled for every database and joined by
	// a nested loop, quadratic in the number of foreign keys (seconds at
	// 10,000). DISTINCT keeps MariaDB from merging the derived table back,
	// so that it is materialised once with a key the join looks up. The
	// join is a LEFT one: a user with SELECT alone sees the key's columns
	// but not its rules, and such a key is a reason to cross-check.
	foreignKeysQuery = `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA,
	k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, COALESCE(r.UPDATE_RULE, ''), COALESCE(r.DELETE_RULE, '')
FROM information_schema.KEY_COLUMN_USAGE AS k
LEFT JOIN (SELECT DISTINCT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
	FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?) AS r
	ON r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`

	// MariaDB's CHECK_CONSTRAINTS names the table; every check is enforced.
	mariaChecksQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, 'YES'
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`

	mysqlChecksQuery = `SELECT t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE, t.ENFORCED
FROM information_schema.TABLE_CONSTRAINTS AS t
JOIN information_schema.CHECK_CONSTRAINTS AS c
	ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
WHERE t.TABLE_SCHEMA = ? AND t.CONSTRAINT_TYPE = 'CHECK'
ORDER BY t.TABLE_NAME, c.CONSTRAINT_NAME`
)

// indexesQuery reads key parts. MariaDB lists them in the server's key
// order without ORDER BY, which is the order SHOW CREATE TABLE writes the
// keys in and the order that re-creates it; MySQL gets a stable order.
func (d *Dialect) indexesQuery() string {
	expr := "''"
	if d.Flavor.ExpressionIndexes() {
		expr = "COALESCE(EXPRESSION, '')"
	}
	q := `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COALESCE(COLUMN_NAME, ''),
	COALESCE(SUB_PART, 0), COALESCE(COLLATION, ''), INDEX_TYPE, COALESCE(INDEX_COMMENT, ''), ` + expr + `
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`
	if !d.Flavor.MariaDB {
		q += "\nORDER BY TABLE_NAME, INDEX_NAME <> 'PRIMARY', NON_UNIQUE, INDEX_TYPE = 'FULLTEXT', INDEX_NAME, SEQ_IN_INDEX"
	}
	return q
}

func (d *Dialect) checksQuery() string {
	if d.Flavor.MariaDB {
		return mariaChecksQuery
	}
	return mysqlChecksQuery
}

// query runs a catalog query and hands each row to row.
func query(ctx context.Context, q Querier, text string, row func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, text, args...)
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

// inspection holds the catalog while it is read.
type inspection struct {
	d      *Dialect
	db     string
	s      *schema.Schema
	tables map[string]*inspectedTable
	order  []*inspectedTable
	// routines by name and type, for their parameters.
	routines map[[2]string]*routine
	// partitions by table.
	partitions map[string][]partition
	// views and partitioned are set when TABLES lists a view or a
	// partitioned table, so that VIEWS and PARTITIONS are read only then.
	views, partitioned bool
	// suspects are the tables whose catalog may be incomplete for the
	// user, with the reason (see crossCheck).
	suspects map[string]string
}

type inspectedTable struct {
	t         *schema.Table
	checks    []*schema.Check
	fulltext  bool
	fkByName  map[string]*schema.ForeignKey
	elsewhere []foreignRef // foreign keys to tables of other databases
}

// foreignRef is a foreign key to a table of another database.
type foreignRef struct {
	f      *schema.ForeignKey
	schema string
}

// grantees are the GRANTEE values of the session's own privileges: its
// user and, where the server has roles, its role, written as
// information_schema writes them ('user'@'host').
func (d *Dialect) grantees() string {
	user := `CONCAT('''', REPLACE(CURRENT_USER(), '@', '''@'''), '''')`
	if !d.Flavor.Roles() {
		return user
	}
	return user + `, CONCAT('''', COALESCE(CURRENT_ROLE(), ''), '''')`
}

// tablesQuery reads the database's options and its tables in one query:
// the database is the row of kind 0, first, and the tables follow by name;
// rows of kind 2 name the tables the user holds privileges on by table or
// by column rather than by database, whose catalog may be incomplete.
// No column holds values of both kinds, so that the server has no
// collations to reconcile across the UNION.
func (d *Dialect) tablesQuery() string {
	comment := "''"
	if d.Flavor.SchemaComment() {
		comment = "SCHEMA_COMMENT"
	}
	return `SELECT 0, SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, ` + comment + `,
	'', '', '', '', '', '', ''
FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?
UNION ALL
SELECT 1, '', '', '', '',
	TABLE_NAME, TABLE_TYPE, COALESCE(ENGINE, ''), COALESCE(TABLE_COLLATION, ''),
	COALESCE(CAST(AUTO_INCREMENT AS CHAR), ''), COALESCE(TABLE_COMMENT, ''), COALESCE(CREATE_OPTIONS, '')
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?
UNION ALL
SELECT DISTINCT 2, '', '', '', '', TABLE_NAME, '', '', '', '', '', ''
FROM information_schema.TABLE_PRIVILEGES WHERE TABLE_SCHEMA = ? AND GRANTEE IN (` + d.grantees() + `)
UNION ALL
SELECT DISTINCT 2, '', '', '', '', TABLE_NAME, '', '', '', '', '', ''
FROM information_schema.COLUMN_PRIVILEGES WHERE TABLE_SCHEMA = ? AND GRANTEE IN (` + d.grantees() + `)
ORDER BY 1, 6`
}

func (in *inspection) table(rows *sql.Rows) error {
	var kind int
	var db, charset, dbCollation, dbComment string
	var name, typ, engine, collation, autoInc, comment, options string
	if err := rows.Scan(&kind, &db, &charset, &dbCollation, &dbComment,
		&name, &typ, &engine, &collation, &autoInc, &comment, &options); err != nil {
		return err
	}
	switch kind {
	case 0:
		in.s.Name, in.s.Charset, in.s.Collate, in.s.Comment = db, charset, dbCollation, dbComment
		return nil
	case 2:
		in.privilegeRow(name)
		return nil
	}
	in.views = in.views || typ == "VIEW"
	in.partitioned = in.partitioned || strings.Contains(strings.ToLower(options), "partitioned")
	in.addTable(name, typ, engine, collation, autoInc, comment)
	return nil
}

func (in *inspection) addTable(name, typ, engine, collation, autoInc, comment string) {
	switch typ {
	case "BASE TABLE":
	case "SYSTEM VERSIONED":
		// The table is managed; its history is not.
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "system versioning", Name: name, Table: name,
			SQL: "ALTER TABLE " + quoteIdent(name) + " ADD SYSTEM VERSIONING"})
	case "SEQUENCE":
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "sequence", Name: name, SQL: "CREATE SEQUENCE " + quoteIdent(name)})
		return
	default:
		return // views are read from VIEWS
	}
	t := &schema.Table{Name: name, Engine: engine, Collate: collation, Comment: comment}
	t.AutoIncrement, _ = strconv.ParseInt(autoInc, 10, 64)
	it := &inspectedTable{t: t, fkByName: map[string]*schema.ForeignKey{}}
	in.tables[name] = it
	in.order = append(in.order, it)
	in.s.Tables = append(in.s.Tables, t)
}

// columnRow is one row of information_schema.COLUMNS.
type columnRow struct {
	table, name, typ, nullable, extra, charset, collation, comment, generation string
	def                                                                        sql.NullString
}

func (in *inspection) column(rows *sql.Rows) error {
	var r columnRow
	if err := rows.Scan(&r.table, &r.name, &r.typ, &r.nullable, &r.def, &r.extra, &r.charset, &r.collation, &r.comment, &r.generation); err != nil {
		return err
	}
	in.addColumn(r)
	return nil
}

// addColumn adds a column as the catalog describes it; Normalize turns the
// catalog's spellings into the model's.
func (in *inspection) addColumn(r columnRow) {
	it, ok := in.tables[r.table]
	if !ok {
		return
	}
	c := &schema.Column{
		Name:    r.name,
		Type:    schema.Type{Raw: r.typ},
		Null:    r.nullable == "YES",
		Charset: r.charset,
		Collate: r.collation,
		Comment: r.comment,
	}
	gen := r.generation
	if !in.d.Flavor.MariaDB {
		gen = unescapeCatalog(gen)
	}
	lx := strings.ToLower(r.extra)
	c.AutoIncrement = strings.Contains(lx, "auto_increment")
	if _, after, ok := strings.Cut(lx, "on update "); ok {
		c.OnUpdate = r.extra[len(r.extra)-len(after):]
	}
	switch {
	case strings.Contains(lx, "stored generated"), strings.Contains(lx, "persistent generated"):
		c.Generated = &schema.Generated{Expr: gen, Stored: true}
	case strings.Contains(lx, "virtual generated"):
		c.Generated = &schema.Generated{Expr: gen}
	}
	if r.def.Valid && c.Generated == nil {
		c.Default = in.catalogDefault(r.def.String, lx, r.typ)
	}
	it.t.Columns = append(it.t.Columns, c)
}

// catalogDefault reads COLUMN_DEFAULT. MariaDB writes it as SQL: 'x' for a
// string, NULL for an explicit NULL, an expression as written. MySQL writes
// literals bare and marks expressions DEFAULT_GENERATED, except
// CURRENT_TIMESTAMP before 8.0, which has no mark.
func (in *inspection) catalogDefault(v, extra, typ string) *schema.Default {
	switch {
	case in.d.Flavor.MariaDB:
		return &schema.Default{Kind: schema.DefaultRaw, Value: v}
	case strings.Contains(extra, "default_generated"):
		return &schema.Default{Kind: schema.DefaultRaw, Value: unescapeCatalog(v)}
	}
	if c := classOf(parseType(typ).t); c == schema.ClassDatetime {
		if toks, err := lex(v); err == nil {
			if _, ok := timestampFunc(toks); ok {
				return &schema.Default{Kind: schema.DefaultRaw, Value: v}
			}
		}
	}
	return &schema.Default{Kind: schema.DefaultString, Value: v}
}

func (in *inspection) index(rows *sql.Rows) error {
	var table, name, col, collation, typ, comment, expr string
	var nonUnique, seq, sub int
	if err := rows.Scan(&table, &name, &nonUnique, &seq, &col, &sub, &collation, &typ, &comment, &expr); err != nil {
		return err
	}
	it, ok := in.tables[table]
	if !ok || seq < 1 {
		return nil
	}
	t := it.t
	var idx *schema.Index
	switch {
	case name == "PRIMARY":
		if t.PrimaryKey == nil {
			t.PrimaryKey = &schema.Index{Name: name, Type: typ, Comment: comment}
		}
		idx = t.PrimaryKey
	default:
		idx, _ = t.Index(name)
		if idx == nil {
			idx = &schema.Index{Name: name, Unique: nonUnique == 0, Type: typ, Comment: comment}
			t.Indexes = append(t.Indexes, idx)
		}
	}
	if typ == "FULLTEXT" {
		it.fulltext = true
	}
	part := schema.IndexPart{Column: col, Expr: unescapeCatalog(expr), Desc: collation == "D", Prefix: sub}
	for len(idx.Parts) < seq {
		idx.Parts = append(idx.Parts, schema.IndexPart{})
	}
	idx.Parts[seq-1] = part
	return nil
}

func (in *inspection) foreignKey(rows *sql.Rows) error {
	var table, name, col, refSchema, refTable, refCol, onUpdate, onDelete string
	if err := rows.Scan(&table, &name, &col, &refSchema, &refTable, &refCol, &onUpdate, &onDelete); err != nil {
		return err
	}
	it, ok := in.tables[table]
	if !ok {
		return nil
	}
	if onUpdate == "" || onDelete == "" {
		in.suspect(table, "foreign keys listed without their rules")
		return nil
	}
	f, ok := it.fkByName[name]
	if !ok {
		f = &schema.ForeignKey{Name: name, RefTable: refTable,
			OnUpdate: schema.ReferenceAction(onUpdate), OnDelete: schema.ReferenceAction(onDelete)}
		it.fkByName[name] = f
		if refSchema != in.db {
			// The model knows foreign keys inside one database only; this one
			// is reported, not managed.
			it.elsewhere = append(it.elsewhere, foreignRef{f, refSchema})
		} else {
			it.t.ForeignKeys = append(it.t.ForeignKeys, f)
		}
	}
	f.Columns = append(f.Columns, col)
	f.RefColumns = append(f.RefColumns, refCol)
	return nil
}

func (in *inspection) check(rows *sql.Rows) error {
	var table, name, clause, enforced string
	if err := rows.Scan(&table, &name, &clause, &enforced); err != nil {
		return err
	}
	in.addCheck(table, name, clause, enforced != "NO")
	return nil
}

func (in *inspection) addCheck(table, name, clause string, enforced bool) {
	it, ok := in.tables[table]
	if !ok {
		return
	}
	if !in.d.Flavor.MariaDB {
		clause = unescapeCatalog(clause)
	}
	it.checks = append(it.checks, &schema.Check{Name: name, Expr: clause, Enforced: enforced})
}

// finish attaches what needs every table: checks (without MariaDB's JSON
// checks), triggers, foreign keys to other databases, partitioning.
func (in *inspection) finish() {
	for _, it := range in.order {
		t := it.t
		for _, c := range it.checks {
			if col := in.jsonCheck(t, c); col != nil {
				col.Type = schema.Type{Name: "json"}
				col.Charset, col.Collate = "", ""
				continue
			}
			t.Checks = append(t.Checks, c)
		}
		for _, r := range it.elsewhere {
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "foreign key", Name: r.f.Name, Table: t.Name, SQL: foreignKeySQL(r.f, r.schema)})
		}
		if p := in.partitions[t.Name]; len(p) > 0 {
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "partitioning", Name: t.Name, Table: t.Name, SQL: partitionSQL(p)})
		}
	}
	objects := in.s.Objects[:0]
	for _, o := range in.s.Objects {
		if it, ok := in.tables[o.Table]; ok && o.Kind == "trigger" {
			it.t.Triggers = append(it.t.Triggers, o)
			continue
		}
		objects = append(objects, o)
	}
	in.s.Objects = objects
	for _, r := range in.routines {
		r.obj.SQL = r.sql()
	}
}

// jsonCheck returns the column a MariaDB JSON check belongs to: the check
// json_valid(`c`) named c on a longtext column c.
func (in *inspection) jsonCheck(t *schema.Table, c *schema.Check) *schema.Column {
	if in.d.Flavor.NativeJSON() {
		return nil
	}
	col, ok := t.Column(c.Name)
	if !ok || col.Name != c.Name || !strings.EqualFold(strings.TrimSpace(col.Type.Raw), "longtext") {
		return nil
	}
	if canonicalExpr(c.Expr, nil) != "json_valid("+quoteIdent(col.Name)+")" {
		return nil
	}
	return col
}

// unescapeCatalog undoes the backslashes MySQL 8 puts before quotes and
// backslashes in the expressions it shows in information_schema
// (_utf8mb4\'x\' for _utf8mb4'x'). MariaDB shows plain SQL.
func unescapeCatalog(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '\\') {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
