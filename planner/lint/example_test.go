package lint_test

import (
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

// users returns a realm with the table users and its columns.
func users(columns ...string) *schema.Realm {
	t := &schema.Table{Name: "users", PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}}}
	for _, c := range append([]string{"id"}, columns...) {
		t.Columns = append(t.Columns, &schema.Column{Name: c, Type: schema.Type{Name: "text"}, Null: c != "id"})
	}
	return &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: []*schema.Table{t}}}}
}

// Lint a plan: dropping a column is refused unless destructive changes are
// allowed, and the plan comes back beside the refusal.
func ExampleNew() {
	current, desired := users("email", "nick"), users("email")
	p, err := lint.New(current, desired, sqlite.New(), lint.Options{})
	var refused *lint.DestructiveError
	if !errors.As(err, &refused) {
		log.Fatal(err)
	}
	fmt.Println(err)
	for _, f := range p.Findings {
		fmt.Printf("%s %s: %s\n", f.Severity, f.Code, f.Message)
	}
	if _, err := lint.New(current, desired, sqlite.New(), lint.Options{AllowDestructive: true}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// plan has 1 destructive change(s): drop column "nick" of table "users" (DS103); use --allow-destructive
	// error DS103: drop column "nick" of table "users"
}

// Lint a migration file from the schema before it and after each of its
// statements, as a scratch database reports them. The comment above the
// second statement silences DS103 there, with a reason: it is reported as
// silenced, and fails nothing. The probable rename is reported at the
// statement that dropped the column.
func ExampleFile() {
	script := &lint.Script{
		File:   "migrations/0002_nick.sql",
		Before: users("email"),
		Steps: []lint.Step{
			{Line: 2, SQL: "ALTER TABLE users ADD COLUMN nick text", After: users("email", "nick")},
			{Line: 4, Comment: "schemactl:nolint DS103 the addresses moved to contacts", SQL: "ALTER TABLE users DROP COLUMN email", After: users("nick")},
		},
	}
	findings, err := lint.File(script, sqlite.New(), lint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range findings {
		if f.Silenced {
			fmt.Printf("%s: silenced %s: %s (%s)\n", f.Pos(), f.Code, f.Message, f.Reason)
			continue
		}
		fmt.Printf("%s: %s %s: %s\n", f.Pos(), f.Severity, f.Code, f.Message)
	}
	// Output:
	// migrations/0002_nick.sql:4: silenced DS103: drop column "email" of table "users" (the addresses moved to contacts)
	// migrations/0002_nick.sql:4: warning RN102: column "email" of table "users" is dropped and column "nick" of the same type text is added: a rename? As planned the values are lost
}

// Approve a destructive plan: the nolint directive goes above the statement
// that drops, with a fixed reason, so that lint passes the written file.
func ExamplePlan_Approve() {
	p, err := lint.New(users("email", "nick"), users("email"), sqlite.New(), lint.Options{AllowDestructive: true})
	if err != nil {
		log.Fatal(err)
	}
	p.Approve("")
	for _, st := range p.Up {
		fmt.Printf("-- %s\n%s;\n", strings.ReplaceAll(st.Comment, "\n", "\n-- "), st.SQL)
	}
	// Output:
	// -- drop column "nick" from table "users"
	// -- schemactl:nolint DS103 allowed with --allow-destructive
	// ALTER TABLE `users` DROP COLUMN `nick`;
}
