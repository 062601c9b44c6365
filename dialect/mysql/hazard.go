package mysql

import (
	"github.com/schemactl/schemactl/schema"
)

// Rebuilds reports whether the ALTER TABLE of m makes InnoDB write the whole
// table again (ALGORITHM=COPY, or an in-place rebuild): on a large table it
// takes long, needs room for a second copy and, with COPY, blocks writers.
// The planner's lint reports it (HZ101). It is read off AlterCost, the
// server's online DDL rules, so that lint and plan's notes agree.
func (d *Dialect) Rebuilds(m *schema.ModifyTable) bool {
	return d.Flavor.AlterCost(m).Rebuild
}

// BlocksWrites reports whether the ALTER TABLE of m copies the table with
// writes locked out, on this server (lint words HZ101 after it).
func (d *Dialect) BlocksWrites(m *schema.ModifyTable) bool {
	return d.Flavor.AlterCost(m).BlocksWrites()
}
