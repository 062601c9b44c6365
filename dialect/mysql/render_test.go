package mysql

import (
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

// TestRenderFlavors pins the SQL that depends on the server: what older
// MariaDB lacks, what MySQL 8 spells differently. (The server tests cover
// what MariaDB 10.11 runs.)
func TestRenderFlavors(t *testing.T) {
	maria104 := New(ParseFlavor("10.4.32-MariaDB"))
	maria1011 := New(ParseFlavor("10.11.19-MariaDB"))
	mysql8 := New(ParseFlavor("8.0.36"))

	col := func(name, typ string, null bool) *schema.Column {
		return &schema.Column{Name: name, Type: parseType(typ).t, Null: null}
	}
	users := &schema.Table{
		Name:       "users",
		Columns:    []*schema.Column{col("id", "int", false), col("full_name", "varchar(100)", false)},
		PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}},
		Indexes:    []*schema.Index{{Name: "users_full_name_idx", Parts: []schema.IndexPart{{Column: "full_name"}}}},
	}
	renames := &schema.ModifyTable{From: users, To: users, Changes: []schema.Change{
		&schema.RenameColumn{From: "name", To: "full_name"},
		&schema.RenameIndex{From: "users_name_idx", To: "users_full_name_idx"},
	}}
	check := &schema.Check{Name: "positive", Expr: "`id` > 0"}
	lax := &schema.Check{Name: "lax", Expr: "`id` < 10"}
	checks := &schema.ModifyTable{From: users, To: users, Changes: []schema.Change{
		&schema.DropCheck{C: check}, &schema.AddCheck{C: check}, &schema.AddCheck{C: lax},
	}}
	docs := &schema.Table{
		Name: "docs",
		Columns: []*schema.Column{
			col("id", "int", false),
			{Name: "body", Type: parseType("text").t, Default: &schema.Default{Kind: schema.DefaultString, Value: "none"}},
			{Name: "words", Type: parseType("int").t, Generated: &schema.Generated{Expr: "char_length(`body`)", Stored: true}},
		},
		Indexes: []*schema.Index{{Name: "docs_lower", Parts: []schema.IndexPart{{Expr: "lower(`body`)", Desc: true}}}},
		Checks:  []*schema.Check{lax},
	}
	tests := []struct {
		name string
		d    *Dialect
		c    schema.Change
		want string // statements joined by ";\n"
		err  string
	}{
		{
			name: "renames before MariaDB 10.5.2", d: maria104, c: renames,
			want: "ALTER TABLE `users`\n  CHANGE COLUMN `name` `full_name` varchar(100) NOT NULL,\n  DROP INDEX `users_name_idx`,\n  ADD KEY `users_full_name_idx` (`full_name`)",
		},
		{
			name: "renames on MySQL 8", d: mysql8, c: renames,
			want: "ALTER TABLE `users`\n  RENAME COLUMN `name` TO `full_name`,\n  RENAME INDEX `users_name_idx` TO `users_full_name_idx`",
		},
		{
			name: "checks on MySQL 8", d: mysql8, c: checks,
			want: "ALTER TABLE `users` DROP CHECK `positive`;\nALTER TABLE `users`\n  ADD CONSTRAINT `positive` CHECK (`id` > 0),\n  ADD CONSTRAINT `lax` CHECK (`id` < 10) NOT ENFORCED",
		},
		{
			name: "checks on MariaDB", d: maria1011, c: checks,
			want: "ALTER TABLE `users` DROP CONSTRAINT `positive`;\nALTER TABLE `users`\n  ADD CONSTRAINT `positive` CHECK (`id` > 0),\n  ADD CONSTRAINT `lax` CHECK (`id` < 10)",
		},
		{
			name: "text default, generated NOT NULL and expression index on MySQL 8", d: mysql8, c: &schema.AddTable{T: docs},
			want: "CREATE TABLE `docs` (\n  `id` int NOT NULL,\n  `body` text NOT NULL DEFAULT ('none'),\n  `words` int GENERATED ALWAYS AS (char_length(`body`)) STORED NOT NULL,\n  KEY `docs_lower` ((lower(`body`)) DESC),\n  CONSTRAINT `lax` CHECK (`id` < 10) NOT ENFORCED\n)",
		},
		{
			name: "expression index on MariaDB", d: maria1011, c: &schema.AddTable{T: docs},
			err: "expression part",
		},
		{
			name: "database options", d: maria1011,
			c: &schema.ModifySchema{From: &schema.Schema{Name: "app"}, To: &schema.Schema{Name: "app", Charset: "latin1", Collate: "latin1_bin", Comment: "it's"},
				Kind: schema.ChangeCharset | schema.ChangeCollate | schema.ChangeComment},
			want: "ALTER DATABASE `app` CHARACTER SET latin1 COLLATE latin1_bin COMMENT 'it''s'",
		},
		{
			name: "rename and drop tables", d: mysql8, c: &schema.RenameTable{From: "a`b", To: "c"},
			want: "RENAME TABLE `a``b` TO `c`",
		},
	}
	lax.Enforced = false
	check.Enforced = true
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := tt.d.Render(tt.c)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Render error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(stmts, ";\n"); got != tt.want {
				t.Errorf("Render:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
