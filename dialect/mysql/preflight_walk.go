package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// The preflight walks a migration's statements in order, keeping what each
// table will hold when the statement runs, and turns every statement that
// needs something of the rows into a check: a query on the live data that
// counts the rows the statement would refuse. Only what the walk can read
// is checked; the rest runs as it would without a preflight.

// tableKind is what the walk knows of a table's rows at a statement.
type tableKind int

const (
	// live: the rows are those the table has now (under its live name).
	live tableKind = iota
	// empty: the migration created the table; it has no rows.
	empty
	// unknown: the walk cannot tell (a CREATE … SELECT, a dropped table).
	unknown
)

// colRef is what a column holds at a statement, as an expression over the
// live row: a live column, or a constant (a column the migration added,
// every row holding its default). Both empty means unknown.
type colRef struct {
	live  string // the live column's name
	value string
	// convert and collate are the character set and collation a MODIFY
	// or CHANGE of the migration gives the column, which a key added
	// over it compares under; "" when none does.
	convert, collate string
}

func (c colRef) known() bool { return c.live != "" || c.value != "" }

// sql renders the reference, qualified by alias when it is a column.
func (c colRef) sql(alias string) string {
	if c.live == "" {
		return c.value
	}
	if alias == "" {
		return quoteIdent(c.live)
	}
	return alias + "." + quoteIdent(c.live)
}

// tableState is one table as the walk knows it.
type tableState struct {
	kind   tableKind
	schema string // the live table's database, "" = the current one
	name   string // the live table's name
	// cols are the columns the migration renamed, added or dropped, by
	// lower-case name; any other column is the live one of that name.
	cols map[string]colRef
}

func (t *tableState) ref() string {
	if t.schema != "" {
		return quoteIdent(t.schema) + "." + quoteIdent(t.name)
	}
	return quoteIdent(t.name)
}

func (t *tableState) col(name string) colRef {
	if c, ok := t.cols[strings.ToLower(name)]; ok {
		return c
	}
	return colRef{live: name}
}

func (t *tableState) set(name string, c colRef) {
	if t.cols == nil {
		t.cols = map[string]colRef{}
	}
	t.cols[strings.ToLower(name)] = c
}

// check is a query on the live data for one statement's needs.
type check struct {
	stmt    int // index in the walked statements
	warning bool
	// fk: a foreign key's orphans, which ALTER IGNORE still refuses.
	fk bool
	// problem says what the counted rows are, after their count.
	problem string
	// count returns the number of rows; sample one of them (LIMIT 1).
	count, sample string
}

// walker holds the state of one preflight walk.
type walker struct {
	ctx    context.Context
	conn   *sql.Conn
	tables map[string]*tableState
	noFK   bool // the migration turned foreign_key_checks off
	// ignore: the statement being read is an ALTER IGNORE, which deletes
	// or changes the rows that would make it fail, except a foreign key's.
	ignore bool
	checks []check
	i      int    // the statement being read
	stmt   string // its text
	// dropping are the lower-case names of the keys the ALTER being read
	// drops ("primary" for its primary key).
	dropping map[string]bool
}

func key(schema, name string) string { return strings.ToLower(schema + "." + name) }

// table is the state of the table a statement names.
func (w *walker) table(schema, name string) *tableState {
	k := key(schema, name)
	if t, ok := w.tables[k]; ok {
		return t
	}
	t := &tableState{kind: live, schema: schema, name: name}
	w.tables[k] = t
	return t
}

func (w *walker) add(c check) {
	c.stmt = w.i
	if w.ignore && !c.fk && !c.warning {
		c.warning = true
		c.problem += "; ALTER IGNORE deletes or changes them instead of failing"
	}
	w.checks = append(w.checks, c)
}

// statement reads one statement; stop is set when the statements after it
// cannot be checked against the data as it is now (it writes rows).
func (w *walker) statement(stmt string) (stop bool, err error) {
	cl := ClassifyText(stmt)
	switch cl.Kind {
	case sqltext.DML, sqltext.Opaque, sqltext.Unknown:
		// "Backfill, then add the key": the rows the later statements
		// see are not the rows there are now.
		return true, nil
	case sqltext.Session:
		lower := strings.ToLower(stmt)
		if strings.Contains(lower, "sql_mode") {
			// The checks read the rows as strict mode does; under another
			// mode a NULL becomes 0 and a long value is cut, where strict
			// mode fails: the later statements are the server's to judge.
			return true, nil
		}
		if strings.Contains(lower, "foreign_key_checks") {
			w.noFK = true
		}
		return false, nil
	case sqltext.DDL:
	default:
		return false, nil
	}
	toks := code(stmt)
	c := sqltext.NewCursor(toks)
	switch c.Word() {
	case "ALTER":
		ignore := false
		for {
			word := c.Accept("ONLINE", "IGNORE")
			if word == "" {
				break
			}
			ignore = ignore || word == "IGNORE"
		}
		if c.Accept("TABLE") == "" {
			return false, nil
		}
		o, clauses, ok := alterTable(c)
		if ok {
			w.ignore = ignore
			err = w.alter(w.table(o.Schema, o.Name), clauses)
			w.ignore = false
		}
	case "CREATE":
		adj := modifiers(c)
		switch {
		case c.Accept("TABLE") != "":
			w.create(c, toks)
		case c.Accept("INDEX") != "" && len(adj) == 1 && adj[0] == "UNIQUE":
			w.createIndex(c)
		}
	case "DROP":
		c.Accept("TEMPORARY")
		if c.Accept("TABLE", "TABLES") == "" {
			return false, nil
		}
		c.AcceptSeq("IF", "EXISTS")
		for {
			s, n, ok := c.Name()
			if !ok {
				break
			}
			w.tables[key(s, n)] = &tableState{kind: unknown}
			if !c.AcceptOp(",") {
				break
			}
		}
	case "RENAME":
		if c.Accept("TABLE", "TABLES") == "" {
			return false, nil
		}
		for {
			s, n, ok := c.Name()
			if !ok || c.Accept("TO") == "" {
				break
			}
			s2, n2, ok := c.Name()
			if !ok {
				break
			}
			w.rename(s, n, s2, n2)
			if !c.AcceptOp(",") {
				break
			}
		}
	}
	return false, err
}

func (w *walker) rename(s, n, s2, n2 string) {
	t := w.table(s, n)
	w.tables[key(s, n)] = &tableState{kind: unknown}
	w.tables[key(s2, n2)] = t
}

// create reads CREATE TABLE: the new table is empty, unless it is filled
// from a query.
func (w *walker) create(c *sqltext.Cursor, toks []sqltext.Token) {
	ifNotExists := c.AcceptSeq("IF", "NOT", "EXISTS")
	s, n, ok := c.Name()
	if !ok {
		return
	}
	kind := empty
	if ifNotExists {
		kind = unknown // it may be there, with rows
	}
	for _, t := range toks {
		if t.Is("SELECT") {
			kind = unknown
		}
	}
	w.tables[key(s, n)] = &tableState{kind: kind}
}

// createIndex reads CREATE UNIQUE INDEX name ON table (parts).
func (w *walker) createIndex(c *sqltext.Cursor) {
	c.AcceptSeq("IF", "NOT", "EXISTS")
	_, name, _ := c.Name()
	if c.Accept("USING") != "" {
		c.Next()
	}
	if c.Accept("ON") == "" {
		return
	}
	s, n, ok := c.Name()
	if !ok {
		return
	}
	w.unique(w.table(s, n), name, c, false)
}

// alter reads the clauses of ALTER TABLE t. The server applies them
// together: column clauses change what later clauses' names mean, and a
// column is checked under its name before the statement.
func (w *walker) alter(t *tableState, clauses [][]sqltext.Token) error {
	before := &tableState{kind: t.kind, schema: t.schema, name: t.name, cols: map[string]colRef{}}
	for k, v := range t.cols {
		before.cols[k] = v
	}
	w.dropping = dropsKeys(clauses)
	var keys []*sqltext.Cursor
	var inline []inlineUnique
	var renameTo [2]string
	for _, cl := range clauses {
		c := sqltext.NewCursor(cl)
		switch {
		case c.Accept("ADD") != "":
			if c.Is("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK") {
				keys = append(keys, c)
				continue
			}
			if c.Is("INDEX", "KEY", "FULLTEXT", "SPATIAL", "PARTITION", "PERIOD", "SYSTEM") {
				continue
			}
			c.Accept("COLUMN")
			c.AcceptSeq("IF", "NOT", "EXISTS")
			if c.Peek().IsOp("(") {
				continue // ADD (a …, b …): not read
			}
			if name := c.Parts(1); len(name) == 1 {
				t.set(name[0], added(c.Rest()))
				if key := inlineKey(c.Rest()); key != "" {
					inline = append(inline, inlineUnique{name[0], key == "PRIMARY"})
				}
			}
		case c.Accept("RENAME") != "" && !c.Is("COLUMN", "INDEX", "KEY"):
			c.Accept("TO", "AS")
			if s, n, ok := c.Name(); ok {
				renameTo = [2]string{s, n}
			}
		default:
			if err := w.columnClause(before, t, sqltext.NewCursor(cl)); err != nil {
				return err
			}
		}
	}
	for _, u := range inline {
		w.uniqueParts(t, "", []part{{col: u.col}}, u.primary, "")
	}
	for _, c := range keys {
		w.key(t, c)
	}
	// A key the same ALTER adds is built under the column's old collation
	// (MariaDB 10.11 refuses 'Ab' and 'aB' for a unique key added with a
	// change to utf8mb4_bin); later statements' keys, under the new one.
	for _, cl := range clauses {
		c := sqltext.NewCursor(cl)
		verb := c.Accept("MODIFY", "CHANGE")
		if verb == "" {
			continue
		}
		c.Accept("COLUMN")
		c.AcceptSeq("IF", "EXISTS")
		name := c.Parts(1)
		if verb == "CHANGE" {
			name = c.Parts(1)
		}
		if len(name) == 1 {
			recharset(t, name[0], c.Rest())
		}
	}
	if renameTo[1] != "" {
		w.rename(t.schema, t.name, renameTo[0], renameTo[1])
	}
	return nil
}

// dropsKeys are the keys an ALTER's clauses drop, by lower-case name.
func dropsKeys(clauses [][]sqltext.Token) map[string]bool {
	out := map[string]bool{}
	for _, cl := range clauses {
		c := sqltext.NewCursor(cl)
		if c.Accept("DROP") == "" {
			continue
		}
		switch c.Accept("INDEX", "KEY", "PRIMARY", "CONSTRAINT") {
		case "PRIMARY":
			out["primary"] = true
		case "INDEX", "KEY", "CONSTRAINT":
			c.AcceptSeq("IF", "EXISTS")
			if p := c.Parts(1); len(p) == 1 {
				out[strings.ToLower(p[0])] = true
			}
		}
	}
	return out
}

// columnClause reads a clause that changes a column of t: MODIFY, CHANGE,
// DROP, RENAME COLUMN. before is t as it was before the statement.
func (w *walker) columnClause(before, t *tableState, c *sqltext.Cursor) error {
	renamed := func(old, nw string) {
		if !strings.EqualFold(old, nw) {
			t.set(nw, before.col(old))
			t.set(old, colRef{})
		}
	}
	switch c.Accept("MODIFY", "CHANGE", "DROP", "RENAME") {
	case "MODIFY":
		c.Accept("COLUMN")
		c.AcceptSeq("IF", "EXISTS")
		if name := c.Parts(1); len(name) == 1 {
			return w.modify(before, name[0], c.Rest())
		}
	case "CHANGE":
		c.Accept("COLUMN")
		c.AcceptSeq("IF", "EXISTS")
		old, nw := c.Parts(1), c.Parts(1)
		if len(old) == 1 && len(nw) == 1 {
			if err := w.modify(before, old[0], c.Rest()); err != nil {
				return err
			}
			renamed(old[0], nw[0])
		}
	case "DROP":
		if c.Is("INDEX", "KEY", "PRIMARY", "FOREIGN", "CONSTRAINT", "CHECK", "PARTITION", "PERIOD", "SYSTEM") {
			return nil
		}
		c.Accept("COLUMN")
		c.AcceptSeq("IF", "EXISTS")
		if name := c.Parts(1); len(name) == 1 {
			t.set(name[0], colRef{})
		}
	case "RENAME":
		if c.Accept("COLUMN") == "" {
			return nil // RENAME INDEX or KEY
		}
		old := c.Parts(1)
		c.Accept("TO")
		nw := c.Parts(1)
		if len(old) == 1 && len(nw) == 1 {
			renamed(old[0], nw[0])
		}
	}
	return nil
}

// inlineUnique is a column added with UNIQUE or PRIMARY KEY in its
// definition.
type inlineUnique struct {
	col     string
	primary bool
}

// inlineKey is "UNIQUE" or "PRIMARY" when a column definition makes the
// column a key; "" otherwise.
func inlineKey(def []sqltext.Token) string {
	depth := 0
	for _, t := range def {
		switch {
		case t.IsOp("("):
			depth++
		case t.IsOp(")"):
			depth--
		case depth == 0 && (t.Is("UNIQUE") || t.Is("PRIMARY")):
			return strings.ToUpper(t.Text)
		case depth == 0 && (t.Is("REFERENCES") || t.Is("CHECK")):
			return "" // what follows is not the column's
		}
	}
	return ""
}

// added is what a column added by ADD COLUMN holds in the existing rows:
// its default as a constant, or the implicit one of a NOT NULL column;
// unknown when the walk cannot tell (an expression default, a generated
// column).
func added(def []sqltext.Token) colRef {
	depth := 0
	null := true
	for i, t := range def {
		switch {
		case t.IsOp("("):
			depth++
		case t.IsOp(")"):
			depth--
		case depth > 0:
		case t.Is("NOT") && i+1 < len(def) && def[i+1].Is("NULL"):
			null = false
		case t.Is("AS") || t.Is("GENERATED") || t.Is("AUTO_INCREMENT"):
			return colRef{}
		case t.Is("DEFAULT") && i+1 < len(def):
			v := def[i+1]
			switch {
			case v.Kind == sqltext.String || v.Kind == sqltext.Number || v.Is("NULL"):
				return colRef{value: v.Text}
			case v.Is("CURRENT_TIMESTAMP") || v.Is("NOW") || v.Is("LOCALTIME") || v.Is("LOCALTIMESTAMP"):
				// One value for the whole statement: every row gets it.
				text := v.Text
				if rest := def[i+2:]; len(rest) > 0 && rest[0].IsOp("(") {
					end := groupEnd(rest)
					if end < 0 {
						return colRef{}
					}
					for _, t := range rest[:end+1] {
						text += t.Text
					}
				}
				return colRef{value: text}
			}
			return colRef{}
		}
	}
	if null {
		return colRef{value: "NULL"}
	}
	return implicitDefault(def)
}

// implicitDefault is the value the server gives existing rows for a NOT
// NULL column added without a default: 0, the empty string, or an enum's
// first value; unknown for other types.
func implicitDefault(def []sqltext.Token) colRef {
	nt, ok := readType(def)
	switch {
	case !ok:
		return colRef{}
	case intRanges[nt.name] != [2]string{} || nt.name == "decimal" || nt.name == "numeric" || nt.name == "dec" ||
		nt.name == "fixed" || nt.name == "float" || nt.name == "double" || nt.name == "real" || nt.name == "bool" || nt.name == "boolean":
		return colRef{value: "0"}
	case nt.name == "char" || nt.name == "varchar" || nt.name == "binary" || nt.name == "varbinary" ||
		strings.HasSuffix(nt.name, "text") || strings.HasSuffix(nt.name, "blob"):
		return colRef{value: "''"}
	case nt.name == "enum" && len(nt.args) > 0:
		return colRef{value: nt.args[0]}
	}
	return colRef{}
}

// catalogColumn is a live column as information_schema describes it.
type catalogColumn struct {
	dataType, columnType string
	nullable             bool
	collation            sql.NullString
	maxLen               sql.NullInt64
	precision, scale     sql.NullInt64
}

func (w *walker) catalog(t *tableState, col string) (*catalogColumn, error) {
	var cc catalogColumn
	var null string
	err := w.conn.QueryRowContext(w.ctx, `SELECT DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, COLLATION_NAME
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
		t.schema, t.name, col).Scan(&cc.dataType, &cc.columnType, &null, &cc.maxLen, &cc.precision, &cc.scale, &cc.collation)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read column %q of table %q: %w", col, t.name, err)
	}
	cc.dataType = strings.ToLower(cc.dataType)
	cc.nullable = null == "YES"
	return &cc, nil
}

// recharset records on t the character set and collation that a MODIFY
// or CHANGE gives col, so that a unique key a later statement adds over
// it is checked under them, as the server builds it.
func recharset(t *tableState, col string, def []sqltext.Token) {
	nt, ok := readType(def)
	r := t.col(col)
	if !ok || r.live == "" || nt.charset == "" && nt.collate == "" {
		return
	}
	r.convert, r.collate = nt.charset, nt.collate
	if r.convert == "" {
		r.convert, _, _ = strings.Cut(nt.collate, "_")
	}
	t.set(col, r)
}
