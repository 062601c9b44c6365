package lint

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// Lexer is a Dialect that reads its engine's SQL text: lint then finds the
// views and triggers that read what a change drops or renames (BC103),
// under the engine's quoting rules. A Dialect without it gets no BC103.
type Lexer interface {
	Lex(src string) ([]sqltext.Token, error)
}

// reader is a view or trigger of the current schema with the names its
// text mentions.
type reader struct {
	o     *schema.Object
	names map[string]bool // lower-case identifiers of its text
	body  map[string]bool // those of a trigger's statement, after FOR EACH ROW
}

// readersOf gathers the views and triggers of s, read with d's lexer.
func readersOf(s *schema.Schema, d Dialect) []reader {
	lx, ok := d.(Lexer)
	if s == nil || !ok {
		return nil
	}
	var out []reader
	add := func(o *schema.Object) {
		if o.Kind == "view" || o.Kind == "trigger" {
			// The engine accepted the text; were it cut short, the names
			// before the fault are still worth a warning.
			toks, _ := lx.Lex(o.SQL)
			r := reader{o: o, names: sqltext.Names(toks)}
			r.body = r.names
			if i := afterForEachRow(toks); i > 0 {
				r.body = sqltext.Names(toks[i:])
			}
			out = append(out, r)
		}
	}
	for _, o := range s.Objects {
		add(o)
	}
	for _, t := range s.Tables {
		for _, o := range t.Triggers {
			add(o)
		}
	}
	return out
}

// afterForEachRow is the index of the token after a trigger's FOR EACH ROW,
// where its statement starts; 0 when there is none.
func afterForEachRow(toks []sqltext.Token) int {
	want := []string{"FOR", "EACH", "ROW"}
	n := 0
	for i, t := range toks {
		switch {
		case !t.Code():
		case t.Is(want[n]):
			if n++; n == len(want) {
				return i + 1
			}
		default:
			n = 0
			if t.Is(want[0]) {
				n = 1
			}
		}
	}
	return 0
}

// readersBreak reports (BC103) each view and trigger whose text names table
// (its name before the change) and, when given, column: dropping or
// renaming what they read makes them fail. The triggers of a dropped table
// go with it. The match is by name only, so the message says "may".
func (l *linter) readersBreak(c schema.Change, table, oldTable, column, what string) {
	_, dropsTable := c.(*schema.DropTable)
	_, renamesTable := c.(*schema.RenameTable)
	for _, r := range l.readers {
		// A table's own triggers go with it when it is dropped, and move
		// with it when it is renamed: then only a statement that names the
		// table itself breaks (MySQL does not rewrite it).
		own := r.o.Kind == "trigger" && strings.EqualFold(r.o.Table, oldTable)
		if own && (dropsTable || renamesTable && !r.body[strings.ToLower(oldTable)]) {
			continue
		}
		if !r.names[strings.ToLower(oldTable)] && !(r.o.Kind == "trigger" && strings.EqualFold(r.o.Table, oldTable)) {
			continue
		}
		if column != "" && !r.names[strings.ToLower(column)] {
			continue
		}
		l.add(Finding{
			Code:     CodeReaderBreaks,
			Severity: SeverityWarning,
			Change:   c,
			Table:    table,
			Message:  fmt.Sprintf("%s: %s %q may read it and fail once it is gone", what, r.o.Kind, r.o.Name),
			Fix:      fmt.Sprintf("change or drop %s %q in the same migration (by hand: schemactl does not manage it)", r.o.Kind, r.o.Name),
		})
	}
}
