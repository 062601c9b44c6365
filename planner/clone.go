package planner

import "github.com/schemactl/schemactl/schema"

// The planner never mutates its inputs. These copies are deep where the
// planner writes (names, slices of keys), and share what it only reads
// (types, defaults, trigger objects).

func cloneTable(t *schema.Table) *schema.Table {
	c := *t
	c.Columns = make([]*schema.Column, len(t.Columns))
	for i, col := range t.Columns {
		c.Columns[i] = cloneColumn(col)
	}
	if t.PrimaryKey != nil {
		c.PrimaryKey = cloneIndex(t.PrimaryKey)
	}
	c.Indexes = cloneSlice(t.Indexes, cloneIndex)
	c.ForeignKeys = cloneSlice(t.ForeignKeys, cloneForeignKey)
	c.Checks = cloneSlice(t.Checks, func(k *schema.Check) *schema.Check { v := *k; return &v })
	c.Triggers = cloneSlice(t.Triggers, func(o *schema.Object) *schema.Object { return o })
	return &c
}

func cloneColumn(c *schema.Column) *schema.Column {
	v := *c
	return &v
}

func cloneIndex(i *schema.Index) *schema.Index {
	v := *i
	v.Parts = cloneSlice(i.Parts, func(p schema.IndexPart) schema.IndexPart { return p })
	return &v
}

func cloneForeignKey(f *schema.ForeignKey) *schema.ForeignKey {
	v := *f
	v.Columns = cloneSlice(f.Columns, func(s string) string { return s })
	v.RefColumns = cloneSlice(f.RefColumns, func(s string) string { return s })
	return &v
}

// cloneSlice copies s element by element; nil stays nil so that copies
// compare equal to their originals.
func cloneSlice[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	c := make([]T, len(s))
	for i, v := range s {
		c[i] = f(v)
	}
	return c
}

// withoutForeignKeys returns a copy of t without the given foreign keys
// (compared by identity).
func withoutForeignKeys(t *schema.Table, drop map[*schema.ForeignKey]bool) *schema.Table {
	c := *t
	c.ForeignKeys = nil
	for _, f := range t.ForeignKeys {
		if !drop[f] {
			c.ForeignKeys = append(c.ForeignKeys, f)
		}
	}
	return &c
}
