package mysql

import (
	"strings"
	"testing"
)

func columns(names ...string) columnResolver {
	return func(n string) (string, bool) {
		for _, c := range names {
			if strings.EqualFold(c, n) {
				return c, true
			}
		}
		return "", false
	}
}

// TestCanonicalExpr pairs what a user writes with what the servers print
// for it: both sides must reach the same canonical text, and the canonical
// text must be a fixed point.
func TestCanonicalExpr(t *testing.T) {
	cols := columns("Ex", "s", "d", "key", "n", "price", "qty")
	tests := []struct {
		written, printed, want string
	}{
		// MariaDB 10.11, information_schema.CHECK_CONSTRAINTS.
		{"EX <> 0 AND Ex != 1 && ex>2", "`Ex` <> 0 and `Ex` <> 1 and `Ex` > 2", "`Ex` <> 0 and `Ex` <> 1 and `Ex` > 2"},
		{`s IN ("a", 'b') OR s LIKE 'x%' || s IS NULL`, "`s` in ('a','b') or `s` like 'x%' or `s` is null", "`s` in ('a', 'b') or `s` like 'x%' or `s` is null"},
		{"CHAR_LENGTH(s) > 0 AND UPPER(s) = s", "char_length(`s`) > 0 and ucase(`s`) = `s`", "char_length(`s`) > 0 and upper(`s`) = `s`"},
		{"CASE WHEN ex > 0 THEN TRUE ELSE FALSE END", "case when `Ex` > 0 then 1 else 0 end", "case when `Ex` > 0 then 1 else 0 end"},
		{"d >= '2000-01-01' AND s <> _utf8mb4'x'", "`d` >= '2000-01-01' and `s` <> _utf8mb4'x'", "`d` >= '2000-01-01' and `s` <> 'x'"},
		{"`key` > 1.50 AND n IS NOT NULL AND -ex < 10", "`key` > 1.50 and `n` is not null and -`Ex` < 10", "`key` > 1.50 and `n` is not null and -`Ex` < 10"},
		{"s REGEXP '^[a-z]+$' and ex % 2 = 0 and ex div 2 > 0", "`s` regexp '^[a-z]+$' and `Ex` MOD 2 = 0 and `Ex` DIV 2 > 0", "`s` regexp '^[a-z]+$' and `Ex` mod 2 = 0 and `Ex` div 2 > 0"},
		{"((ex > 0)) and (s = 'it''s' or s = 'a\\'b')", "`Ex` > 0 and (`s` = 'it\\'s' or `s` = 'a\\'b')", "`Ex` > 0 and (`s` = 'it''s' or `s` = 'a''b')"},
		{"coalesce(ex, 0) >= 0 and ifnull(n,1) in (1, 2,3)", "coalesce(`Ex`,0) >= 0 and ifnull(`n`,1) in (1,2,3)", "coalesce(`Ex`, 0) >= 0 and ifnull(`n`, 1) in (1, 2, 3)"},
		// MariaDB, COLUMN_DEFAULT and GENERATION_EXPRESSION.
		{"(1+2)", "(1 + 2)", "1 + 2"},
		{"price*qty", "`price` * `qty`", "`price` * `qty`"},
		// MySQL 8 parenthesises every operation and adds introducers.
		{"price > 0 AND qty < 10 OR s = 'x'", "(((`price` > 0) and (`qty` < 10)) or (`s` = _utf8mb4'x'))", "`price` > 0 and `qty` < 10 or `s` = 'x'"},
		{"price - (qty - 1)", "(`price` - (`qty` - 1))", "`price` - (`qty` - 1)"},
		{"(price - qty) - 1", "((`price` - `qty`) - 1)", "`price` - `qty` - 1"},
		{"not (ex = 1)", "(not((`Ex` = 1)))", "not `Ex` = 1"},
		{"-(ex + 1) * 2", "(-((`Ex` + 1)) * 2)", "-(`Ex` + 1) * 2"},
		{"ex between 1 and 5 and n > 0", "((`Ex` between 1 and 5) and (`n` > 0))", "`Ex` between 1 and 5 and `n` > 0"},
		{"(price and QTY) or n", "((`price` and `qty`) or `n`)", "`price` and `qty` or `n`"},
	}
	for _, tt := range tests {
		for _, in := range []string{tt.written, tt.printed} {
			got := canonicalExpr(in, cols)
			if got != tt.want {
				t.Errorf("canonicalExpr(%q)\n got %s\nwant %s", in, got, tt.want)
			}
			if again := canonicalExpr(got, cols); again != got {
				t.Errorf("canonicalExpr is not a fixed point: %q → %q", got, again)
			}
		}
	}
}

// TestCanonicalExprKeepsMeaning checks parentheses that must stay.
func TestCanonicalExprKeepsMeaning(t *testing.T) {
	for _, in := range []string{
		"`a` * (`b` + 1)",
		"(`a` or `b`) and `c`",
		"not (`a` and `b`)",
		"`a` - (`b` - `c`)",
		"`a` in (1, 2)",
		"f(`a`, (select 1))",
		"`d` + interval (1 + 1) day",
		"`x` between (`a` and `b`) and `c`",
		"-(`a` + `b`)",
	} {
		if got := canonicalExpr(in, nil); got != in {
			t.Errorf("canonicalExpr(%q) = %q, want it unchanged", in, got)
		}
	}
}
