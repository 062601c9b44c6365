package planner_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
)

// TestDiffUsesEngineFacts: the public Diff shapes its changes by the
// dialect, as New does. InnoDB refuses to retype a column that a foreign
// key uses, so on MySQL the key over the retyped columns is dropped before
// and added after them: four changes. Diff once ignored the dialect and
// returned the two column changes alone, which fail on InnoDB. SQLite,
// which rebuilds the tables, has no such rule.
func TestDiffUsesEngineFacts(t *testing.T) {
	teams := func(ty string) *schema.Realm {
		return &schema.Realm{Schemas: []*schema.Schema{{Name: "app", Tables: []*schema.Table{
			{
				Name:       "hero",
				Columns:    []*schema.Column{{Name: "id", Type: schema.Type{Name: "int"}}, {Name: "team_id", Type: schema.Type{Name: ty}}},
				PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}},
				ForeignKeys: []*schema.ForeignKey{{
					Name: "hero_team_fk", Columns: []string{"team_id"}, RefTable: "team", RefColumns: []string{"id"},
				}},
			},
			{
				Name:       "team",
				Columns:    []*schema.Column{{Name: "id", Type: schema.Type{Name: ty}}},
				PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}},
			},
		}}}}
	}
	cur, des := teams("int"), teams("bigint")
	tests := []struct {
		name string
		d    planner.Dialect
		want []string
	}{
		{
			name: "mysql",
			d:    mysql.New(mysql.ParseFlavor("8.0.36")),
			want: []string{
				"hero: *schema.DropForeignKey hero_team_fk",
				"hero: *schema.ModifyColumn team_id",
				"team: *schema.ModifyColumn id",
				"hero: *schema.AddForeignKey hero_team_fk",
			},
		},
		{
			name: "sqlite",
			d:    sqlite.New(),
			want: []string{"hero: *schema.ModifyColumn team_id", "team: *schema.ModifyColumn id"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := planner.Diff(cur, des, tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, nested(got)); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
			p, err := planner.New(cur, des, tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(nested(p.Changes), nested(got)); diff != "" {
				t.Errorf("Diff differs from New's changes (-New +Diff):\n%s", diff)
			}
		})
	}
	if _, err := planner.Diff(cur, des, nil); err == nil {
		t.Error("Diff without a dialect: no error")
	}
}

// nested lists the changes inside each ModifyTable, in order, as
// "table: type name".
func nested(changes []schema.Change) []string {
	var out []string
	for _, c := range changes {
		m, ok := c.(*schema.ModifyTable)
		if !ok {
			out = append(out, fmt.Sprintf("%T", c))
			continue
		}
		for _, n := range m.Changes {
			name := ""
			switch n := n.(type) {
			case *schema.ModifyColumn:
				name = n.To.Name
			case *schema.DropForeignKey:
				name = n.F.Name
			case *schema.AddForeignKey:
				name = n.F.Name
			}
			out = append(out, fmt.Sprintf("%s: %T %s", m.To.Name, n, name))
		}
	}
	return out
}
