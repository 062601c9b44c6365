package schemahcl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/schemactl/schemactl/schema"
)

// cmpModel compares models without source positions.
var cmpModel = []cmp.Option{cmpopts.IgnoreTypes(schema.Range{}), cmpopts.EquateEmpty()}

// header returns the schema block a test table needs.
func header(dl schema.Dialect) string {
	if dl == schema.MySQL {
		return "schema \"app\" {}\n"
	}
	return "schema \"main\" {}\n"
}

func schemaRef(dl schema.Dialect) string {
	if dl == schema.MySQL {
		return "schema.app"
	}
	return "schema.main"
}

// mustParse decodes src (with the schema block prepended) and fails the
// test on errors, printing them.
func mustParse(t *testing.T, dl schema.Dialect, src string) *schema.Realm {
	t.Helper()
	r, files, diags := Parse(Options{Dialect: dialectFor(dl)}, Source{Filename: "test.hcl", Bytes: []byte(header(dl) + src)})
	if diags.HasErrors() {
		var b bytes.Buffer
		_ = WriteDiagnostics(&b, files, diags)
		t.Fatalf("unexpected errors:\n%s", b.String())
	}
	return r
}

// tbl wraps column and key blocks into a table "t".
func tbl(dl schema.Dialect, body string) string {
	return "table \"t\" {\n  schema = " + schemaRef(dl) + "\n" + body + "\n}\n"
}

func TestDecodeTypes(t *testing.T) {
	tests := []struct {
		dl   schema.Dialect
		expr string
		want schema.Type
	}{
		// MySQL registry, every spelling.
		{schema.MySQL, "bool", schema.Type{Name: "bool"}},
		{schema.MySQL, "boolean", schema.Type{Name: "boolean"}},
		{schema.MySQL, "bit", schema.Type{Name: "bit"}},
		{schema.MySQL, "bit(64)", schema.Type{Name: "bit", Args: []int{64}}},
		{schema.MySQL, "tinyint", schema.Type{Name: "tinyint"}},
		{schema.MySQL, "tinyint(1)", schema.Type{Name: "tinyint", Args: []int{1}}},
		{schema.MySQL, "smallint", schema.Type{Name: "smallint"}},
		{schema.MySQL, "mediumint", schema.Type{Name: "mediumint"}},
		{schema.MySQL, "int", schema.Type{Name: "int"}},
		{schema.MySQL, "int(11)", schema.Type{Name: "int", Args: []int{11}}},
		{schema.MySQL, "bigint", schema.Type{Name: "bigint"}},
		{schema.MySQL, "decimal", schema.Type{Name: "decimal"}},
		{schema.MySQL, "decimal(10)", schema.Type{Name: "decimal", Args: []int{10}}},
		{schema.MySQL, "decimal(10,2)", schema.Type{Name: "decimal", Args: []int{10, 2}}},
		{schema.MySQL, "numeric(65,30)", schema.Type{Name: "numeric", Args: []int{65, 30}}},
		{schema.MySQL, "float", schema.Type{Name: "float"}},
		{schema.MySQL, "float(53)", schema.Type{Name: "float", Args: []int{53}}},
		{schema.MySQL, "double", schema.Type{Name: "double"}},
		{schema.MySQL, "double(10,3)", schema.Type{Name: "double", Args: []int{10, 3}}},
		{schema.MySQL, "real", schema.Type{Name: "real"}},
		{schema.MySQL, "date", schema.Type{Name: "date"}},
		{schema.MySQL, "time", schema.Type{Name: "time"}},
		{schema.MySQL, "time(6)", schema.Type{Name: "time", Args: []int{6}}},
		{schema.MySQL, "datetime", schema.Type{Name: "datetime"}},
		{schema.MySQL, "datetime(0)", schema.Type{Name: "datetime", Args: []int{0}}},
		{schema.MySQL, "timestamp(3)", schema.Type{Name: "timestamp", Args: []int{3}}},
		{schema.MySQL, "year", schema.Type{Name: "year"}},
		{schema.MySQL, "year(4)", schema.Type{Name: "year", Args: []int{4}}},
		{schema.MySQL, "char", schema.Type{Name: "char"}},
		{schema.MySQL, "char(36)", schema.Type{Name: "char", Args: []int{36}}},
		{schema.MySQL, "binary(16)", schema.Type{Name: "binary", Args: []int{16}}},
		{schema.MySQL, "varchar(255)", schema.Type{Name: "varchar", Args: []int{255}}},
		{schema.MySQL, "varbinary(10)", schema.Type{Name: "varbinary", Args: []int{10}}},
		{schema.MySQL, "tinytext", schema.Type{Name: "tinytext"}},
		{schema.MySQL, "text", schema.Type{Name: "text"}},
		{schema.MySQL, "text(1000)", schema.Type{Name: "text", Args: []int{1000}}},
		{schema.MySQL, "mediumtext", schema.Type{Name: "mediumtext"}},
		{schema.MySQL, "longtext", schema.Type{Name: "longtext"}},
		{schema.MySQL, "tinyblob", schema.Type{Name: "tinyblob"}},
		{schema.MySQL, "blob", schema.Type{Name: "blob"}},
		{schema.MySQL, "blob(70000)", schema.Type{Name: "blob", Args: []int{70000}}},
		{schema.MySQL, "mediumblob", schema.Type{Name: "mediumblob"}},
		{schema.MySQL, "longblob", schema.Type{Name: "longblob"}},
		{schema.MySQL, "json", schema.Type{Name: "json"}},
		{schema.MySQL, `enum("a", "b")`, schema.Type{Name: "enum", Values: []string{"a", "b"}}},
		{schema.MySQL, `set("x","y",)`, schema.Type{Name: "set", Values: []string{"x", "y"}}},
		{schema.MySQL, "geometry", schema.Type{Name: "geometry"}},
		{schema.MySQL, "point", schema.Type{Name: "point"}},
		{schema.MySQL, "linestring", schema.Type{Name: "linestring"}},
		{schema.MySQL, "polygon", schema.Type{Name: "polygon"}},
		{schema.MySQL, "multipoint", schema.Type{Name: "multipoint"}},
		{schema.MySQL, "multilinestring", schema.Type{Name: "multilinestring"}},
		{schema.MySQL, "multipolygon", schema.Type{Name: "multipolygon"}},
		{schema.MySQL, "geometrycollection", schema.Type{Name: "geometrycollection"}},
		{schema.MySQL, "inet6", schema.Type{Name: "inet6"}},
		{schema.MySQL, "inet4", schema.Type{Name: "inet4"}},
		{schema.MySQL, `sql("vector(3)")`, schema.Type{Raw: "vector(3)"}},
		// SQLite registry, every spelling, and the schemactl extension.
		{schema.SQLite, "integer", schema.Type{Name: "integer"}},
		{schema.SQLite, "int", schema.Type{Name: "int"}},
		{schema.SQLite, "int(11)", schema.Type{Name: "int", Args: []int{11}}},
		{schema.SQLite, "tinyint", schema.Type{Name: "tinyint"}},
		{schema.SQLite, "smallint", schema.Type{Name: "smallint"}},
		{schema.SQLite, "mediumint", schema.Type{Name: "mediumint"}},
		{schema.SQLite, "bigint", schema.Type{Name: "bigint"}},
		{schema.SQLite, "int2", schema.Type{Name: "int2"}},
		{schema.SQLite, "int8", schema.Type{Name: "int8"}},
		{schema.SQLite, "uint64", schema.Type{Name: "uint64"}},
		{schema.SQLite, "unsigned_big_int", schema.Type{Name: "unsigned big int"}},
		{schema.SQLite, "real", schema.Type{Name: "real"}},
		{schema.SQLite, "real(10,2)", schema.Type{Name: "real", Args: []int{10, 2}}},
		{schema.SQLite, "double", schema.Type{Name: "double"}},
		{schema.SQLite, "float", schema.Type{Name: "float"}},
		{schema.SQLite, "double_precision", schema.Type{Name: "double precision"}},
		{schema.SQLite, "numeric", schema.Type{Name: "numeric"}},
		{schema.SQLite, "decimal(10,5)", schema.Type{Name: "decimal", Args: []int{10, 5}}},
		{schema.SQLite, "text", schema.Type{Name: "text"}},
		{schema.SQLite, "varchar", schema.Type{Name: "varchar"}},
		{schema.SQLite, "varchar(255)", schema.Type{Name: "varchar", Args: []int{255}}},
		{schema.SQLite, "character(20)", schema.Type{Name: "character", Args: []int{20}}},
		{schema.SQLite, "nchar(55)", schema.Type{Name: "nchar", Args: []int{55}}},
		{schema.SQLite, "nvarchar(100)", schema.Type{Name: "nvarchar", Args: []int{100}}},
		{schema.SQLite, "clob", schema.Type{Name: "clob"}},
		{schema.SQLite, "varying_character(255)", schema.Type{Name: "varying character", Args: []int{255}}},
		{schema.SQLite, "native_character(70)", schema.Type{Name: "native character", Args: []int{70}}},
		{schema.SQLite, "blob", schema.Type{Name: "blob"}},
		{schema.SQLite, "bool", schema.Type{Name: "bool"}},
		{schema.SQLite, "boolean", schema.Type{Name: "boolean"}},
		{schema.SQLite, "date", schema.Type{Name: "date"}},
		{schema.SQLite, "datetime", schema.Type{Name: "datetime"}},
		{schema.SQLite, "json", schema.Type{Name: "json"}},
		{schema.SQLite, "jsonb", schema.Type{Name: "jsonb"}},
		{schema.SQLite, "uuid", schema.Type{Name: "uuid"}},
		{schema.SQLite, "timestamp", schema.Type{Name: "timestamp"}},
		{schema.SQLite, "time", schema.Type{Name: "time"}},
		{schema.SQLite, "char", schema.Type{Name: "char"}},
		{schema.SQLite, "char(1)", schema.Type{Name: "char", Args: []int{1}}},
		{schema.SQLite, "any", schema.Type{Name: "any"}},
		{schema.SQLite, `sql("ANY")`, schema.Type{Raw: "ANY"}},
		{schema.SQLite, `sql("timestamp(3)")`, schema.Type{Raw: "timestamp(3)"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.dl)+"/"+tt.expr, func(t *testing.T) {
			r := mustParse(t, tt.dl, tbl(tt.dl, "  column \"c\" {\n    null = true\n    type = "+tt.expr+"\n  }"))
			got := r.Schemas[0].Tables[0].Columns[0].Type
			if diff := cmp.Diff(tt.want, got, cmpModel...); diff != "" {
				t.Errorf("type %s (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

// SQLite takes any as a column type: one of the six a STRICT table allows,
// and in other tables a name of NUMERIC affinity. The language takes it
// bare on SQLite and writes it bare; STRICT tables take the six names in
// any case, also through sql("…").
func TestAnyType(t *testing.T) {
	src := tbl(schema.SQLite, `  strict = true
  column "a" {
    type = any
  }
  column "b" {
    type = sql("INTEGER")
  }
  column "c" {
    type = sql("Any")
  }`)
	r := mustParse(t, schema.SQLite, src)
	out, err := Encode(r, sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	if want := "type = any\n"; !strings.Contains(string(out), want) {
		t.Errorf("encoded without %q:\n%s", want, out)
	}

	_, _, diags := Parse(Options{Dialect: mysqlDialect}, Source{Filename: "test.hcl", Bytes: []byte(header(schema.MySQL) +
		tbl(schema.MySQL, "  column \"a\" {\n    type = any\n  }"))})
	want := `any is not a MySQL type; write sql("…") with the declared type`
	if len(diags) != 1 || diags[0].Summary != "Type not available" || diags[0].Detail != want {
		t.Errorf("MySQL any: got %v, want %q", diags, want)
	}
}

func TestDecodeColumns(t *testing.T) {
	tests := []struct {
		name string
		dl   schema.Dialect
		body string
		want *schema.Column
	}{
		{"null absent means NOT NULL", schema.SQLite, `type = int`,
			&schema.Column{Name: "c", Type: schema.Type{Name: "int"}}},
		{"null = null is absent", schema.SQLite, "type = int\nnull = null\ndefault = null",
			&schema.Column{Name: "c", Type: schema.Type{Name: "int"}}},
		{"nullable", schema.SQLite, "null = true\ntype = text",
			&schema.Column{Name: "c", Type: schema.Type{Name: "text"}, Null: true}},
		{"string default", schema.SQLite, `type = text` + "\n" + `default = "it's \"x\" $${y}"`,
			&schema.Column{Name: "c", Type: schema.Type{Name: "text"}, Default: &schema.Default{Kind: schema.DefaultString, Value: `it's "x" ${y}`}}},
		{"heredoc default", schema.SQLite, "type = text\ndefault = <<-EOT\n  a\n    b\n  EOT",
			&schema.Column{Name: "c", Type: schema.Type{Name: "text"}, Default: &schema.Default{Kind: schema.DefaultString, Value: "a\n  b\n"}}},
		{"decimal default as written", schema.SQLite, "type = numeric\ndefault = 4.99",
			&schema.Column{Name: "c", Type: schema.Type{Name: "numeric"}, Default: &schema.Default{Kind: schema.DefaultNumber, Value: "4.99"}}},
		{"negative default", schema.MySQL, "type = int\ndefault = -1",
			&schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Default: &schema.Default{Kind: schema.DefaultNumber, Value: "-1"}}},
		{"exponent default", schema.MySQL, "type = double\ndefault = 1e3",
			&schema.Column{Name: "c", Type: schema.Type{Name: "double"}, Default: &schema.Default{Kind: schema.DefaultNumber, Value: "1e3"}}},
		{"numeric string default", schema.MySQL, "type = int\ndefault = \"0\"",
			&schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Default: &schema.Default{Kind: schema.DefaultString, Value: "0"}}},
		{"bool default", schema.MySQL, "type = bool\ndefault = false",
			&schema.Column{Name: "c", Type: schema.Type{Name: "bool"}, Default: &schema.Default{Kind: schema.DefaultBool, Value: "false"}}},
		{"raw default", schema.SQLite, "type = datetime\ndefault = sql(\"CURRENT_TIMESTAMP\")",
			&schema.Column{Name: "c", Type: schema.Type{Name: "datetime"}, Default: &schema.Default{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP"}}},
		{"parenthesised raw default on a MySQL string", schema.MySQL, "type = char(36)\ndefault = sql(\"(uuid())\")",
			&schema.Column{Name: "c", Type: schema.Type{Name: "char", Args: []int{36}}, Default: &schema.Default{Kind: schema.DefaultRaw, Value: "(uuid())"}}},
		{"hex literal raw default on a MySQL string", schema.MySQL, "type = varbinary(4)\ndefault = sql(\"0x0A\")",
			&schema.Column{Name: "c", Type: schema.Type{Name: "varbinary", Args: []int{4}}, Default: &schema.Default{Kind: schema.DefaultRaw, Value: "0x0A"}}},
		{"enum default", schema.MySQL, "type = enum(\"a\",\"b\")\ndefault = \"b\"",
			&schema.Column{Name: "c", Type: schema.Type{Name: "enum", Values: []string{"a", "b"}}, Default: &schema.Default{Kind: schema.DefaultString, Value: "b"}}},
		{"set default", schema.MySQL, "type = set(\"a\",\"b\")\ndefault = \"a,b\"",
			&schema.Column{Name: "c", Type: schema.Type{Name: "set", Values: []string{"a", "b"}}, Default: &schema.Default{Kind: schema.DefaultString, Value: "a,b"}}},
		{"unsigned", schema.MySQL, "type = bigint\nunsigned = true",
			&schema.Column{Name: "c", Type: schema.Type{Name: "bigint", Unsigned: true}}},
		{"unsigned raw type", schema.MySQL, "type = sql(\"mediumint(8)\")\nunsigned = true",
			&schema.Column{Name: "c", Type: schema.Type{Raw: "mediumint(8)", Unsigned: true}}},
		{"on_update", schema.MySQL, "type = timestamp(6)\ndefault = sql(\"CURRENT_TIMESTAMP(6)\")\non_update = sql(\"current_timestamp(6)\")",
			&schema.Column{Name: "c", Type: schema.Type{Name: "timestamp", Args: []int{6}}, Default: &schema.Default{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP(6)"}, OnUpdate: "current_timestamp(6)"}},
		{"on_update synonym", schema.MySQL, "type = datetime\non_update = sql(\"NOW()\")",
			&schema.Column{Name: "c", Type: schema.Type{Name: "datetime"}, OnUpdate: "NOW()"}},
		{"charset, collation alias, comment", schema.MySQL, "type = varchar(10)\ncharset = \"latin1\"\ncollation = \"latin1_bin\"\ncomment = \"note\"",
			&schema.Column{Name: "c", Type: schema.Type{Name: "varchar", Args: []int{10}}, Charset: "latin1", Collate: "latin1_bin", Comment: "note"}},
		{"comment ignored on SQLite", schema.SQLite, "type = text\ncomment = \"note\"",
			&schema.Column{Name: "c", Type: schema.Type{Name: "text"}}},
		{"generated attribute", schema.SQLite, "type = text\nas = \"lower(name)\"",
			&schema.Column{Name: "c", Type: schema.Type{Name: "text"}, Generated: &schema.Generated{Expr: "lower(name)"}}},
		{"generated block stored", schema.MySQL, "type = int\nas {\n  expr = \"a + b\"\n  type = STORED\n}",
			&schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Generated: &schema.Generated{Expr: "a + b", Stored: true}}},
		{"generated block persistent", schema.MySQL, "type = int\nas {\n  expr = \"a + b\"\n  type = \"persistent\"\n}",
			&schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Generated: &schema.Generated{Expr: "a + b", Stored: true}}},
		{"generated block virtual", schema.SQLite, "type = int\nas {\n  expr = \"a + b\"\n  type = VIRTUAL\n}",
			&schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Generated: &schema.Generated{Expr: "a + b"}}},
		{"renamed_from", schema.SQLite, "renamed_from = \"old\"\ntype = int",
			&schema.Column{Name: "c", RenamedFrom: "old", Type: schema.Type{Name: "int"}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.dl)+"/"+tt.name, func(t *testing.T) {
			body := "  column \"c\" {\n" + indent(tt.body, "    ") + "\n  }"
			r := mustParse(t, tt.dl, tbl(tt.dl, body))
			got := r.Schemas[0].Tables[0].Columns[0]
			if diff := cmp.Diff(tt.want, got, cmpModel...); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// idCol and the other helpers build the columns the table tests share.
const idCols = `
  column "id" {
    null = false
    type = int
  }
  column "name" {
    null = false
    type = varchar(100)
  }
  column "display name" {
    null = true
    type = text
  }
`

func TestDecodeTables(t *testing.T) {
	cols := func(dl schema.Dialect) []*schema.Column {
		return []*schema.Column{
			{Name: "id", Type: schema.Type{Name: "int"}},
			{Name: "name", Type: schema.Type{Name: "varchar", Args: []int{100}}},
			{Name: "display name", Type: schema.Type{Name: "text"}, Null: true},
		}
	}
	pk := &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}}
	tests := []struct {
		name string
		dl   schema.Dialect
		body string
		want *schema.Table
	}{
		{"primary key and unique index", schema.SQLite, `
  primary_key {
    columns = [column.id]
  }
  index "t_name_uq" {
    unique  = true
    columns = [column.name, column["display name"]]
  }`, &schema.Table{Name: "t", Columns: cols(schema.SQLite), PrimaryKey: pk,
			Indexes: []*schema.Index{{Name: "t_name_uq", Unique: true, Parts: []schema.IndexPart{{Column: "name"}, {Column: "display name"}}}}}},
		{"labelled primary key, qualified references", schema.SQLite, `
  primary_key "ignored" {
    columns = [table.t.column.id]
  }
  index "t_idx" {
    columns = [table.main.t.column["name"]]
  }`, &schema.Table{Name: "t", Columns: cols(schema.SQLite), PrimaryKey: pk,
			Indexes: []*schema.Index{{Name: "t_idx", Parts: []schema.IndexPart{{Column: "name"}}}}}},
		{"on parts, partial index", schema.SQLite, `
  index "t_expr" {
    on {
      expr = "lower(name)"
    }
    on {
      column = column.id
      desc   = true
    }
    where = "id > 0"
  }`, &schema.Table{Name: "t", Columns: cols(schema.SQLite),
			Indexes: []*schema.Index{{Name: "t_expr", Where: "id > 0", Parts: []schema.IndexPart{{Expr: "lower(name)"}, {Column: "id", Desc: true}}}}}},
		{"MySQL key options", schema.MySQL, `
  primary_key {
    on {
      column = column.id
      desc   = true
    }
    type    = HASH
    comment = "pk"
  }
  index "t_ft" {
    type    = "fulltext"
    parser  = ngram
    columns = [column.name]
    comment = "search"
  }
  index "t_prefix" {
    renamed_from = "t_old"
    on {
      column = column.name
      prefix = 10
    }
  }`, &schema.Table{Name: "t", Columns: cols(schema.MySQL),
			PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id", Desc: true}}, Type: "HASH", Comment: "pk"},
			Indexes: []*schema.Index{
				{Name: "t_ft", Type: "FULLTEXT", Parser: "ngram", Comment: "search", Parts: []schema.IndexPart{{Column: "name"}}},
				{Name: "t_prefix", RenamedFrom: "t_old", Parts: []schema.IndexPart{{Column: "name", Prefix: 10}}},
			}}},
		{"checks", schema.MySQL, `
  check "c1" {
    expr = "id > 0"
  }
  check {
    expr     = "id < 10"
    enforced = false
  }`, &schema.Table{Name: "t", Columns: cols(schema.MySQL), Checks: []*schema.Check{
			{Name: "c1", Expr: "id > 0", Enforced: true}, {Expr: "id < 10"}}}},
		{"self-referencing foreign key", schema.SQLite, `
  column "parent_id" {
    null = true
    type = int
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "t_parent_fk" {
    columns     = [column.parent_id]
    ref_columns = [column.id]
    on_delete   = SET_NULL
    on_update   = "no action"
  }`, &schema.Table{Name: "t", Columns: append(cols(schema.SQLite), &schema.Column{Name: "parent_id", Type: schema.Type{Name: "int"}, Null: true}),
			PrimaryKey: pk,
			ForeignKeys: []*schema.ForeignKey{{Name: "t_parent_fk", Columns: []string{"parent_id"}, RefTable: "t", RefColumns: []string{"id"},
				OnDelete: schema.SetNull, OnUpdate: schema.NoAction}}}},
		{"SQLite table options", schema.SQLite, `
  strict        = true
  without_rowid = true
  renamed_from  = "old_t"
  comment       = "ignored on SQLite"
  primary_key {
    columns = [column.id]
  }`, &schema.Table{Name: "t", RenamedFrom: "old_t", Strict: true, WithoutRowID: true, PrimaryKey: pk,
			Columns: []*schema.Column{
				{Name: "id", Type: schema.Type{Name: "int"}},
				{Name: "name", Type: schema.Type{Name: "text"}},
				{Name: "display name", Type: schema.Type{Name: "text"}, Null: true},
			}}},
		{"MySQL table options", schema.MySQL, `
  comment        = "people"
  charset        = "utf8mb4"
  collation      = "utf8mb4_bin"
  engine         = MyISAM
  auto_increment = 100`, &schema.Table{Name: "t", Columns: cols(schema.MySQL), Comment: "people", Charset: "utf8mb4",
			Collate: "utf8mb4_bin", Engine: "MyISAM", AutoIncrement: 100}},
		{"engine as a string", schema.MySQL, `
  engine = "innodb"`, &schema.Table{Name: "t", Columns: cols(schema.MySQL), Engine: "innodb"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.dl)+"/"+tt.name, func(t *testing.T) {
			c := idCols
			if strings.Contains(tt.body, "strict") {
				c = strings.Replace(idCols, "varchar(100)", "text", 1)
			}
			r := mustParse(t, tt.dl, tbl(tt.dl, c+tt.body))
			got := r.Schemas[0].Tables[0]
			if diff := cmp.Diff(tt.want, got, cmpModel...); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeSchemaBlock(t *testing.T) {
	src := `schema "app" {
  charset   = "utf8mb4"
  collation = "utf8mb4_0900_ai_ci"
  comment   = "main database"
}
table "app" "t" {
  schema = schema["app"]
  column "id" {
    type = int
  }
}
`
	r, _, diags := Parse(Options{Dialect: dialectFor(schema.MySQL), Database: "app"}, Source{Filename: "s.hcl", Bytes: []byte(src)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := &schema.Realm{Schemas: []*schema.Schema{{Name: "app", Charset: "utf8mb4", Collate: "utf8mb4_0900_ai_ci", Comment: "main database",
		Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{{Name: "id", Type: schema.Type{Name: "int"}}}}}}}}
	if diff := cmp.Diff(want, r, cmpModel...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestDecodeExamples decodes the examples of the language reference.
func TestDecodeExamples(t *testing.T) {
	for _, tt := range []struct {
		file   string
		dl     schema.Dialect
		tables int
	}{
		{"testdata/encode/heroes.hcl", schema.SQLite, 2},
		{"testdata/encode/shop.hcl", schema.MySQL, 2},
		{"testdata/encode/blog.hcl", schema.MySQL, 1},
	} {
		r, files, diags := LoadPaths(Options{Dialect: dialectFor(tt.dl)}, tt.file)
		if len(diags) > 0 {
			var b bytes.Buffer
			_ = WriteDiagnostics(&b, files, diags)
			t.Fatalf("%s:\n%s", tt.file, b.String())
		}
		if n := len(r.Schemas[0].Tables); n != tt.tables {
			t.Errorf("%s: %d tables, want %d", tt.file, n, tt.tables)
		}
	}
}

// TestDecodeSeveralFiles merges blocks across files: a reference may point
// into another file, a name defined in two files is a duplicate.
func TestDecodeSeveralFiles(t *testing.T) {
	a := Source{Filename: "a.hcl", Bytes: []byte(`schema "main" {}
table "posts" {
  schema = schema.main
  column "author_id" {
    type = int
  }
  foreign_key "posts_author_fk" {
    columns     = [column.author_id]
    ref_columns = [table.users.column.id]
  }
}
`)}
	b := Source{Filename: "b.hcl", Bytes: []byte(`table "users" {
  schema = schema.main
  column "id" {
    type = integer
  }
  primary_key {
    columns = [column.id]
  }
}
`)}
	r, _, diags := Parse(Options{Dialect: dialectFor(schema.SQLite)}, a, b)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var names []string
	for _, tb := range r.Schemas[0].Tables {
		names = append(names, tb.Name)
	}
	if diff := cmp.Diff([]string{"posts", "users"}, names); diff != "" {
		t.Errorf("table order (-want +got):\n%s", diff)
	}
	if got := r.Schemas[0].Tables[0].ForeignKeys[0].RefTable; got != "users" {
		t.Errorf("RefTable = %q, want users", got)
	}

	dup := Source{Filename: "c.hcl", Bytes: []byte("table \"users\" {\n  schema = schema.main\n  column \"id\" {\n    type = int\n  }\n}\n")}
	_, files, diags := Parse(Options{Dialect: dialectFor(schema.SQLite)}, a, b, dup)
	var out bytes.Buffer
	_ = WriteDiagnostics(&out, files, diags)
	want := `c.hcl:1:7: error: Duplicate table: duplicate table "users" in schema "main" (first defined at b.hcl:1:7)
  1 | table "users" {
    |       ^^^^^^^
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestDecodePositions checks that model elements keep their block range.
func TestDecodePositions(t *testing.T) {
	r := mustParse(t, schema.SQLite, tbl(schema.SQLite, idCols))
	tb := r.Schemas[0].Tables[0]
	if tb.Pos.Start.Line != 2 || tb.Pos.Filename != "test.hcl" {
		t.Errorf("table Pos = %v, want test.hcl line 2", tb.Pos)
	}
	if c := tb.Columns[1]; c.Pos.Start.Line != 9 || c.Pos.Start.Column != 3 {
		t.Errorf("column Pos = %v, want 9:3", c.Pos)
	}
}

func TestLoadPathsDirectory(t *testing.T) {
	r, _, diags := LoadPaths(Options{Dialect: dialectFor(schema.SQLite)}, "testdata/multi")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if n := len(r.Schemas[0].Tables); n != 2 {
		t.Errorf("%d tables, want 2", n)
	}
	_, _, diags = LoadPaths(Options{Dialect: dialectFor(schema.SQLite)}, "testdata/no-such-dir")
	if !diags.HasErrors() {
		t.Error("missing path: no error")
	}
}

// TestDecodeUnicodeNames resolves a reference written in another Unicode
// normal form than the label it names.
func TestDecodeUnicodeNames(t *testing.T) {
	nfd, nfc := "cafe\u0301", "caf\u00e9"
	r := mustParse(t, schema.SQLite, tbl(schema.SQLite, `
  column "`+nfd+`" {
    type = text
  }
  index "i" {
    columns = [column["`+nfc+`"]]
  }`))
	tb := r.Schemas[0].Tables[0]
	if tb.Columns[0].Name != nfc || tb.Indexes[0].Parts[0].Column != nfc {
		t.Errorf("names = %q, %q; want NFC %q", tb.Columns[0].Name, tb.Indexes[0].Parts[0].Column, nfc)
	}
}
