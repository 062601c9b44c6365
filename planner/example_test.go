package planner_test

import (
	"fmt"
	"log"
	"os"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/schemactl/schemactl/schema"
)

// heroes returns a realm with one table, hero, and the extra columns.
func heroes(extra ...*schema.Column) *schema.Realm {
	hero := &schema.Table{
		Name: "hero",
		Columns: append([]*schema.Column{
			{Name: "id", Type: schema.Type{Name: "integer"}},
			{Name: "name", Type: schema.Type{Name: "text"}},
		}, extra...),
		PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}},
	}
	return &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: []*schema.Table{hero}}}}
}

// Diff two realms and print the difference as the text plan lists it.
func ExampleDiff() {
	current := heroes()
	desired := heroes(&schema.Column{Name: "power", Type: schema.Type{Name: "integer"}, Null: true})
	changes, err := planner.Diff(current, desired, sqlite.New())
	if err != nil {
		log.Fatal(err)
	}
	if err := report.WriteChanges(os.Stdout, changes); err != nil {
		log.Fatal(err)
	}
	// Output:
	//   ~ table hero
	//       + column power  integer NULL
}

// Plan a migration and print its statements, up and down.
func ExampleNew() {
	current := heroes()
	desired := heroes(&schema.Column{Name: "power", Type: schema.Type{Name: "integer"}, Null: true})
	p, err := planner.New(current, desired, sqlite.New())
	if err != nil {
		log.Fatal(err)
	}
	for _, section := range []struct {
		name  string
		stmts []planner.Statement
	}{{"up", p.Up}, {"down", p.Down}} {
		fmt.Println("-- +" + section.name)
		for _, s := range section.stmts {
			if s.Comment != "" {
				fmt.Println("-- " + s.Comment)
			}
			fmt.Println(s.SQL + ";")
		}
	}
	// Output:
	// -- +up
	// -- add column "power" to table "hero"
	// ALTER TABLE `hero` ADD COLUMN `power` integer NULL;
	// -- +down
	// -- drop column "power" from table "hero"
	// ALTER TABLE `hero` DROP COLUMN `power`;
}

// A schema's fingerprint ignores what schemactl does not manage, such as
// the database name.
func ExampleFingerprint() {
	a, b := heroes(), heroes()
	b.Schemas[0].Name = "staging"
	fmt.Println(planner.Fingerprint(a) == planner.Fingerprint(b))
	// Output: true
}
