package schemahcl

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
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
}

// nameSet finds duplicate names in one namespace.
type nameSet struct {
	fold  bool // compare case-insensitively
	ascii bool // fold ASCII letters only
	first map[string]hcl.Range
}

func newNameSet(fold bool) *nameSet { return &nameSet{fold: fold, first: map[string]hcl.Range{}} }

// tableNameSet makes a set of table names, compared as the engine does
// (Language.FoldTableNames, ASCIIFold). Columns and indexes keep Unicode
// folding, which the planner's lookups (schema.Table.Column, Index) share.
func (d *decoder) tableNameSet() *nameSet {
	return &nameSet{fold: d.lang.FoldTableNames, ascii: d.lang.ASCIIFold, first: map[string]hcl.Range{}}
}

// foldKey is the form in which the engine compares names: ASCII letters
// only folded (SQLite), or all of Unicode's.
func foldKey(name string, ascii bool) string {
	if ascii {
		return asciiLower(name)
	}
	return strings.ToLower(name)
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// add records name at rng and returns the range of an earlier equal name.
func (s *nameSet) add(name string, rng hcl.Range) (hcl.Range, bool) {
	key := name
	if s.fold {
		key = foldKey(name, s.ascii)
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
		name = foldKey(name, s.ascii)
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
	class := d.types.classOf(c.Type)
	typeKnown := cd.typeOK && c.Type.Raw == ""
	if a := cd.attrs.get("unsigned"); a != nil && c.Type.Unsigned && typeKnown {
		switch class {
		case schema.ClassInteger, schema.ClassDecimal, schema.ClassFloat:
		default:
			d.errorf(&a.NameRange, "Invalid attribute", "unsigned applies to integer, decimal and float types; column %q.%q is %s", td.t.Name, c.Name, c.Type)
		}
	}
	for _, name := range []string{"charset", "collate"} {
		if name == "collate" && d.lang.CollateAnyType {
			continue
		}
		if a := cd.attrs.get(name); a != nil && typeKnown {
			if !isString(class) && class != schema.ClassEnum && class != schema.ClassSet {
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
			if msg := defaultProblem(c, class); msg != "" {
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
func defaultProblem(c *schema.Column, class schema.TypeClass) string {
	def := c.Default
	numeric := class == schema.ClassInteger || class == schema.ClassDecimal || class == schema.ClassFloat || class == schema.ClassBit
	switch def.Kind {
	case schema.DefaultString:
		switch {
		case numeric && !isNumber(def.Value):
			return fmt.Sprintf("default %q is not a number; column %q is %s", def.Value, c.Name, c.Type)
		case class == schema.ClassBool && !isNumber(def.Value) && !strings.EqualFold(def.Value, "true") && !strings.EqualFold(def.Value, "false"):
			return fmt.Sprintf("default %q is not a bool; column %q is %s", def.Value, c.Name, c.Type)
		case class == schema.ClassEnum && !contains(c.Type.Values, def.Value):
			return fmt.Sprintf("default %q is not a value of %s", def.Value, enumText(c.Type))
		case class == schema.ClassSet:
			for _, v := range strings.Split(def.Value, ",") {
				if def.Value != "" && !contains(c.Type.Values, v) {
					return fmt.Sprintf("default %q is not a subset of %s: %q is not a value", def.Value, enumText(c.Type), v)
				}
			}
		}
	case schema.DefaultBool:
		if !numeric && class != schema.ClassBool {
			return fmt.Sprintf("default %s is a bool; column %q is %s", def.Value, c.Name, c.Type)
		}
	case schema.DefaultNumber:
		switch class {
		case schema.ClassEnum, schema.ClassSet, schema.ClassJSON, schema.ClassSpatial:
			return fmt.Sprintf("default %s is a number; column %q is %s", def.Value, c.Name, enumText(c.Type))
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

// onUpdateProblem checks ON UPDATE CURRENT_TIMESTAMP[(fsp)] against the
// column type.
func onUpdateProblem(c *schema.Column, class schema.TypeClass) string {
	if class != schema.ClassDatetime {
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
		}
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

// checkPrimaryKey checks key columns (E20) and, where the engine does not
// allow them, generated ones.
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
		if cd.c.Null && !d.lang.NullableKeys {
			d.errorf(&pd.rng, "Invalid primary key", "primary key column %q is declared null = true", cd.c.Name)
		}
		if cd.c.Generated != nil && !d.lang.GeneratedKeys {
			d.errorf(&pd.rng, "Invalid generated column", "%s does not allow generated column %q in the primary key", d.lang.Engine, cd.c.Name)
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
				if cl := d.types.classOf(cd.c.Type); !isString(cl) && !isBinary(cl) && cl != schema.ClassJSON {
					d.errorf(&a.NameRange, "Invalid index part", "prefix applies to string columns; %q is %s", cd.c.Name, cd.c.Type)
				}
			}
		}
	}
}
