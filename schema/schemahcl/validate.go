package schemahcl

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/schema"
)

// checkTable runs the checks that need a table's references resolved.
func (d *decoder) checkTable(td *tableDecl) {
	d.checkTableDuplicates(td)
	for _, cd := range td.cols {
		d.checkColumn(td, cd)
	}
	d.checkAutoIncrement(td)
	if td.pk != nil && td.pk.resolved {
		d.checkPrimaryKey(td)
		d.checkIndex(td, td.pk)
	}
	for _, kd := range td.indexes {
		d.checkIndex(td, kd)
	}
	for _, fd := range td.fks {
		if fd.resolved {
			d.checkFK(td, fd)
		}
	}
	d.checkSQLiteTable(td)
	d.checkMySQLTable(td)
}

// checkMySQLTable checks names and checks the MySQL server refuses although
// the language has them: an index or foreign key named PRIMARY (error 1280;
// a foreign key's index takes its name), and a check that reads an
// auto_increment column (MariaDB error 1901, MySQL 3818).
func (d *decoder) checkMySQLTable(td *tableDecl) {
	if !d.mysql() {
		return
	}
	for _, kd := range td.indexes {
		if strings.EqualFold(kd.idx.Name, "PRIMARY") {
			d.errorf(&kd.nameRange, "Invalid index", "%s: MySQL keeps the name PRIMARY for the primary key; pick another name", kd.what)
		}
	}
	for _, fd := range td.fks {
		if strings.EqualFold(fd.fk.Name, "PRIMARY") {
			d.errorf(&fd.nameRange, "Invalid foreign key", "foreign key %q: MySQL names the key's index after it and keeps PRIMARY for the primary key; pick another name", fd.fk.Name)
		}
	}
	for _, ck := range td.checks {
		for _, cd := range td.cols {
			if cd.c.AutoIncrement && mysql.Names(ck.c.Expr)[strings.ToLower(cd.c.Name)] {
				what := "a check"
				if ck.c.Name != "" {
					what = fmt.Sprintf("check %q", ck.c.Name)
				}
				d.errorf(&ck.nameRange, "Invalid check", "%s of table %q reads the auto_increment column %q, which MySQL refuses in a check", what, td.t.Name, cd.c.Name)
				break
			}
		}
	}
}

// nameSet finds duplicate names in one namespace.
type nameSet struct {
	fold  bool // compare case-insensitively
	first map[string]hcl.Range
}

func newNameSet(fold bool) *nameSet { return &nameSet{fold: fold, first: map[string]hcl.Range{}} }

// add records name at rng and returns the range of an earlier equal name.
func (s *nameSet) add(name string, rng hcl.Range) (hcl.Range, bool) {
	key := name
	if s.fold {
		key = strings.ToLower(name)
	}
	if prev, ok := s.first[key]; ok {
		return prev, true
	}
	s.first[key] = rng
	return hcl.Range{}, false
}

// lookup returns the range of name, if it was added.
func (s *nameSet) lookup(name string) (hcl.Range, bool) {
	if s.fold {
		name = strings.ToLower(name)
	}
	r, ok := s.first[name]
	return r, ok
}

func (d *decoder) checkTableDuplicates(td *tableDecl) {
	cols := newNameSet(true)
	for _, cd := range td.cols {
		if prev, dup := cols.add(cd.c.Name, cd.nameRange); dup {
			d.errorf(&cd.nameRange, "Duplicate column", "duplicate column %q in table %q (first defined at %s)", cd.c.Name, td.t.Name, at(prev))
		}
	}
	idx := newNameSet(true)
	for _, kd := range td.indexes {
		if prev, dup := idx.add(kd.idx.Name, kd.nameRange); dup {
			d.errorf(&kd.nameRange, "Duplicate index", "duplicate index %q in table %q (first defined at %s)", kd.idx.Name, td.t.Name, at(prev))
		}
	}
	fks := newNameSet(false)
	for _, fd := range td.fks {
		if prev, dup := fks.add(fd.fk.Name, fd.nameRange); dup {
			d.errorf(&fd.nameRange, "Duplicate foreign key", "duplicate foreign key %q in table %q (first defined at %s)", fd.fk.Name, td.t.Name, at(prev))
		}
	}
	checks := newNameSet(false)
	for _, ck := range td.checks {
		if ck.c.Name == "" {
			continue
		}
		if prev, dup := checks.add(ck.c.Name, ck.nameRange); dup {
			d.errorf(&ck.nameRange, "Duplicate check", "duplicate check %q in table %q (first defined at %s)", ck.c.Name, td.t.Name, at(prev))
		}
	}
}

// checkColumn checks the attributes of a column against its type.
func (d *decoder) checkColumn(td *tableDecl, cd *columnDecl) {
	c := cd.c
	class := classOf(d.opts.Dialect, c.Type)
	typeKnown := cd.typeOK && c.Type.Raw == ""
	if a := cd.attrs.get("unsigned"); a != nil && c.Type.Unsigned && typeKnown {
		switch class {
		case classInteger, classDecimal, classFloat:
		default:
			d.errorf(&a.NameRange, "Invalid attribute", "unsigned applies to integer, decimal and float types; column %q.%q is %s", td.t.Name, c.Name, c.Type)
		}
	}
	for _, name := range []string{"charset", "collate"} {
		if a := cd.attrs.get(name); a != nil && typeKnown {
			switch class {
			case classString, classEnum, classSet:
			default:
				d.errorf(&a.NameRange, "Invalid attribute", "%s applies to character, text, enum and set types; column %q.%q is %s", a.Name, td.t.Name, c.Name, c.Type)
			}
		}
	}
	if a := cd.attrs.get("default"); a != nil && c.Default != nil {
		rng := a.ExprRange
		switch {
		case c.Generated != nil:
			d.errorf(&a.NameRange, "Invalid generated column", "column %q.%q: a generated column takes no default", td.t.Name, c.Name)
		case c.AutoIncrement:
			d.errorf(&a.NameRange, "Invalid auto_increment", "column %q.%q: auto_increment and default exclude each other", td.t.Name, c.Name)
		case typeKnown:
			if msg := d.defaultProblem(c, class); msg != "" {
				d.errorf(&rng, "Invalid default", "%s", msg)
			}
		}
	}
	if a := cd.attrs.get("on_update"); a != nil && c.OnUpdate != "" && typeKnown {
		rng := a.ExprRange
		if msg := onUpdateProblem(c, class); msg != "" {
			d.errorf(&rng, "Invalid on_update", "%s", msg)
		}
	}
}

// defaultProblem describes what is wrong with a column's literal default.
func (d *decoder) defaultProblem(c *schema.Column, class typeClass) string {
	def := c.Default
	numeric := class == classInteger || class == classDecimal || class == classFloat || class == classBit
	switch def.Kind {
	case schema.DefaultString:
		switch {
		case numeric && !isNumber(def.Value):
			return fmt.Sprintf("default %q is not a number; column %q is %s", def.Value, c.Name, c.Type)
		case class == classBool && !isNumber(def.Value) && !strings.EqualFold(def.Value, "true") && !strings.EqualFold(def.Value, "false"):
			return fmt.Sprintf("default %q is not a bool; column %q is %s", def.Value, c.Name, c.Type)
		case class == classEnum && !contains(c.Type.Values, def.Value):
			return fmt.Sprintf("default %q is not a value of %s", def.Value, enumText(c.Type))
		case class == classSet:
			for _, v := range strings.Split(def.Value, ",") {
				if def.Value != "" && !contains(c.Type.Values, v) {
					return fmt.Sprintf("default %q is not a subset of %s: %q is not a value", def.Value, enumText(c.Type), v)
				}
			}
		}
	case schema.DefaultBool:
		if !numeric && class != classBool {
			return fmt.Sprintf("default %s is a bool; column %q is %s", def.Value, c.Name, c.Type)
		}
	case schema.DefaultNumber:
		switch class {
		case classEnum, classSet, classJSON, classSpatial:
			return fmt.Sprintf("default %s is a number; column %q is %s", def.Value, c.Name, enumText(c.Type))
		}
	case schema.DefaultRaw:
		if d.mysql() && (class == classString || class == classEnum || class == classSet) && !parenthesised(def.Value) && !literalForm(def.Value) {
			return fmt.Sprintf("sql(%q) on a string column would be written as a string literal; write default = %q for a literal, or sql(\"(%s)\") for an expression", def.Value, def.Value, def.Value)
		}
	}
	return ""
}

func enumText(t schema.Type) string {
	if t.Values == nil {
		return t.String()
	}
	var vals []string
	for _, v := range t.Values {
		vals = append(vals, fmt.Sprintf("%q", v))
	}
	return fmt.Sprintf("%s(%s)", t.Name, strings.Join(vals, ","))
}

// sqlNumberRe is a numeric literal as SQL writes it, e.g. "-.5", "+1e3".
var sqlNumberRe = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

func isNumber(s string) bool { return sqlNumberRe.MatchString(strings.TrimSpace(s)) }

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

// onUpdateProblem checks ON UPDATE CURRENT_TIMESTAMP[(fsp)] against the
// column type.
func onUpdateProblem(c *schema.Column, class typeClass) string {
	if class != classDatetime {
		return fmt.Sprintf("on_update applies to timestamp and datetime columns; column %q is %s", c.Name, c.Type)
	}
	fn, fsp, ok := currentTimestamp(c.OnUpdate)
	if !ok {
		return fmt.Sprintf("on_update must be sql(\"CURRENT_TIMESTAMP\") or sql(\"CURRENT_TIMESTAMP(n)\") (or NOW(), LOCALTIMESTAMP), got %q", c.OnUpdate)
	}
	want := 0
	if len(c.Type.Args) == 1 {
		want = c.Type.Args[0]
	}
	if fsp != want {
		return fmt.Sprintf("on_update %s has precision %d but column %q is %s; write sql(\"%s\")", c.OnUpdate, fsp, c.Name, c.Type, timestampCall(fn, want))
	}
	return ""
}

func timestampCall(fn string, fsp int) string {
	if fsp == 0 {
		return fn
	}
	return fmt.Sprintf("%s(%d)", fn, fsp)
}

// currentTimestamp parses CURRENT_TIMESTAMP, CURRENT_TIMESTAMP(n), NOW(),
// NOW(n), LOCALTIMESTAMP[(n)] and LOCALTIME[(n)], case-insensitively.
func currentTimestamp(s string) (fn string, fsp int, ok bool) {
	s = strings.TrimSpace(s)
	name, args, hasParen := s, "", false
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return "", 0, false
		}
		name, args, hasParen = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:len(s)-1]), true
	}
	switch strings.ToUpper(name) {
	case "CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "LOCALTIME":
	case "NOW":
		if !hasParen {
			return "", 0, false
		}
	default:
		return "", 0, false
	}
	if args == "" {
		return name, 0, true
	}
	if len(args) != 1 || args[0] < '0' || args[0] > '6' {
		return "", 0, false
	}
	return name, int(args[0] - '0'), true
}

// checkAutoIncrement checks auto_increment columns (E21).
func (d *decoder) checkAutoIncrement(td *tableDecl) {
	var first *columnDecl
	for _, cd := range td.cols {
		c := cd.c
		if !c.AutoIncrement {
			continue
		}
		a := cd.attrs.get("auto_increment")
		rng := a.NameRange
		if first != nil {
			d.errorf(&rng, "Invalid auto_increment", "table %q has more than one auto_increment column (the first is %q)", td.t.Name, first.c.Name)
			continue
		}
		first = cd
		if c.Generated != nil {
			d.errorf(&rng, "Invalid auto_increment", "column %q.%q: a generated column cannot be auto_increment", td.t.Name, c.Name)
			continue
		}
		if d.mysql() {
			d.checkMySQLAutoIncrement(td, cd, rng)
		} else {
			d.checkSQLiteAutoIncrement(td, cd, rng)
		}
	}
}

func (d *decoder) checkMySQLAutoIncrement(td *tableDecl, cd *columnDecl, rng hcl.Range) {
	c := cd.c
	if cd.typeOK && c.Type.Raw == "" && classOf(d.opts.Dialect, c.Type) != classInteger {
		d.errorf(&rng, "Invalid auto_increment", "auto_increment applies to integer columns; column %q.%q is %s", td.t.Name, c.Name, c.Type)
		return
	}
	keys := append([]*keyDecl{td.pk}, td.indexes...)
	for _, kd := range keys {
		if kd != nil && !kd.resolved {
			return // a broken key was reported; do not guess
		}
		if kd != nil && len(kd.idx.Parts) > 0 && strings.EqualFold(kd.idx.Parts[0].Column, c.Name) {
			return
		}
	}
	d.errorf(&rng, "Invalid auto_increment", "MySQL needs auto_increment column %q.%q to be the first column of the primary key or of an index", td.t.Name, c.Name)
}

func (d *decoder) checkSQLiteAutoIncrement(td *tableDecl, cd *columnDecl, rng hcl.Range) {
	c := cd.c
	if td.t.WithoutRowID {
		d.errorf(&rng, "Invalid auto_increment", "auto_increment is not allowed in a without_rowid table")
		return
	}
	isInteger := (c.Type.Name == "integer" && c.Type.Args == nil) || strings.EqualFold(strings.TrimSpace(c.Type.Raw), "integer")
	pk := td.t.PrimaryKey
	wholePK := pk != nil && len(pk.Parts) == 1 && strings.EqualFold(pk.Parts[0].Column, c.Name)
	if td.pk != nil && !td.pk.resolved {
		return
	}
	switch {
	case !cd.typeOK:
	case !isInteger:
		d.errorf(&rng, "Invalid auto_increment", "SQLite allows auto_increment only on an integer primary key column; column %q.%q is %s", td.t.Name, c.Name, c.Type)
	case !wholePK:
		d.errorf(&rng, "Invalid auto_increment", "SQLite allows auto_increment only on an integer primary key column; column %q.%q is not the whole primary key", td.t.Name, c.Name)
	}
}

// column finds a column of td by name, case-insensitively.
func (td *tableDecl) column(name string) *columnDecl {
	for _, cd := range td.cols {
		if strings.EqualFold(cd.c.Name, name) {
			return cd
		}
	}
	return nil
}

// checkPrimaryKey checks key columns (E20) and, on SQLite, generated ones.
func (d *decoder) checkPrimaryKey(td *tableDecl) {
	for i, p := range td.pk.idx.Parts {
		pd := td.pk.parts[i]
		if p.Column == "" {
			d.errorf(&pd.rng, "Invalid primary key", "primary key parts must be columns, not expressions")
			continue
		}
		cd := td.column(p.Column)
		if cd == nil {
			continue
		}
		if cd.c.Null {
			d.errorf(&pd.rng, "Invalid primary key", "primary key column %q is declared null = true", cd.c.Name)
		}
		if cd.c.Generated != nil && !d.mysql() {
			d.errorf(&pd.rng, "Invalid generated column", "SQLite does not allow generated column %q in the primary key", cd.c.Name)
		}
	}
}

// checkIndex checks part options against the columns and the index kind
// (E19).
func (d *decoder) checkIndex(td *tableDecl, kd *keyDecl) {
	idx := kd.idx
	if !kd.resolved {
		return
	}
	seen := newNameSet(true)
	special := idx.Type == "FULLTEXT" || idx.Type == "SPATIAL"
	if a := kd.attrs.get("unique"); a != nil && special && idx.Unique {
		d.errorf(&a.NameRange, "Invalid index", "%s: %s indexes cannot be unique", kd.what, idx.Type)
	}
	if a := kd.attrs.get("parser"); a != nil && idx.Type != "FULLTEXT" {
		d.errorf(&a.NameRange, "Invalid index", "%s: parser applies only with type = FULLTEXT", kd.what)
	}
	for i, p := range idx.Parts {
		pd := kd.parts[i]
		if p.Column != "" {
			if _, dup := seen.add(p.Column, pd.rng); dup {
				d.errorf(&pd.rng, "Invalid index", "column %q appears twice in %s", p.Column, kd.what)
			}
		}
		if a := pd.attrs.get("desc"); a != nil && special && p.Desc {
			d.errorf(&a.NameRange, "Invalid index part", "%s: %s index parts cannot be desc", kd.what, idx.Type)
		}
		if d.mysql() && !special && !idx.Unique && p.Column != "" && p.Prefix == 0 {
			// MySQL refuses a whole TEXT or BLOB column in a key (error
			// 1170); MariaDB gives a lone one the longest prefix (3072
			// bytes, which a plan would then see as a change) and refuses
			// it beside other parts. A unique one MariaDB hashes.
			if cd := td.column(p.Column); cd != nil && cd.typeOK && isLOB(cd.c.Type) {
				how := "which MySQL indexes only by a prefix"
				if strings.EqualFold(cd.c.Type.Name, "json") {
					how = "which MySQL cannot index and MariaDB (where it is longtext) indexes only by a prefix"
				}
				d.errorf(&pd.rng, "Invalid index part", "%s: column %q is %s, %s; write the part as on { column = column.%s  prefix = 100 }", kd.what, cd.c.Name, cd.c.Type, how, cd.c.Name)
			}
		}
		a := pd.attrs.get("prefix")
		if a == nil || p.Prefix == 0 {
			continue
		}
		switch {
		case special:
			d.errorf(&a.NameRange, "Invalid index part", "%s: %s index parts take no prefix", kd.what, idx.Type)
		case p.Expr != "":
			d.errorf(&a.NameRange, "Invalid index part", "prefix applies to column parts, not expressions")
		default:
			cd := td.column(p.Column)
			if cd != nil && cd.typeOK && cd.c.Type.Raw == "" {
				if cl := classOf(d.opts.Dialect, cd.c.Type); cl != classString && cl != classBinary && cl != classJSON {
					d.errorf(&a.NameRange, "Invalid index part", "prefix applies to string columns; %q is %s", cd.c.Name, cd.c.Type)
				}
			}
		}
	}
}

// checkSQLiteTable checks STRICT and WITHOUT ROWID rules (E26).
func (d *decoder) checkSQLiteTable(td *tableDecl) {
	t := td.t
	if t.Strict {
		for _, cd := range td.cols {
			if !cd.typeOK || strictType(cd.c.Type) {
				continue
			}
			d.errorf(&cd.typeRange, "Invalid STRICT table", "STRICT tables allow int, integer, real, text, blob, any; %q is none of them", cd.c.Type.String())
		}
	}
	if t.WithoutRowID && td.pk == nil {
		a := td.attrs.get("without_rowid")
		d.errorf(&a.NameRange, "Invalid WITHOUT ROWID table", "table %q is without_rowid and needs a primary_key", t.Name)
	}
}

// isLOB reports whether t is of the TEXT or BLOB families, or json, which
// MariaDB stores as longtext (MySQL cannot index it at all).
func isLOB(t schema.Type) bool {
	if t.Raw != "" {
		return false
	}
	n := strings.ToLower(t.Name)
	return strings.HasSuffix(n, "text") || strings.HasSuffix(n, "blob") || n == "json"
}

func strictType(t schema.Type) bool {
	if t.Raw != "" {
		return strings.EqualFold(strings.TrimSpace(t.Raw), "any")
	}
	if t.Args != nil || t.Values != nil {
		return false
	}
	switch t.Name {
	case "int", "integer", "real", "text", "blob":
		return true
	}
	return false
}
