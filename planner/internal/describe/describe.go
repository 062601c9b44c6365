// Package describe writes changes and model objects for people: the one-line
// comment above a change's statements in a migration file, and the short
// definitions of columns, keys and checks that plans, lint messages and the
// fingerprint show. It is shared by planner, planner/lint and
// planner/report, so that they describe an object the same way.
package describe

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Change returns the one-line comment for a top-level change, as written
// above its statements in a migration file.
func Change(c schema.Change) string {
	switch c := c.(type) {
	case *schema.AddTable:
		return fmt.Sprintf("create table %q", c.T.Name)
	case *schema.DropTable:
		return fmt.Sprintf("drop table %q", c.T.Name)
	case *schema.RenameTable:
		return fmt.Sprintf("rename table %q to %q", c.From, c.To)
	case *schema.ModifySchema:
		return fmt.Sprintf("modify schema %q: %s", c.To.Name, kindNames(c.Kind))
	case *schema.ModifyTable:
		if len(c.Changes) == 1 {
			return Nested(c.Changes[0], c.To.Name)
		}
		parts := make([]string, len(c.Changes))
		for i, nc := range c.Changes {
			parts[i] = Nested(nc, "")
		}
		return fmt.Sprintf("modify table %q: %s", c.To.Name, strings.Join(parts, ", "))
	}
	return fmt.Sprintf("%T", c)
}

// Nested describes a change inside a ModifyTable, naming the table
// when table is not "".
func Nested(c schema.Change, table string) string {
	var what, prep string
	switch c := c.(type) {
	case *schema.AddColumn:
		what, prep = fmt.Sprintf("add column %q", c.C.Name), "to"
	case *schema.DropColumn:
		what, prep = fmt.Sprintf("drop column %q", c.C.Name), "from"
	case *schema.ModifyColumn:
		what, prep = fmt.Sprintf("modify column %q", c.To.Name), "of"
	case *schema.RenameColumn:
		what, prep = fmt.Sprintf("rename column %q to %q", c.From, c.To), "in"
	case *schema.AddIndex:
		what, prep = fmt.Sprintf("add index %q", c.I.Name), "to"
	case *schema.DropIndex:
		what, prep = fmt.Sprintf("drop index %q", c.I.Name), "from"
	case *schema.RenameIndex:
		what, prep = fmt.Sprintf("rename index %q to %q", c.From, c.To), "in"
	case *schema.ModifyPrimaryKey:
		what, prep = "modify primary key", "of"
	case *schema.AddForeignKey:
		what, prep = "add foreign key"+quotedName(c.F.Name), "to"
	case *schema.DropForeignKey:
		what, prep = "drop foreign key"+quotedName(c.F.Name), "from"
	case *schema.AddCheck:
		what, prep = "add check"+quotedName(c.C.Name), "to"
	case *schema.DropCheck:
		what, prep = "drop check"+quotedName(c.C.Name), "from"
	case *schema.ModifyTableOptions:
		what, prep = "modify "+kindNames(c.Kind), "of"
	default:
		what, prep = fmt.Sprintf("%T", c), "in"
	}
	if table == "" {
		return what
	}
	return fmt.Sprintf("%s %s table %q", what, prep, table)
}

func quotedName(n string) string {
	if n == "" {
		return ""
	}
	return " " + strconv.Quote(n)
}

var kindNameList = []struct {
	k    schema.ChangeKind
	name string
}{
	{schema.ChangeType, "type"},
	{schema.ChangeNull, "null"},
	{schema.ChangeDefault, "default"},
	{schema.ChangeAutoIncrement, "auto_increment"},
	{schema.ChangeOnUpdate, "on_update"},
	{schema.ChangeCharset, "charset"},
	{schema.ChangeCollate, "collate"},
	{schema.ChangeComment, "comment"},
	{schema.ChangeGenerated, "generated"},
	{schema.ChangeEngine, "engine"},
	{schema.ChangeStrict, "strict"},
	{schema.ChangeWithoutRowID, "without_rowid"},
}

// kindNames lists the parts named by k, e.g. "charset, collate".
func kindNames(k schema.ChangeKind) string {
	var names []string
	for _, e := range kindNameList {
		if k.Is(e.k) {
			names = append(names, e.name)
		}
	}
	return strings.Join(names, ", ")
}

// Column is a column's definition for people, e.g.
// "integer NOT NULL DEFAULT 0".
func Column(c *schema.Column) string {
	parts := []string{c.Type.String()}
	if c.Null {
		parts = append(parts, "NULL")
	} else {
		parts = append(parts, "NOT NULL")
	}
	if d := c.Default; d != nil {
		v := d.Value
		if d.Kind == schema.DefaultString {
			v = schema.QuoteString(v)
		}
		parts = append(parts, "DEFAULT "+v)
	}
	if c.AutoIncrement {
		parts = append(parts, "AUTO_INCREMENT")
	}
	if c.OnUpdate != "" {
		parts = append(parts, "ON UPDATE "+c.OnUpdate)
	}
	if c.Charset != "" {
		parts = append(parts, "CHARSET "+c.Charset)
	}
	if c.Collate != "" {
		parts = append(parts, "COLLATE "+c.Collate)
	}
	if g := c.Generated; g != nil {
		mode := "VIRTUAL"
		if g.Stored {
			mode = "STORED"
		}
		parts = append(parts, fmt.Sprintf("AS (%s) %s", g.Expr, mode))
	}
	if c.Comment != "" {
		parts = append(parts, "COMMENT "+schema.QuoteString(c.Comment))
	}
	return strings.Join(parts, " ")
}

// Parts lists key parts: "(a, b DESC, (lower(c)), d(10))".
func Parts(parts []schema.IndexPart) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		v := p.Column
		if p.Expr != "" {
			v = "(" + p.Expr + ")"
		}
		if p.Prefix > 0 {
			v += fmt.Sprintf("(%d)", p.Prefix)
		}
		if p.Desc {
			v += " DESC"
		}
		s[i] = v
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// Index is "unique index name (a, b) where …".
func Index(i *schema.Index) string {
	var b strings.Builder
	if i.Unique {
		b.WriteString("unique ")
	}
	b.WriteString("index " + i.Name + " " + Parts(i.Parts))
	if i.Type != "" {
		b.WriteString(" type " + i.Type)
	}
	if i.Parser != "" {
		b.WriteString(" parser " + i.Parser)
	}
	if i.Where != "" {
		b.WriteString(" where " + i.Where)
	}
	if i.Comment != "" {
		b.WriteString(" comment " + schema.QuoteString(i.Comment))
	}
	return b.String()
}

// PrimaryKey is a primary key's parts, method and comment: "(id) type HASH".
func PrimaryKey(i *schema.Index) string {
	s := Parts(i.Parts)
	if i.Type != "" {
		s += " type " + i.Type
	}
	if i.Comment != "" {
		s += " comment " + schema.QuoteString(i.Comment)
	}
	return s
}

// ForeignKey is "name (a) references t (id) on delete CASCADE".
func ForeignKey(f *schema.ForeignKey) string {
	var b strings.Builder
	if f.Name != "" {
		b.WriteString(f.Name + " ")
	}
	fmt.Fprintf(&b, "(%s) references %s (%s)", strings.Join(f.Columns, ", "), f.RefTable, strings.Join(f.RefColumns, ", "))
	if f.OnUpdate != "" {
		b.WriteString(" on update " + string(f.OnUpdate))
	}
	if f.OnDelete != "" {
		b.WriteString(" on delete " + string(f.OnDelete))
	}
	if f.Deferred {
		b.WriteString(" deferred")
	}
	return b.String()
}

// Check is "name (expr)", with "not enforced" when it is not.
func Check(c *schema.Check) string {
	s := "(" + c.Expr + ")"
	if c.Name != "" {
		s = c.Name + " " + s
	}
	if !c.Enforced {
		s += " not enforced"
	}
	return s
}

// Count says "1 column" or "2 columns".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if noun == "index" {
		return fmt.Sprintf("%d indexes", n)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
