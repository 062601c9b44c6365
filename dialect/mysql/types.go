package mysql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// registry is the one list of MySQL types. Each entry is a name the
// schema language takes, in the order of its suggestions, with the type it
// normalises to when it is another spelling of one (bool is tinyint(1)),
// and the spellings only the server takes, "|"-separated, which the
// normalisation reads as it too.
var registry = []struct {
	spec    schema.TypeSpec
	of      string
	aliases string
}{
	{spec: typ("bool", schema.ClassBool, 0, 0, nil), of: "tinyint"},
	{spec: typ("boolean", schema.ClassBool, 0, 0, nil), of: "tinyint"},
	{spec: typ("bit", schema.ClassBit, 0, 1, rangeArg(1, 64, "the width"))},
	{spec: typ("tinyint", schema.ClassInteger, 0, 1, maxArg(255)), aliases: "int1"},
	{spec: typ("smallint", schema.ClassInteger, 0, 1, maxArg(255)), aliases: "int2"},
	{spec: typ("mediumint", schema.ClassInteger, 0, 1, maxArg(255)), aliases: "int3|middleint"},
	{spec: typ("int", schema.ClassInteger, 0, 1, maxArg(255)), aliases: "integer|int4"},
	{spec: typ("bigint", schema.ClassInteger, 0, 1, maxArg(255)), aliases: "int8"},
	{spec: typ("decimal", schema.ClassDecimal, 0, 2, precisionScale(65, 30)), aliases: "dec|fixed"},
	{spec: typ("numeric", schema.ClassDecimal, 0, 2, precisionScale(65, 30)), of: "decimal"},
	{spec: typ("float", schema.ClassFloat, 0, 2, floatArgs), aliases: "float4"},
	{spec: typ("double", schema.ClassFloat, 0, 2, floatArgs), aliases: "double precision|float8"},
	{spec: typ("real", schema.ClassFloat, 0, 2, floatArgs), of: "double"},
	{spec: typ("date", schema.ClassDate, 0, 0, nil)},
	{spec: typ("time", schema.ClassTime, 0, 1, fspArg)},
	{spec: typ("datetime", schema.ClassDatetime, 0, 1, fspArg)},
	{spec: typ("timestamp", schema.ClassDatetime, 0, 1, fspArg)},
	{spec: typ("year", schema.ClassYear, 0, 1, rangeArg(4, 4, "the display width"))},
	{spec: typ("char", schema.ClassChar, 0, 1, maxArg(255)), aliases: "character|nchar|national char|national character"},
	{spec: typ("binary", schema.ClassBinary, 0, 1, maxArg(255))},
	{spec: typ("varchar", schema.ClassChar, 1, 1, maxArg(65535)), aliases: "character varying|char varying|nvarchar|national varchar|" +
		"national character varying|national char varying|nchar varchar|nchar varying"},
	{spec: typ("varbinary", schema.ClassBinary, 1, 1, maxArg(65535))},
	{spec: typ("tinytext", schema.ClassText, 0, 0, nil)},
	{spec: typ("mediumtext", schema.ClassText, 0, 0, nil), aliases: "long|long varchar"},
	{spec: typ("longtext", schema.ClassText, 0, 0, nil)},
	{spec: typ("text", schema.ClassText, 0, 1, maxArg(4294967295))},
	{spec: typ("tinyblob", schema.ClassBlob, 0, 0, nil)},
	{spec: typ("mediumblob", schema.ClassBlob, 0, 0, nil), aliases: "long varbinary"},
	{spec: typ("longblob", schema.ClassBlob, 0, 0, nil)},
	{spec: typ("blob", schema.ClassBlob, 0, 1, maxArg(4294967295))},
	{spec: typ("json", schema.ClassJSON, 0, 0, nil)},
	{spec: schema.TypeSpec{Name: "enum", Class: schema.ClassEnum, Values: true}},
	{spec: schema.TypeSpec{Name: "set", Class: schema.ClassSet, Values: true}},
	{spec: typ("geometry", schema.ClassSpatial, 0, 0, nil)},
	{spec: typ("point", schema.ClassSpatial, 0, 0, nil)},
	{spec: typ("linestring", schema.ClassSpatial, 0, 0, nil)},
	{spec: typ("polygon", schema.ClassSpatial, 0, 0, nil)},
	{spec: typ("multipoint", schema.ClassSpatial, 0, 0, nil)},
	{spec: typ("multilinestring", schema.ClassSpatial, 0, 0, nil)},
	{spec: typ("multipolygon", schema.ClassSpatial, 0, 0, nil)},
	{spec: typ("geometrycollection", schema.ClassSpatial, 0, 0, nil), aliases: "geomcollection"},
	{spec: typ("inet6", schema.ClassOther, 0, 0, nil)},
	{spec: typ("inet4", schema.ClassOther, 0, 0, nil)},
}

func typ(name string, class schema.TypeClass, minArgs, maxArgs int, check func(string, []int) string) schema.TypeSpec {
	return schema.TypeSpec{Name: name, Class: class, MinArgs: minArgs, MaxArgs: maxArgs, Check: check}
}

// The argument checks of the registry: the limits the server enforces.

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
		text := schema.Type{Name: name, Args: args}.String()
		switch {
		case len(args) >= 1 && (args[0] < 1 || args[0] > maxP):
			return fmt.Sprintf("%s: precision %d is out of range 1 to %d", text, args[0], maxP)
		case len(args) == 2 && args[1] > maxS:
			return fmt.Sprintf("%s: scale %d is out of range 0 to %d", text, args[1], maxS)
		case len(args) == 2 && args[1] > args[0]:
			return fmt.Sprintf("%s: scale %d is larger than precision %d", text, args[1], args[0])
		}
		return ""
	}
}

func floatArgs(name string, args []int) string {
	if len(args) == 1 && args[0] > 53 {
		return fmt.Sprintf("%s: precision %d is out of range 0 to 53", schema.Type{Name: name, Args: args}, args[0])
	}
	if len(args) == 2 {
		return precisionScale(255, 30)(name, args)
	}
	return ""
}

var fspArg = rangeArg(0, 6, "the fractional seconds precision")

// types are the registry's specs, for the schema language.
var types = func() []schema.TypeSpec {
	specs := make([]schema.TypeSpec, len(registry))
	for i, r := range registry {
		specs[i] = r.spec
	}
	return specs
}()

type typeName struct {
	name  string
	class schema.TypeClass
}

// typeNames maps every spelling to its canonical name and class.
var typeNames = func() map[string]typeName {
	classes := map[string]schema.TypeClass{}
	for _, r := range registry {
		classes[r.spec.Name] = r.spec.Class
	}
	m := map[string]typeName{}
	for _, r := range registry {
		name := r.spec.Name
		if r.of != "" {
			name = r.of
		}
		m[r.spec.Name] = typeName{name, classes[name]}
		if r.aliases != "" {
			for _, a := range strings.Split(r.aliases, "|") {
				m[a] = typeName{name, classes[name]}
			}
		}
	}
	return m
}()

// nationalTypes are the spellings of the national character types, which
// use utf8mb3.
var nationalTypes = map[string]bool{
	"nchar": true, "national char": true, "national character": true, "nvarchar": true,
	"national varchar": true, "national character varying": true, "national char varying": true,
	"nchar varchar": true, "nchar varying": true,
}

// classOf returns the class of a type after normalisation: bool is an
// integer, as tinyint(1).
func classOf(t schema.Type) schema.TypeClass {
	if t.Raw != "" {
		return schema.ClassOther
	}
	return typeNames[t.Name].class
}

// hasCharset reports whether values of the class have a character set:
// character strings, enum and set.
func hasCharset(c schema.TypeClass) bool {
	return c == schema.ClassChar || c == schema.ClassText || isEnum(c)
}

// isEnum reports whether the class is enum or set, whose values are a list.
func isEnum(c schema.TypeClass) bool { return c == schema.ClassEnum || c == schema.ClassSet }

// spelledClass returns the class of a type as written, before
// normalisation: bool is a bool.
func spelledClass(t schema.Type) schema.TypeClass {
	if t.Raw == "" {
		for _, r := range registry {
			if r.spec.Name == t.Name {
				return r.spec.Class
			}
		}
	}
	return schema.ClassOther
}

// parsedType is a type with what its text implies for the column.
type parsedType struct {
	t       schema.Type
	charset string // CHARACTER SET in the type text, or utf8mb3 for national types
	collate string // COLLATE in the type text
	binary  bool   // the BINARY attribute of a character type: the _bin collation
}

// parseType reads a column type as information_schema COLUMN_TYPE, DDL or
// sql("…") write it into the canonical model form: canonical names,
// implied sizes filled in (decimal(10,0), char(1), bit(1)), display widths
// dropped except tinyint(1), fractional precision 0 dropped, float(p) by
// its precision. text(n) and blob(n) keep their size for resolveText.
// Anything else is Raw, in lower case with single spaces.
func parseType(text string) parsedType {
	toks, err := lex(text)
	if err != nil || len(toks) == 0 {
		return parsedType{t: schema.Type{Raw: rawType(text)}}
	}
	var words []string
	i := 0
	for ; i < len(toks) && toks[i].kind == tokWord; i++ {
		words = append(words, strings.ToLower(toks[i].val))
	}
	// The longest run of words that names a type: "double precision",
	// "national char varying", "long varbinary".
	n := len(words)
	for n > 0 {
		if _, ok := typeNames[strings.Join(words[:n], " ")]; ok {
			break
		}
		n--
	}
	if n == 0 {
		return parsedType{t: schema.Type{Raw: rawType(text)}}
	}
	spelled := strings.Join(words[:n], " ")
	known := typeNames[spelled]
	p := parsedType{t: schema.Type{Name: known.name}}
	rest := toks[n:]
	if len(rest) > 0 && rest[0].op("(") {
		end := closes(rest, 0)
		if end < 0 {
			return parsedType{t: schema.Type{Raw: rawType(text)}}
		}
		var ok bool
		if isEnum(known.class) {
			p.t.Values, ok = enumValues(rest[1:end])
		} else {
			p.t.Args, ok = typeArgs(rest[1:end])
		}
		if !ok {
			return parsedType{t: schema.Type{Raw: rawType(text)}}
		}
		rest = rest[end+1:]
	}
	if isEnum(known.class) && p.t.Values == nil {
		return parsedType{t: schema.Type{Raw: rawType(text)}}
	}
	zerofill, ok := p.modifiers(rest)
	if !ok {
		return parsedType{t: schema.Type{Raw: rawType(text)}}
	}
	if nationalTypes[spelled] && p.charset == "" {
		p.charset = "utf8mb3"
	}
	if spelled == "bool" || spelled == "boolean" {
		p.t.Args = []int{1}
	}
	if !canonicalArgs(&p.t, known.class, zerofill) {
		return parsedType{t: schema.Type{Raw: rawType(text)}}
	}
	if zerofill {
		// ZEROFILL is outside the model: the display width then matters.
		return parsedType{t: schema.Type{Raw: p.t.String() + " zerofill"}}
	}
	return p
}

// modifiers reads what follows a type's name and arguments: UNSIGNED,
// SIGNED, ZEROFILL, BINARY, CHARACTER SET x, COLLATE x.
func (p *parsedType) modifiers(rest []token) (zerofill, ok bool) {
	for k := 0; k < len(rest); k++ {
		w := rest[k]
		if w.kind != tokWord && w.kind != tokIdent && w.kind != tokString {
			return false, false
		}
		switch lw := strings.ToLower(w.val); {
		case lw == "unsigned":
			p.t.Unsigned = true
		case lw == "signed":
		case lw == "zerofill":
			zerofill = true
		case lw == "binary":
			p.binary = true
		case (lw == "charset" || lw == "character" || lw == "collate") && k+1 < len(rest):
			if lw == "character" {
				k++ // SET
				if k+1 >= len(rest) || !rest[k].is(tokWord, "set") {
					return false, false
				}
			}
			k++
			if lw == "collate" {
				p.collate = canonicalCollation(rest[k].val)
			} else {
				p.charset = canonicalCharset(rest[k].val)
			}
		default:
			return false, false
		}
	}
	return zerofill, true
}

// canonicalArgs fills in implied sizes and drops meaningless ones. It
// reports false for arguments the type does not take.
func canonicalArgs(t *schema.Type, c schema.TypeClass, keepWidth bool) bool {
	a := t.Args
	switch c {
	case schema.ClassInteger:
		if len(a) > 1 {
			return false
		}
		if !keepWidth && !(t.Name == "tinyint" && len(a) == 1 && a[0] == 1) {
			t.Args = nil
		}
	case schema.ClassDecimal:
		switch len(a) {
		case 0:
			t.Args = []int{10, 0}
		case 1:
			t.Args = []int{a[0], 0}
		}
	case schema.ClassFloat:
		switch {
		case len(a) == 1 && t.Name == "float" && a[0] > 24:
			t.Name, t.Args = "double", nil
		case len(a) == 1:
			t.Args = nil
		case len(a) > 2:
			return false
		}
	case schema.ClassBit:
		if len(a) == 0 {
			t.Args = []int{1}
		}
	case schema.ClassChar, schema.ClassBinary:
		if len(a) == 0 && (t.Name == "char" || t.Name == "binary") {
			t.Args = []int{1}
		}
		if len(t.Args) != 1 {
			return false
		}
	case schema.ClassText, schema.ClassBlob:
		if len(a) > 1 || (len(a) == 1 && t.Name != "text" && t.Name != "blob") {
			return false
		}
	case schema.ClassTime, schema.ClassDatetime:
		if len(a) > 1 {
			return false
		}
		if len(a) == 1 && a[0] == 0 {
			t.Args = nil
		}
	case schema.ClassYear:
		t.Args = nil
	case schema.ClassEnum, schema.ClassSet:
	default:
		if len(a) > 0 {
			return false
		}
	}
	if t.Unsigned && c != schema.ClassInteger && c != schema.ClassDecimal && c != schema.ClassFloat {
		return false
	}
	return true
}

// resolveText turns text(n) and blob(n) into the smallest type that holds
// n characters (bytes for blob) under a character set of maxLen bytes per
// character, as the server does.
func resolveText(t schema.Type, maxLen int) schema.Type {
	if (t.Name != "text" && t.Name != "blob") || len(t.Args) != 1 {
		return t
	}
	n := t.Args[0]
	if t.Name == "text" {
		n *= maxLen
	}
	sizes := []string{"tiny", "", "medium", "long"}
	limits := []int{255, 65535, 16777215}
	prefix := sizes[3]
	for k, l := range limits {
		if n <= l {
			prefix = sizes[k]
			break
		}
	}
	return schema.Type{Name: prefix + t.Name}
}

func typeArgs(toks []token) ([]int, bool) {
	var args []int
	for k, t := range toks {
		if k%2 == 1 {
			if !t.op(",") {
				return nil, false
			}
			continue
		}
		if t.kind != tokNumber {
			return nil, false
		}
		n, err := strconv.Atoi(t.val)
		if err != nil || n < 0 {
			return nil, false
		}
		args = append(args, n)
	}
	return args, len(args) > 0 && len(toks)%2 == 1
}

func enumValues(toks []token) ([]string, bool) {
	values := []string{}
	for k, t := range toks {
		if k%2 == 1 {
			if !t.op(",") {
				return nil, false
			}
			continue
		}
		if t.kind != tokString {
			return nil, false
		}
		values = append(values, t.val)
	}
	return values, len(toks)%2 == 1
}

// rawType is the canonical spelling of a type outside the model: lower
// case with single spaces.
func rawType(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// typeSQL is the type as written in DDL: enum and set values escaped as
// the server needs.
func typeSQL(t schema.Type) string {
	if t.Raw != "" || t.Values == nil {
		return t.String()
	}
	vals := make([]string, len(t.Values))
	for i, v := range t.Values {
		vals[i] = quoteString(v)
	}
	return t.Name + "(" + strings.Join(vals, ",") + ")"
}
