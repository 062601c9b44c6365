package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/schemactl/schemactl/schema"
)

// missions plans, as schemactl plan does, a change of a table of missions:
// a column dropped (allowed) and a unique index added.
func missions() *lint.Plan {
	mission := func(columns ...string) *schema.Table {
		t := &schema.Table{Name: "mission", PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}}}
		for _, c := range append([]string{"id"}, columns...) {
			t.Columns = append(t.Columns, &schema.Column{Name: c, Type: schema.Type{Name: "text"}, Null: c != "id"})
		}
		return t
	}
	current := &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: []*schema.Table{mission("title", "secret")}}}}
	des := mission("title")
	des.Indexes = []*schema.Index{{Name: "mission_title_uq", Unique: true, Parts: []schema.IndexPart{{Column: "title"}}}}
	desired := &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: []*schema.Table{des}}}}
	p, err := lint.New(current, desired, sqlite.New(), lint.Options{AllowDestructive: true})
	if err != nil {
		log.Fatal(err)
	}
	return p
}

// Print a plan for a terminal.
func ExampleWriteText() {
	if err := report.WriteText(os.Stdout, missions()); err != nil {
		log.Fatal(err)
	}
	// Output:
	//   ~ table mission
	//       - column secret
	//       + unique index mission_title_uq (title)
	//
	// Findings (1 error, 1 warning):
	//   error    DS103  drop column "secret" of table "mission"
	//                   fix: keep the column, or copy its values elsewhere first; --allow-destructive to go ahead
	//   warning  MF101  add unique index "mission_title_uq" (title) to table "mission": the change fails if existing rows have duplicate values in it
	//                   fix: look for duplicates first: SELECT title, COUNT(*) FROM mission GROUP BY title HAVING COUNT(*) > 1
	//
	// Plan: 0 to add, 1 to change (1 column dropped), 0 to destroy.
}

// Print a plan as a pull request comment.
func ExamplePrinter_Plan() {
	pr := report.Printer{Format: report.FormatMarkdown}
	info := report.PlanInfo{Target: "sqlite://app.db", Current: "0001", Head: "0001", File: "migrations/0002_missions.sql"}
	if err := pr.Plan(os.Stdout, missions(), info); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <!-- schemactl:plan -->
	// ### schemactl plan: 0 to add, 1 to change (1 column dropped), 0 to destroy
	//
	// Planned against `sqlite://app.db` (at 0001, head 0001). Lint: 1 error, 1 warning. Wrote `migrations/0002_missions.sql`.
	//
	// | | object | changes |
	// |:-:|---|---|
	// | `~` | table `mission` | `- column secret`<br>`+ unique index mission_title_uq (title)` |
	//
	// **Lint findings**
	//
	// | | code | finding | fix |
	// |---|---|---|---|
	// | :x: error | `DS103` | drop column "secret" of table "mission" | keep the column, or copy its values elsewhere first; --allow-destructive to go ahead |
	// | :warning: warning | `MF101` | add unique index "mission\_title\_uq" (title) to table "mission": the change fails if existing rows have duplicate values in it | look for duplicates first: SELECT title, COUNT(\*) FROM mission GROUP BY title HAVING COUNT(\*) \> 1 |
	//
	// <details>
	// <summary>SQL: 2 statements up, 2 down</summary>
	//
	// ```sql
	// -- +up
	// -- modify table "mission": drop column "secret", add index "mission_title_uq"
	// ALTER TABLE `mission` DROP COLUMN `secret`;
	// CREATE UNIQUE INDEX `mission_title_uq` ON `mission` (`title`);
	// -- +down
	// -- modify table "mission": drop index "mission_title_uq", add column "secret"
	// DROP INDEX `mission_title_uq`;
	// ALTER TABLE `mission` ADD COLUMN `secret` text NULL;
	// ```
	//
	// </details>
}

// Print a plan as a json document, and read it back as a program would.
func ExamplePrinter_Plan_json() {
	var b bytes.Buffer
	pr := report.Printer{Format: report.FormatJSON}
	if err := pr.Plan(&b, missions(), report.PlanInfo{Target: "sqlite://app.db"}); err != nil {
		log.Fatal(err)
	}
	var doc report.PlanDocument
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s version %s: %+v\n", doc.Kind, doc.FormatVersion, doc.Summary)
	for _, c := range doc.Changes {
		fmt.Println(c.Action, c.Kind, c.Name, c.Details)
	}
	for _, f := range doc.Findings {
		fmt.Println(f.Severity, f.Code, f.Table)
	}
	// Output:
	// plan version 1: {Add:0 Change:1 Destroy:0 Errors:1 Warnings:1 Dropped:{Columns:1 Indexes:0 ForeignKeys:0 Checks:0 PrimaryKeys:0}}
	// change table mission [- column secret + unique index mission_title_uq (title)]
	// error DS103 mission
	// warning MF101 mission
}
