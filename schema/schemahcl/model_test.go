package schemahcl

import (
	"testing"

	"github.com/schemactl/schemactl/internal/modeltest"
	"github.com/schemactl/schemactl/schema"
)

// TestEncodeHandlesEveryField: the HCL that Encode writes, for either
// dialect, shows every field of the model, unless the field is left out on
// purpose. A field it drops is lost on the way from inspect to the next
// plan.
func TestEncodeHandlesEveryField(t *testing.T) {
	modeltest.Check(t, "the HCL encoder", func(r *schema.Realm) (string, error) {
		sqlite, err := Encode(r, dialectFor(schema.SQLite))
		if err != nil {
			return "", err
		}
		mysql, err := Encode(r, dialectFor(schema.MySQL))
		return string(sqlite) + string(mysql), err
	}, modeltest.Excluded{
		"Table.Unmodeled": "the HCL language cannot express it: that is what the field records",
	}.
		With("positions point into the HCL read, not the HCL written", modeltest.Positions...).
		With("views, triggers and routines are outside the HCL language", modeltest.Unmanaged...))
}
