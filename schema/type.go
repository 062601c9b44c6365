package schema

import (
	"strconv"
	"strings"
)

// Type is a column type. Known types carry their SQL name and arguments
// ("varchar" with Args [255]); anything else is Raw, the declared text verbatim,
// as written with sql("…") in HCL.
//
// The zero Type is invalid. Dialects normalise types (spelling, implied sizes,
// synonyms) on both the desired and the inspected side before the planner
// compares them with Equal, so that Equal can stay a plain value comparison.
type Type struct {
	// Name is the SQL spelling in lower case: "int", "varchar",
	// "unsigned big int", "double precision", "enum". Empty when Raw is set.
	Name string
	// Args are sizes, precisions and scales. Nil means written without
	// parentheses: "int" and "int(11)" are different spellings.
	Args []int
	// Values are the members of an enum or set, in order.
	Values []string
	// Unsigned is MySQL's UNSIGNED attribute of numeric types.
	Unsigned bool
	// Raw is the declared type text for types outside the registry.
	Raw string
}

// String returns the type as it appears in DDL, e.g. "decimal(10,2)",
// "enum('a','b')", "int unsigned" or the raw text.
func (t Type) String() string {
	if t.Raw != "" {
		return t.Raw
	}
	var b strings.Builder
	b.WriteString(t.Name)
	switch {
	case t.Values != nil:
		b.WriteByte('(')
		for i, v := range t.Values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(QuoteString(v))
		}
		b.WriteByte(')')
	case t.Args != nil:
		b.WriteByte('(')
		for i, a := range t.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(a))
		}
		b.WriteByte(')')
	}
	if t.Unsigned {
		b.WriteString(" unsigned")
	}
	return b.String()
}

// Equal reports whether two (normalised) types are the same.
func (t Type) Equal(u Type) bool {
	if t.Name != u.Name || t.Raw != u.Raw || t.Unsigned != u.Unsigned ||
		(t.Args == nil) != (u.Args == nil) || (t.Values == nil) != (u.Values == nil) ||
		len(t.Args) != len(u.Args) || len(t.Values) != len(u.Values) {
		return false
	}
	for i := range t.Args {
		if t.Args[i] != u.Args[i] {
			return false
		}
	}
	for i := range t.Values {
		if t.Values[i] != u.Values[i] {
			return false
		}
	}
	return true
}

// QuoteString renders s as a single-quoted SQL string literal, doubling
// embedded quotes. Both engines accept this form; backslashes are left alone,
// which is right for SQLite and for MySQL under NO_BACKSLASH_ESCAPES, and is
// handled by the MySQL dialect otherwise.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
