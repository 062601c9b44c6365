package describe

import (
	"strings"
	"testing"

	"github.com/schemactl/schemactl/internal/modeltest"
	"github.com/schemactl/schemactl/schema"
)

// TestDescribeHandlesEveryField: the descriptions of a schema and of each
// table, column, key and check show every field of them, unless the field
// is left out on purpose.
func TestDescribeHandlesEveryField(t *testing.T) {
	modeltest.Check(t, "describe", func(r *schema.Realm) (string, error) {
		var b strings.Builder
		line := func(s string) { b.WriteString(s + "\n") }
		for _, s := range r.Schemas {
			line(Change(&schema.ModifySchema{From: s, To: s, Kind: schema.ChangeCharset | schema.ChangeCollate | schema.ChangeComment}))
			for _, t := range s.Tables {
				line(Change(&schema.AddTable{T: t}))
				for _, c := range t.Columns {
					line(Nested(&schema.AddColumn{C: c}, t.Name) + ": " + Column(c))
				}
				if t.PrimaryKey != nil {
					line(PrimaryKey(t.PrimaryKey))
				}
				for _, i := range t.Indexes {
					line(Nested(&schema.AddIndex{I: i}, t.Name) + ": " + Index(i))
				}
				for _, f := range t.ForeignKeys {
					line(Nested(&schema.AddForeignKey{F: f}, t.Name) + ": " + ForeignKey(f))
				}
				for _, c := range t.Checks {
					line(Nested(&schema.AddCheck{C: c}, t.Name) + ": " + Check(c))
				}
			}
		}
		return b.String(), nil
	}, modeltest.Excluded{}.
		With("schema options are named by their change kinds; the text plan shows their values",
			"Schema.Charset", "Schema.Collate", "Schema.Comment").
		With("table options are shown by the text plan from ModifyTableOptions",
			"Table.Comment", "Table.Charset", "Table.Collate", "Table.Engine", "Table.AutoIncrement", "Table.Strict", "Table.WithoutRowID").
		With("a table rebuild that drops it is described by lint (DS107)", "Table.Unmodeled").
		With("positions are not described", modeltest.Positions...).
		With("renames are described by the Rename changes the hints become", modeltest.RenameHints...).
		With("views, triggers and routines are not managed", modeltest.Unmanaged...))
}
