package schemahcl

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/schemactl/schemactl/schema"
)

// typeClass groups types by what values and attributes they take.
type typeClass int

const (
	classOther typeClass = iota
	classInteger
	classDecimal
	classFloat
	classBool
	classBit
	classString // char, varchar, text family
	classBinary // binary, varbinary, blob family
	classEnum
	classSet
	classDate
	classTime     // time, year
	classDatetime // datetime, timestamp
	classJSON
	classSpatial
)

// typeSpec is one type of a dialect's registry.
type typeSpec struct {
	hcl      string // HCL spelling: unsigned_big_int
	sql      string // SQL name: unsigned big int
	min, max int    // number of integer arguments
	values   bool   // enum, set: string arguments instead
	class    typeClass
	// check returns a message when args are out of range, else "".
	check func(name string, args []int) string
}

func spec(names string, min, max int, class typeClass, check func(string, []int) string) []typeSpec {
	var specs []typeSpec
	for _, n := range strings.Fields(names) {
		specs = append(specs, typeSpec{hcl: n, sql: strings.ReplaceAll(n, "_", " "), min: min, max: max, class: class, check: check})
	}
	return specs
}

func maxArg(limit int) func(string, []int) string {
	return func(name string, args []int) string {
		if len(args) == 1 && args[0] > limit {
			return fmt.Sprintf("%s(%d) is out of range: the size is at most %d", name, args[0], limit)
		}
		return ""
	}
}

func rangeArg(lo, hi int, what string) func(string, []int) string {
	return func(name string, args []int) string {
		if len(args) == 1 && (args[0] < lo || args[0] > hi) {
			return fmt.Sprintf("%s(%d) is out of range: %s must be %d to %d", name, args[0], what, lo, hi)
		}
		return ""
	}
}

func precisionScale(maxP, maxS int) func(string, []int) string {
	return func(name string, args []int) string {
		switch {
		case len(args) >= 1 && (args[0] < 1 || args[0] > maxP):
			return fmt.Sprintf("%s: precision %d is out of range 1 to %d", typeText(name, args), args[0], maxP)
		case len(args) == 2 && args[1] > maxS:
			return fmt.Sprintf("%s: scale %d is out of range 0 to %d", typeText(name, args), args[1], maxS)
		case len(args) == 2 && args[1] > args[0]:
			return fmt.Sprintf("%s: scale %d is larger than precision %d", typeText(name, args), args[1], args[0])
		}
		return ""
	}
}

func floatArgs(name string, args []int) string {
	if len(args) == 1 && args[0] > 53 {
		return fmt.Sprintf("%s: precision %d is out of range 0 to 53", typeText(name, args), args[0])
	}
	if len(args) == 2 {
		return precisionScale(255, 30)(name, args)
	}
	return ""
}

func typeText(name string, args []int) string {
	return schema.Type{Name: name, Args: args}.String()
}

var fsp = rangeArg(0, 6, "the fractional seconds precision")

func concat(lists ...[]typeSpec) []typeSpec {
	var all []typeSpec
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// The registries are fixed tables, never written to.
var mysqlTypes = concat(
	spec("bool boolean", 0, 0, classBool, nil),
	spec("bit", 0, 1, classBit, rangeArg(1, 64, "the width")),
	spec("tinyint smallint mediumint int bigint", 0, 1, classInteger, maxArg(255)),
	spec("decimal numeric", 0, 2, classDecimal, precisionScale(65, 30)),
	spec("float double real", 0, 2, classFloat, floatArgs),
	spec("date", 0, 0, classDate, nil),
	spec("time", 0, 1, classTime, fsp),
	spec("datetime timestamp", 0, 1, classDatetime, fsp),
	spec("year", 0, 1, classTime, rangeArg(4, 4, "the display width")),
	spec("char", 0, 1, classString, maxArg(255)),
	spec("binary", 0, 1, classBinary, maxArg(255)),
	spec("varchar", 1, 1, classString, maxArg(65535)),
	spec("varbinary", 1, 1, classBinary, maxArg(65535)),
	spec("tinytext mediumtext longtext", 0, 0, classString, nil),
	spec("text", 0, 1, classString, maxArg(4294967295)),
	spec("tinyblob mediumblob longblob", 0, 0, classBinary, nil),
	spec("blob", 0, 1, classBinary, maxArg(4294967295)),
	spec("json", 0, 0, classJSON, nil),
	[]typeSpec{
		{hcl: "enum", sql: "enum", values: true, class: classEnum},
		{hcl: "set", sql: "set", values: true, class: classSet},
	},
	spec("geometry point linestring polygon multipoint multilinestring multipolygon geometrycollection", 0, 0, classSpatial, nil),
	spec("inet6 inet4", 0, 0, classOther, nil),
)

var sqliteTypes = concat(
	spec("integer int tinyint smallint mediumint bigint int2 int8 uint64 unsigned_big_int", 0, 1, classInteger, nil),
	spec("real", 0, 2, classFloat, nil),
	spec("double float double_precision", 0, 1, classFloat, nil),
	spec("numeric decimal", 0, 2, classDecimal, nil),
	spec("text varchar character nchar nvarchar clob varying_character native_character", 0, 1, classString, nil),
	spec("blob", 0, 1, classBinary, nil),
	spec("bool boolean", 0, 0, classBool, nil),
	spec("date", 0, 0, classDate, nil),
	spec("datetime", 0, 0, classDatetime, nil),
	spec("json jsonb", 0, 0, classJSON, nil),
	spec("uuid", 0, 0, classOther, nil),
	// schemactl extension: bare names real SQLite schemas use.
	spec("timestamp", 0, 0, classDatetime, nil),
	spec("time", 0, 0, classTime, nil),
	spec("char", 0, 1, classString, nil),
)

func registry(dl schema.Dialect) []typeSpec {
	if dl == schema.MySQL {
		return mysqlTypes
	}
	return sqliteTypes
}

func otherDialect(dl schema.Dialect) schema.Dialect {
	if dl == schema.MySQL {
		return schema.SQLite
	}
	return schema.MySQL
}

// lookupHCL finds a type by its HCL spelling.
func lookupHCL(dl schema.Dialect, name string) (typeSpec, bool) {
	for _, s := range registry(dl) {
		if s.hcl == name {
			return s, true
		}
	}
	return typeSpec{}, false
}

// lookupSQL finds a type by its SQL name (the model's Type.Name).
func lookupSQL(dl schema.Dialect, name string) (typeSpec, bool) {
	for _, s := range registry(dl) {
		if s.sql == name {
			return s, true
		}
	}
	return typeSpec{}, false
}

// classOf returns the class of a decoded type; raw types are classOther.
func classOf(dl schema.Dialect, t schema.Type) typeClass {
	if t.Raw != "" {
		return classOther
	}
	if s, ok := lookupSQL(dl, t.Name); ok {
		return s.class
	}
	return classOther
}

// usage is how a type is written, for messages: varchar(n), decimal, enum("…").
func (s typeSpec) usage() string {
	switch {
	case s.values:
		return s.hcl + `("…")`
	case s.min == 1:
		return s.hcl + "(n)"
	}
	return s.hcl
}

// typeHints suggest the nearest type of the dialect for a type of the other.
var typeHints = map[schema.Dialect]map[string]string{
	schema.SQLite: {
		"enum": "use text with a check", "set": "use text with a check",
		"bit": "use integer", "year": "use integer",
		"tinytext": "use text", "mediumtext": "use text", "longtext": "use text",
		"tinyblob": "use blob", "mediumblob": "use blob", "longblob": "use blob",
		"binary": "use blob", "varbinary": "use blob", "inet4": "use text", "inet6": "use text",
	},
	schema.MySQL: {
		"integer": "use int", "int2": "use smallint", "int8": "use bigint",
		"uint64": "use bigint with unsigned = true", "unsigned_big_int": "use bigint with unsigned = true",
		"double_precision": "use double", "character": "use char", "nchar": "use char",
		"nvarchar": "use varchar(n)", "varying_character": "use varchar(n)", "native_character": "use char",
		"clob": "use longtext", "jsonb": "use json", "uuid": `use char(36), or sql("uuid") on MariaDB >= 10.7`,
	},
}

// decodeType interprets a type expression: a bare name, a type call or
// sql("…"). The type is returned with ok false when it is invalid; errors
// are reported.
func (d *decoder) decodeType(e hclsyntax.Expression) (schema.Type, bool) {
	rng := e.Range()
	if raw, isSQL, valid := d.sqlCall(e, "type"); isSQL {
		return schema.Type{Raw: raw}, valid
	}
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if len(e.Traversal) == 1 {
			return d.namedType(e.Traversal.RootName(), nil, rng)
		}
	case *hclsyntax.FunctionCallExpr:
		return d.namedType(e.Name, e, e.NameRange)
	case *hclsyntax.TemplateExpr:
		if s, ok := stringLit(e); ok {
			d.errorf(&rng, "Invalid value", "type must be a type such as int or varchar(255), not a string; write it without quotes, or sql(%q) for a declared type", s)
			return schema.Type{}, false
		}
	}
	if msg := scopeProblem(e, true); msg != "" {
		d.errorf(&rng, "Unsupported construct", "%s", msg)
		return schema.Type{}, false
	}
	d.errorf(&rng, "Invalid value", "type must be a type such as int, varchar(255) or sql(\"…\"), got %s", kindOf(e))
	return schema.Type{}, false
}

// namedType decodes a bare type name (call nil) or a type call.
// rng is the name; errors about arguments point at the whole call.
func (d *decoder) namedType(name string, call *hclsyntax.FunctionCallExpr, rng hcl.Range) (schema.Type, bool) {
	s, ok := lookupHCL(d.opts.Dialect, name)
	if !ok {
		if _, other := lookupHCL(otherDialect(d.opts.Dialect), name); other {
			hint := typeHints[d.opts.Dialect][name]
			if hint != "" {
				hint += ", or sql(\"…\")"
			} else {
				hint = "write sql(\"…\") with the declared type"
			}
			d.errorf(&rng, "Type not available", "%s is not a %s type; %s", name, d.dialectName(), hint)
			return schema.Type{}, false
		}
		var names []string
		for _, s := range registry(d.opts.Dialect) {
			names = append(names, s.hcl)
		}
		msg := fmt.Sprintf("unknown type %q for %s", name, d.dialectName())
		if sug := suggest(name, names); sug != "" {
			best, _ := lookupHCL(d.opts.Dialect, sug)
			msg += fmt.Sprintf("; did you mean %s?", best.usage())
		} else {
			msg += "; write sql(\"…\") for a type outside the list"
		}
		d.errorf(&rng, "Unknown type", "%s", msg)
		return schema.Type{}, false
	}
	t := schema.Type{Name: s.sql}
	if call == nil {
		switch {
		case s.values:
			d.errorf(&rng, "Invalid type arguments", "%s needs its values: %s(\"a\", \"b\")", name, name)
			return t, false
		case s.min > 0:
			d.errorf(&rng, "Invalid type arguments", "%s needs a length: %s", name, s.usage())
			return t, false
		}
		return t, true
	}
	rng = hcl.RangeBetween(call.NameRange, call.CloseParenRange)
	if call.ExpandFinal {
		d.errorf(&rng, "Invalid type arguments", "%s: argument expansion (...) is not supported", name)
		return t, false
	}
	if s.values {
		return d.typeValues(s, t, call, rng)
	}
	return d.typeArgs(s, t, call, rng)
}

func (d *decoder) typeValues(s typeSpec, t schema.Type, call *hclsyntax.FunctionCallExpr, rng hcl.Range) (schema.Type, bool) {
	if len(call.Args) == 0 {
		d.errorf(&rng, "Invalid type arguments", "%s needs at least one value: %s(\"a\", \"b\")", s.hcl, s.hcl)
		return t, false
	}
	ok := true
	seen := map[string]bool{}
	t.Values = []string{}
	for _, a := range call.Args {
		v, isStr := stringLit(a)
		arng := a.Range()
		switch {
		case !isStr:
			d.errorf(&arng, "Invalid type arguments", "%s values must be strings, got %s", s.hcl, kindOf(a))
			ok = false
			continue
		case seen[strings.ToLower(v)]:
			d.errorf(&arng, "Invalid type arguments", "duplicate %s value %q", s.hcl, v)
			ok = false
		case s.class == classSet && strings.Contains(v, ","):
			d.errorf(&arng, "Invalid type arguments", "set value %q contains a comma", v)
			ok = false
		}
		seen[strings.ToLower(v)] = true
		t.Values = append(t.Values, v)
	}
	return t, ok
}

func (d *decoder) typeArgs(s typeSpec, t schema.Type, call *hclsyntax.FunctionCallExpr, rng hcl.Range) (schema.Type, bool) {
	n := len(call.Args)
	switch {
	case s.max == 0:
		d.errorf(&rng, "Invalid type arguments", "type %s does not accept arguments", s.hcl)
		return t, false
	case n == 0:
		d.errorf(&rng, "Invalid type arguments", "%s() has empty parentheses; write %s", s.hcl, s.usage())
		return t, false
	case n < s.min || n > s.max:
		want := fmt.Sprintf("%d", s.max)
		if s.min != s.max {
			want = fmt.Sprintf("%d to %d", max(s.min, 1), s.max)
		}
		d.errorf(&rng, "Invalid type arguments", "%s takes %s arguments, got %d", s.hcl, want, n)
		return t, false
	}
	t.Args = []int{}
	for _, a := range call.Args {
		f, isNum := numberLit(a)
		arng := a.Range()
		if !isNum {
			d.errorf(&arng, "Invalid type arguments", "%s arguments must be integers, got %s", s.hcl, kindOf(a))
			return t, false
		}
		i, acc := f.Int64()
		if !f.IsInt() || acc != big.Exact || i < 0 || i > 1<<32 {
			d.errorf(&arng, "Invalid type arguments", "%s arguments must be non-negative integers, got %s", s.hcl, f.Text('g', 10))
			return t, false
		}
		t.Args = append(t.Args, int(i))
	}
	if s.check != nil {
		if msg := s.check(s.hcl, t.Args); msg != "" {
			d.errorf(&rng, "Invalid type arguments", "%s", msg)
			return t, false
		}
	}
	return t, true
}

// validArgs reports whether a model type fits its registry entry, so that
// the encoder can write it with the HCL spelling.
func validArgs(s typeSpec, t schema.Type) bool {
	if s.values {
		if len(t.Values) == 0 || t.Args != nil {
			return false
		}
		seen := map[string]bool{}
		for _, v := range t.Values {
			if seen[strings.ToLower(v)] || (s.class == classSet && strings.Contains(v, ",")) {
				return false
			}
			seen[strings.ToLower(v)] = true
		}
		return true
	}
	if t.Values != nil {
		return false
	}
	if t.Args == nil {
		return s.min == 0
	}
	if len(t.Args) < max(s.min, 1) || len(t.Args) > s.max {
		return false
	}
	for _, a := range t.Args {
		if a < 0 || a > 1<<32 {
			return false
		}
	}
	return s.check == nil || s.check(s.hcl, t.Args) == ""
}
