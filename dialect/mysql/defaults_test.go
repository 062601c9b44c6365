package mysql

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

func TestCanonicalDefault(t *testing.T) {
	str := func(v string) *schema.Default { return &schema.Default{Kind: schema.DefaultString, Value: v} }
	num := func(v string) *schema.Default { return &schema.Default{Kind: schema.DefaultNumber, Value: v} }
	raw := func(v string) *schema.Default { return &schema.Default{Kind: schema.DefaultRaw, Value: v} }
	boolean := func(v string) *schema.Default { return &schema.Default{Kind: schema.DefaultBool, Value: v} }
	tests := []struct {
		typ  string
		in   *schema.Default
		want *schema.Default
	}{
		// What users write.
		{"decimal(4,2)", num("4.99"), num("4.99")},
		{"decimal(4,2)", str("4.99"), num("4.99")},
		{"decimal(6,2)", num("5"), num("5.00")},
		{"decimal(6,2)", num("1.005"), num("1.01")},
		{"tinyint(1)", boolean("true"), num("1")},
		{"tinyint(1)", boolean("false"), num("0")},
		{"int", str("0"), num("0")},
		{"int", num("+007"), num("7")},
		{"double", num("1.50"), num("1.5")},
		{"varchar(5)", num("4.99"), str("4.99")},
		{"varchar(5)", boolean("true"), str("1")},
		{"varchar(5)", raw("'x'"), str("x")},
		{"varchar(5)", raw("NULL"), nil},
		{"bit(4)", num("5"), raw("b'101'")},
		{"bit(4)", raw("0x05"), raw("b'101'")},
		{"datetime", str("2020-01-02"), str("2020-01-02 00:00:00")},
		{"datetime(3)", str("2020-01-02 03:04:05"), str("2020-01-02 03:04:05.000")},
		{"date", str("2020-01-02"), str("2020-01-02")},
		{"timestamp", raw("now()"), raw("CURRENT_TIMESTAMP")},
		{"timestamp(3)", raw("LOCALTIMESTAMP(3)"), raw("CURRENT_TIMESTAMP(3)")},
		{"datetime", raw("current_timestamp(0)"), raw("CURRENT_TIMESTAMP")},
		{"char(36)", raw("(UUID())"), raw("(uuid())")},
		{"int", raw("(1+2)"), raw("(1 + 2)")},
		{"int", raw("-1"), num("-1")},
		// What MariaDB's COLUMN_DEFAULT holds.
		{"varchar(10)", raw("'NULL'"), str("NULL")},
		{"varchar(20)", raw(`'it''s \\ ok'`), str(`it's \ ok`)},
		{"decimal(6,2)", raw("5.00"), num("5.00")},
		{"datetime", raw("current_timestamp()"), raw("CURRENT_TIMESTAMP")},
		{"bit(5)", raw("b'101'"), raw("b'101'")},
		// What MySQL 8's COLUMN_DEFAULT holds: literals bare.
		{"varchar(10)", str("NULL"), str("NULL")},
		{"decimal(6,2)", str("5.00"), num("5.00")},
		{"bit(5)", str("b'101'"), raw("b'101'")},
		{"text", raw("_utf8mb4'abc'"), str("abc")},
	}
	for _, tt := range tests {
		typ := parseType(tt.typ).t
		got := canonicalDefault(tt.in, typ, nil)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("canonicalDefault(%+v) on %s (-want +got):\n%s", tt.in, tt.typ, diff)
		}
		if got != nil {
			if again := canonicalDefault(got, typ, nil); !cmp.Equal(again, got) {
				t.Errorf("canonicalDefault(%+v) on %s is not a fixed point: %+v", got, tt.typ, again)
			}
		}
	}
}

func TestDefaultSQL(t *testing.T) {
	maria := New(ParseFlavor("10.11.19-MariaDB"))
	mysql8 := New(ParseFlavor("8.0.36"))
	tests := []struct {
		d    *Dialect
		typ  string
		def  *schema.Default
		want string
	}{
		{maria, "varchar(5)", &schema.Default{Kind: schema.DefaultString, Value: `it's \ ok`}, `'it''s \\ ok'`},
		{maria, "text", &schema.Default{Kind: schema.DefaultString, Value: "x"}, "'x'"},
		{mysql8, "text", &schema.Default{Kind: schema.DefaultString, Value: "x"}, "('x')"},
		{mysql8, "json", &schema.Default{Kind: schema.DefaultRaw, Value: "json_array()"}, "(json_array())"},
		{maria, "timestamp(3)", &schema.Default{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP(3)"}, "CURRENT_TIMESTAMP(3)"},
		{maria, "bit(3)", &schema.Default{Kind: schema.DefaultRaw, Value: "b'101'"}, "b'101'"},
		{maria, "int", &schema.Default{Kind: schema.DefaultNumber, Value: "-1"}, "-1"},
	}
	for _, tt := range tests {
		if got := tt.d.defaultSQL(tt.def, parseType(tt.typ).t); got != tt.want {
			t.Errorf("%s: defaultSQL(%+v) on %s = %s, want %s", tt.d.Flavor, tt.def, tt.typ, got, tt.want)
		}
	}
}
