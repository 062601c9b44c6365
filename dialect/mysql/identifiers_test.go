package mysql_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/schema"
)

// TestIdentifierRulesMatchServer asks the server whether it takes each
// kind of name for each kind of object, and requires Validate to refuse
// exactly what the server refuses.
func TestIdentifierRulesMatchServer(t *testing.T) {
	s := newServer(t)
	s.exec(t, "CREATE TABLE p (id int PRIMARY KEY)")
	names := map[string]string{
		"64 ascii":       strings.Repeat("a", 64),
		"65 ascii":       strings.Repeat("a", 65),
		"64 two-byte":    strings.Repeat("é", 64),
		"65 two-byte":    strings.Repeat("é", 65),
		"empty":          "",
		"trailing space": "ab ",
		"leading space":  " ab",
		"inner space":    "a b",
		"NUL":            "a\x00b",
		"4-byte":         "a\U0001F600",
		"3-byte":         "a\u20ac",
		"backtick":       "a`b",
	}
	kinds := []string{"table", "column", "index", "foreign key", "check"}
	for label, name := range names {
		for _, kind := range kinds {
			t.Run(kind+"/"+label, func(t *testing.T) {
				q := quote(name)
				var ddl string
				tbl := &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "id", Type: schema.Type{Name: "int"}}}}
				switch kind {
				case "table":
					tbl.Name = name
					ddl = fmt.Sprintf("CREATE TABLE %s (id int)", q)
				case "column":
					tbl.Columns[0].Name = name
					ddl = fmt.Sprintf("CREATE TABLE t (%s int)", q)
				case "index":
					tbl.Indexes = []*schema.Index{{Name: name, Parts: []schema.IndexPart{{Column: "id"}}}}
					ddl = fmt.Sprintf("CREATE TABLE t (id int, KEY %s (id))", q)
				case "foreign key":
					tbl.ForeignKeys = []*schema.ForeignKey{{Name: name, Columns: []string{"id"}, RefTable: "p", RefColumns: []string{"id"}}}
					ddl = fmt.Sprintf("CREATE TABLE t (id int, CONSTRAINT %s FOREIGN KEY (id) REFERENCES p (id))", q)
				case "check":
					tbl.Checks = []*schema.Check{{Name: name, Expr: "id > 0"}}
					ddl = fmt.Sprintf("CREATE TABLE t (id int, CONSTRAINT %s CHECK (id > 0))", q)
				}
				_, serverErr := s.db.Exec(ddl)
				if serverErr == nil {
					s.exec(t, "DROP TABLE "+quote(tbl.Name))
				}
				p := &schema.Table{Name: "p", Columns: []*schema.Column{{Name: "id", Type: schema.Type{Name: "int"}}},
					PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}}}
				sc := &schema.Schema{Name: s.name, Tables: []*schema.Table{p, tbl}}
				var refused []string
				for _, pr := range mysql.New(mysql.Flavor{}).Validate(sc, schema.Broken{}) {
					if pr.Summary == "Invalid name" {
						refused = append(refused, pr.Detail)
					}
				}
				switch {
				case serverErr != nil && len(refused) == 0:
					t.Errorf("the server refuses %s %q (%v); Validate takes it", kind, name, serverErr)
				case serverErr == nil && len(refused) > 0:
					t.Errorf("the server takes %s %q; Validate refuses it: %v", kind, name, refused)
				}
			})
		}
	}
}

func quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }
