package planner

import (
	"fmt"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/sqltext"
	"github.com/schemactl/schemactl/schema"
)

// Builders for model values. Each call returns fresh values, so a test may
// change what it gets.

func realm(tables ...*schema.Table) *schema.Realm {
	return &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: tables}}}
}

func typ(name string, args ...int) schema.Type {
	return schema.Type{Name: name, Args: args}
}

func col(name string, t schema.Type, null bool) *schema.Column {
	return &schema.Column{Name: name, Type: t, Null: null}
}

func pk(cols ...string) *schema.Index {
	return &schema.Index{Parts: parts(cols...)}
}

func idx(name string, unique bool, cols ...string) *schema.Index {
	return &schema.Index{Name: name, Unique: unique, Parts: parts(cols...)}
}

func parts(cols ...string) []schema.IndexPart {
	var ps []schema.IndexPart
	for _, c := range cols {
		ps = append(ps, schema.IndexPart{Column: c})
	}
	return ps
}

func fk(name string, cols []string, ref string, refCols ...string) *schema.ForeignKey {
	return &schema.ForeignKey{Name: name, Columns: cols, RefTable: ref, RefColumns: refCols}
}

func check(name, expr string) *schema.Check {
	return &schema.Check{Name: name, Expr: expr, Enforced: true}
}

// hero is the table of the SQLModel tutorial.
func hero() *schema.Table {
	return &schema.Table{
		Name: "hero",
		Columns: []*schema.Column{
			{Name: "id", Type: typ("integer"), AutoIncrement: true},
			col("name", typ("text"), false),
			col("secret_name", typ("text"), false),
			col("age", typ("integer"), true),
		},
		PrimaryKey: pk("id"),
		Indexes:    []*schema.Index{idx("hero_name_idx", false, "name")},
	}
}

// team is a table hero can refer to.
func team() *schema.Table {
	return &schema.Table{
		Name: "team",
		Columns: []*schema.Column{
			col("id", typ("integer"), false),
			col("name", typ("text"), false),
		},
		PrimaryKey: pk("id"),
	}
}

// simple returns a table with an integer primary key id and the given
// foreign keys, each on a column named after the referenced table.
func simple(name string, refs ...string) *schema.Table {
	t := &schema.Table{
		Name:       name,
		Columns:    []*schema.Column{col("id", typ("integer"), false)},
		PrimaryKey: pk("id"),
	}
	for _, r := range refs {
		c := r + "_id"
		t.Columns = append(t.Columns, col(c, typ("integer"), true))
		t.ForeignKeys = append(t.ForeignKeys, fk(name+"_"+c+"_fk", []string{c}, r, "id"))
	}
	return t
}

func with(t *schema.Table, f func(t *schema.Table)) *schema.Table {
	f(t)
	return t
}

// cmpChanges compares changes by value; positions never count.
var cmpChanges = cmp.Options{
	cmpopts.IgnoreTypes(hcl.Range{}),
	cmpopts.EquateEmpty(),
}

// cmpModel compares schemas up to what the planner does not manage: order
// of columns and keys, rename hints, triggers, positions, other objects.
var cmpModel = cmp.Options{
	cmpopts.IgnoreTypes(hcl.Range{}),
	cmpopts.IgnoreFields(schema.Table{}, "RenamedFrom", "Triggers"),
	cmpopts.IgnoreFields(schema.Column{}, "RenamedFrom"),
	cmpopts.IgnoreFields(schema.Index{}, "RenamedFrom"),
	cmpopts.IgnoreFields(schema.Schema{}, "Objects"),
	cmpopts.EquateEmpty(),
	cmpopts.SortSlices(func(a, b *schema.Table) bool { return a.Name < b.Name }),
	cmpopts.SortSlices(func(a, b *schema.Column) bool { return strings.ToLower(a.Name) < strings.ToLower(b.Name) }),
	cmpopts.SortSlices(func(a, b *schema.Index) bool { return strings.ToLower(a.Name) < strings.ToLower(b.Name) }),
	cmpopts.SortSlices(func(a, b *schema.ForeignKey) bool { return a.Name < b.Name }),
	cmpopts.SortSlices(func(a, b *schema.Check) bool { return a.Name+"\x00"+a.Expr < b.Name+"\x00"+b.Expr }),
	cmp.Comparer(func(a, b schema.Type) bool { return a.Equal(b) }),
}

// fakeDialect renders changes as short pseudo-SQL. It is for testing the
// planner's bookkeeping (statement order, comments, up and down) only:
// real SQL is tested against real engines in the dialect packages.
type fakeDialect struct{}

func (fakeDialect) Name() schema.Dialect { return "fake" }

// Lex reads view and trigger text as MySQL does, for lint (BC103).
func (fakeDialect) Lex(src string) ([]sqltext.Token, error) { return mysql.Lex(src) }

func (fakeDialect) Render(c schema.Change) ([]string, error) {
	switch c := c.(type) {
	case *schema.AddTable:
		return []string{"CREATE TABLE " + c.T.Name}, nil
	case *schema.DropTable:
		return []string{"DROP TABLE " + c.T.Name}, nil
	case *schema.RenameTable:
		return []string{fmt.Sprintf("RENAME TABLE %s TO %s", c.From, c.To)}, nil
	case *schema.ModifySchema:
		return []string{"ALTER SCHEMA " + c.To.Name}, nil
	case *schema.ModifyTable:
		var out []string
		for _, nc := range c.Changes {
			out = append(out, fmt.Sprintf("ALTER TABLE %s %s", c.To.Name, describeNested(nc, "")))
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported change %T", c)
}

// Narrows treats any type change to a type of another name, or with smaller
// sizes, as narrowing.
func (fakeDialect) Narrows(from, to *schema.Column) (bool, string) {
	f, t := from.Type, to.Type
	if f.Equal(t) {
		return false, ""
	}
	if f.Name != t.Name {
		return true, fmt.Sprintf("column %q changes from %s to %s", to.Name, f, t)
	}
	for i := range min(len(f.Args), len(t.Args)) {
		if t.Args[i] < f.Args[i] {
			return true, fmt.Sprintf("column %q shrinks from %s to %s", to.Name, f, t)
		}
	}
	return false, ""
}

var _ Dialect = fakeDialect{}
