package mysql

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/schemactl/schemactl/schema"
)

// Narrows reports whether changing a column from one definition to the
// other can lose or reject existing data, with a reason that names the
// column. The decision table is Skeema's:
//
//   - a virtual generated column holds no data: safe;
//   - a column that becomes generated loses its stored values;
//   - a charset change converts every value;
//   - integers: unsafe when the new range does not hold the old one
//     (smaller type, signed to unsigned or back);
//   - decimals: unsafe when integer digits or scale shrink, or signed
//     becomes unsigned;
//   - float to double is safe, the reverse is not;
//   - strings and binary strings: unsafe when the maximum length in bytes
//     shrinks; moving between character and binary strings is a charset
//     change;
//   - enum and set: safe only when the new list starts with the old one;
//   - bit, time, datetime, timestamp: unsafe when the width or fractional
//     precision shrinks; date to datetime is safe, the reverse is not;
//   - any other change of type is unsafe.
//
// Making a column NOT NULL is not narrowing: it fails or succeeds as a whole
// on the data, which the planner reports separately.
func (d *Dialect) Narrows(from, to *schema.Column) (bool, string) {
	if from == nil || to == nil {
		return false, ""
	}
	if g := to.Generated; g != nil {
		if from.Generated == nil {
			return true, fmt.Sprintf("column %q becomes generated: its stored values are replaced by %s", to.Name, g.Expr)
		}
		if !g.Stored {
			return false, ""
		}
	}
	change := fmt.Sprintf("column %q changes from %s to %s", to.Name, typeSQL(from.Type), typeSQL(to.Type))
	if from.Charset != to.Charset && (from.Charset != "" || to.Charset != "") {
		return true, fmt.Sprintf("column %q changes character set from %s to %s: values are converted", to.Name, orDefault(from.Charset), orDefault(to.Charset))
	}
	if from.Type.Equal(to.Type) {
		return false, ""
	}
	if why := d.narrowing(from.Type, to.Type, from.Charset); why != "" {
		return true, change + ": " + why
	}
	return false, ""
}

func orDefault(cs string) string {
	if cs == "" {
		return "the table default"
	}
	return cs
}

// narrowing returns why a type change can lose data, or "".
func (d *Dialect) narrowing(f, t schema.Type, charset string) string {
	fc, tc := classOf(f), classOf(t)
	switch {
	case fc == schema.ClassInteger && tc == schema.ClassInteger:
		if !contains(intRange(t), intRange(f)) {
			return "the new range does not hold every old value"
		}
		return ""
	case (fc == schema.ClassInteger || fc == schema.ClassDecimal) && tc == schema.ClassDecimal:
		fi, fs := digits(f)
		ti, ts := digits(t)
		switch {
		case !f.Unsigned && t.Unsigned:
			return "negative values do not fit an unsigned type"
		case ti < fi:
			return fmt.Sprintf("%d integer digits do not hold %d", ti, fi)
		case ts < fs:
			return fmt.Sprintf("the scale shrinks from %d to %d: values are rounded", fs, ts)
		}
		return ""
	case fc == schema.ClassFloat && tc == schema.ClassFloat:
		switch {
		case f.Name == "double" && t.Name == "float":
			return "double values lose precision as float"
		case !f.Unsigned && t.Unsigned:
			return "negative values do not fit an unsigned type"
		case shrinks(f.Args, t.Args):
			return "the precision or scale shrinks"
		}
		return ""
	case isEnum(fc) && isEnum(tc):
		if f.Name != t.Name || len(t.Values) < len(f.Values) || !slices.Equal(t.Values[:len(f.Values)], f.Values) {
			return "values can only be appended to an enum or set; changing or removing one changes stored data"
		}
		return ""
	case isString(fc) && isString(tc):
		if isBinary(fc) != isBinary(tc) {
			return "moving between character and binary strings converts every value"
		}
		if d.maxBytes(t, charset) < d.maxBytes(f, charset) {
			return fmt.Sprintf("the maximum length shrinks from %d to %d bytes", d.maxBytes(f, charset), d.maxBytes(t, charset))
		}
		return ""
	case fc == schema.ClassBit && tc == schema.ClassBit:
		if len(t.Args) == 1 && len(f.Args) == 1 && t.Args[0] < f.Args[0] {
			return "the width shrinks"
		}
		return ""
	case fc == schema.ClassDate && tc == schema.ClassDatetime:
		return ""
	case (fc == schema.ClassTime && tc == schema.ClassTime) || (fc == schema.ClassDatetime && tc == schema.ClassDatetime):
		if fsp(t) < fsp(f) {
			return "the fractional seconds precision shrinks: values are rounded"
		}
		if f.Name == "datetime" && t.Name == "timestamp" {
			return "timestamp holds a smaller range of dates than datetime"
		}
		return ""
	}
	return "values are converted to another type"
}

func contains(outer, inner [2]*big.Int) bool {
	return outer[0].Cmp(inner[0]) <= 0 && outer[1].Cmp(inner[1]) >= 0
}

// intRange returns the smallest and largest value of an integer type.
func intRange(t schema.Type) [2]*big.Int {
	bits := map[string]uint{"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "bigint": 64}[t.Name]
	one := big.NewInt(1)
	if t.Unsigned {
		hi := new(big.Int).Sub(new(big.Int).Lsh(one, bits), one)
		return [2]*big.Int{big.NewInt(0), hi}
	}
	hi := new(big.Int).Sub(new(big.Int).Lsh(one, bits-1), one)
	lo := new(big.Int).Neg(new(big.Int).Lsh(one, bits-1))
	return [2]*big.Int{lo, hi}
}

// digits returns the integer digits and the scale of a decimal, or of an
// integer type.
func digits(t schema.Type) (int, int) {
	if classOf(t) == schema.ClassInteger {
		return len(intRange(t)[1].String()), 0
	}
	if len(t.Args) == 2 {
		return t.Args[0] - t.Args[1], t.Args[1]
	}
	return 10, 0
}

func shrinks(from, to []int) bool {
	if len(to) == 0 {
		return false
	}
	if len(from) == 0 {
		return true
	}
	for k := range min(len(from), len(to)) {
		if to[k] < from[k] {
			return true
		}
	}
	return false
}

func fsp(t schema.Type) int {
	if len(t.Args) == 1 {
		return t.Args[0]
	}
	return 0
}

func isString(c schema.TypeClass) bool {
	return c == schema.ClassChar || c == schema.ClassText || c == schema.ClassBinary || c == schema.ClassBlob
}

func isBinary(c schema.TypeClass) bool { return c == schema.ClassBinary || c == schema.ClassBlob }

// maxBytes is the most bytes a string type holds; character lengths count
// at the bytes per character of the column's charset (or the database
// default).
func (d *Dialect) maxBytes(t schema.Type, charset string) int64 {
	switch t.Name {
	case "tinytext", "tinyblob":
		return 255
	case "text", "blob":
		return 65535
	case "mediumtext", "mediumblob":
		return 16777215
	case "longtext", "longblob":
		return 4294967295
	}
	n := int64(1)
	if len(t.Args) == 1 {
		n = int64(t.Args[0])
	}
	if classOf(t) == schema.ClassChar {
		if charset == "" {
			charset = d.Flavor.Charset
		}
		n *= int64(d.Flavor.MaxLen(charset))
	}
	return n
}
