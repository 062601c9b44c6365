package schemagen

import (
	"fmt"
	"strconv"

	"github.com/schemactl/schemactl/schema"
)

// typeSpec is a type the generator can give a column, with the kind of
// values it holds and what it may take part in.
type typeSpec struct {
	t     schema.Type
	class class
	// key: may be part of a primary key, unique index or foreign key, and
	// indexed without a prefix.
	key bool
	// flag: holds only a couple of distinct values (MySQL bool, bit(1)),
	// so never unique.
	flag bool
}

func named(name string, args ...int) schema.Type {
	t := schema.Type{Name: name}
	if len(args) > 0 {
		t.Args = args
	}
	return t
}

func raw(text string) schema.Type { return schema.Type{Raw: text} }

// sqliteTypes are the spellings the HCL language registers for SQLite, the
// bare extensions, and raw types of each affinity.
func sqliteTypes() []typeSpec {
	ints := []schema.Type{
		named("integer"), named("int"), named("tinyint"), named("smallint"), named("mediumint"),
		named("bigint"), named("int2"), named("int8"), named("uint64"), named("unsigned big int"),
		named("int", 11), named("bigint", 20), named("numeric"), named("decimal", 10, 2),
		named("numeric", 8), named("real"), named("double"), named("float"),
		named("double precision"), named("bool"), named("boolean"), named("real", 10, 2),
		raw("INT UNSIGNED"), raw("money"), raw("NUMBER(10)"),
	}
	texts := []schema.Type{
		named("text"), named("varchar", 255), named("varchar"), named("character", 20), named("nchar", 55),
		named("nvarchar", 100), named("clob"), named("varying character", 70), named("native character", 70),
		named("char", 30), named("char"), named("date"), named("datetime"), named("timestamp"), named("time"),
		named("json"), named("jsonb"), named("uuid"), named("text", 100),
		raw("character varying(20)"), raw("STRING"), raw("VARCHAR2(30)"),
	}
	blobs := []schema.Type{named("blob"), named("blob", 16), raw("bytea")}
	var specs []typeSpec
	for _, t := range ints {
		specs = append(specs, typeSpec{t: t, class: classInt, key: true})
	}
	for _, t := range texts {
		specs = append(specs, typeSpec{t: t, class: classText, key: true})
	}
	for _, t := range blobs {
		specs = append(specs, typeSpec{t: t, class: classBlob, key: true})
	}
	return specs
}

// strictTypes are the only types a STRICT table allows.
func strictTypes() []typeSpec {
	return []typeSpec{
		{t: named("int"), class: classInt, key: true},
		{t: named("integer"), class: classInt, key: true},
		{t: named("real"), class: classInt, key: true},
		{t: named("text"), class: classText, key: true},
		{t: named("blob"), class: classBlob, key: true},
		{t: raw("ANY"), class: classText, key: true},
	}
}

// mysqlTypes are MySQL/MariaDB types whose values the filler can write.
// Strings are indexed only when short (varchar, char); text and blob types
// need a prefix and take no part in keys.
func mysqlTypes(mariadb bool) []typeSpec {
	specs := []typeSpec{
		{t: named("tinyint"), class: classInt, key: true},
		{t: named("smallint"), class: classInt, key: true},
		{t: named("mediumint"), class: classInt, key: true},
		{t: named("int"), class: classInt, key: true},
		{t: named("bigint"), class: classInt, key: true},
		{t: schema.Type{Name: "int", Unsigned: true}, class: classInt, key: true},
		{t: schema.Type{Name: "bigint", Unsigned: true}, class: classInt, key: true},
		{t: named("decimal", 10, 2), class: classInt, key: true},
		{t: named("decimal", 6), class: classInt, key: true},
		{t: named("float"), class: classInt},
		{t: named("double"), class: classInt},
		{t: named("bool"), class: classInt, flag: true},
		{t: named("bit", 1), class: classInt, flag: true},
		{t: named("varchar", 64), class: classText, key: true},
		{t: named("varchar", 191), class: classText}, // 764 bytes in utf8mb4: too long for keys of several parts
		{t: named("char", 32), class: classText, key: true},
		{t: named("text"), class: classText},
		{t: named("mediumtext"), class: classText},
		{t: named("tinytext"), class: classText},
		{t: named("varbinary", 32), class: classBlob, key: true},
		{t: named("blob"), class: classBlob},
		{t: named("date"), class: classTime, key: true},
		{t: named("datetime"), class: classTime, key: true},
		{t: named("datetime", 3), class: classTime, key: true},
		{t: named("timestamp"), class: classTime, key: true},
		{t: schema.Type{Name: "enum", Values: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}}, class: classEnum},
		{t: schema.Type{Name: "enum", Values: []string{"it's", "semi;colon", "x", "y", "z", "q", "r", "s", "t", "u", "v"}}, class: classEnum},
		{t: named("json"), class: classText},
	}
	if mariadb {
		specs = append(specs, typeSpec{t: named("inet6"), class: classText})
	}
	return specs
}

func (g *Gen) typeSpecs(strict bool) []typeSpec {
	switch {
	case strict:
		return strictTypes()
	case g.sqlite():
		return sqliteTypes()
	default:
		return mysqlTypes(g.cfg.MariaDB)
	}
}

// randomType picks a type for a new column; key asks for one that can be
// part of a key.
func (g *Gen) randomType(t *table, key bool) typeSpec {
	specs := g.typeSpecs(t.strict)
	for {
		s := pick(g, specs)
		if key && (!s.key || s.flag) {
			continue
		}
		if s.t.Name == "inet6" || s.t.Name == "json" {
			// Their values need care the filler does not take.
			continue
		}
		return s
	}
}

// specOf finds the spec of a column's type.
func (g *Gen) specOf(c *column, strict bool) typeSpec {
	for _, s := range g.typeSpecs(strict) {
		if s.t.Equal(c.typ) {
			return s
		}
	}
	return typeSpec{t: c.typ, class: c.class}
}

// sameClassType picks another type of the same class, valid for the table,
// and keeping the key and flag properties when the column needs them.
func (g *Gen) sameClassType(t *table, c *column, key bool) (schema.Type, bool) {
	var options []schema.Type
	cur := g.specOf(c, t.strict)
	for _, s := range g.typeSpecs(t.strict) {
		if s.class != c.class || s.t.Equal(c.typ) || (key && !s.key) || s.flag != cur.flag {
			continue
		}
		if s.t.Name == "bit" || c.typ.Name == "bit" || s.t.Name == "json" || s.t.Name == "inet6" {
			// bit values read as bytes, bool values as numbers; json
			// checks its values
			continue
		}
		if c.class == classEnum && !g.sqlite() {
			continue
		}
		options = append(options, s.t)
	}
	if len(options) == 0 {
		return schema.Type{}, false
	}
	return cloneType(pick(g, options)), true
}

var defaultTexts = []string{"x", "it's", "semi;colon", "ünï", "-- not a comment", "/* nor this */", "back`tick", `dq"uote`, "none"}

// literalDefault returns a literal default valid for the column's type.
func (g *Gen) literalDefault(c *column) *schema.Default {
	switch c.class {
	case classInt:
		if s := g.specOf(c, false); s.flag {
			return &schema.Default{Kind: schema.DefaultNumber, Value: strconv.Itoa(g.intn(2))}
		}
		return &schema.Default{Kind: schema.DefaultNumber, Value: strconv.Itoa(g.intn(100))}
	case classText:
		return &schema.Default{Kind: schema.DefaultString, Value: pick(g, defaultTexts)}
	case classTime:
		return &schema.Default{Kind: schema.DefaultString, Value: timeValue(c.typ, 0, 0)}
	case classEnum:
		return &schema.Default{Kind: schema.DefaultString, Value: c.typ.Values[0]}
	}
	return nil // MySQL blobs take no literal default; SQLite gets raw ones
}

// randomDefault returns a default for a column: a literal, or now and then
// a raw SQL expression.
func (g *Gen) randomDefault(c *column) *schema.Default {
	if g.sqlite() && g.chance(0.2) {
		switch c.class {
		case classInt:
			return &schema.Default{Kind: schema.DefaultRaw, Value: pick(g, []string{"abs(-7)", "1 + 2"})}
		case classText:
			return &schema.Default{Kind: schema.DefaultRaw, Value: pick(g, []string{"CURRENT_TIMESTAMP", "lower('ABC')"})}
		case classBlob:
			return &schema.Default{Kind: schema.DefaultRaw, Value: "x'00ff'"}
		}
	}
	if !g.sqlite() && c.class == classTime && g.chance(0.3) && (c.typ.Name == "datetime" || c.typ.Name == "timestamp") {
		fsp := ""
		if len(c.typ.Args) == 1 && c.typ.Args[0] > 0 {
			fsp = fmt.Sprintf("(%d)", c.typ.Args[0])
		}
		return &schema.Default{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP" + fsp}
	}
	return g.literalDefault(c)
}

// timeValue is a valid value of a MySQL temporal type for row r, column k.
func timeValue(t schema.Type, r, k int) string {
	day := 1 + (r*7+k)%28
	switch t.Name {
	case "date":
		return fmt.Sprintf("2024-%02d-%02d", 1+r%12, day)
	case "time":
		return fmt.Sprintf("%02d:%02d:00", r%24, k%60)
	case "year":
		return strconv.Itoa(2000 + r)
	}
	return fmt.Sprintf("2024-%02d-%02d 10:%02d:%02d", 1+r%12, day, r%60, k%60)
}

// collatable reports whether the language allows collate on a SQLite
// column of type t: character and text types, and raw ones.
func collatable(t schema.Type) bool {
	switch t.Name {
	case "", "text", "varchar", "character", "nchar", "nvarchar", "clob", "varying character", "native character", "char":
		return true
	}
	return false
}
