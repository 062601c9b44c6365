package mysql

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Validate reports what MySQL and MariaDB refuse in a schema as written,
// before normalisation: raw defaults of string columns, auto_increment
// columns that lead no key, whole TEXT and BLOB key parts, foreign keys
// the server rejects, names it keeps for itself. Parts marked broken were
// reported already and are skipped.
func (*Dialect) Validate(s *schema.Schema, broken schema.Broken) []schema.Problem {
	v := &validator{s: s, broken: broken}
	for _, t := range s.Tables {
		v.t = t
		v.rawDefaults()
		v.autoIncrement()
		v.keyParts()
		v.foreignKeys()
		v.names()
		v.identifiers()
		v.probs = append(v.probs, schema.CommentedExprs(t, hasComment)...)
	}
	return v.probs
}

type validator struct {
	s      *schema.Schema
	t      *schema.Table // the table being checked
	broken schema.Broken
	probs  []schema.Problem
}

// add reports a problem of the table being checked.
func (v *validator) add(p schema.Problem, format string, args ...any) {
	p.Table = v.t
	p.Detail = fmt.Sprintf(format, args...)
	v.probs = append(v.probs, p)
}

// typeKnown reports whether c has a type of the registry that decoded.
func (v *validator) typeKnown(c *schema.Column) bool {
	return !v.broken.Types[c] && c.Type.Raw == ""
}

// rawDefaults refuses sql("…") defaults of string columns that the server
// would store as string literals.
func (v *validator) rawDefaults() {
	for _, c := range v.t.Columns {
		def := c.Default
		if def == nil || def.Kind != schema.DefaultRaw || c.Generated != nil || c.AutoIncrement ||
			!v.typeKnown(c) || !hasCharset(spelledClass(c.Type)) || parenthesised(def.Value) || literalForm(def.Value) {
			continue
		}
		v.add(schema.Problem{Object: c, Attr: "default", Value: true, Summary: "Invalid default"},
			"sql(%q) on a string column would be written as a string literal; write default = %q for a literal, or sql(\"(%s)\") for an expression", def.Value, def.Value, def.Value)
	}
}

func parenthesised(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")")
}

// literalForm reports whether raw SQL is a literal MySQL accepts bare in a
// string column's DEFAULT: hex and bit literals, quoted strings.
func literalForm(s string) bool {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "0x"), strings.HasPrefix(lower, "0b"),
		strings.HasPrefix(lower, "x'"), strings.HasPrefix(lower, "b'"),
		strings.HasPrefix(lower, "n'"), strings.HasPrefix(s, "'"), strings.HasPrefix(s, `"`),
		strings.HasPrefix(s, "_") && strings.Contains(s, "'"),
		strings.EqualFold(s, "NULL"):
		return true
	}
	return false
}

// autoIncrement checks the first auto_increment column: an integer that
// leads the primary key or an index. A generated one, and any after it,
// are the language's to report.
func (v *validator) autoIncrement() {
	var c *schema.Column
	for _, col := range v.t.Columns {
		if col.AutoIncrement {
			c = col
			break
		}
	}
	if c == nil || c.Generated != nil {
		return
	}
	p := schema.Problem{Object: c, Attr: "auto_increment", Summary: "Invalid auto_increment"}
	if v.typeKnown(c) && spelledClass(c.Type) != schema.ClassInteger {
		v.add(p, "auto_increment applies to integer columns; column %q.%q is %s", v.t.Name, c.Name, c.Type)
		return
	}
	for _, k := range append([]*schema.Index{v.t.PrimaryKey}, v.t.Indexes...) {
		if k != nil && v.broken.Keys[k] {
			return // do not guess
		}
		if k != nil && len(k.Parts) > 0 && strings.EqualFold(k.Parts[0].Column, c.Name) {
			return
		}
	}
	v.add(p, "MySQL needs auto_increment column %q.%q to be the first column of the primary key or of an index", v.t.Name, c.Name)
}

// keyParts refuses whole TEXT, BLOB and JSON columns in keys. MySQL
// refuses them (error 1170); MariaDB gives a lone one the longest prefix
// (3072 bytes, which a plan would then see as a change) and refuses it
// beside other parts. A unique one MariaDB hashes.
func (v *validator) keyParts() {
	keys := v.t.Indexes
	if v.t.PrimaryKey != nil {
		keys = append([]*schema.Index{v.t.PrimaryKey}, keys...)
	}
	for _, k := range keys {
		if v.broken.Keys[k] || k.Unique || k.Type == "FULLTEXT" || k.Type == "SPATIAL" {
			continue
		}
		for i, p := range k.Parts {
			c, ok := v.t.Column(p.Column)
			if p.Column == "" || p.Prefix != 0 || !ok || v.broken.Types[c] || !isLOB(c.Type) {
				continue
			}
			what := fmt.Sprintf("index %q", k.Name)
			if k == v.t.PrimaryKey {
				what = fmt.Sprintf("the primary key of table %q", v.t.Name)
			}
			how := "which MySQL indexes only by a prefix"
			if strings.EqualFold(c.Type.Name, "json") {
				how = "which MySQL cannot index and MariaDB (where it is longtext) indexes only by a prefix"
			}
			v.add(schema.Problem{Object: &k.Parts[i], Summary: "Invalid index part"},
				"%s: column %q is %s, %s; write the part as on { column = column.%s  prefix = 100 }", what, c.Name, c.Type, how, c.Name)
		}
	}
}

// isLOB reports whether t is of the TEXT or BLOB families, or json, which
// MariaDB stores as longtext (MySQL cannot index it at all).
func isLOB(t schema.Type) bool {
	c := spelledClass(t)
	return c == schema.ClassText || c == schema.ClassBlob || c == schema.ClassJSON
}

// names refuses the names the server keeps for itself: PRIMARY for an
// index or a foreign key (error 1280; a foreign key's index takes its
// name), and a check that reads an auto_increment column (MariaDB error
// 1901, MySQL 3818).
func (v *validator) names() {
	for _, k := range v.t.Indexes {
		if strings.EqualFold(k.Name, "PRIMARY") {
			v.add(schema.Problem{Object: k, Summary: "Invalid index"}, "index %q: MySQL keeps the name PRIMARY for the primary key; pick another name", k.Name)
		}
	}
	for _, fk := range v.t.ForeignKeys {
		if strings.EqualFold(fk.Name, "PRIMARY") {
			v.add(schema.Problem{Object: fk, Summary: "Invalid foreign key"}, "foreign key %q: MySQL names the key's index after it and keeps PRIMARY for the primary key; pick another name", fk.Name)
		}
	}
	for _, ck := range v.t.Checks {
		for _, c := range v.t.Columns {
			if c.AutoIncrement && names(ck.Expr)[strings.ToLower(c.Name)] {
				what := "a check"
				if ck.Name != "" {
					what = fmt.Sprintf("check %q", ck.Name)
				}
				v.add(schema.Problem{Object: ck, Summary: "Invalid check"}, "%s of table %q reads the auto_increment column %q, which MySQL refuses in a check", what, v.t.Name, c.Name)
				break
			}
		}
	}
}

// foreignKeys checks what InnoDB refuses in foreign keys: a target that is
// not a key, columns of incompatible types, SET DEFAULT, and ON UPDATE
// CASCADE into a column that cannot hold the NULL it may carry.
func (v *validator) foreignKeys() {
	for _, fk := range v.t.ForeignKeys {
		rt, ok := v.s.Table(fk.RefTable)
		if v.broken.ForeignKeys[fk] || !ok {
			continue
		}
		v.target(fk, rt)
		for i := range fk.Columns {
			from, okFrom := v.t.Column(fk.Columns[i])
			to, okTo := rt.Column(fk.RefColumns[i])
			if !okFrom || !okTo || v.broken.Types[from] || v.broken.Types[to] || v.compatible(v.t, from, rt, to) {
				continue
			}
			v.add(schema.Problem{Object: fk, Attr: "ref_columns", Item: i + 1, Summary: "Invalid foreign key"},
				"foreign key %q: column %q (%s) is not compatible with %q.%q (%s)", fk.Name, from.Name, from.Type, rt.Name, to.Name, to.Type)
		}
		for _, a := range []struct {
			name string
			act  schema.ReferenceAction
		}{{"on_update", fk.OnUpdate}, {"on_delete", fk.OnDelete}} {
			p := schema.Problem{Object: fk, Attr: a.name, Value: true, Summary: "Invalid foreign key"}
			switch {
			case a.act == schema.SetDefault:
				v.add(p, "foreign key %q: InnoDB rejects SET_DEFAULT; use NO_ACTION, RESTRICT, CASCADE or SET_NULL", fk.Name)
			case a.act == schema.Cascade && a.name == "on_update":
				// A NULL written to the referenced column would cascade
				// into a column that cannot hold it. MariaDB refuses such
				// a key in strict mode (MDEV-34392); MySQL fails the
				// cascade instead.
				for i, col := range fk.Columns {
					from, okFrom := v.t.Column(col)
					to, okTo := rt.Column(fk.RefColumns[i])
					if okFrom && okTo && !from.Null && to.Null {
						v.add(p, "foreign key %q: ON UPDATE CASCADE from null = false column %q to nullable %q.%q; make %q nullable, %q.%q null = false, or pick another action", fk.Name, from.Name, rt.Name, to.Name, from.Name, rt.Name, to.Name)
						break
					}
				}
			}
		}
	}
}

// target requires the referenced columns to be the primary key or a
// unique index of rt. MySQL <= 8.0 and MariaDB also accept any index that
// starts with them, which is a warning.
func (v *validator) target(fk *schema.ForeignKey, rt *schema.Table) {
	if v.broken.KeyOf(rt) || rt.IsUniqueKey(fk.RefColumns) {
		return
	}
	p := schema.Problem{Object: fk, Attr: "ref_columns", Value: true, Summary: "Invalid foreign key"}
	list := quoteList(fk.RefColumns)
	for _, k := range append([]*schema.Index{rt.PrimaryKey}, rt.Indexes...) {
		if k != nil && startsWith(k.Parts, fk.RefColumns) {
			p.Warning, p.Summary = true, "Non-unique foreign key target"
			v.add(p, "foreign key %q: referenced columns %s of %q are neither its primary key nor a unique index; MySQL 8.4 rejects this, older MySQL and MariaDB accept it because an index starts with them", fk.Name, list, rt.Name)
			return
		}
	}
	v.add(p, "foreign key %q: referenced columns %s of %q are neither its primary key nor a unique index", fk.Name, list, rt.Name)
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

func startsWith(parts []schema.IndexPart, cols []string) bool {
	if len(parts) < len(cols) {
		return false
	}
	for i, c := range cols {
		if !strings.EqualFold(parts[i].Column, c) {
			return false
		}
	}
	return true
}

// compatible reports whether InnoDB accepts a foreign key from column a
// of table ta to column b of tb: the same integer or decimal kind, size
// and signedness; for character strings the same charset and collation.
// Raw types are not judged.
func (v *validator) compatible(ta *schema.Table, a *schema.Column, tb *schema.Table, b *schema.Column) bool {
	if a.Type.Raw != "" || b.Type.Raw != "" {
		return true
	}
	ca, cb := keyClass(a.Type), keyClass(b.Type)
	if ca != cb {
		return false
	}
	switch ca {
	case schema.ClassInteger:
		return intKind(a.Type) == intKind(b.Type) && a.Type.Unsigned == b.Type.Unsigned
	case schema.ClassDecimal:
		pa, sa := decimalArgs(a.Type)
		pb, sb := decimalArgs(b.Type)
		return pa == pb && sa == sb && a.Type.Unsigned == b.Type.Unsigned
	case schema.ClassFloat:
		return floatKind(a.Type) == floatKind(b.Type) && a.Type.Unsigned == b.Type.Unsigned
	case schema.ClassChar, schema.ClassEnum, schema.ClassSet:
		csA, coA := v.declaredCharset(ta, a)
		csB, coB := v.declaredCharset(tb, b)
		return (csA == "" || csB == "" || strings.EqualFold(csA, csB)) &&
			(coA == "" || coB == "" || strings.EqualFold(coA, coB))
	}
	return true
}

// keyClass groups the classes of written types the way foreign keys
// compare them: bool is an integer, char and text are both strings,
// binary and blob both byte strings, year is a time.
func keyClass(t schema.Type) schema.TypeClass {
	switch c := spelledClass(t); c {
	case schema.ClassBool:
		return schema.ClassInteger
	case schema.ClassText:
		return schema.ClassChar
	case schema.ClassBlob:
		return schema.ClassBinary
	case schema.ClassYear:
		return schema.ClassTime
	default:
		return c
	}
}

func intKind(t schema.Type) string {
	if t.Name == "bool" || t.Name == "boolean" {
		return "tinyint"
	}
	return t.Name
}

func floatKind(t schema.Type) string {
	if t.Name == "real" || (t.Name == "float" && len(t.Args) >= 1 && t.Args[0] > 24) {
		return "double"
	}
	return t.Name
}

func decimalArgs(t schema.Type) (p, s int) {
	p = 10
	if len(t.Args) >= 1 {
		p = t.Args[0]
	}
	if len(t.Args) == 2 {
		s = t.Args[1]
	}
	return p, s
}

// declaredCharset is the charset and collation a column declares, or
// inherits from its table and schema; "" when the server decides.
func (v *validator) declaredCharset(t *schema.Table, c *schema.Column) (string, string) {
	charset, collate := c.Charset, c.Collate
	if charset == "" && collate == "" {
		charset, collate = t.Charset, t.Collate
	}
	if charset == "" && collate == "" {
		charset, collate = v.s.Charset, v.s.Collate
	}
	return charset, collate
}
