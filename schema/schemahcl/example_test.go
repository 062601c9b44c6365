package schemahcl_test

import (
	"fmt"
	"os"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// Parse decodes HCL for one engine; its dialect decides which types and
// attributes exist. Every problem comes back as a diagnostic at its
// file:line:col, rendered here as the CLI renders them.
func ExampleParse() {
	src := []byte(`schema "main" {}
table "hero" {
  schema = schema.main
  column "id" {
    null = false
    type = integer
  }
  column "name" {
    nul  = false
    type = varchr(100)
  }
  primary_key {
    columns = [column.id]
  }
}
`)
	realm, files, diags := schemahcl.Parse(schemahcl.Options{Dialect: sqlite.New()}, schemahcl.Source{Filename: "schema.hcl", Bytes: src})
	if diags.HasErrors() {
		_ = schemahcl.WriteDiagnostics(os.Stdout, files, diags)
		return
	}
	fmt.Println(len(realm.Schemas[0].Tables), "tables")
	// Output:
	// schema.hcl:9:5: error: Unsupported attribute: "nul" in column "hero"."name"; did you mean "null"?
	//   9 |     nul  = false
	//     |     ^^^
	// schema.hcl:10:12: error: Unknown type: unknown type "varchr" for SQLite; did you mean varchar?
	//   10 |     type = varchr(100)
	//      |            ^^^^^^
}
