package mysql

import (
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/schema"
)

// TestMySQL8Catalog feeds the inspector the rows MySQL 8.0 documents for
// information_schema (there is no MySQL 8 server in the test environment;
// MariaDB's rows are covered by the server tests): bare literal defaults,
// DEFAULT_GENERATED, no display widths, native JSON, backslash-escaped
// expressions, parenthesised check clauses. The result must equal the
// normalised table a user would declare.
func TestMySQL8Catalog(t *testing.T) {
	d := New(ParseFlavor("8.0.36"))
	d.Flavor.Charset, d.Flavor.Collate = "utf8mb4", "utf8mb4_0900_ai_ci"
	in := &inspection{d: d, db: "app", tables: map[string]*inspectedTable{}, s: &schema.Schema{Name: "app", Charset: "utf8mb4", Collate: "utf8mb4_0900_ai_ci"}}
	in.addTable("t", "BASE TABLE", "InnoDB", "utf8mb4_0900_ai_ci", "", "")
	null := sql.NullString{}
	val := func(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
	rows := []columnRow{
		{name: "id", typ: "bigint unsigned", nullable: "NO", extra: "auto_increment"},
		{name: "flag", typ: "tinyint(1)", nullable: "NO", def: val("1")},
		{name: "name", typ: "varchar(20)", nullable: "YES", def: val("NULL"), charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci"},
		{name: "note", typ: "text", nullable: "YES", def: val(`_utf8mb4\'it\'\'s\'`), extra: "DEFAULT_GENERATED", charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci"},
		{name: "price", typ: "decimal(6,2)", nullable: "NO", def: val("4.99")},
		{name: "doc", typ: "json", nullable: "YES"},
		{name: "created", typ: "timestamp", nullable: "NO", def: val("CURRENT_TIMESTAMP"), extra: "DEFAULT_GENERATED"},
		{name: "changed", typ: "datetime(3)", nullable: "YES", def: val("CURRENT_TIMESTAMP(3)"), extra: "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)"},
		{name: "token", typ: "char(36)", nullable: "NO", def: val("uuid()"), extra: "DEFAULT_GENERATED", charset: "utf8mb4", collation: "utf8mb4_bin"},
		{name: "label", typ: "varchar(40)", nullable: "YES", extra: "STORED GENERATED", generation: "concat(`name`,_utf8mb4\\':\\')", charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci"},
		{name: "bits", typ: "bit(3)", nullable: "NO", def: val("b'101'")},
	}
	for _, r := range rows {
		r.table = "t"
		if r.def == (sql.NullString{}) {
			r.def = null
		}
		in.addColumn(r)
	}
	in.addCheck("t", "t_chk_1", "((`price` > 0) and (`name` <> _utf8mb4\\'x\\'))", true)
	in.addCheck("t", "t_chk_2", "(`flag` in (0,1))", false)
	in.finish()
	got := &schema.Realm{Schemas: []*schema.Schema{in.s}}
	if err := d.Normalize(got); err != nil {
		t.Fatal(err)
	}

	def := func(k schema.DefaultKind, v string) *schema.Default { return &schema.Default{Kind: k, Value: v} }
	col := func(name string, typ string, null bool) *schema.Column {
		return &schema.Column{Name: name, Type: schema.Type{Raw: typ}, Null: null}
	}
	cols := []*schema.Column{
		col("id", "bigint unsigned", false), col("flag", "bool", false), col("name", "varchar(20)", true),
		col("note", "text", true), col("price", "decimal(6,2)", false), col("doc", "json", true),
		col("created", "timestamp", false), col("changed", "datetime(3)", true), col("token", "char(36)", false),
		col("label", "varchar(40)", true), col("bits", "bit(3)", false),
	}
	cols[0].AutoIncrement = true
	cols[1].Default = def(schema.DefaultBool, "true")
	cols[2].Default = def(schema.DefaultString, "NULL")
	cols[3].Default = def(schema.DefaultString, "it's")
	cols[4].Default = def(schema.DefaultNumber, "4.99")
	cols[6].Default = def(schema.DefaultRaw, "CURRENT_TIMESTAMP")
	cols[7].Default, cols[7].OnUpdate = def(schema.DefaultRaw, "now(3)"), "now(3)"
	cols[8].Default, cols[8].Collate = def(schema.DefaultRaw, "(uuid())"), "utf8mb4_bin"
	cols[9].Generated = &schema.Generated{Expr: "CONCAT(name, ':')", Stored: true}
	cols[10].Default = def(schema.DefaultNumber, "5")
	want := &schema.Realm{Schemas: []*schema.Schema{{
		Name: "app", Charset: "utf8mb4", Collate: "utf8mb4_0900_ai_ci",
		Tables: []*schema.Table{{
			Name: "t", Charset: "utf8mb4", Engine: "InnoDB", Columns: cols,
			Checks: []*schema.Check{
				{Name: "t_chk_1", Expr: "price > 0 AND name <> 'x'", Enforced: true},
				{Name: "t_chk_2", Expr: "flag IN (0, 1)"},
			},
		}},
	}}}
	if err := d.Normalize(want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("inspected MySQL 8 rows (-declared +inspected):\n%s", diff)
	}
}

// TestWithParser reads FULLTEXT parsers from SHOW CREATE TABLE as MySQL 8
// prints them (no server here has a parser plugin).
func TestWithParser(t *testing.T) {
	create := "CREATE TABLE `articles` (\n  `id` int NOT NULL,\n  `title` varchar(300) NOT NULL,\n" +
		"  PRIMARY KEY (`id`),\n  FULLTEXT KEY `articles_search_idx` (`title`) /*!50100 WITH PARSER `ngram` */ ,\n" +
		"  FULLTEXT KEY `plain` (`title`)\n) ENGINE=InnoDB"
	got := map[string]string{}
	for _, m := range withParser.FindAllStringSubmatch(create, -1) {
		got[m[1]] = m[2]
	}
	if len(got) != 1 || got["articles_search_idx"] != "ngram" {
		t.Errorf("parsers %v, want articles_search_idx: ngram", got)
	}
}
