package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// ClassifyText classifies one MySQL statement from its text alone (see
// sqltext.Class); Transactional stays false. Executable comments are
// classified by what they run: /*!40101 SET NAMES utf8 */ is Session. DML
// names the tables it writes: the target of INSERT … SELECT, the updated or
// deleted tables of a multi-table UPDATE or DELETE (every table of the join
// when an assignment does not say which). Temporary tables are Session;
// TRUNCATE, OPTIMIZE, GRANT, CALL, LOAD DATA, FLUSH, LOCK, transaction
// control and the like are Opaque; SET GLOBAL, SET PASSWORD and other SETs
// that outlive the session are Opaque too.
func ClassifyText(stmt string) sqltext.Class {
	return classify(sqltext.NewCursor(code(stmt)))
}

// Classify is ClassifyText, and sets Transactional for DML whose written
// tables all use a transactional engine (InnoDB), as the catalog on conn
// says: one query for all of them. A table the catalog does not list (not
// created yet, temporary, a view) is not known to be transactional. Aria
// tables are not, even with TRANSACTIONAL=1: that makes them crash-safe
// per statement, but a ROLLBACK does not undo their changes.
func (d *Dialect) Classify(ctx context.Context, conn *sql.Conn, stmt string) (sqltext.Class, error) {
	c := ClassifyText(stmt)
	if c.Kind != sqltext.DML || len(c.Objects) == 0 {
		return c, nil
	}
	var (
		cond []string
		args []any
	)
	for _, o := range c.Objects {
		cond = append(cond, "(TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ?)")
		args = append(args, o.Schema, o.Name)
	}
	rows, err := conn.QueryContext(ctx, "SELECT TABLE_SCHEMA, TABLE_NAME, COALESCE(ENGINE, '') FROM information_schema.TABLES WHERE "+strings.Join(cond, " OR "), args...)
	if err != nil {
		return c, fmt.Errorf("read the engines of the tables a statement writes: %w", err)
	}
	defer rows.Close()
	var found []sqltext.Object // the tables' engines, in Kind
	for rows.Next() {
		var o sqltext.Object
		if err := rows.Scan(&o.Schema, &o.Name, &o.Kind); err != nil {
			return c, fmt.Errorf("read the engines of the tables a statement writes: %w", err)
		}
		found = append(found, o)
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("read the engines of the tables a statement writes: %w", err)
	}
	c.Transactional = allTransactional(c.Objects, found)
	return c, nil
}

// allTransactional reports whether every written table is among the found
// ones and each found table of that name is InnoDB. Names compare without
// case, as the catalog query does.
func allTransactional(written, found []sqltext.Object) bool {
	for _, w := range written {
		seen := false
		for _, f := range found {
			if !strings.EqualFold(f.Name, w.Name) || w.Schema != "" && !strings.EqualFold(f.Schema, w.Schema) {
				continue
			}
			if !strings.EqualFold(f.Kind, "InnoDB") {
				return false
			}
			seen = true
		}
		if !seen {
			return false
		}
	}
	return true
}

// code is the code of a statement as the server runs it: executable
// comments opened, blanks and comments left out. Offsets stay those of
// stmt.
func code(stmt string) []sqltext.Token {
	toks, _ := lexText(stmt)
	var out []sqltext.Token
	for _, t := range toks {
		if t.Kind != sqltext.Executable {
			out = append(out, t)
			continue
		}
		// /*!, or MariaDB's /*M!, then the server version it needs.
		prefix := "/*!"
		if strings.HasPrefix(t.Text, "/*M!") {
			prefix = "/*M!"
		}
		start := len(t.Text) - len(strings.TrimLeft(t.Text[len(prefix):], "0123456789"))
		body := strings.TrimSuffix(t.Text[start:], "*/")
		inner := code(body)
		for i := range inner {
			inner[i].Pos += t.Pos + start
			inner[i].Line += t.Line - 1
		}
		out = append(out, inner...)
	}
	return out
}

func tableObj(schema, name string) sqltext.Object {
	return sqltext.Object{Kind: "table", Schema: schema, Name: name}
}

// classify reads the statement at c.
func classify(c *sqltext.Cursor) sqltext.Class {
	for c.AcceptOp("(") { // (SELECT …) UNION …
	}
	w := c.Word()
	switch w {
	case "SELECT":
		if c.SkipTo("INTO") && c.Next().Is("INTO") && c.Is("OUTFILE", "DUMPFILE") {
			return sqltext.Class{Kind: sqltext.Opaque, Verb: w}
		}
		return sqltext.Class{Kind: sqltext.Read, Verb: w}
	case "TABLE", "VALUES", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "HELP":
		return sqltext.Class{Kind: sqltext.Read, Verb: w}
	case "WITH":
		c.SkipWith()
		return classify(c)
	case "INSERT", "REPLACE":
		c.Accept("LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY")
		c.Accept("IGNORE")
		c.Accept("INTO")
		return insertStmt(w, c)
	case "UPDATE":
		return updateStmt(c)
	case "DELETE":
		return deleteStmt(c)
	case "CREATE":
		return createStmt(c)
	case "ALTER":
		return alterStmt(c)
	case "DROP":
		return dropStmt(c)
	case "RENAME":
		return renameStmt(c)
	case "SET":
		return setStmt(c)
	case "USE":
		_, db, _ := c.Name()
		return sqltext.Class{Kind: sqltext.Session, Verb: w, Objects: []sqltext.Object{{Kind: "database", Name: db}}}
	case "TRUNCATE":
		cl := sqltext.Class{Kind: sqltext.Opaque, Verb: w}
		if c.Accept("TABLE") != "" {
			cl.Verb += " TABLE"
		}
		if s, n, ok := c.Name(); ok {
			cl.Objects = []sqltext.Object{tableObj(s, n)}
		}
		return cl
	case "ANALYZE":
		// MariaDB's ANALYZE runs a statement and reports on it.
		if !c.Is("TABLE", "NO_WRITE_TO_BINLOG", "LOCAL") {
			return classify(c)
		}
	case "":
		return sqltext.Class{}
	}
	if opaque[w] {
		if second := c.Word(); second != "" && twoWords[w] {
			w += " " + second
		}
		return sqltext.Class{Kind: sqltext.Opaque, Verb: w}
	}
	return sqltext.Class{Verb: w}
}

// opaque are the statements whose effect the catalog does not show, or
// that end or start the transaction a migration runs in.
var opaque = map[string]bool{
	"ANALYZE": true, "OPTIMIZE": true, "CHECK": true, "CHECKSUM": true, "REPAIR": true,
	"GRANT": true, "REVOKE": true, "CALL": true, "DO": true, "LOAD": true, "FLUSH": true,
	"LOCK": true, "UNLOCK": true, "KILL": true, "RESET": true, "PURGE": true, "INSTALL": true,
	"UNINSTALL": true, "CHANGE": true, "START": true, "STOP": true, "BEGIN": true, "COMMIT": true,
	"ROLLBACK": true, "SAVEPOINT": true, "RELEASE": true, "XA": true, "PREPARE": true,
	"EXECUTE": true, "DEALLOCATE": true, "HANDLER": true, "CACHE": true, "BINLOG": true,
	"SHUTDOWN": true, "RESTART": true, "CLONE": true, "IMPORT": true, "BACKUP": true,
}

// twoWords are the opaque verbs named with the word after them.
var twoWords = map[string]bool{"LOAD": true, "LOCK": true, "UNLOCK": true, "START": true, "STOP": true, "CHANGE": true, "XA": true}

// insertStmt is an INSERT or REPLACE whose target table is next.
func insertStmt(verb string, c *sqltext.Cursor) sqltext.Class {
	cl := sqltext.Class{Kind: sqltext.DML, Verb: verb}
	if s, n, ok := c.Name(); ok {
		cl.Objects = []sqltext.Object{tableObj(s, n)}
	}
	return cl
}

// ref is a table of a FROM or UPDATE list, with its alias.
type ref struct {
	obj   sqltext.Object
	alias string
}

// notAlias are the words that can follow a table of a join without being
// its alias.
var notAlias = map[string]bool{
	"ON": true, "USING": true, "SET": true, "WHERE": true, "JOIN": true, "INNER": true, "CROSS": true,
	"LEFT": true, "RIGHT": true, "OUTER": true, "NATURAL": true, "STRAIGHT_JOIN": true, "PARTITION": true,
	"USE": true, "IGNORE": true, "FORCE": true, "ORDER": true, "LIMIT": true, "RETURNING": true,
}

// tableRefs reads the tables of a join up to one of the stop words: their
// names and aliases. Derived tables and the join conditions are skipped.
func tableRefs(c *sqltext.Cursor, stop ...string) []ref {
	var refs []ref
	name := true // a table name may come next
	for !c.Done() && !c.Is(stop...) {
		t := c.Peek()
		switch {
		case t.IsOp(","):
			c.Next()
			name = true
		case c.Accept("JOIN", "STRAIGHT_JOIN") != "":
			name = true
		case c.Accept("ON", "USING") != "":
			for !c.Done() && !c.Is(stop...) && !c.Peek().IsOp(",") && !c.Is("JOIN", "STRAIGHT_JOIN", "INNER", "CROSS", "LEFT", "RIGHT", "NATURAL") {
				c.Skip()
			}
		case name && (t.Kind == sqltext.Word || t.Kind == sqltext.Ident):
			s, n, _ := c.Name()
			r := ref{obj: tableObj(s, n)}
			c.Accept("AS")
			if a := c.Peek(); a.Kind == sqltext.Ident || a.Kind == sqltext.Word && !notAlias[strings.ToUpper(a.Text)] && !c.Is(stop...) {
				r.alias = c.Next().Value
			}
			refs = append(refs, r)
			name = false
		default:
			c.Skip()
		}
	}
	return refs
}

// resolve finds the table a name of a multi-table UPDATE or DELETE means:
// an alias, or a table of the join, or else a table by that name.
func resolve(schema, name string, refs []ref) sqltext.Object {
	if schema == "" {
		for _, r := range refs {
			if r.alias != "" && strings.EqualFold(r.alias, name) || r.alias == "" && strings.EqualFold(r.obj.Name, name) {
				return r.obj
			}
		}
	}
	return tableObj(schema, name)
}

// addObject appends o unless objs has it.
func addObject(objs []sqltext.Object, o sqltext.Object) []sqltext.Object {
	for _, x := range objs {
		if x == o {
			return objs
		}
	}
	return append(objs, o)
}

// updateStmt reads UPDATE: the tables its SET assigns to.
func updateStmt(c *sqltext.Cursor) sqltext.Class {
	cl := sqltext.Class{Kind: sqltext.DML, Verb: "UPDATE"}
	c.Accept("LOW_PRIORITY")
	c.Accept("IGNORE")
	refs := tableRefs(c, "SET")
	if len(refs) == 1 || !c.Is("SET") {
		for _, r := range refs {
			cl.Objects = addObject(cl.Objects, r.obj)
		}
		return cl
	}
	c.Next()
	for !c.Done() && !c.Is("WHERE", "ORDER", "LIMIT") {
		switch parts := c.Parts(3); len(parts) {
		case 3:
			cl.Objects = addObject(cl.Objects, tableObj(parts[0], parts[1]))
		case 2:
			cl.Objects = addObject(cl.Objects, resolve("", parts[0], refs))
		default: // a column of whichever table has it
			for _, r := range refs {
				cl.Objects = addObject(cl.Objects, r.obj)
			}
		}
		for !c.Done() && !c.Is("WHERE", "ORDER", "LIMIT") && !c.AcceptOp(",") {
			c.Skip()
		}
	}
	return cl
}

// deleteStmt reads DELETE: the tables it deletes from.
func deleteStmt(c *sqltext.Cursor) sqltext.Class {
	cl := sqltext.Class{Kind: sqltext.DML, Verb: "DELETE"}
	for c.Accept("LOW_PRIORITY", "QUICK", "IGNORE") != "" {
	}
	from := c.Accept("FROM") != ""
	type target struct{ schema, name string }
	var targets []target
	for {
		s, n, ok := c.Name()
		if !ok {
			break
		}
		targets = append(targets, target{s, n})
		if c.AcceptOp(".") {
			c.AcceptOp("*")
		}
		if !c.AcceptOp(",") {
			break
		}
	}
	var refs []ref
	switch {
	case from && c.Accept("USING") != "": // DELETE FROM t1, t2 USING join
		refs = tableRefs(c, "WHERE")
	case !from && c.Accept("FROM") != "": // DELETE t1, t2 FROM join
		refs = tableRefs(c, "WHERE")
	}
	for _, t := range targets {
		cl.Objects = addObject(cl.Objects, resolve(t.schema, t.name, refs))
	}
	return cl
}
