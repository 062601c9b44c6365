package mysql

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// maxIdentLen is the longest identifier MySQL and MariaDB take, counted in
// characters (ER_TOO_LONG_IDENT).
const maxIdentLen = 64

// identProblem says why the server refuses name for an object of the
// kind, or "" when it takes it. What each kind takes was checked on
// MariaDB 10.11 (TestIdentifierRulesMatchServer): tables, columns and
// indexes refuse an empty name and a trailing space (ER_WRONG_TABLE_NAME,
// ER_WRONG_COLUMN_NAME, ER_WRONG_NAME_FOR_INDEX), and so do foreign keys,
// whose index is named after them; check names take both (an empty one
// is an unnamed check); all refuse more than 64 characters,
// NUL and characters outside the BMP, since identifiers are utf8mb3.
func identProblem(kind, name string) string {
	strictEnds := kind != "check"
	switch {
	case name == "" && strictEnds:
		return "an empty name"
	case strings.HasSuffix(name, " ") && strictEnds:
		return "a name that ends with a space"
	case utf8.RuneCountInString(name) > maxIdentLen:
		return fmt.Sprintf("a name of %d characters; the limit is %d", utf8.RuneCountInString(name), maxIdentLen)
	case strings.ContainsRune(name, 0):
		return "a name that holds a NUL character"
	}
	for _, r := range name {
		if r > 0xFFFF {
			return fmt.Sprintf("a name that holds %U, outside the Basic Multilingual Plane (identifiers are utf8mb3)", r)
		}
	}
	return ""
}

// identifiers refuses the names of the table being checked and of its
// parts that the server refuses.
func (v *validator) identifiers() {
	t := v.t
	check := func(obj any, kind, name string) {
		if why := identProblem(kind, name); why != "" {
			v.add(schema.Problem{Object: obj, Summary: "Invalid name"}, "%s %q: MySQL and MariaDB refuse %s", kind, name, why)
		}
	}
	check(t, "table", t.Name)
	for _, c := range t.Columns {
		check(c, "column", c.Name)
	}
	for _, k := range t.Indexes {
		check(k, "index", k.Name)
	}
	for _, fk := range t.ForeignKeys {
		check(fk, "foreign key", fk.Name)
	}
	for _, ck := range t.Checks {
		check(ck, "check", ck.Name)
	}
}

// hasComment reports whether MySQL sees a comment in expr: --, # or
// /* … */, executable ones included.
func hasComment(expr string) bool {
	toks, err := Lex(expr)
	if err != nil {
		return false // the server reports the broken expression
	}
	for _, t := range toks {
		if t.Kind == sqltext.Comment || t.Kind == sqltext.Executable {
			return true
		}
	}
	return false
}
