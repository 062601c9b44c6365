package sqlite

import (
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// registry is the one list of SQLite types: the names that get the named
// form {Name, Args} when a column declares them, and that the schema
// language takes. They are the SQLite names Atlas registers, plus
// timestamp, time, char and any, which real SQLite schemas use all the
// time (any is one of the six types a STRICT table allows). Every other
// declared type is kept verbatim as Raw. The order is the order of the
// language's suggestions.
var registry = concat(
	types("integer int tinyint smallint mediumint bigint int2 int8 uint64 unsigned_big_int", 0, 1, schema.ClassInteger),
	types("real", 0, 2, schema.ClassFloat),
	types("double float double_precision", 0, 1, schema.ClassFloat),
	types("numeric decimal", 0, 2, schema.ClassDecimal),
	types("text", 0, 1, schema.ClassText),
	types("varchar character nchar nvarchar", 0, 1, schema.ClassChar),
	types("clob", 0, 1, schema.ClassText),
	types("varying_character native_character", 0, 1, schema.ClassChar),
	types("blob", 0, 1, schema.ClassBlob),
	types("bool boolean", 0, 0, schema.ClassBool),
	types("date", 0, 0, schema.ClassDate),
	types("datetime", 0, 0, schema.ClassDatetime),
	types("json jsonb", 0, 0, schema.ClassJSON),
	types("uuid", 0, 0, schema.ClassOther),
	types("timestamp", 0, 0, schema.ClassDatetime),
	types("time", 0, 0, schema.ClassTime),
	types("char", 0, 1, schema.ClassChar),
	types("any", 0, 0, schema.ClassOther),
)

// types lists registry entries of one class; an underscore in a name
// stands for a space ("unsigned big int").
func types(names string, minArgs, maxArgs int, class schema.TypeClass) []schema.TypeSpec {
	var specs []schema.TypeSpec
	for _, n := range strings.Fields(names) {
		specs = append(specs, schema.TypeSpec{Name: strings.ReplaceAll(n, "_", " "), Class: class, MinArgs: minArgs, MaxArgs: maxArgs})
	}
	return specs
}

func concat(lists ...[]schema.TypeSpec) []schema.TypeSpec {
	var all []schema.TypeSpec
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// knownTypes are the names of the registry.
var knownTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range registry {
		m[s.Name] = true
	}
	return m
}()

// ParseType turns a declared column type into the model's form. It is the one
// function both Inspect and Normalize use, so a type reads back exactly as it
// was declared: known names are lower-cased with their sizes
// ("VARCHAR(255)" → varchar [255], "unsigned  big int" → "unsigned big int"),
// anything else is Raw verbatim ("BLOB SUB_TYPE TEXT"), and a missing type is
// blob, its affinity.
func (*Dialect) ParseType(declared string) schema.Type {
	return parseType(declared)
}

func parseType(declared string) schema.Type {
	declared = strings.TrimSpace(declared)
	if declared == "" {
		return schema.Type{Name: "blob"}
	}
	name, args, ok := splitType(declared)
	if !ok || !knownTypes[name] {
		return schema.Type{Raw: declared}
	}
	return schema.Type{Name: name, Args: args}
}

// splitType splits "NUMERIC ( 10, 2 )" into "numeric" and [10 2]. It fails
// for anything but words followed by an optional list of at most two
// non-negative integers.
func splitType(s string) (name string, args []int, ok bool) {
	// Most declared types are one bare word: integer, text.
	if bareWord(s) {
		return strings.ToLower(s), nil, true
	}
	toks := tokenize(s)
	var words []string
	i := 0
	for ; i < len(toks) && toks[i].kind == tokWord; i++ {
		words = append(words, strings.ToLower(toks[i].val))
	}
	if len(words) == 0 {
		return "", nil, false
	}
	name = strings.Join(words, " ")
	if i == len(toks) {
		return name, nil, true
	}
	if !toks[i].punct("(") || !toks[len(toks)-1].punct(")") {
		return "", nil, false
	}
	list := toks[i+1 : len(toks)-1]
	for k, t := range list {
		if k%2 == 1 {
			if !t.punct(",") {
				return "", nil, false
			}
			continue
		}
		if t.kind != tokNumber {
			return "", nil, false
		}
		n, err := strconv.Atoi(t.val)
		if err != nil || n < 0 {
			return "", nil, false
		}
		args = append(args, n)
	}
	if len(args) == 0 || len(args) > 2 || len(list)%2 == 0 {
		return "", nil, false
	}
	return name, args, true
}

// declared returns the type text to write in DDL.
func declared(t schema.Type) string {
	if t.Raw == "" && t.Name == "" {
		return "blob"
	}
	return t.String()
}

// affinity is SQLite's column affinity, derived from the declared type by
// the rules of section 3.1 of "Datatypes In SQLite".
type affinity int

const (
	affNumeric affinity = iota
	affInteger
	affText
	affBlob
	affReal
)

func (a affinity) String() string {
	return [...]string{"NUMERIC", "INTEGER", "TEXT", "BLOB", "REAL"}[a]
}

func typeAffinity(t schema.Type) affinity {
	d := strings.ToUpper(t.Raw)
	if d == "" {
		d = strings.ToUpper(t.Name)
	}
	switch {
	case strings.Contains(d, "INT"):
		return affInteger
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return affText
	case strings.Contains(d, "BLOB"), d == "":
		return affBlob
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return affReal
	}
	return affNumeric
}

// isRowidAlias reports whether a column declared with type t, as the only
// primary key column of a rowid table, becomes an alias of the rowid.
func isRowidAlias(t schema.Type) bool {
	return t.Raw == "" && t.Name == "integer" && t.Args == nil ||
		strings.EqualFold(strings.TrimSpace(t.Raw), "integer")
}

// bareWord reports whether s is one bare word, as tokenize would read it.
func bareWord(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !sqltext.IsWordPart(s[i]) {
			return false
		}
	}
	return true
}
