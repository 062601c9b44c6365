package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Objects outside the HCL language are read so that plans and inspect can
// report them; their SQL is put together from the catalog columns, close to
// what SHOW CREATE prints, without a query per object.
const (
	viewsQuery = `SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION
FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`

	triggersQuery = `SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT
FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`

	// A routine comes with its parameters, one row each, in order; a
	// routine without parameters is one row of NULLs for them.
	routinesQuery = `SELECT r.ROUTINE_NAME, r.ROUTINE_TYPE, COALESCE(r.DTD_IDENTIFIER, ''), COALESCE(r.ROUTINE_DEFINITION, ''),
	r.IS_DETERMINISTIC, r.SQL_DATA_ACCESS, COALESCE(r.ROUTINE_COMMENT, ''),
	p.PARAMETER_MODE, p.PARAMETER_NAME, p.DTD_IDENTIFIER
FROM information_schema.ROUTINES AS r
LEFT JOIN information_schema.PARAMETERS AS p
	ON p.SPECIFIC_SCHEMA = ? AND p.SPECIFIC_NAME = r.SPECIFIC_NAME AND p.ROUTINE_TYPE = r.ROUTINE_TYPE
	AND p.ORDINAL_POSITION > 0
WHERE r.ROUTINE_SCHEMA = ?
ORDER BY r.ROUTINE_NAME, r.ROUTINE_TYPE, p.ORDINAL_POSITION`

	eventsQuery = `SELECT EVENT_NAME, EVENT_DEFINITION, EVENT_TYPE, COALESCE(CAST(INTERVAL_VALUE AS CHAR), ''),
	COALESCE(INTERVAL_FIELD, ''), COALESCE(CAST(EXECUTE_AT AS CHAR), '')
FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`

	partitionsQuery = `SELECT TABLE_NAME, PARTITION_NAME, COALESCE(PARTITION_METHOD, ''), COALESCE(PARTITION_EXPRESSION, ''),
	COALESCE(PARTITION_DESCRIPTION, '')
FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = ? AND PARTITION_NAME IS NOT NULL
ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION`
)

func (in *inspection) view(rows *sql.Rows) error {
	var name, def, check string
	if err := rows.Scan(&name, &def, &check); err != nil {
		return err
	}
	text := "CREATE VIEW " + quoteIdent(name) + " AS " + def
	if check != "" && check != "NONE" {
		text += " WITH " + check + " CHECK OPTION"
	}
	in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "view", Name: name, SQL: text})
	return nil
}

func (in *inspection) trigger(rows *sql.Rows) error {
	var name, table, timing, event, stmt string
	if err := rows.Scan(&name, &table, &timing, &event, &stmt); err != nil {
		return err
	}
	text := fmt.Sprintf("CREATE TRIGGER %s %s %s ON %s FOR EACH ROW %s", quoteIdent(name), timing, event, quoteIdent(table), stmt)
	// Attached to its table in finish.
	in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "trigger", Name: name, Table: table, SQL: text})
	return nil
}

// routine is a stored procedure or function while its parameters are read.
type routine struct {
	obj                   *schema.Object
	kind, returns, body   string
	deterministic, access string
	comment               string
	params                []string
}

func (r *routine) sql() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE %s %s(%s)", strings.ToUpper(r.kind), quoteIdent(r.obj.Name), strings.Join(r.params, ", "))
	if r.kind == "function" && r.returns != "" {
		b.WriteString(" RETURNS " + r.returns)
	}
	if r.deterministic == "YES" {
		b.WriteString(" DETERMINISTIC")
	}
	if r.access != "" && r.access != "CONTAINS SQL" {
		b.WriteString(" " + r.access)
	}
	if r.comment != "" {
		b.WriteString(" COMMENT " + quoteString(r.comment))
	}
	b.WriteString("\n" + r.body)
	return b.String()
}

func (in *inspection) routine(rows *sql.Rows) error {
	r := &routine{}
	var name, typ string
	var mode, param, dtd sql.NullString
	if err := rows.Scan(&name, &typ, &r.returns, &r.body, &r.deterministic, &r.access, &r.comment, &mode, &param, &dtd); err != nil {
		return err
	}
	key := [2]string{name, typ}
	if prev, ok := in.routines[key]; ok {
		r = prev
	} else {
		r.kind = strings.ToLower(typ)
		r.obj = &schema.Object{Kind: r.kind, Name: name}
		if in.routines == nil {
			in.routines = map[[2]string]*routine{}
		}
		in.routines[key] = r
		in.s.Objects = append(in.s.Objects, r.obj)
	}
	if !param.Valid {
		return nil
	}
	p := quoteIdent(param.String) + " " + dtd.String
	if r.kind == "procedure" && mode.String != "" {
		p = mode.String + " " + p
	}
	r.params = append(r.params, p)
	return nil
}

func (in *inspection) event(rows *sql.Rows) error {
	var name, def, typ, every, field, at string
	if err := rows.Scan(&name, &def, &typ, &every, &field, &at); err != nil {
		return err
	}
	schedule := "AT " + quoteString(at)
	if typ == "RECURRING" {
		schedule = "EVERY " + every + " " + field
	}
	in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "event", Name: name,
		SQL: fmt.Sprintf("CREATE EVENT %s ON SCHEDULE %s DO %s", quoteIdent(name), schedule, def)})
	return nil
}

type partition struct {
	name, method, expr, desc string
}

func (in *inspection) partition(rows *sql.Rows) error {
	var table string
	var p partition
	if err := rows.Scan(&table, &p.name, &p.method, &p.expr, &p.desc); err != nil {
		return err
	}
	if in.partitions == nil {
		in.partitions = map[string][]partition{}
	}
	in.partitions[table] = append(in.partitions[table], p)
	return nil
}

// partitionSQL writes a table's partitioning clause.
func partitionSQL(ps []partition) string {
	method := ps[0].method
	var b strings.Builder
	fmt.Fprintf(&b, "PARTITION BY %s (%s) (", method, ps[0].expr)
	if strings.HasPrefix(method, "RANGE COLUMNS") || strings.HasPrefix(method, "LIST COLUMNS") {
		b.Reset()
		fmt.Fprintf(&b, "PARTITION BY %s(%s) (", method, ps[0].expr)
	}
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("PARTITION " + quoteIdent(p.name))
		switch {
		case strings.HasPrefix(method, "RANGE"):
			b.WriteString(" VALUES LESS THAN (" + p.desc + ")")
		case strings.HasPrefix(method, "LIST"):
			b.WriteString(" VALUES IN (" + p.desc + ")")
		}
	}
	b.WriteString(")")
	return b.String()
}

// foreignKeySQL writes a foreign key to a table of database db, for the
// report.
func foreignKeySQL(f *schema.ForeignKey, db string) string {
	cols := make([]string, len(f.Columns))
	for i, c := range f.Columns {
		cols[i] = quoteIdent(c)
	}
	refs := make([]string, len(f.RefColumns))
	for i, c := range f.RefColumns {
		refs[i] = quoteIdent(c)
	}
	return fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s.%s (%s)", quoteIdent(f.Name),
		strings.Join(cols, ", "), quoteIdent(db), quoteIdent(f.RefTable), strings.Join(refs, ", "))
}

// withParser finds the WITH PARSER clause of each FULLTEXT key in SHOW
// CREATE TABLE text.
var withParser = regexp.MustCompile("(?m)^\\s*FULLTEXT KEY `((?:[^`]|``)*)` .*WITH PARSER `((?:[^`]|``)*)`")

// parsers reads the parser of FULLTEXT indexes, which information_schema
// does not show. Only a server with an active full-text parser plugin can
// have one, so without such a plugin nothing more is read; with one, SHOW
// CREATE TABLE is read for the tables with FULLTEXT indexes only.
func (in *inspection) parsers(ctx context.Context, q Querier) error {
	var tables []*inspectedTable
	for _, it := range in.order {
		if it.fulltext {
			tables = append(tables, it)
		}
	}
	if len(tables) == 0 {
		return nil
	}
	var plugins int
	err := query(ctx, q, `SELECT COUNT(*) FROM information_schema.PLUGINS
WHERE PLUGIN_TYPE = 'FTPARSER' AND PLUGIN_STATUS = 'ACTIVE'`, func(rows *sql.Rows) error {
		return rows.Scan(&plugins)
	})
	if err != nil || plugins == 0 {
		return err
	}
	for _, it := range tables {
		var create string
		err := query(ctx, q, "SHOW CREATE TABLE "+quoteIdent(in.db)+"."+quoteIdent(it.t.Name), func(rows *sql.Rows) error {
			var name string
			return rows.Scan(&name, &create)
		})
		if err != nil {
			return err
		}
		for _, m := range withParser.FindAllStringSubmatch(create, -1) {
			if idx, ok := it.t.Index(strings.ReplaceAll(m[1], "``", "`")); ok {
				idx.Parser = strings.ReplaceAll(m[2], "``", "`")
			}
		}
	}
	return nil
}
