package lint

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/internal/sqlident"
	"github.com/schemactl/schemactl/schema"
)

// reader is a view or trigger of the current schema with the names its
// text mentions.
type reader struct {
	o     *schema.Object
	names map[string]bool // lower-case identifiers of its text
	body  map[string]bool // those of a trigger's statement, after FOR EACH ROW
}

// readersOf gathers the views and triggers of s.
func readersOf(s *schema.Schema) []reader {
	if s == nil {
		return nil
	}
	var out []reader
	add := func(o *schema.Object) {
		if o.Kind == "view" || o.Kind == "trigger" {
			// Double quotes are read as names: a warning errs on the side
			// of naming too much.
			r := reader{o: o, names: sqlident.Names(o.SQL, true)}
			r.body = r.names
			if i := strings.Index(strings.ToUpper(o.SQL), "FOR EACH ROW"); i >= 0 {
				r.body = sqlident.Names(o.SQL[i+len("FOR EACH ROW"):], true)
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
