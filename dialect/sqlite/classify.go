package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// ClassifyText classifies one SQLite statement from its text alone (see
// sqltext.Class); Transactional stays false. TEMP tables, views and
// triggers are Session. A PRAGMA is Session when it sets (or reads) state
// of the connection that ends with it (foreign_keys, busy_timeout,
// cache_size, …); every other PRAGMA is Opaque, since it changes the
// database file in a way the catalog does not show (user_version,
// journal_mode=WAL, page_size) or does work (optimize, integrity_check).
// ATTACH and DETACH are Session; transaction control, VACUUM, ANALYZE and
// REINDEX are Opaque.
func ClassifyText(stmt string) sqltext.Class {
	toks, _ := Lex(stmt)
	return classify(sqltext.NewCursor(toks))
}

// Classify is ClassifyText with Transactional set: every SQLite statement
// commits or rolls back with the transaction it runs in.
func (*Dialect) Classify(_ context.Context, _ *sql.Conn, stmt string) (sqltext.Class, error) {
	c := ClassifyText(stmt)
	c.Transactional = true
	return c, nil
}

func classify(c *sqltext.Cursor) sqltext.Class {
	w := c.Word()
	switch w {
	case "SELECT", "VALUES", "EXPLAIN":
		return sqltext.Class{Kind: sqltext.Read, Verb: w}
	case "WITH":
		c.SkipWith()
		return classify(c)
	case "INSERT", "REPLACE", "UPDATE", "DELETE":
		if c.Accept("OR") != "" {
			c.Next() // the conflict resolution
		}
		c.Accept("INTO", "FROM")
		cl := sqltext.Class{Kind: sqltext.DML, Verb: w}
		if s, n, ok := c.Name(); ok {
			cl.Objects = []sqltext.Object{{Kind: "table", Schema: s, Name: n}}
		}
		return cl
	case "CREATE":
		return create(c)
	case "DROP":
		kind := c.Word()
		cl := sqltext.Class{Kind: sqltext.DDL, Verb: strings.TrimSpace("DROP " + kind)}
		c.AcceptSeq("IF", "EXISTS")
		o := sqltext.Object{Kind: strings.ToLower(kind)}
		o.Schema, o.Name, _ = c.Name()
		cl.Objects = []sqltext.Object{o}
		return cl
	case "ALTER":
		c.Accept("TABLE")
		cl := sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE"}
		s, n, _ := c.Name()
		cl.Objects = []sqltext.Object{{Kind: "table", Schema: s, Name: n}}
		if c.AcceptSeq("RENAME", "TO") {
			_, to, _ := c.Name() // the table stays in its schema
			cl.Objects = append(cl.Objects, sqltext.Object{Kind: "table", Schema: s, Name: to})
		}
		return cl
	case "PRAGMA":
		_, name, _ := c.Name()
		if connectionPragmas[strings.ToLower(name)] {
			return sqltext.Class{Kind: sqltext.Session, Verb: w}
		}
		return sqltext.Class{Kind: sqltext.Opaque, Verb: w}
	case "ATTACH", "DETACH":
		return sqltext.Class{Kind: sqltext.Session, Verb: w}
	case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "VACUUM", "ANALYZE", "REINDEX":
		return sqltext.Class{Kind: sqltext.Opaque, Verb: w}
	}
	return sqltext.Class{Verb: w}
}

// create reads CREATE [TEMP] [UNIQUE|VIRTUAL] TABLE|INDEX|VIEW|TRIGGER.
func create(c *sqltext.Cursor) sqltext.Class {
	cl := sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE"}
	if w := c.Accept("TEMP", "TEMPORARY"); w != "" {
		cl.Kind, cl.Verb = sqltext.Session, cl.Verb+" "+w
	}
	if w := c.Accept("UNIQUE", "VIRTUAL"); w != "" {
		cl.Verb += " " + w
	}
	kind := c.Word()
	cl.Verb = strings.TrimSpace(cl.Verb + " " + kind)
	c.AcceptSeq("IF", "NOT", "EXISTS")
	o := sqltext.Object{Kind: strings.ToLower(kind)}
	o.Schema, o.Name, _ = c.Name()
	switch kind {
	case "TABLE", "VIEW":
	case "INDEX", "TRIGGER":
		if c.SkipTo("ON") {
			c.Next()
			_, o.Table, _ = c.Name()
		}
	default:
		cl.Kind = sqltext.Unknown
		return cl
	}
	cl.Objects = []sqltext.Object{o}
	return cl
}

// connectionPragmas set or read state that belongs to the connection and
// ends with it; the others are stored in the database file, or do work.
var connectionPragmas = map[string]bool{
	"analysis_limit": true, "automatic_index": true, "busy_timeout": true, "cache_size": true,
	"cache_spill": true, "case_sensitive_like": true, "cell_size_check": true,
	"checkpoint_fullfsync": true, "count_changes": true, "defer_foreign_keys": true,
	"empty_result_callbacks": true, "foreign_keys": true, "full_column_names": true,
	"fullfsync": true, "hard_heap_limit": true, "ignore_check_constraints": true,
	"legacy_alter_table": true, "locking_mode": true, "mmap_size": true, "query_only": true,
	"read_uncommitted": true, "recursive_triggers": true, "reverse_unordered_selects": true,
	"short_column_names": true, "soft_heap_limit": true, "synchronous": true, "temp_store": true,
	"threads": true, "trusted_schema": true, "writable_schema": true,
}
