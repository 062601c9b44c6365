package mysql

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// key reads ADD [CONSTRAINT [name]] PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK.
func (w *walker) key(t *tableState, c *sqltext.Cursor) {
	name := ""
	if c.Accept("CONSTRAINT") != "" {
		c.AcceptSeq("IF", "NOT", "EXISTS")
		if !c.Is("PRIMARY", "UNIQUE", "FOREIGN", "CHECK") {
			if p := c.Parts(1); len(p) == 1 {
				name = p[0]
			}
		}
	}
	switch c.Accept("PRIMARY", "UNIQUE", "FOREIGN", "CHECK") {
	case "PRIMARY":
		c.Accept("KEY")
		w.unique(t, "PRIMARY", c, true)
	case "UNIQUE":
		c.Accept("INDEX", "KEY")
		c.AcceptSeq("IF", "NOT", "EXISTS")
		if !c.Peek().IsOp("(") && !c.Is("USING") {
			if p := c.Parts(1); len(p) == 1 {
				name = p[0]
			}
		}
		w.unique(t, name, c, false)
	case "FOREIGN":
		c.Accept("KEY")
		c.AcceptSeq("IF", "NOT", "EXISTS")
		if !c.Peek().IsOp("(") {
			c.Parts(1)
		}
		w.foreignKey(t, c)
	case "CHECK":
		w.checkClause(t, name, c)
	}
}

// part is one part of an index: a column, and a prefix length (0 for the
// whole value).
type part struct {
	col    string
	prefix string
	// convert and collate, when set, are the character set and collation
	// the statement gives the column.
	convert, collate string
}

// parts reads (a, b(10) DESC, …); ok is false for a part the walk cannot
// read (an expression).
func parts(c *sqltext.Cursor) (ps []part, ok bool) {
	if c.Accept("USING") != "" {
		c.Next()
	}
	if !c.AcceptOp("(") {
		return nil, false
	}
	for {
		p := c.Parts(1)
		if len(p) != 1 {
			return nil, false
		}
		pt := part{col: p[0]}
		if c.AcceptOp("(") {
			n := c.Next()
			if n.Kind != sqltext.Number || !c.AcceptOp(")") {
				return nil, false
			}
			pt.prefix = n.Text
		}
		c.Accept("ASC", "DESC")
		ps = append(ps, pt)
		if c.AcceptOp(")") {
			return ps, true
		}
		if !c.AcceptOp(",") {
			return nil, false
		}
	}
}

// refs are the column references of parts, or false when one is unknown.
func refs(t *tableState, ps []part) ([]colRef, bool) {
	var out []colRef
	for _, p := range ps {
		r := t.col(p.col)
		if !r.known() {
			return nil, false
		}
		out = append(out, r)
	}
	return out, true
}

func colList(ps []part) string {
	var names []string
	for _, p := range ps {
		n := quoteIdent(p.col)
		if p.prefix != "" {
			n += "(" + p.prefix + ")"
		}
		names = append(names, n)
	}
	return "(" + strings.Join(names, ", ") + ")"
}

// unique checks that a new unique key (or primary key) over the parts
// finds no two rows equal: rows with a NULL part are left out (a primary
// key has none: those rows are refused), a prefix part compares on its
// prefix, and GROUP BY compares under each column's collation, as the
// index will.
func (w *walker) unique(t *tableState, name string, c *sqltext.Cursor, primary bool) {
	if ps, ok := parts(c); ok {
		w.uniqueParts(t, name, ps, primary, "")
	}
}

// uniqueParts is unique for parts read already. An existing key that a
// statement changes (a column's collation) is named by changed, which
// says how; "" for a new key.
func (w *walker) uniqueParts(t *tableState, name string, ps []part, primary bool, changed string) {
	if t.kind != live {
		return
	}
	rs, ok := refs(t, ps)
	if !ok {
		return
	}
	var sel, notNull, isNull, group []string
	for i, r := range rs {
		e := r.sql("")
		convert, collate := ps[i].convert, ps[i].collate
		if convert == "" {
			convert, collate = r.convert, r.collate
		}
		if convert != "" {
			e = "CONVERT(" + e + " USING " + convert + ")"
			if collate != "" {
				e += " COLLATE " + collate
			}
		}
		if ps[i].prefix != "" {
			e = "LEFT(" + e + ", " + ps[i].prefix + ")"
		}
		alias := quoteIdent(ps[i].col)
		sel = append(sel, e+" AS "+alias)
		group = append(group, alias)
		notNull = append(notNull, r.sql("")+" IS NOT NULL")
		isNull = append(isNull, r.sql("")+" IS NULL")
	}
	what := "the new unique key"
	if name != "" {
		what += " " + quoteIdent(name)
	}
	switch {
	case changed != "" && primary:
		what = "the primary key " + changed
	case changed != "":
		what = "unique key " + quoteIdent(name) + " " + changed
	case primary:
		what = "the new primary key"
		w.add(check{
			problem: fmt.Sprintf("rows of %s with NULL in a column of the new primary key %s", quoteIdent(t.name), colList(ps)),
			count:   "SELECT COUNT(*) FROM " + t.ref() + " WHERE " + strings.Join(isNull, " OR "),
			sample:  "SELECT * FROM " + t.ref() + " WHERE " + strings.Join(isNull, " OR ") + " LIMIT 1",
		})
	}
	// The derived table names each part, so that GROUP BY never reads a
	// constant part (a column the migration adds) as a position.
	groups := "SELECT " + strings.Join(group, ", ") + ", COUNT(*) AS `rows` FROM (SELECT " + strings.Join(sel, ", ") +
		" FROM " + t.ref() + " WHERE " + strings.Join(notNull, " AND ") + ") k GROUP BY " + strings.Join(group, ", ") + " HAVING COUNT(*) > 1"
	w.add(check{
		problem: fmt.Sprintf("rows of %s whose value of %s another row shares, which %s refuses", quoteIdent(t.name), colList(ps), what),
		count:   "SELECT COALESCE(SUM(`rows`), 0) FROM (" + groups + ") d",
		sample:  groups + " LIMIT 1",
	})
}

// foreignKey checks that every row of t whose key parts are all non-NULL
// (MATCH SIMPLE) has a parent.
func (w *walker) foreignKey(t *tableState, c *sqltext.Cursor) {
	child, ok := parts(c)
	if !ok || c.Accept("REFERENCES") == "" || t.kind != live || w.noFK {
		return
	}
	ps, pn, ok := c.Name()
	if !ok {
		return
	}
	parent, ok := parts(c)
	if !ok || len(parent) != len(child) {
		return
	}
	cr, ok := refs(t, child)
	if !ok {
		return
	}
	p := w.table(ps, pn)
	if p.kind == unknown {
		return
	}
	var cond []string
	for _, r := range cr {
		cond = append(cond, r.sql("c")+" IS NOT NULL")
	}
	if p.kind == live {
		pr, ok := refs(p, parent)
		if !ok {
			return
		}
		var eq []string
		for i := range pr {
			eq = append(eq, pr[i].sql("p")+" = "+cr[i].sql("c"))
		}
		cond = append(cond, "NOT EXISTS (SELECT 1 FROM "+p.ref()+" p WHERE "+strings.Join(eq, " AND ")+")")
	}
	where := " FROM " + t.ref() + " c WHERE " + strings.Join(cond, " AND ")
	w.add(check{
		fk:      true,
		problem: fmt.Sprintf("rows of %s without a parent in %s for %s", quoteIdent(t.name), quoteIdent(pn), colList(child)),
		count:   "SELECT COUNT(*)" + where,
		sample:  "SELECT c.*" + where + " LIMIT 1",
	})
}

// checkClause checks that no row makes the expression FALSE (NULL
// passes, as the server's CHECK lets it).
func (w *walker) checkClause(t *tableState, name string, c *sqltext.Cursor) {
	rest := c.Rest()
	if t.kind != live || len(rest) < 2 || !rest[0].IsOp("(") {
		return
	}
	end := groupEnd(rest)
	if end < 2 {
		return
	}
	if after := rest[end+1:]; len(after) >= 2 && after[0].Is("NOT") && after[1].Is("ENFORCED") {
		return // MySQL does not check it
	}
	for _, tok := range rest[1:end] {
		if tok.Kind == sqltext.Word || tok.Kind == sqltext.Ident {
			if r, ok := t.cols[strings.ToLower(tok.Value)]; ok && r.live != tok.Value {
				return // a column the migration renames, adds or drops
			}
		}
	}
	expr := w.stmt[rest[1].Pos:rest[end-1].End()]
	what := "the new check"
	if name != "" {
		what += " " + quoteIdent(name)
	}
	w.add(check{
		problem: fmt.Sprintf("rows of %s for which %s (%s) is false", quoteIdent(t.name), what, expr),
		count:   "SELECT COUNT(*) FROM " + t.ref() + " WHERE NOT (" + expr + ")",
		sample:  "SELECT * FROM " + t.ref() + " WHERE NOT (" + expr + ") LIMIT 1",
	})
}

// groupEnd is the index of the ")" closing the "(" at toks[0]; -1 if none.
func groupEnd(toks []sqltext.Token) int {
	depth := 0
	for i, t := range toks {
		switch {
		case t.IsOp("("):
			depth++
		case t.IsOp(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
