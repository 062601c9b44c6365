package mysql

import (
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// class groups types by what their values are, for defaults, charsets and
// the narrowing table.
type class int

const (
	classOther class = iota
	classInteger
	classDecimal
	classFloat
	classBit
	classChar   // char, varchar
	classText   // tinytext … longtext
	classBinary // binary, varbinary
	classBlob   // tinyblob … longblob
	classEnum   // enum, set
	classDate
	classTime     // time
	classDatetime // datetime, timestamp
	classYear
	classJSON
	classSpatial
)

// canonicalTypes lists each canonical type name with its class and the
// other spellings ("|"-separated) that mean it.
var canonicalTypes = []struct {
	name    string
	class   class
	aliases string
}{
	{"tinyint", classInteger, "int1|bool|boolean"},
	{"smallint", classInteger, "int2"},
	{"mediumint", classInteger, "int3|middleint"},
	{"int", classInteger, "integer|int4"},
	{"bigint", classInteger, "int8"},
	{"decimal", classDecimal, "dec|numeric|fixed"},
	{"float", classFloat, "float4"},
	{"double", classFloat, "double precision|real|float8"},
	{"bit", classBit, ""},
	{"char", classChar, "character|nchar|national char|national character"},
	{"varchar", classChar, "character varying|char varying|nvarchar|national varchar|" +
		"national character varying|national char varying|nchar varchar|nchar varying"},
	{"tinytext", classText, ""},
	{"text", classText, ""},
	{"mediumtext", classText, "long|long varchar"},
	{"longtext", classText, ""},
	{"binary", classBinary, ""},
	{"varbinary", classBinary, ""},
	{"tinyblob", classBlob, ""},
	{"blob", classBlob, ""},
	{"mediumblob", classBlob, "long varbinary"},
	{"longblob", classBlob, ""},
	{"enum", classEnum, ""},
	{"set", classEnum, ""},
	{"date", classDate, ""},
	{"time", classTime, ""},
	{"datetime", classDatetime, ""},
	{"timestamp", classDatetime, ""},
	{"year", classYear, ""},
	{"json", classJSON, ""},
	{"geometry", classSpatial, ""},
	{"point", classSpatial, ""},
	{"linestring", classSpatial, ""},
	{"polygon", classSpatial, ""},
	{"multipoint", classSpatial, ""},
	{"multilinestring", classSpatial, ""},
	{"multipolygon", classSpatial, ""},
	{"geometrycollection", classSpatial, "geomcollection"},
	{"inet4", classOther, ""},
	{"inet6", classOther, ""},
}

type typeName struct {
	name  string
	class class
}

// typeNames maps every spelling to its canonical name and class.
var typeNames = func() map[string]typeName {
	m := map[string]typeName{}
	for _, t := range canonicalTypes {
		m[t.name] = typeName{t.name, t.class}
		if t.aliases != "" {
			for _, a := range strings.Split(t.aliases, "|") {
				m[a] = typeName{t.name, t.class}
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

// classOf returns the class of a canonical type.
func classOf(t schema.Type) class {
	if t.Raw != "" {
		return classOther
	}
	return typeNames[t.Name].class
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
		if known.class == classEnum {
			p.t.Values, ok = enumValues(rest[1:end])
		} else {
			p.t.Args, ok = typeArgs(rest[1:end])
		}
		if !ok {
			return parsedType{t: schema.Type{Raw: rawType(text)}}
		}
		rest = rest[end+1:]
	}
	if known.class == classEnum && p.t.Values == nil {
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
func canonicalArgs(t *schema.Type, c class, keepWidth bool) bool {
	a := t.Args
	switch c {
	case classInteger:
		if len(a) > 1 {
			return false
		}
		if !keepWidth && !(t.Name == "tinyint" && len(a) == 1 && a[0] == 1) {
			t.Args = nil
		}
	case classDecimal:
		switch len(a) {
		case 0:
			t.Args = []int{10, 0}
		case 1:
			t.Args = []int{a[0], 0}
		}
	case classFloat:
		switch {
		case len(a) == 1 && t.Name == "float" && a[0] > 24:
			t.Name, t.Args = "double", nil
		case len(a) == 1:
			t.Args = nil
		case len(a) > 2:
			return false
		}
	case classBit:
		if len(a) == 0 {
			t.Args = []int{1}
		}
	case classChar, classBinary:
		if len(a) == 0 && (t.Name == "char" || t.Name == "binary") {
			t.Args = []int{1}
		}
		if len(t.Args) != 1 {
			return false
		}
	case classText, classBlob:
		if len(a) > 1 || (len(a) == 1 && t.Name != "text" && t.Name != "blob") {
			return false
		}
	case classTime, classDatetime:
		if len(a) > 1 {
			return false
		}
		if len(a) == 1 && a[0] == 0 {
			t.Args = nil
		}
	case classYear:
		t.Args = nil
	case classEnum:
	default:
		if len(a) > 0 {
			return false
		}
	}
	if t.Unsigned && c != classInteger && c != classDecimal && c != classFloat {
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
