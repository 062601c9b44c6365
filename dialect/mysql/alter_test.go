package mysql

import (
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

// TestRenameAndMaterializeOldServers: a server without RENAME COLUMN (MySQL
// 5.7) renames a VIRTUAL column that becomes plain by a CHANGE to its same
// generated definition first; the CHANGE to a plain column would be
// refused (error 1907).
func TestRenameAndMaterializeOldServers(t *testing.T) {
	dec := schema.Type{Name: "decimal", Args: []int{10, 2}}
	price := &schema.Column{Name: "price", Type: dec}
	from := &schema.Table{Name: "item", Columns: []*schema.Column{price,
		{Name: "total", Type: dec, Null: true, Generated: &schema.Generated{Expr: "`price` * 2"}}}}
	to := &schema.Table{Name: "item", Columns: []*schema.Column{price, {Name: "grand", Type: dec, Null: true}}}
	m := &schema.ModifyTable{From: from, To: to, Changes: []schema.Change{
		&schema.RenameColumn{From: "total", To: "grand"},
		&schema.ModifyColumn{From: from.Columns[1], To: to.Columns[1], Kind: schema.ChangeGenerated},
	}}
	for _, tt := range []struct{ version, first string }{
		{"5.7.44", "ALTER TABLE `item` CHANGE COLUMN `total` `grand` decimal(10,2) GENERATED ALWAYS AS (`price` * 2) VIRTUAL"},
		{"10.11.19-MariaDB", "ALTER TABLE `item` RENAME COLUMN `total` TO `grand`"},
	} {
		stmts, err := New(ParseFlavor(tt.version)).Render(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(stmts) != 4 || stmts[0] != tt.first || !strings.HasPrefix(stmts[1], "ALTER TABLE `item` ADD COLUMN `_schemactl_tmp_grand` decimal(10,2) NULL AFTER `grand`") {
			t.Errorf("%s:\n%s", tt.version, strings.Join(stmts, ";\n"))
		}
	}
}
