package planner

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/internal/modeltest"
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/schema"
)

// TestCompareHandlesEveryField: a change of any model field is a
// difference for Diff (compare.go, and the table and schema options in
// table.go and diff.go), unless the field is left out on purpose.
func TestCompareHandlesEveryField(t *testing.T) {
	modeltest.Check(t, "compare", func(r *schema.Realm) (string, error) {
		changes, err := Diff(modeltest.Base(), r, fakeDialect{})
		var b strings.Builder
		for _, c := range changes {
			b.WriteString(describe.Change(c) + "\n")
		}
		return b.String(), err
	}, modeltest.Excluded{
		"Schema.Name":     "a plan is for whichever database it runs on: environments name theirs differently",
		"Table.Unmodeled": "what the model cannot express is never diffed; lint reports a rebuild that drops it (DS107)",
	}.
		With("where an object is declared never makes it another object", modeltest.Positions...).
		With("hints pair a desired object with a current one of another name; they are not state", modeltest.RenameHints...).
		With("views, triggers and routines are not managed: never diffed, created or dropped", modeltest.Unmanaged...))
}

// TestFingerprintHandlesEveryField: a change of any model field changes
// the fingerprint, unless the fingerprint leaves the field out on purpose
// (see Fingerprint).
func TestFingerprintHandlesEveryField(t *testing.T) {
	modeltest.Check(t, "fingerprint", func(r *schema.Realm) (string, error) {
		return Fingerprint(r), nil
	}, modeltest.Excluded{
		"Schema.Name":         "environments name the database differently",
		"Table.AutoIncrement": "the counter moves with every insert",
		"Table.Unmodeled":     "not managed: the model records it for lint only",
	}.
		With("positions are not schema", modeltest.Positions...).
		With("rename hints are not schema", modeltest.RenameHints...).
		With("views, triggers and routines are not managed", modeltest.Unmanaged...))
}

// TestCloneCopiesEveryField: cloneTable copies every field of a table and
// of what hangs off it (a change of any field shows in the clone), and
// shares with the original only what the planner never writes to, so that
// the planner can rename and rewrite a copy without touching its input.
func TestCloneCopiesEveryField(t *testing.T) {
	modeltest.Check(t, "clone", func(r *schema.Realm) (string, error) {
		var clones []*schema.Table
		for _, s := range r.Schemas {
			for _, tb := range s.Tables {
				clones = append(clones, cloneTable(tb))
			}
		}
		b, err := json.Marshal(clones)
		return string(b), err
	}, modeltest.Excluded{}.With("clone.go copies tables; a schema is copied where the planner changes one",
		"Schema.Name", "Schema.Charset", "Schema.Collate", "Schema.Comment", "Schema.Objects", "Schema.Pos"))

	shared := modeltest.Excluded{}.With("the planner only reads it, so a copy shares it",
		"Column.Default", "Column.Generated", "Type.Args", "Type.Values", "Table.Triggers", "Table.Unmodeled")
	seen := map[string]bool{}
	for _, tb := range modeltest.Base().Schemas[0].Tables {
		for _, f := range modeltest.Shared(tb, cloneTable(tb)) {
			seen[f] = true
			if _, ok := shared[f]; !ok {
				t.Errorf("clone shares %s with the original: copy it, or list it as shared with the reason", f)
			}
		}
	}
	for f := range shared {
		if !seen[f] {
			t.Errorf("clone copies %s, which is listed as shared: take it off the list", f)
		}
	}
}
