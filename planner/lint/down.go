package lint

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// downRestores returns the warnings of a down section that cannot bring
// back the previous state once the tables have rows: it runs after the up
// section's tables filled up, and re-creates from the schema what the up
// section dropped, without the data. They are warnings: an empty table,
// or rows that happen to fit, go back fine, and a preflight on MySQL
// refuses the down section before it starts when they do not.
func downRestores(down []schema.Change) []Finding {
	created := map[string]bool{}
	for _, c := range down {
		if a, ok := c.(*schema.AddTable); ok {
			created[strings.ToLower(a.T.Name)] = true
		}
	}
	var out []Finding
	for _, c := range down {
		if m, ok := c.(*schema.ModifyTable); ok && !created[strings.ToLower(m.To.Name)] {
			out = append(out, downTable(m, created)...)
		}
	}
	return out
}

// downTable is downRestores for the changes of one table that keeps its
// rows.
func downTable(m *schema.ModifyTable, created map[string]bool) []Finding {
	var out []Finding
	constant := map[string]bool{} // re-added columns every row gets one value of
	for _, mc := range m.Changes {
		switch mc := mc.(type) {
		case *schema.AddColumn:
			col := mc.C
			if col.Generated != nil || col.AutoIncrement {
				continue
			}
			if !col.Null && col.Default == nil {
				out = append(out, Finding{
					Code:     CodeDownNotNull,
					Severity: SeverityWarning,
					Change:   mc,
					Table:    m.To.Name,
					Message: fmt.Sprintf("the down section adds column %q back to table %q NOT NULL without a default: the rows it held do not come back, and the engine gives them its implicit default or refuses",
						col.Name, m.To.Name),
					Fix: "give the column a default, or write the down section to restore the values",
				})
			}
			if constantDefault(col) {
				constant[strings.ToLower(col.Name)] = true
			}
		case *schema.AddForeignKey:
			if created[strings.ToLower(mc.F.RefTable)] {
				out = append(out, Finding{
					Code:     CodeDownParentGone,
					Severity: SeverityWarning,
					Change:   mc,
					Table:    m.To.Name,
					Message: fmt.Sprintf("the down section re-creates table %q empty and adds foreign key %q (%s) of table %q back: it fails once a row of %q refers to a row of %q",
						mc.F.RefTable, mc.F.Name, strings.Join(mc.F.Columns, ", "), m.To.Name, m.To.Name, mc.F.RefTable),
					Fix: "copy the parent's rows elsewhere before the up section drops it, and restore them in the down section before the key",
				})
			}
		}
	}
	return append(out, uniqueOverConstant(m, constant)...)
}

// uniqueOverConstant warns about the unique indexes and primary key that
// m adds over a column every row gets one value of.
func uniqueOverConstant(m *schema.ModifyTable, constant map[string]bool) []Finding {
	var out []Finding
	for _, mc := range m.Changes {
		var idx *schema.Index
		what := ""
		switch mc := mc.(type) {
		case *schema.AddIndex:
			if mc.I.Unique {
				idx, what = mc.I, fmt.Sprintf("unique index %q", mc.I.Name)
			}
		case *schema.ModifyPrimaryKey:
			idx, what = mc.To, "the primary key"
		}
		if idx == nil {
			continue
		}
		for _, p := range idx.Parts {
			if p.Column == "" || !constant[strings.ToLower(p.Column)] {
				continue
			}
			when := "once the table has two rows"
			if len(idx.Parts) > 1 {
				when = "once two rows agree on the index's other columns"
			}
			out = append(out, Finding{
				Code:     CodeDownUniqueDefault,
				Severity: SeverityWarning,
				Change:   mc,
				Table:    m.To.Name,
				Message: fmt.Sprintf("the down section adds column %q back to table %q with one value for every row, and %s over it: it fails %s",
					p.Column, m.To.Name, what, when),
				Fix: "write the down section to restore the column's values before the index",
			})
			break
		}
	}
	return out
}

// constantDefault reports whether adding col gives every existing row the
// same value: a literal default, or NOT NULL without one (the engine's
// implicit default). An expression default may differ per row.
func constantDefault(col *schema.Column) bool {
	if col.Default == nil {
		return !col.Null
	}
	switch col.Default.Kind {
	case schema.DefaultString, schema.DefaultNumber, schema.DefaultBool:
		return true
	case schema.DefaultRaw:
		// The time a statement runs at is one value for all its rows.
		v := strings.ToUpper(strings.TrimLeft(col.Default.Value, "("))
		for _, now := range []string{"CURRENT_TIMESTAMP", "NOW(", "LOCALTIME"} {
			if strings.HasPrefix(v, now) {
				return true
			}
		}
	}
	return false
}
