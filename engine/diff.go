package engine

import (
	"fmt"

	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

// Normalize puts a schema loaded from HCL (LoadSchema) in the form Inspect
// returns on this target's engine (the database's, when connected), so
// that the two compare: Plan does the same to its desired schema.
func (e *Engine) Normalize(r *schema.Realm) error {
	return e.dialect().Normalize(r)
}

// DiffPlan is the migration that turns from into to on this target's
// engine, as Plan would write it, for "schemactl diff": both schemas
// already normalised (Inspect, Expected, or LoadSchema then Normalize).
// Lint runs, but its destructive findings are reported, never refused: a
// diff is a report, not a migration. Two single-schema realms whose
// schemas are named differently (two MySQL databases) are compared as
// one schema, under from's name.
func (e *Engine) DiffPlan(from, to *schema.Realm) (*lint.Plan, error) {
	if len(from.Schemas) == 1 && len(to.Schemas) == 1 && from.Schemas[0].Name != to.Schemas[0].Name {
		renamed := *to.Schemas[0]
		renamed.Name = from.Schemas[0].Name
		to = &schema.Realm{Schemas: []*schema.Schema{&renamed}}
	}
	p, err := lint.New(from, to, e.dialect(), lint.Options{AllowDestructive: true})
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	return p, nil
}
