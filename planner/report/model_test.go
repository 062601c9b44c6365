package report

import (
	"strings"
	"testing"

	"github.com/schemactl/schemactl/internal/modeltest"
	"github.com/schemactl/schemactl/schema"
)

// TestTextHandlesEveryField: the text plan shows every field of what a plan
// adds or changes, unless the field is left out on purpose. The changes
// add every column, key and check of each table to it, and change every
// schema and table option from nothing.
func TestTextHandlesEveryField(t *testing.T) {
	tableOptions := schema.ChangeComment | schema.ChangeCharset | schema.ChangeCollate | schema.ChangeEngine |
		schema.ChangeAutoIncrement | schema.ChangeStrict | schema.ChangeWithoutRowID
	modeltest.Check(t, "text", func(r *schema.Realm) (string, error) {
		var changes []schema.Change
		for _, s := range r.Schemas {
			changes = append(changes, &schema.ModifySchema{From: &schema.Schema{}, To: s, Kind: schema.ChangeCharset | schema.ChangeCollate | schema.ChangeComment})
			for _, t := range s.Tables {
				m := &schema.ModifyTable{From: t, To: t}
				for _, c := range t.Columns {
					m.Changes = append(m.Changes, &schema.AddColumn{C: c})
				}
				if t.PrimaryKey != nil {
					m.Changes = append(m.Changes, &schema.ModifyPrimaryKey{To: t.PrimaryKey})
				}
				for _, i := range t.Indexes {
					m.Changes = append(m.Changes, &schema.AddIndex{I: i})
				}
				for _, f := range t.ForeignKeys {
					m.Changes = append(m.Changes, &schema.AddForeignKey{F: f})
				}
				for _, c := range t.Checks {
					m.Changes = append(m.Changes, &schema.AddCheck{C: c})
				}
				m.Changes = append(m.Changes, &schema.ModifyTableOptions{From: &schema.Table{}, To: t, Kind: tableOptions})
				changes = append(changes, m)
			}
		}
		var b strings.Builder
		err := WriteChanges(&b, changes)
		return b.String(), err
	}, modeltest.Excluded{
		"Table.Unmodeled": "a table rebuild that drops it is reported by lint (DS107)",
	}.
		With("positions are not shown", modeltest.Positions...).
		With("renames are shown by the Rename changes the hints become", modeltest.RenameHints...).
		With("views, triggers and routines are not managed", modeltest.Unmanaged...))
}
