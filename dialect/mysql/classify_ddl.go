package mysql

import (
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// modifiers moves past what CREATE and ALTER allow before the object kind
// (OR REPLACE, ALGORITHM=…, DEFINER=…, SQL SECURITY …, ONLINE, IGNORE) and
// returns the words among them that say what the object is: TEMPORARY,
// UNIQUE, FULLTEXT, SPATIAL, AGGREGATE.
func modifiers(c *sqltext.Cursor) []string {
	var adj []string
	for {
		switch {
		case c.AcceptSeq("OR", "REPLACE"), c.Accept("ONLINE", "OFFLINE", "IGNORE") != "":
		case c.Accept("ALGORITHM") != "":
			c.AcceptOp("=")
			c.Next()
		case c.Accept("DEFINER") != "":
			c.AcceptOp("=")
			c.Next() // a user, CURRENT_USER or a role
			if c.AcceptOp("(") {
				c.AcceptOp(")")
			}
			if c.AcceptOp("@") {
				c.Next()
			}
		case c.AcceptSeq("SQL", "SECURITY"):
			c.Next()
		default:
			if w := c.Accept("TEMPORARY", "UNIQUE", "FULLTEXT", "SPATIAL", "AGGREGATE"); w != "" {
				adj = append(adj, w)
				continue
			}
			return adj
		}
	}
}

// object reads the name of an object of kind (CREATE, ALTER or DROP kind
// name): a table, view, routine, event or database. ok is false for kinds
// the catalog does not show (users, servers, tablespaces, …).
func object(kind string, c *sqltext.Cursor) (o sqltext.Object, ok bool) {
	switch kind {
	case "TABLE", "TABLES", "SEQUENCE": // a MariaDB sequence is a table
		o.Kind = "table"
	case "VIEW", "PROCEDURE", "FUNCTION", "EVENT", "TRIGGER":
		o.Kind = strings.ToLower(kind)
	case "DATABASE", "SCHEMA":
		o.Kind = "database"
		if c.Is("CHARACTER", "CHARSET", "DEFAULT", "COLLATE", "COMMENT", "READ", "ENCRYPTION", "UPGRADE") {
			return o, true // ALTER DATABASE of the current one
		}
		_, o.Name, _ = c.Name()
		return o, true
	default:
		return o, false
	}
	o.Schema, o.Name, _ = c.Name()
	return o, true
}

// onTable reads "… ON table" after an index or trigger name into o.
func onTable(c *sqltext.Cursor, o *sqltext.Object) {
	if c.SkipTo("ON") {
		c.Next()
		s, t, _ := c.Name()
		o.Table = t
		if o.Schema == "" {
			o.Schema = s
		}
	}
}

// index reads "name … ON table" of CREATE or DROP INDEX.
func index(c *sqltext.Cursor) sqltext.Object {
	o := sqltext.Object{Kind: "index"}
	_, o.Name, _ = c.Name()
	onTable(c, &o)
	return o
}

func createStmt(c *sqltext.Cursor) sqltext.Class {
	adj := modifiers(c)
	kind := c.Word()
	cl := sqltext.Class{Kind: sqltext.DDL, Verb: strings.Join(append(append([]string{"CREATE"}, adj...), kind), " ")}
	c.AcceptSeq("IF", "NOT", "EXISTS")
	if kind == "INDEX" {
		cl.Objects = []sqltext.Object{index(c)}
		return cl
	}
	o, ok := object(kind, c)
	if !ok {
		cl.Kind = sqltext.Opaque
		return cl
	}
	if kind == "TRIGGER" {
		onTable(c, &o)
	}
	cl.Objects = []sqltext.Object{o}
	if len(adj) > 0 && adj[0] == "TEMPORARY" {
		cl.Kind = sqltext.Session
	}
	return cl
}

func alterStmt(c *sqltext.Cursor) sqltext.Class {
	modifiers(c)
	kind := c.Word()
	cl := sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER " + kind}
	if kind == "TABLE" {
		o, clauses, _ := alterTable(c)
		cl.Objects = []sqltext.Object{o}
		for _, cla := range clauses {
			if movesData(cla) {
				// Rows move between tables or files, and SHOW CREATE looks
				// the same before and after: the catalog cannot tell.
				cl.Kind = sqltext.Opaque
			}
			if to, ok := renameTo(sqltext.NewCursor(cla)); ok {
				cl.Objects = append(cl.Objects, to)
			}
		}
		return cl
	}
	o, ok := object(kind, c)
	if !ok {
		cl.Kind = sqltext.Opaque
		return cl
	}
	cl.Objects = []sqltext.Object{o}
	if kind == "EVENT" && c.SkipTo("RENAME") {
		c.Next()
		c.Accept("TO")
		s, n, _ := c.Name()
		cl.Objects = append(cl.Objects, sqltext.Object{Kind: "event", Schema: s, Name: n})
	}
	return cl
}

// movesData reports whether an ALTER TABLE clause moves rows without
// changing the table's definition: EXCHANGE PARTITION, TRUNCATE
// PARTITION, DISCARD or IMPORT TABLESPACE.
func movesData(clause []sqltext.Token) bool {
	c := sqltext.NewCursor(clause)
	switch {
	case c.Is("EXCHANGE", "DISCARD", "IMPORT"):
		return true
	case c.Accept("TRUNCATE") != "":
		return c.Is("PARTITION")
	}
	return false
}

// renameTo reads an ALTER TABLE clause that renames the table: RENAME
// [TO|AS] name, but not RENAME COLUMN, INDEX or KEY.
func renameTo(c *sqltext.Cursor) (sqltext.Object, bool) {
	if c.Accept("RENAME") == "" || c.Is("COLUMN", "INDEX", "KEY") {
		return sqltext.Object{}, false
	}
	c.Accept("TO", "AS")
	s, n, ok := c.Name()
	return tableObj(s, n), ok
}

func dropStmt(c *sqltext.Cursor) sqltext.Class {
	cl := sqltext.Class{Kind: sqltext.DDL, Verb: "DROP"}
	if c.Accept("TEMPORARY") != "" {
		cl.Kind, cl.Verb = sqltext.Session, "DROP TEMPORARY"
	}
	c.Accept("ONLINE", "OFFLINE")
	kind := c.Word()
	cl.Verb += " " + kind
	c.AcceptSeq("IF", "EXISTS")
	if kind == "INDEX" {
		cl.Objects = []sqltext.Object{index(c)}
		return cl
	}
	for {
		o, ok := object(kind, c)
		if !ok {
			cl.Kind = sqltext.Opaque
			return cl
		}
		cl.Objects = append(cl.Objects, o)
		if !c.AcceptOp(",") {
			return cl
		}
	}
}

// renameStmt reads RENAME TABLE a TO b, c TO d: every name is an object.
func renameStmt(c *sqltext.Cursor) sqltext.Class {
	if c.Accept("TABLE", "TABLES") == "" {
		return sqltext.Class{Kind: sqltext.Opaque, Verb: "RENAME " + c.Word()}
	}
	cl := sqltext.Class{Kind: sqltext.DDL, Verb: "RENAME TABLE"}
	c.AcceptSeq("IF", "EXISTS")
	for {
		s, n, ok := c.Name()
		if !ok {
			return cl
		}
		cl.Objects = append(cl.Objects, tableObj(s, n))
		if c.Accept("NOWAIT") == "" && c.Accept("WAIT") != "" {
			c.Next()
		}
		if c.Accept("TO") == "" && !c.AcceptOp(",") {
			return cl
		}
	}
}

// setStmt reads SET. It changes the session, unless it sets a global or
// persisted variable, a password or a default role. MariaDB's SET
// STATEMENT … FOR stmt is stmt.
func setStmt(c *sqltext.Cursor) sqltext.Class {
	if c.Accept("STATEMENT") != "" && c.SkipTo("FOR") {
		c.Next()
		return classify(c)
	}
	cl := sqltext.Class{Kind: sqltext.Session, Verb: "SET"}
	if c.Is("PASSWORD", "DEFAULT", "RESOURCE") {
		cl.Kind = sqltext.Opaque
		return cl
	}
	for !c.Done() {
		r := c.Rest()
		if c.Is("GLOBAL", "PERSIST", "PERSIST_ONLY") ||
			len(r) > 2 && r[0].IsOp("@") && r[1].IsOp("@") && (r[2].Is("GLOBAL") || r[2].Is("PERSIST") || r[2].Is("PERSIST_ONLY")) {
			cl.Kind = sqltext.Opaque
		}
		for !c.Done() && !c.AcceptOp(",") {
			c.Skip()
		}
	}
	return cl
}

// Alter is an ALTER TABLE statement taken apart for a tool that runs the
// change itself, such as pt-online-schema-change (D=Schema,t=Table
// --alter "clause, clause").
type Alter struct {
	Schema string // "" = the current database
	Table  string
	// Clauses are the statement's top-level clauses as written, without
	// the commas between them: "ADD COLUMN `a` int", "DROP INDEX `b`".
	Clauses []string
}

// ParseAlter takes apart one ALTER TABLE statement (a trailing semicolon
// allowed). ok is false for any other statement, for ALTER IGNORE TABLE
// (which no clause list can say), and for an ALTER TABLE without clauses.
func ParseAlter(stmt string) (alt Alter, ok bool) {
	toks := code(stmt)
	c := sqltext.NewCursor(toks)
	if c.Accept("ALTER") == "" {
		return Alter{}, false
	}
	c.Accept("ONLINE")
	if c.Accept("TABLE") == "" || !single(toks) {
		return Alter{}, false
	}
	o, clauses, ok := alterTable(c)
	if !ok {
		return Alter{}, false
	}
	alt = Alter{Schema: o.Schema, Table: o.Name}
	for _, cl := range clauses {
		alt.Clauses = append(alt.Clauses, stmt[cl[0].Pos:cl[len(cl)-1].End()])
	}
	return alt, true
}

// alterTable reads what follows ALTER TABLE: the table, and the tokens of
// each top-level clause. ok is false without a table or a clause, or with
// an empty clause.
func alterTable(c *sqltext.Cursor) (o sqltext.Object, clauses [][]sqltext.Token, ok bool) {
	c.AcceptSeq("IF", "EXISTS")
	s, n, ok := c.Name()
	if !ok {
		return sqltext.Object{}, nil, false
	}
	if c.Accept("NOWAIT") == "" && c.Accept("WAIT") != "" {
		c.Next()
	}
	depth := 0
	var cur []sqltext.Token
	for _, t := range c.Rest() {
		switch {
		case t.IsOp("("):
			depth++
		case t.IsOp(")"):
			depth--
		case t.IsOp(",") && depth == 0:
			clauses = append(clauses, cur)
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	clauses = append(clauses, cur)
	for _, cl := range clauses {
		if len(cl) == 0 {
			return tableObj(s, n), nil, false
		}
	}
	return tableObj(s, n), clauses, true
}

// single reports whether toks hold one statement: nothing but blanks and
// comments after its End.
func single(toks []sqltext.Token) bool {
	end := false
	for _, t := range toks {
		switch {
		case t.Kind == sqltext.End:
			if end {
				return false
			}
			end = true
		case end && t.Code():
			return false
		}
	}
	return true
}
