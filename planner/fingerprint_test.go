package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

func TestFingerprint(t *testing.T) {
	base := Fingerprint(realm(hero(), team()))
	same := []struct {
		name string
		r    *schema.Realm
	}{
		{"tables in another order", realm(team(), hero())},
		{"another database name", func() *schema.Realm { r := realm(hero(), team()); r.Schemas[0].Name = "prod"; return r }()},
		{"an AUTO_INCREMENT counter moved", realm(with(hero(), func(t *schema.Table) { t.AutoIncrement = 42 }), team())},
		{"rename hints and triggers", realm(with(hero(), func(t *schema.Table) {
			t.RenamedFrom = "heroes"
			t.Triggers = []*schema.Object{{Kind: "trigger", Name: "tr"}}
		}), team())},
		{"views", func() *schema.Realm {
			r := realm(hero(), team())
			r.Schemas[0].Objects = []*schema.Object{{Kind: "view", Name: "v", SQL: "SELECT 1"}}
			return r
		}()},
	}
	for _, tt := range same {
		if got := Fingerprint(tt.r); got != base {
			t.Errorf("%s: fingerprint %s, want %s", tt.name, got, base)
		}
	}
	differ := []struct {
		name string
		r    *schema.Realm
	}{
		{"a column added", realm(with(hero(), func(t *schema.Table) { t.Columns = append(t.Columns, col("power", typ("integer"), true)) }), team())},
		{"columns in another order", realm(with(hero(), func(t *schema.Table) { t.Columns[1], t.Columns[2] = t.Columns[2], t.Columns[1] }), team())},
		{"a type", realm(with(hero(), func(t *schema.Table) { t.Columns[3].Type = typ("bigint") }), team())},
		{"nullability", realm(with(hero(), func(t *schema.Table) { t.Columns[3].Null = false }), team())},
		{"a default", realm(with(hero(), func(t *schema.Table) {
			t.Columns[3].Default = &schema.Default{Kind: schema.DefaultNumber, Value: "0"}
		}), team())},
		{"an index", realm(with(hero(), func(t *schema.Table) { t.Indexes[0].Unique = true }), team())},
		{"a table name", realm(hero(), with(team(), func(t *schema.Table) { t.Name = "squad" }))},
		{"a comment", realm(with(hero(), func(t *schema.Table) { t.Comment = "x" }), team())},
		{"a table less", realm(hero())},
	}
	seen := map[string]string{base: "base"}
	for _, tt := range differ {
		got := Fingerprint(tt.r)
		if prev, ok := seen[got]; ok {
			t.Errorf("%s: fingerprint %s, the same as %s", tt.name, got, prev)
		}
		seen[got] = tt.name
	}
}

// TestFingerprintIsStable pins the canonical text and the fingerprint of a
// schema: migration files record fingerprints, so a change of either would
// make apply refuse every migration already written. Change them only
// together with FingerprintVersion (and the canonical text's first line).
func TestFingerprintIsStable(t *testing.T) {
	const text = `schemactl-fingerprint 1
schema
table "hero"
  column "id" type="integer" auto_increment
  column "name" type="text"
  column "secret_name" type="text"
  column "age" type="integer" null
  primary_key parts="(id)"
  index "hero_name_idx" parts="(name)"
table "team"
  column "id" type="integer"
  column "name" type="text"
  primary_key parts="(id)"
`
	r := realm(team(), hero())
	if diff := cmp.Diff(text, canonicalText(r)); diff != "" {
		t.Errorf("canonicalText mismatch (-want +got):\n%s", diff)
	}
	if got, want := Fingerprint(r), "h2:tgOYeQukQ5jE5d6bMzeYfCwsfzvrIcsEAo6mhrRgZHQ="; got != want {
		t.Errorf("Fingerprint = %s, want %s", got, want)
	}
}
