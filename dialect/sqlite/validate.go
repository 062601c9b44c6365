package sqlite

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// Validate reports what SQLite refuses in a schema as written, before
// normalisation: the schema name, auto_increment, STRICT and WITHOUT
// ROWID tables, foreign keys to columns that are not a key. Parts marked
// broken were reported already and are skipped.
func (*Dialect) Validate(s *schema.Schema, broken schema.Broken) []schema.Problem {
	var probs []schema.Problem
	if s.Name != "main" {
		probs = append(probs, schema.Problem{Object: s, Summary: "Invalid SQLite schema",
			Detail: fmt.Sprintf("the SQLite schema must be named \"main\", got %q (attached databases are not supported)", s.Name)})
	}
	for _, t := range s.Tables {
		probs = append(probs, autoIncrement(t, broken)...)
		probs = append(probs, foreignKeyTargets(s, t, broken)...)
		probs = append(probs, tableOptions(t, broken)...)
		probs = append(probs, reservedNames(t)...)
		probs = append(probs, indexNamedAsTable(s, t)...)
		probs = append(probs, schema.CommentedExprs(t, hasComment)...)
	}
	return probs
}

// hasComment reports whether SQLite sees a comment in expr.
func hasComment(expr string) bool {
	toks, err := Lex(expr)
	if err != nil {
		return false // the engine reports the broken expression
	}
	for _, t := range toks {
		if t.Kind == sqltext.Comment {
			return true
		}
	}
	return false
}

// indexNamedAsTable refuses an index named like a table: tables and
// indexes share one namespace in SQLite, compared ignoring ASCII case
// ("there is already a table named …").
func indexNamedAsTable(s *schema.Schema, t *schema.Table) []schema.Problem {
	var probs []schema.Problem
	for _, k := range t.Indexes {
		for _, other := range s.Tables {
			if FoldName(other.Name) == FoldName(k.Name) {
				probs = append(probs, schema.Problem{Table: t, Object: k, Summary: "Invalid name",
					Detail: fmt.Sprintf("index %q: SQLite keeps table and index names in one namespace, and table %q has that name", k.Name, other.Name)})
				break
			}
		}
	}
	return probs
}

// reservedNames refuses table and index names that start with "sqlite_",
// in any case of ASCII letters: SQLite keeps them for itself ("object name
// reserved for internal use"). It takes every other name, the empty one,
// long ones and trailing spaces included.
func reservedNames(t *schema.Table) []schema.Problem {
	var probs []schema.Problem
	reserved := func(name string) bool { return strings.HasPrefix(FoldName(name), "sqlite_") }
	for _, k := range t.Indexes {
		// sqlite_autoindex_<table>_<n> is how inspection names the index
		// of a UNIQUE constraint, which Render writes as one.
		if _, ok := autoindexNumber(k.Name); ok && k.Unique && k.Where == "" {
			continue
		}
		if reserved(k.Name) {
			probs = append(probs, schema.Problem{Table: t, Object: k, Summary: "Invalid name",
				Detail: fmt.Sprintf("index %q: SQLite reserves names that start with \"sqlite_\" for internal use", k.Name)})
		}
	}
	if reserved(t.Name) {
		probs = append(probs, schema.Problem{Table: t, Object: t, Summary: "Invalid name",
			Detail: fmt.Sprintf("table %q: SQLite reserves names that start with \"sqlite_\" for internal use", t.Name)})
	}
	return probs
}

// autoIncrement checks the first auto_increment column: SQLite has
// AUTOINCREMENT only on an INTEGER PRIMARY KEY of a rowid table. A
// generated one, and any after it, are the language's to report.
func autoIncrement(t *schema.Table, broken schema.Broken) []schema.Problem {
	var c *schema.Column
	for _, col := range t.Columns {
		if col.AutoIncrement {
			c = col
			break
		}
	}
	if c == nil || c.Generated != nil {
		return nil
	}
	problem := func(format string, args ...any) []schema.Problem {
		return []schema.Problem{{Table: t, Object: c, Attr: "auto_increment", Summary: "Invalid auto_increment", Detail: fmt.Sprintf(format, args...)}}
	}
	if t.WithoutRowID {
		return problem("auto_increment is not allowed in a without_rowid table")
	}
	pk := t.PrimaryKey
	wholePK := pk != nil && len(pk.Parts) == 1 && strings.EqualFold(pk.Parts[0].Column, c.Name)
	switch {
	case pk != nil && broken.Keys[pk], broken.Types[c]:
	case !isRowidAlias(c.Type):
		return problem("SQLite allows auto_increment only on an integer primary key column; column %q.%q is %s", t.Name, c.Name, c.Type)
	case !wholePK:
		return problem("SQLite allows auto_increment only on an integer primary key column; column %q.%q is not the whole primary key", t.Name, c.Name)
	}
	return nil
}

// foreignKeyTargets requires the columns a foreign key references to be
// the primary key or a unique index of their table; SQLite refuses to
// write to the child table otherwise ("foreign key mismatch").
func foreignKeyTargets(s *schema.Schema, t *schema.Table, broken schema.Broken) []schema.Problem {
	var probs []schema.Problem
	for _, fk := range t.ForeignKeys {
		rt, ok := s.Table(fk.RefTable)
		if broken.ForeignKeys[fk] || !ok || broken.KeyOf(rt) || rt.IsUniqueKey(fk.RefColumns) {
			continue
		}
		probs = append(probs, schema.Problem{Table: t, Object: fk, Attr: "ref_columns", Value: true, Summary: "Invalid foreign key",
			Detail: fmt.Sprintf("foreign key %q: referenced columns %s of %q are neither its primary key nor a unique index", fk.Name, quoteList(fk.RefColumns), rt.Name)})
	}
	return probs
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// tableOptions checks STRICT and WITHOUT ROWID tables (E26).
func tableOptions(t *schema.Table, broken schema.Broken) []schema.Problem {
	var probs []schema.Problem
	if t.Strict {
		for _, c := range t.Columns {
			if broken.Types[c] || strictType(c.Type) {
				continue
			}
			probs = append(probs, schema.Problem{Table: t, Object: c, Attr: "type", Value: true, Summary: "Invalid STRICT table",
				Detail: fmt.Sprintf("STRICT tables allow int, integer, real, text, blob, any; %q is none of them", c.Type.String())})
		}
	}
	if t.WithoutRowID && t.PrimaryKey == nil {
		probs = append(probs, schema.Problem{Table: t, Object: t, Attr: "without_rowid", Summary: "Invalid WITHOUT ROWID table",
			Detail: fmt.Sprintf("table %q is without_rowid and needs a primary_key", t.Name)})
	}
	return probs
}

// strictType reports whether a STRICT table takes the type: one of six
// names, in any case, without arguments.
func strictType(t schema.Type) bool {
	name := t.Name
	if t.Raw != "" {
		name = strings.ToLower(strings.TrimSpace(t.Raw))
	} else if t.Args != nil || t.Values != nil {
		return false
	}
	switch name {
	case "int", "integer", "real", "text", "blob", "any":
		return true
	}
	return false
}
