package lint

import (
	"slices"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// mysqlLint and sqliteLint are the fake dialect with a real engine's lexer.
type (
	mysqlLint  struct{ fakeDialect }
	sqliteLint struct{ fakeDialect }
)

func (mysqlLint) Lex(src string) ([]sqltext.Token, error)  { return mysql.Lex(src) }
func (sqliteLint) Lex(src string) ([]sqltext.Token, error) { return sqlite.Lex(src) }

// TestReadersQuoting: the names a view reads are found under its engine's
// quoting rules. On MySQL "a" is a string and # starts a comment, so
// dropping column a breaks neither view; on SQLite "a" is the column and
// # no comment.
func TestReadersQuoting(t *testing.T) {
	views := []*schema.Object{
		{Kind: "view", Name: "quoted", SQL: `CREATE VIEW quoted AS SELECT "a" AS x FROM t`},
		{Kind: "view", Name: "commented", SQL: "CREATE VIEW commented AS SELECT b FROM t # not a\n"},
	}
	cur := &schema.Schema{Name: "app", Tables: []*schema.Table{three("t")}, Objects: views}
	drop := []schema.Change{&schema.ModifyTable{From: three("t"), To: three("t", dropCol("a")),
		Changes: []schema.Change{&schema.DropColumn{C: &schema.Column{Name: "a"}}}}}
	for _, tt := range []struct {
		d    Dialect
		want []string
	}{
		{mysqlLint{}, nil},
		{sqliteLint{}, []string{
			`drop column "a" of table "t": view "quoted" may read it and fail once it is gone`,
			`drop column "a" of table "t": view "commented" may read it and fail once it is gone`,
		}},
	} {
		var got []string
		for _, f := range lintPlan(drop, cur, tt.d, Options{AllowDestructive: true}) {
			if f.Code == CodeReaderBreaks {
				got = append(got, f.Message)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%T: BC103 = %q, want %q", tt.d, got, tt.want)
		}
	}
}
