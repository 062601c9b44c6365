// Package plantest holds the model builders and fake dialects that the
// tests of planner, planner/lint and planner/report share.
package plantest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// Builders for model values. Each call returns fresh values, so a test may
// change what it gets.

func Realm(tables ...*schema.Table) *schema.Realm {
	return &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: tables}}}
}

func Type(name string, args ...int) schema.Type {
	return schema.Type{Name: name, Args: args}
}

func Col(name string, t schema.Type, null bool) *schema.Column {
	return &schema.Column{Name: name, Type: t, Null: null}
}

func PK(cols ...string) *schema.Index {
	return &schema.Index{Parts: Parts(cols...)}
}

func Idx(name string, unique bool, cols ...string) *schema.Index {
	return &schema.Index{Name: name, Unique: unique, Parts: Parts(cols...)}
}

func Parts(cols ...string) []schema.IndexPart {
	var ps []schema.IndexPart
	for _, c := range cols {
		ps = append(ps, schema.IndexPart{Column: c})
	}
	return ps
}

func FK(name string, cols []string, ref string, refCols ...string) *schema.ForeignKey {
	return &schema.ForeignKey{Name: name, Columns: cols, RefTable: ref, RefColumns: refCols}
}

func Check(name, expr string) *schema.Check {
	return &schema.Check{Name: name, Expr: expr, Enforced: true}
}

// Hero is the table of the SQLModel tutorial.
func Hero() *schema.Table {
	return &schema.Table{
		Name: "hero",
		Columns: []*schema.Column{
			{Name: "id", Type: Type("integer"), AutoIncrement: true},
			Col("name", Type("text"), false),
			Col("secret_name", Type("text"), false),
			Col("age", Type("integer"), true),
		},
		PrimaryKey: PK("id"),
		Indexes:    []*schema.Index{Idx("hero_name_idx", false, "name")},
	}
}

// Team is a table hero can refer to.
func Team() *schema.Table {
	return &schema.Table{
		Name: "team",
		Columns: []*schema.Column{
			Col("id", Type("integer"), false),
			Col("name", Type("text"), false),
		},
		PrimaryKey: PK("id"),
	}
}

// Simple returns a table with an integer primary key id and the given
// foreign keys, each on a column named after the referenced table.
func Simple(name string, refs ...string) *schema.Table {
	t := &schema.Table{
		Name:       name,
		Columns:    []*schema.Column{Col("id", Type("integer"), false)},
		PrimaryKey: PK("id"),
	}
	for _, r := range refs {
		c := r + "_id"
		t.Columns = append(t.Columns, Col(c, Type("integer"), true))
		t.ForeignKeys = append(t.ForeignKeys, FK(name+"_"+c+"_fk", []string{c}, r, "id"))
	}
	return t
}

// With returns t changed by f.
func With(t *schema.Table, f func(t *schema.Table)) *schema.Table {
	f(t)
	return t
}

// CmpChanges compares changes by value; positions never count.
var CmpChanges = cmp.Options{
	cmpopts.IgnoreTypes(schema.Range{}),
	cmpopts.EquateEmpty(),
}

// CmpModel compares schemas up to what the planner does not manage: order
// of columns and keys, rename hints, triggers, positions, other objects.
var CmpModel = cmp.Options{
	cmpopts.IgnoreTypes(schema.Range{}),
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

// FakeDialect renders changes as short pseudo-SQL. It is for testing the
// planner's bookkeeping (statement order, comments, up and down) only:
// real SQL is tested against real engines in the dialect packages.
type FakeDialect struct{}

// Name is "fake".
func (FakeDialect) Name() schema.Dialect { return "fake" }

// Lex reads view and trigger text as MySQL does, for lint (BC103).
func (FakeDialect) Lex(src string) ([]sqltext.Token, error) { return mysql.Lex(src) }

// Render writes each change as one pseudo-statement per nested change.
func (FakeDialect) Render(c schema.Change) ([]string, error) {
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
			out = append(out, fmt.Sprintf("ALTER TABLE %s %s", c.To.Name, describe.Nested(nc, "")))
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported change %T", c)
}

// Narrows treats any type change to a type of another name, or with smaller
// sizes, as narrowing.
func (FakeDialect) Narrows(from, to *schema.Column) (bool, string) {
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

// Users is a table with an index, for renames.
func Users() *schema.Table {
	return &schema.Table{
		Name: "users",
		Columns: []*schema.Column{
			Col("id", Type("integer"), false),
			Col("name", Type("varchar", 100), false),
		},
		PrimaryKey: PK("id"),
		Indexes:    []*schema.Index{Idx("users_name_idx", false, "name")},
	}
}

// Members is Users after the rename example of hcl-language §13.1.
func Members() *schema.Table {
	return With(Users(), func(t *schema.Table) {
		t.Name, t.RenamedFrom = "members", "users"
		t.Columns[1].Name, t.Columns[1].RenamedFrom = "full_name", "name"
		t.Indexes[0].Name, t.Indexes[0].RenamedFrom = "members_full_name_idx", "users_name_idx"
		t.Indexes[0].Parts[0].Column = "full_name"
	})
}

// WithTeam adds a team_id column to t and, when ref is set, a foreign key
// from it to Team.
func WithTeam(t *schema.Table, ref bool) *schema.Table {
	t.Columns = append(t.Columns, Col("team_id", Type("integer"), true))
	if ref {
		t.ForeignKeys = []*schema.ForeignKey{FK("hero_team_fk", []string{"team_id"}, "team", "id")}
	}
	return t
}

// LintDialect is the fake dialect with the optional lint capabilities: it
// rebuilds every modified table when Rebuild is set, fills NULLs from a
// default, and treats a removed enum value and a charset change as
// narrowing, as the MySQL dialect does.
type LintDialect struct {
	FakeDialect
	Rebuild bool
}

// Rebuilds reports Rebuild for every table.
func (d LintDialect) Rebuilds(*schema.ModifyTable) bool { return d.Rebuild }

// FillsNulls reports whether the column gets a default.
func (LintDialect) FillsNulls(from, to *schema.Column) bool { return to.Default != nil }

// Narrows adds charset changes and removed enum values to what
// FakeDialect narrows.
func (d LintDialect) Narrows(from, to *schema.Column) (bool, string) {
	if from.Charset != to.Charset {
		return true, "column " + to.Name + " changes character set"
	}
	if f, t := from.Type, to.Type; f.Values != nil && t.Values != nil {
		if len(t.Values) < len(f.Values) || !slices.Equal(t.Values[:len(f.Values)], f.Values) {
			return true, "column " + to.Name + " loses enum values"
		}
		return false, ""
	}
	return d.FakeDialect.Narrows(from, to)
}
