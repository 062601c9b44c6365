package mysql

import (
	"slices"

	"github.com/schemactl/schemactl/schema"
)

// Rebuilds reports whether the ALTER TABLE of m makes InnoDB write the whole
// table again (ALGORITHM=COPY, or an in-place rebuild): on a large table it
// takes long, needs room for a second copy and, with COPY, blocks writers.
// The planner's lint reports it (HZ101). The rules follow the MySQL 8 and
// MariaDB online DDL tables; where they differ, the cautious answer wins.
func (d *Dialect) Rebuilds(m *schema.ModifyTable) bool {
	if m == nil {
		return false
	}
	for _, c := range m.Changes {
		switch c := c.(type) {
		case *schema.ModifyColumn:
			if d.columnRebuilds(c) {
				return true
			}
		case *schema.AddColumn:
			if c.C.Generated != nil && c.C.Generated.Stored {
				return true
			}
		case *schema.DropColumn:
			// MariaDB drops instantly since 10.4, MySQL since 8.0.29;
			// before that the table is rebuilt.
			if !d.Flavor.MinMySQL(8, 0, 29) && !d.Flavor.MinMariaDB(10, 4, 0) {
				return true
			}
		case *schema.ModifyPrimaryKey:
			return true
		case *schema.ModifyTableOptions:
			if c.Kind&(schema.ChangeEngine|schema.ChangeCharset|schema.ChangeCollate) != 0 {
				return true
			}
		}
	}
	return false
}

// columnRebuilds reports whether modifying a column rewrites the table.
// Nullability, charset, collation and generation rewrite rows. Renames,
// defaults, comments and ON UPDATE are metadata only; a VARCHAR
// that grows within the same length-byte class (both under or both from
// 256 bytes) is in place; an ENUM or SET that only gains values at the end
// is instant. Everything else that touches the stored value does copy.
func (d *Dialect) columnRebuilds(c *schema.ModifyColumn) bool {
	if c.Kind&(schema.ChangeNull|schema.ChangeCharset|schema.ChangeCollate|schema.ChangeGenerated) != 0 {
		return true
	}
	if !c.Kind.Is(schema.ChangeType) {
		return false
	}
	from, to := c.From.Type, c.To.Type
	switch {
	case from.Name == "varchar" && to.Name == "varchar" && len(from.Args) == 1 && len(to.Args) == 1 && to.Args[0] >= from.Args[0]:
		fb, tb := d.maxBytes(from, c.From.Charset), d.maxBytes(to, c.To.Charset)
		return (fb < 256) != (tb < 256)
	case from.Name == to.Name && (from.Name == "enum" || from.Name == "set") && len(to.Values) >= len(from.Values):
		return !slices.Equal(from.Values, to.Values[:len(from.Values)])
	}
	return true
}
