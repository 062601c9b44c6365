package mysql

import (
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

// TestNarrows follows Skeema's TestModifyColumnUnsafe: pairs of column
// types that can and cannot lose data.
func TestNarrows(t *testing.T) {
	d := New(ParseFlavor("10.11.19-MariaDB"))
	d.Flavor.Charset = "utf8mb4"
	unsafe := [][2]string{
		{"int", "smallint"},
		{"int", "int unsigned"},
		{"int unsigned", "int"},
		{"bigint", "int"},
		{"decimal(10,2)", "decimal(9,2)"},
		{"decimal(10,2)", "decimal(10,1)"},
		{"decimal(10,2)", "decimal(10,2) unsigned"},
		{"int", "decimal(9,0)"},
		{"double", "float"},
		{"varchar(20)", "varchar(19)"},
		{"varchar(100)", "tinytext"},
		{"text", "varchar(100)"},
		{"varbinary(20)", "varchar(20)"},
		{"char(10)", "binary(10)"},
		{"enum('a','b')", "enum('b','a')"},
		{"enum('a','b')", "enum('a')"},
		{"set('a','b')", "enum('a','b')"},
		{"datetime(6)", "datetime(3)"},
		{"datetime", "timestamp"},
		{"datetime", "date"},
		{"time(3)", "time"},
		{"bit(8)", "bit(4)"},
		{"int", "varchar(20)"},
		{"varchar(20)", "int"},
		{"json", "varchar(255)"},
	}
	safe := [][2]string{
		{"int", "bigint"},
		{"int unsigned", "bigint"},
		{"tinyint(1)", "tinyint"},
		{"smallint unsigned", "int unsigned"},
		{"decimal(10,2)", "decimal(12,2)"},
		{"decimal(10,2)", "decimal(11,3)"},
		{"int", "decimal(10,0)"},
		{"int unsigned", "decimal(10,0)"},
		{"float", "double"},
		{"varchar(20)", "varchar(21)"},
		{"varchar(20)", "text"},
		{"char(10)", "varchar(10)"},
		{"tinytext", "text"},
		{"binary(4)", "varbinary(4)"},
		{"blob", "longblob"},
		{"enum('a','b')", "enum('a','b','c')"},
		{"set('a')", "set('a','b')"},
		{"datetime", "datetime(3)"},
		{"date", "datetime"},
		{"timestamp", "datetime"},
		{"bit(4)", "bit(8)"},
	}
	col := func(typ string) *schema.Column { return &schema.Column{Name: "c", Type: parseType(typ).t} }
	for _, p := range unsafe {
		narrows, why := d.Narrows(col(p[0]), col(p[1]))
		if !narrows {
			t.Errorf("%s → %s: safe, want unsafe", p[0], p[1])
		} else if !strings.Contains(why, `column "c"`) {
			t.Errorf("%s → %s: reason %q does not name the column", p[0], p[1], why)
		}
	}
	for _, p := range safe {
		if narrows, why := d.Narrows(col(p[0]), col(p[1])); narrows {
			t.Errorf("%s → %s: unsafe (%s), want safe", p[0], p[1], why)
		}
	}

	from, to := col("varchar(20)"), col("varchar(20)")
	to.Charset = "latin1"
	if narrows, why := d.Narrows(from, to); !narrows || !strings.Contains(why, "character set") {
		t.Errorf("charset change: %v %q, want unsafe", narrows, why)
	}
	virtual := col("int")
	virtual.Generated = &schema.Generated{Expr: "`a` + 1"}
	if narrows, _ := d.Narrows(col("bigint"), virtual); !narrows {
		t.Errorf("a stored column becoming generated must be unsafe")
	}
	was := col("bigint")
	was.Generated = &schema.Generated{Expr: "`a`"}
	if narrows, why := d.Narrows(was, virtual); narrows {
		t.Errorf("a virtual column holds no data: %s", why)
	}
}
