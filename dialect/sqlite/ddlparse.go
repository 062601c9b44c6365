package sqlite

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// tableFacts is what a CREATE TABLE statement says that the pragmas do not.
type tableFacts struct {
	columns map[string]*columnFacts // by lower-cased column name
	checks  []*schema.Check         // in declaration order
	fks     []fkFacts               // in declaration order
	// unmodeled are ON CONFLICT clauses, which the model cannot hold.
	unmodeled []string
}

type columnFacts struct {
	autoIncrement bool
	collate       string
	genExpr       string // "" when not generated
	genStored     bool
}

// fkFacts is a foreign key as declared: its name (or "") and enough to match
// it with a row of pragma_foreign_key_list.
type fkFacts struct {
	name     string
	columns  []string
	refTable string
	deferred bool // DEFERRABLE INITIALLY DEFERRED
}

func (f *tableFacts) column(name string) *columnFacts {
	key := strings.ToLower(name)
	c, ok := f.columns[key]
	if !ok {
		c = &columnFacts{}
		f.columns[key] = c
	}
	return c
}

// parseCreateTable reads the stored text of a CREATE TABLE statement. A
// statement it does not understand (CREATE TABLE … AS SELECT) gives empty
// facts, which is correct for it.
func parseCreateTable(src string) *tableFacts {
	f := &tableFacts{columns: map[string]*columnFacts{}}
	toks := tokenize(src)
	open := -1
	for i, t := range toks {
		if t.is("AS") {
			return f
		}
		if t.punct("(") {
			open = i
			break
		}
	}
	if open < 0 {
		return f
	}
	for _, item := range splitTop(toks[open+1 : closing(toks, open)]) {
		f.onConflict(item)
		if len(item) == 0 {
			continue
		}
		switch first := item[0]; {
		case first.is("CONSTRAINT"), first.is("PRIMARY"), first.is("UNIQUE"), first.is("CHECK"), first.is("FOREIGN"):
			f.tableConstraint(src, item)
		default:
			f.columnDef(src, item)
		}
	}
	return f
}

func (f *tableFacts) columnDef(src string, item []token) {
	name := item[0].val
	var pending string // the CONSTRAINT name for the next constraint
	for j := 1; j < len(item); {
		t := item[j]
		switch {
		case t.punct("("):
			j = closing(item, j) + 1
		case t.is("CONSTRAINT") && j+1 < len(item):
			pending = item[j+1].val
			j += 2
		case t.is("CHECK") && j+1 < len(item) && item[j+1].punct("("):
			c := closing(item, j+1)
			f.checks = append(f.checks, &schema.Check{Name: pending, Expr: inner(src, item, j+1, c), Enforced: true})
			pending = ""
			j = c + 1
		case t.is("DEFERRABLE"), t.is("NOT") && j+1 < len(item) && item[j+1].is("DEFERRABLE"):
			// A defer clause of its own is SQLite's too: it applies to the
			// foreign key declared last, even one of an earlier column.
			end, d := deferClause(item, j)
			if len(f.fks) > 0 {
				f.fks[len(f.fks)-1].deferred = d
			}
			pending = ""
			j = end
		case t.is("REFERENCES") && j+1 < len(item):
			end := referencesEnd(item, j+2)
			f.fks = append(f.fks, fkFacts{name: pending, columns: []string{name}, refTable: item[j+1].val, deferred: deferred(item[j+2 : end])})
			pending = ""
			j = end
		case t.is("DEFAULT"):
			pending = ""
			j++
			switch {
			case j < len(item) && item[j].punct("("):
				j = closing(item, j) + 1
			case j+1 < len(item) && (item[j].punct("-") || item[j].punct("+")):
				j += 2
			default:
				j++
			}
		case t.is("COLLATE") && j+1 < len(item):
			f.column(name).collate = item[j+1].val
			pending = ""
			j += 2
		case t.is("AUTOINCREMENT"):
			f.column(name).autoIncrement = true
			j++
		case t.is("AS") && j+1 < len(item) && item[j+1].punct("("):
			c := closing(item, j+1)
			col := f.column(name)
			col.genExpr = inner(src, item, j+1, c)
			col.genStored = c+1 < len(item) && item[c+1].is("STORED")
			pending = ""
			j = c + 1
		case t.is("PRIMARY"), t.is("NOT"), t.is("NULL"), t.is("UNIQUE"), t.is("GENERATED"):
			pending = ""
			j++
		default:
			j++
		}
	}
}

func (f *tableFacts) tableConstraint(src string, item []token) {
	var pending string
	for j := 0; j < len(item); {
		t := item[j]
		switch {
		case t.punct("("):
			j = closing(item, j) + 1
		case t.is("CONSTRAINT") && j+1 < len(item):
			pending = item[j+1].val
			j += 2
		case t.is("CHECK") && j+1 < len(item) && item[j+1].punct("("):
			c := closing(item, j+1)
			f.checks = append(f.checks, &schema.Check{Name: pending, Expr: inner(src, item, j+1, c), Enforced: true})
			return
		case t.is("FOREIGN") && j+2 < len(item) && item[j+2].punct("("):
			c := closing(item, j+2)
			fk := fkFacts{name: pending, columns: identList(item[j+3 : c])}
			if c+2 < len(item) && item[c+1].is("REFERENCES") {
				fk.refTable = item[c+2].val
				fk.deferred = deferred(item[c+3 : referencesEnd(item, c+3)])
			}
			f.fks = append(f.fks, fk)
			return
		default:
			j++
		}
	}
}

// referencesEnd returns the index just past a foreign key clause whose
// REFERENCES table name ends before item[j]: the optional column list, ON
// DELETE/UPDATE actions, MATCH and DEFERRABLE clauses. The action keywords
// (SET DEFAULT, SET NULL) must not be mistaken for column constraints.
func referencesEnd(item []token, j int) int {
	if j < len(item) && item[j].punct("(") {
		j = closing(item, j) + 1
	}
	for j < len(item) {
		switch t := item[j]; {
		case t.is("ON"), t.is("MATCH"):
			j += 2
			for j < len(item) && (item[j].is("SET") || item[j].is("NULL") || item[j].is("DEFAULT") ||
				item[j].is("CASCADE") || item[j].is("RESTRICT") || item[j].is("NO") || item[j].is("ACTION")) {
				j++
			}
		case t.is("NOT") && j+1 < len(item) && item[j+1].is("DEFERRABLE"):
			j++
		case t.is("DEFERRABLE"), t.is("INITIALLY"), t.is("DEFERRED"), t.is("IMMEDIATE"):
			j++
		default:
			return j
		}
	}
	return j
}

// onConflict records the ON CONFLICT clauses of one column definition or
// table constraint, e.g. `ON CONFLICT REPLACE on column "email"`.
func (f *tableFacts) onConflict(item []token) {
	for j := 0; j+2 < len(item); j++ {
		if !item[j].is("ON") || !item[j+1].is("CONFLICT") || item[j+2].is("ABORT") {
			continue // ABORT is what no clause means
		}
		where := "a table constraint"
		if len(item) > 0 && !isTableConstraint(item[0]) {
			where = fmt.Sprintf("column %q", item[0].val)
		}
		f.unmodeled = append(f.unmodeled, fmt.Sprintf("ON CONFLICT %s on %s", strings.ToUpper(item[j+2].val), where))
	}
}

// isTableConstraint reports whether an item of a CREATE TABLE body that
// starts with t is a table constraint rather than a column definition.
func isTableConstraint(t token) bool {
	if t.kind != tokWord {
		return false
	}
	for _, kw := range []string{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"} {
		if t.is(kw) {
			return true
		}
	}
	return false
}

// deferred reports whether the clauses after a REFERENCES table name make
// the key DEFERRABLE INITIALLY DEFERRED, the one form SQLite defers; of
// several defer clauses the last one counts, as in SQLite.
func deferred(clauses []token) bool {
	d := false
	for j := 0; j < len(clauses); j++ {
		if clauses[j].is("DEFERRABLE") || clauses[j].is("NOT") && j+1 < len(clauses) && clauses[j+1].is("DEFERRABLE") {
			var end int
			end, d = deferClause(clauses, j)
			j = end - 1
		}
	}
	return d
}

// deferClause reads the defer clause at item[j] ([NOT] DEFERRABLE
// [INITIALLY DEFERRED|IMMEDIATE]) and returns the index past it and whether
// it defers the key: only DEFERRABLE INITIALLY DEFERRED does.
func deferClause(item []token, j int) (end int, deferred bool) {
	not := item[j].is("NOT")
	k := j + 1
	if not {
		k++
	}
	if k+1 < len(item) && item[k].is("INITIALLY") {
		deferred = !not && item[k+1].is("DEFERRED")
		k += 2
	}
	return k, deferred
}

// inner returns the text between the parentheses at item[open] and
// item[close], from its first token to its last (comments around it would
// swallow the closing parenthesis once the text is written on one line),
// without parentheses that enclose all of it.
func inner(src string, item []token, open, close int) string {
	if close <= open+1 || close > len(item) {
		return ""
	}
	return stripParens(span(src, item[open+1:close]))
}

// identList returns the names in a parenthesised column list, without any
// COLLATE or ASC/DESC that follows a name.
func identList(toks []token) []string {
	var names []string
	for _, part := range splitTop(toks) {
		if len(part) > 0 {
			names = append(names, part[0].val)
		}
	}
	return names
}

// indexFacts is what a CREATE INDEX statement says that the pragmas do not:
// the text of every key part (for expression parts, with any COLLATE) and
// the WHERE predicate.
type indexFacts struct {
	parts []string
	where string
}

func parseCreateIndex(src string) indexFacts {
	var f indexFacts
	toks := tokenize(src)
	on := -1
	for i, t := range toks {
		if t.is("ON") {
			on = i
			break
		}
	}
	if on < 0 || on+2 >= len(toks) || !toks[on+2].punct("(") {
		return f
	}
	open := on + 2
	c := closing(toks, open)
	for _, part := range splitTop(toks[open+1 : min(c, len(toks))]) {
		if n := len(part); n > 0 && (part[n-1].is("ASC") || part[n-1].is("DESC")) {
			part = part[:n-1]
		}
		f.parts = append(f.parts, stripParens(span(src, part)))
	}
	if c+1 < len(toks) && toks[c+1].is("WHERE") {
		f.where = stripParens(span(src, toks[c+2:]))
	}
	return f
}
