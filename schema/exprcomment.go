package schema

import "fmt"

// CommentedExprs reports the SQL expressions of t (checks, partial index
// predicates, index expressions, generated columns, raw defaults) that hold
// a comment, as hasComment, the dialect's lexer, finds. Rendered into DDL,
// a -- comment swallows the rest of the statement; and the engines keep no
// comment in the catalog (MariaDB reprints the expression, schemactl's
// SQLite inspection drops them), so the next plan would show a change that
// never converges.
func CommentedExprs(t *Table, hasComment func(expr string) bool) []Problem {
	var probs []Problem
	add := func(obj any, attr, what, expr string) {
		if expr == "" || !hasComment(expr) {
			return
		}
		probs = append(probs, Problem{Table: t, Object: obj, Attr: attr, Value: attr != "", Summary: "Invalid expression",
			Detail: fmt.Sprintf("%s holds an SQL comment, which the database does not keep (and a -- comment would end the statement); remove the comment from %q", what, expr)})
	}
	for _, c := range t.Columns {
		if c.Generated != nil {
			add(c, "", fmt.Sprintf("the generated column %q", c.Name), c.Generated.Expr)
		}
		if c.Default != nil && c.Default.Kind == DefaultRaw {
			add(c, "default", fmt.Sprintf("the default of column %q", c.Name), c.Default.Value)
		}
	}
	for _, k := range append([]*Index{t.PrimaryKey}, t.Indexes...) {
		if k == nil {
			continue
		}
		add(k, "where", fmt.Sprintf("the where of index %q", k.Name), k.Where)
		for i := range k.Parts {
			add(&k.Parts[i], "expr", fmt.Sprintf("an expression of index %q", k.Name), k.Parts[i].Expr)
		}
	}
	for _, ck := range t.Checks {
		what := "a check"
		if ck.Name != "" {
			what = fmt.Sprintf("check %q", ck.Name)
		}
		add(ck, "", what, ck.Expr)
	}
	return probs
}
