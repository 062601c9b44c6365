package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/schema"
)

// applyChanges runs changes against a copy of r the way a strict engine
// (MySQL with foreign key checks on) would, and fails where the engine
// would: a foreign key to a table or column that does not exist yet, a
// table dropped while another table's foreign key refers to it, a column
// dropped while a foreign key refers to it, a ModifyTable whose nested
// changes do not turn the table into its To. It stands in for the engines
// in property tests of the planner's bookkeeping and order.
func applyChanges(r *schema.Realm, changes []schema.Change) (*schema.Realm, error) {
	s := *r.Schemas[0]
	s.Tables = nil
	for _, t := range r.Schemas[0].Tables {
		s.Tables = append(s.Tables, cloneTable(t))
	}
	a := &applier{s: &s}
	for i, c := range changes {
		if err := a.apply(c); err != nil {
			return nil, fmt.Errorf("change %d (%s): %w", i, describe.Change(c), err)
		}
	}
	return &schema.Realm{Schemas: []*schema.Schema{a.s}}, nil
}

type applier struct{ s *schema.Schema }

func (a *applier) table(name string) (*schema.Table, error) {
	if t, ok := a.s.Table(name); ok {
		return t, nil
	}
	return nil, fmt.Errorf("table %q does not exist", name)
}

// referrers returns the foreign keys of other tables that refer to table
// (and to column, when column is not "").
func (a *applier) referrers(table, column string) []string {
	var out []string
	for _, t := range a.s.Tables {
		for _, f := range t.ForeignKeys {
			if f.RefTable != table || t.Name == table {
				continue
			}
			if column == "" || slices.ContainsFunc(f.RefColumns, func(c string) bool { return strings.EqualFold(c, column) }) {
				out = append(out, t.Name+"."+f.Name)
			}
		}
	}
	return out
}

func (a *applier) checkReference(self *schema.Table, f *schema.ForeignKey) error {
	ref := self
	if f.RefTable != self.Name {
		var err error
		if ref, err = a.table(f.RefTable); err != nil {
			return fmt.Errorf("foreign key %q: %w", f.Name, err)
		}
	}
	for _, c := range f.RefColumns {
		if _, ok := ref.Column(c); !ok {
			return fmt.Errorf("foreign key %q: column %q of table %q does not exist", f.Name, c, ref.Name)
		}
	}
	return nil
}

func (a *applier) apply(c schema.Change) error {
	switch c := c.(type) {
	case *schema.ModifySchema:
		if c.Kind.Is(schema.ChangeCharset) {
			a.s.Charset = c.To.Charset
		}
		if c.Kind.Is(schema.ChangeCollate) {
			a.s.Collate = c.To.Collate
		}
		if c.Kind.Is(schema.ChangeComment) {
			a.s.Comment = c.To.Comment
		}
	case *schema.AddTable:
		if _, ok := a.s.Table(c.T.Name); ok {
			return fmt.Errorf("table %q exists", c.T.Name)
		}
		t := cloneTable(c.T)
		for _, f := range t.ForeignKeys {
			if err := a.checkReference(t, f); err != nil {
				return err
			}
		}
		a.s.Tables = append(a.s.Tables, t)
	case *schema.DropTable:
		t, err := a.table(c.T.Name)
		if err != nil {
			return err
		}
		if refs := a.referrers(t.Name, ""); len(refs) > 0 {
			return fmt.Errorf("table %q is referred to by %v", t.Name, refs)
		}
		a.s.Tables = slices.DeleteFunc(a.s.Tables, func(x *schema.Table) bool { return x == t })
	case *schema.RenameTable:
		t, err := a.table(c.From)
		if err != nil {
			return err
		}
		if _, ok := a.s.Table(c.To); ok {
			return fmt.Errorf("table %q exists", c.To)
		}
		t.Name = c.To
		for _, o := range a.s.Tables {
			for _, f := range o.ForeignKeys {
				if f.RefTable == c.From {
					f.RefTable = c.To
				}
			}
		}
	case *schema.ModifyTable:
		return a.modify(c)
	default:
		return fmt.Errorf("unexpected top-level change %T", c)
	}
	return nil
}

func (a *applier) modify(m *schema.ModifyTable) error {
	t, err := a.table(m.To.Name)
	if err != nil {
		return err
	}
	for _, c := range m.Changes {
		if err := a.nested(t, c); err != nil {
			return fmt.Errorf("%s: %w", describe.Nested(c, ""), err)
		}
	}
	if diff := cmp.Diff(m.To, t, cmpModel); diff != "" {
		return fmt.Errorf("table %q after its changes differs from To (-To +got):\n%s", t.Name, diff)
	}
	return nil
}

func (a *applier) nested(t *schema.Table, c schema.Change) error {
	switch c := c.(type) {
	case *schema.RenameColumn:
		col, ok := t.Column(c.From)
		if !ok {
			return fmt.Errorf("no column %q", c.From)
		}
		col.Name = c.To
		a.renameColumnRefs(t, c.From, c.To)
	case *schema.RenameIndex:
		i, ok := t.Index(c.From)
		if !ok {
			return fmt.Errorf("no index %q", c.From)
		}
		i.Name = c.To
	case *schema.AddColumn:
		if _, ok := t.Column(c.C.Name); ok {
			return fmt.Errorf("column %q exists", c.C.Name)
		}
		t.Columns = append(t.Columns, cloneColumn(c.C))
	case *schema.DropColumn:
		col, ok := t.Column(c.C.Name)
		if !ok {
			return fmt.Errorf("no column %q", c.C.Name)
		}
		if refs := a.referrers(t.Name, col.Name); len(refs) > 0 {
			return fmt.Errorf("column %q is referred to by %v", col.Name, refs)
		}
		t.Columns = slices.DeleteFunc(t.Columns, func(x *schema.Column) bool { return x == col })
	case *schema.ModifyColumn:
		i := slices.IndexFunc(t.Columns, func(x *schema.Column) bool { return strings.EqualFold(x.Name, c.From.Name) })
		if i < 0 {
			return fmt.Errorf("no column %q", c.From.Name)
		}
		if diff := cmp.Diff(c.From, t.Columns[i], cmpModel); diff != "" {
			return fmt.Errorf("column %q is not From (-From +got):\n%s", c.From.Name, diff)
		}
		t.Columns[i] = cloneColumn(c.To)
	case *schema.AddIndex:
		if _, ok := t.Index(c.I.Name); ok {
			return fmt.Errorf("index %q exists", c.I.Name)
		}
		t.Indexes = append(t.Indexes, cloneIndex(c.I))
	case *schema.DropIndex:
		i, ok := t.Index(c.I.Name)
		if !ok {
			return fmt.Errorf("no index %q", c.I.Name)
		}
		t.Indexes = slices.DeleteFunc(t.Indexes, func(x *schema.Index) bool { return x == i })
	case *schema.ModifyPrimaryKey:
		if diff := cmp.Diff(c.From, t.PrimaryKey, cmpModel); diff != "" {
			return fmt.Errorf("primary key is not From (-From +got):\n%s", diff)
		}
		t.PrimaryKey = nil
		if c.To != nil {
			t.PrimaryKey = cloneIndex(c.To)
		}
	case *schema.AddForeignKey:
		if err := a.checkReference(t, c.F); err != nil {
			return err
		}
		t.ForeignKeys = append(t.ForeignKeys, cloneForeignKey(c.F))
	case *schema.DropForeignKey:
		n := len(t.ForeignKeys)
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(f *schema.ForeignKey) bool { return cmp.Equal(f, c.F, cmpModel) })
		if len(t.ForeignKeys) != n-1 {
			return fmt.Errorf("no foreign key like %q", c.F.Name)
		}
	case *schema.AddCheck:
		t.Checks = append(t.Checks, c.C)
	case *schema.DropCheck:
		n := len(t.Checks)
		t.Checks = slices.DeleteFunc(t.Checks, func(k *schema.Check) bool { return *k == *c.C })
		if len(t.Checks) != n-1 {
			return fmt.Errorf("no check like %q", c.C.Name)
		}
	case *schema.ModifyTableOptions:
		if c.Kind.Is(schema.ChangeComment) {
			t.Comment = c.To.Comment
		}
		if c.Kind.Is(schema.ChangeCharset) {
			t.Charset = c.To.Charset
		}
		if c.Kind.Is(schema.ChangeCollate) {
			t.Collate = c.To.Collate
		}
		if c.Kind.Is(schema.ChangeEngine) {
			t.Engine = c.To.Engine
		}
		if c.Kind.Is(schema.ChangeAutoIncrement) {
			t.AutoIncrement = c.To.AutoIncrement
		}
		if c.Kind.Is(schema.ChangeStrict) {
			t.Strict = c.To.Strict
		}
		if c.Kind.Is(schema.ChangeWithoutRowID) {
			t.WithoutRowID = c.To.WithoutRowID
		}
	default:
		return fmt.Errorf("unexpected nested change %T", c)
	}
	return nil
}

// renameColumnRefs carries a column rename into keys and foreign keys, as
// the engines do.
func (a *applier) renameColumnRefs(t *schema.Table, from, to string) {
	fix := func(parts []schema.IndexPart) {
		for i := range parts {
			if strings.EqualFold(parts[i].Column, from) {
				parts[i].Column = to
			}
		}
	}
	if t.PrimaryKey != nil {
		fix(t.PrimaryKey.Parts)
	}
	for _, i := range t.Indexes {
		fix(i.Parts)
	}
	for _, f := range t.ForeignKeys {
		for j := range f.Columns {
			if strings.EqualFold(f.Columns[j], from) {
				f.Columns[j] = to
			}
		}
	}
	for _, o := range a.s.Tables {
		for _, f := range o.ForeignKeys {
			if f.RefTable != t.Name {
				continue
			}
			for j := range f.RefColumns {
				if strings.EqualFold(f.RefColumns[j], from) {
					f.RefColumns[j] = to
				}
			}
		}
	}
}
