package mysql

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// Algorithm is how an InnoDB server carries out an ALTER TABLE, from the
// cheapest to the dearest. The order matters: a statement with several
// changes runs at the dearest of their algorithms.
type Algorithm int

const (
	// AlgorithmInstant changes metadata only, whatever the table's size.
	AlgorithmInstant Algorithm = iota
	// AlgorithmInplace works on the table (builds an index, maybe rebuilds
	// it) while writes go on (LOCK=NONE).
	AlgorithmInplace
	// AlgorithmCopy copies the table row by row, and writes wait until it
	// is done.
	AlgorithmCopy
)

// String is the name in the server's ALGORITHM clause.
func (a Algorithm) String() string {
	switch a {
	case AlgorithmInstant:
		return "INSTANT"
	case AlgorithmInplace:
		return "INPLACE"
	}
	return "COPY"
}

// AlterCost is what an ALTER TABLE costs on a given server: the algorithm,
// and whether the table's rows are written again (COPY always; some
// INPLACE changes too), which takes time and room for a second copy.
type AlterCost struct {
	Algorithm Algorithm
	Rebuild   bool
}

// BlocksWrites reports whether writes to the table wait for the change.
func (c AlterCost) BlocksWrites() bool { return c.Algorithm == AlgorithmCopy }

// max is the cost of doing both changes in one statement.
func (c AlterCost) max(o AlterCost) AlterCost {
	return AlterCost{Algorithm: max(c.Algorithm, o.Algorithm), Rebuild: c.Rebuild || o.Rebuild}
}

var (
	instant        = AlterCost{Algorithm: AlgorithmInstant}
	inplace        = AlterCost{Algorithm: AlgorithmInplace}
	inplaceRebuild = AlterCost{Algorithm: AlgorithmInplace, Rebuild: true}
	tableCopy      = AlterCost{Algorithm: AlgorithmCopy, Rebuild: true}
)

// AlterCost is the cost of m on the server of f: the dearest of its
// changes. The rules are the online DDL tables of the MariaDB knowledge
// base ("InnoDB Online DDL Operations with the INSTANT/NOCOPY/INPLACE Alter
// Algorithm") and of the MySQL 8.0 manual (15.12.1 "Online DDL
// Operations"), for InnoDB tables in the default (DYNAMIC) row format;
// where a case is not covered the answer is COPY, the cautious one. They
// ignore what the model does not hold (ROW_FORMAT=REDUNDANT or COMPRESSED,
// a hidden FTS_DOC_ID), which can only make a change dearer.
func (f Flavor) AlterCost(m *schema.ModifyTable) AlterCost {
	var cost AlterCost
	if m == nil {
		return cost
	}
	for _, c := range m.Changes {
		cost = cost.max(f.changeCost(c))
	}
	return cost
}

// changeCost is the cost of one change of a table.
func (f Flavor) changeCost(c schema.Change) AlterCost {
	switch c := c.(type) {
	case *schema.AddColumn:
		return f.addColumnCost(c.C)
	case *schema.DropColumn:
		if f.MinMariaDB(10, 4, 0) || f.MinMySQL(8, 0, 29) {
			return instant
		}
		return inplaceRebuild
	case *schema.ModifyColumn:
		return f.modifyColumnCost(c)
	case *schema.RenameColumn:
		if f.MinMariaDB(10, 3, 0) || f.MinMySQL(8, 0, 28) {
			return instant
		}
		return inplace
	case *schema.AddIndex:
		// FULLTEXT and SPATIAL indexes are built with writes locked out.
		if t := c.I.Type; t == "FULLTEXT" || t == "SPATIAL" {
			return tableCopy
		}
		return inplace
	case *schema.DropIndex:
		return inplace
	case *schema.RenameIndex:
		if f.MariaDB {
			return instant
		}
		return inplace
	case *schema.ModifyPrimaryKey:
		// A new primary key reorganises the table in place; dropping it
		// without a replacement needs a copy.
		if c.To == nil {
			return tableCopy
		}
		return inplaceRebuild
	case *schema.AddForeignKey:
		// In place only with foreign_key_checks off, which schemactl
		// never turns off: the rows are checked by a copy.
		return tableCopy
	case *schema.DropForeignKey:
		if f.MariaDB {
			return instant
		}
		return inplace
	case *schema.AddCheck:
		// The existing rows are checked by a copy.
		return tableCopy
	case *schema.DropCheck:
		return instant
	case *schema.ModifyTableOptions:
		return f.optionsCost(c.Kind)
	}
	return tableCopy
}

func (f Flavor) addColumnCost(c *schema.Column) AlterCost {
	switch {
	case c.Generated != nil && c.Generated.Stored, c.AutoIncrement:
		return tableCopy
	case c.Generated != nil:
		if f.MariaDB || f.MinMySQL(8, 0, 12) {
			return instant
		}
		return inplace
	case f.MinMariaDB(10, 3, 2) || f.MinMySQL(8, 0, 12):
		// MySQL before 8.0.29 and MariaDB before 10.4 add instantly at
		// the end only; the planner adds columns at the end.
		return instant
	}
	return inplaceRebuild
}

// modifyColumnCost: metadata (renames, defaults, comments) is instant;
// nullability rewrites rows in place; a VARCHAR that grows and an ENUM or
// SET that gains values at the end keep the stored values; any other type,
// charset or generation change copies.
func (f Flavor) modifyColumnCost(c *schema.ModifyColumn) AlterCost {
	cost := instant
	if c.Kind&(schema.ChangeCharset|schema.ChangeGenerated) != 0 {
		return tableCopy
	}
	if c.Kind.Is(schema.ChangeCollate) && !c.Kind.Is(schema.ChangeCharset) {
		// MariaDB 10.11 changes the collation of a column (indexed or
		// not) without copying; the docs are silent before.
		if !f.MinMariaDB(10, 11, 0) {
			return tableCopy
		}
		cost = cost.max(inplace)
	}
	if c.Kind.Is(schema.ChangeNull) {
		cost = cost.max(inplaceRebuild)
	}
	if c.Kind.Is(schema.ChangeAutoIncrement) {
		// Numbering existing rows copies them; MariaDB 10.11 drops the
		// attribute instantly, MySQL's manual does not say.
		if c.To.AutoIncrement || !f.MariaDB {
			return tableCopy
		}
	}
	if c.Kind.Is(schema.ChangeType) {
		cost = cost.max(f.typeCost(c))
	}
	return cost
}

// typeCost is the cost of changing the type of a column.
func (f Flavor) typeCost(c *schema.ModifyColumn) AlterCost {
	from, to := c.From.Type, c.To.Type
	switch {
	case from.Name == "varchar" && to.Name == "varchar" && len(from.Args) == 1 && len(to.Args) == 1 && to.Args[0] >= from.Args[0]:
		if f.MinMariaDB(10, 4, 3) {
			return instant
		}
		// The length prefix takes one byte under 256 bytes and two from
		// there: crossing the line rewrites every row.
		d := Dialect{Flavor: f}
		fb, tb := d.maxBytes(from, c.From.Charset), d.maxBytes(to, c.To.Charset)
		if (fb < 256) != (tb < 256) {
			return tableCopy
		}
		return inplace
	case from.Name == to.Name && (from.Name == "enum" || from.Name == "set") && len(to.Values) >= len(from.Values):
		// Appending values is metadata only while the stored size stays
		// the same (ENUM: up to 255 values; SET: up to 8 per byte).
		if slices.Equal(from.Values, to.Values[:len(from.Values)]) && sameStorage(from, to) {
			return instant
		}
	}
	return tableCopy
}

// sameStorage reports whether an ENUM or SET of to's values takes as many
// bytes as one of from's.
func sameStorage(from, to schema.Type) bool {
	if from.Name == "enum" {
		return (len(from.Values) < 256) == (len(to.Values) < 256)
	}
	return (len(from.Values)+7)/8 == (len(to.Values)+7)/8
}

func (f Flavor) optionsCost(k schema.ChangeKind) AlterCost {
	switch {
	case k.Is(schema.ChangeEngine):
		return tableCopy
	case k.Is(schema.ChangeCharset):
		// The planner converts the table's columns with CONVERT TO.
		return tableCopy
	case k.Is(schema.ChangeCollate):
		return tableCopy
	case k.Is(schema.ChangeAutoIncrement):
		if f.MariaDB {
			return instant
		}
		return inplace
	}
	return instant
}

// AlterAlgorithm is AlterCost for plan's notes (lint.OnlineDDL): the server,
// the algorithm's name and whether writes wait for the change.
func (d *Dialect) AlterAlgorithm(m *schema.ModifyTable) (server, algorithm string, blocksWrites bool) {
	c := d.Flavor.AlterCost(m)
	return d.Flavor.String(), c.Algorithm.String(), c.BlocksWrites()
}

// copyBytesPerSecond is how fast a COPY writes the table again: a table
// of 2,000,000 rows and 264 MB of data (DATA_LENGTH) had a column retyped
// in 5.2 s on MariaDB 10.11 on the 2-core test machine. It is a rough
// figure for a plan, not a promise: disks, the buffer pool and secondary
// indexes change it several-fold.
const copyBytesPerSecond = 264 << 20 / 5.2

// CopyTime is a rough time to copy a table of bytes data.
func (d *Dialect) CopyTime(rows, bytes int64) time.Duration {
	return time.Duration(float64(bytes) / copyBytesPerSecond * float64(time.Second))
}

// TableSize is what information_schema.TABLES says about a table: an
// estimate of its rows (InnoDB samples) and the bytes of its data.
type TableSize struct {
	Rows, Bytes int64
}

// TableSizes reads the size of every table of the current database in one
// query, for plan's notes on the changes that copy a table.
func (d *Dialect) TableSizes(ctx context.Context, q Querier) (map[string]TableSize, error) {
	rows, err := q.QueryContext(ctx, `SELECT TABLE_NAME, COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0)
		FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'`)
	if err != nil {
		return nil, fmt.Errorf("read table sizes: %w", err)
	}
	defer rows.Close()
	out := map[string]TableSize{}
	for rows.Next() {
		var name string
		var s TableSize
		if err := rows.Scan(&name, &s.Rows, &s.Bytes); err != nil {
			return nil, fmt.Errorf("read table sizes: %w", err)
		}
		out[name] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read table sizes: %w", err)
	}
	return out, nil
}
