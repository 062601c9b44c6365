package mysql

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

func TestParseType(t *testing.T) {
	tests := []struct {
		in   string
		want parsedType
	}{
		{"int(11)", parsedType{t: schema.Type{Name: "int"}}},
		{"INTEGER UNSIGNED", parsedType{t: schema.Type{Name: "int", Unsigned: true}}},
		{"bigint(20) unsigned", parsedType{t: schema.Type{Name: "bigint", Unsigned: true}}},
		{"tinyint(1)", parsedType{t: schema.Type{Name: "tinyint", Args: []int{1}}}},
		{"tinyint(4)", parsedType{t: schema.Type{Name: "tinyint"}}},
		{"bool", parsedType{t: schema.Type{Name: "tinyint", Args: []int{1}}}},
		{"BOOLEAN", parsedType{t: schema.Type{Name: "tinyint", Args: []int{1}}}},
		{"int(5) unsigned zerofill", parsedType{t: schema.Type{Raw: "int(5) unsigned zerofill"}}},
		{"numeric", parsedType{t: schema.Type{Name: "decimal", Args: []int{10, 0}}}},
		{"decimal(5)", parsedType{t: schema.Type{Name: "decimal", Args: []int{5, 0}}}},
		{"dec(6,2) unsigned", parsedType{t: schema.Type{Name: "decimal", Args: []int{6, 2}, Unsigned: true}}},
		{"float(24)", parsedType{t: schema.Type{Name: "float"}}},
		{"float(25)", parsedType{t: schema.Type{Name: "double"}}},
		{"float(7,3)", parsedType{t: schema.Type{Name: "float", Args: []int{7, 3}}}},
		{"real", parsedType{t: schema.Type{Name: "double"}}},
		{"double precision", parsedType{t: schema.Type{Name: "double"}}},
		{"bit", parsedType{t: schema.Type{Name: "bit", Args: []int{1}}}},
		{"char", parsedType{t: schema.Type{Name: "char", Args: []int{1}}}},
		{"binary", parsedType{t: schema.Type{Name: "binary", Args: []int{1}}}},
		{"NVARCHAR(160)", parsedType{t: schema.Type{Name: "varchar", Args: []int{160}}, charset: "utf8mb3"}},
		{"national character varying(10)", parsedType{t: schema.Type{Name: "varchar", Args: []int{10}}, charset: "utf8mb3"}},
		{"VARCHAR(40) BINARY", parsedType{t: schema.Type{Name: "varchar", Args: []int{40}}, binary: true}},
		{"varchar(10) character set latin1 collate latin1_bin", parsedType{t: schema.Type{Name: "varchar", Args: []int{10}}, charset: "latin1", collate: "latin1_bin"}},
		{"text(100)", parsedType{t: schema.Type{Name: "text", Args: []int{100}}}},
		{"long varchar", parsedType{t: schema.Type{Name: "mediumtext"}}},
		{"year(4)", parsedType{t: schema.Type{Name: "year"}}},
		{"datetime(0)", parsedType{t: schema.Type{Name: "datetime"}}},
		{"timestamp(6)", parsedType{t: schema.Type{Name: "timestamp", Args: []int{6}}}},
		{"enum('a','b''c','d\\\\e')", parsedType{t: schema.Type{Name: "enum", Values: []string{"a", "b'c", `d\e`}}}},
		{"set('x','y')", parsedType{t: schema.Type{Name: "set", Values: []string{"x", "y"}}}},
		{"geomcollection", parsedType{t: schema.Type{Name: "geometrycollection"}}},
		{"UUID", parsedType{t: schema.Type{Raw: "uuid"}}},
		{"vector(3)", parsedType{t: schema.Type{Raw: "vector(3)"}}},
		{"varchar", parsedType{t: schema.Type{Raw: "varchar"}}},
		{"date(3)", parsedType{t: schema.Type{Raw: "date(3)"}}},
		{"varchar(10) unsigned", parsedType{t: schema.Type{Raw: "varchar(10) unsigned"}}},
	}
	for _, tt := range tests {
		got := parseType(tt.in)
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(parsedType{})); diff != "" {
			t.Errorf("parseType(%q) (-want +got):\n%s", tt.in, diff)
		}
		// The canonical type reads back as itself.
		if again := parseType(typeSQL(got.t)); !again.t.Equal(got.t) {
			t.Errorf("parseType(%q) = %s, which reads back as %s", tt.in, typeSQL(got.t), typeSQL(again.t))
		}
	}
}

func TestResolveText(t *testing.T) {
	tests := []struct {
		in     schema.Type
		maxLen int
		want   string
	}{
		{schema.Type{Name: "text", Args: []int{63}}, 4, "tinytext"},
		{schema.Type{Name: "text", Args: []int{64}}, 4, "text"},
		{schema.Type{Name: "text", Args: []int{255}}, 1, "tinytext"},
		{schema.Type{Name: "text", Args: []int{70000}}, 1, "mediumtext"},
		{schema.Type{Name: "blob", Args: []int{300}}, 4, "blob"},
		{schema.Type{Name: "blob", Args: []int{20000000}}, 4, "longblob"},
		{schema.Type{Name: "text"}, 4, "text"},
	}
	for _, tt := range tests {
		if got := resolveText(tt.in, tt.maxLen); got.String() != tt.want {
			t.Errorf("resolveText(%s, %d) = %s, want %s", tt.in, tt.maxLen, got, tt.want)
		}
	}
}
