package planner

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Finding codes for destructive changes. They follow Atlas's destructive
// analyzer (DS102, DS103); DS104 is schemactl's code for a type change that
// can lose or reject data, which Atlas has no code for.
const (
	CodeDropTable    = "DS102"
	CodeDropColumn   = "DS103"
	CodeNarrowColumn = "DS104"
)

// Finding is one change that can lose data.
type Finding struct {
	Code string
	// Change is the change itself: a DropTable, or the DropColumn or
	// ModifyColumn inside a ModifyTable.
	Change schema.Change
	// Message names the object, e.g. `drop column "power" of table "hero"`.
	Message string
}

// DestructiveError is returned by New for a plan with destructive changes
// when they are not allowed. The plan is returned beside it.
type DestructiveError struct {
	Findings []Finding
}

func (e *DestructiveError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plan has %d destructive change(s): ", len(e.Findings))
	for i, f := range e.Findings {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (%s)", f.Message, f.Code)
	}
	b.WriteString("; use --allow-destructive")
	return b.String()
}

// classify returns the destructive findings of a plan, in plan order.
// Renames, index and constraint changes put no rows at risk; a column change
// does when the dialect says it narrows.
func classify(changes []schema.Change, d Dialect) []Finding {
	var out []Finding
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.DropTable:
			out = append(out, Finding{
				Code:    CodeDropTable,
				Change:  c,
				Message: fmt.Sprintf("drop table %q (%s)", c.T.Name, count(len(c.T.Columns), "column")),
			})
		case *schema.ModifyTable:
			for _, nc := range c.Changes {
				if f, ok := classifyNested(c.To.Name, nc, d); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func classifyNested(table string, c schema.Change, d Dialect) (Finding, bool) {
	switch c := c.(type) {
	case *schema.DropColumn:
		// A virtual column holds no data of its own (Atlas DS103 likewise
		// only reports non-virtual columns).
		if g := c.C.Generated; g != nil && !g.Stored {
			return Finding{}, false
		}
		return Finding{
			Code:    CodeDropColumn,
			Change:  c,
			Message: fmt.Sprintf("drop column %q of table %q", c.C.Name, table),
		}, true
	case *schema.ModifyColumn:
		narrows, reason := d.Narrows(c.From, c.To)
		if !narrows {
			return Finding{}, false
		}
		// The dialect's reason names the column; the table is ours to add.
		msg := fmt.Sprintf("table %q: %s", table, reason)
		if reason == "" {
			msg = fmt.Sprintf("column %q of table %q narrows from %s to %s", c.To.Name, table, c.From.Type, c.To.Type)
		}
		return Finding{Code: CodeNarrowColumn, Change: c, Message: msg}, true
	}
	return Finding{}, false
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
