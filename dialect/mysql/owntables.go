package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// ownEngine is the storage engine of the executor's tables: transactional,
// so that a progress record can commit or roll back with the statement it
// records, and replicated by Galera.
const ownEngine = "InnoDB"

// TableExists reports whether the connection's current database has a
// table (or a view) of that name.
func (*Dialect) TableExists(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	var n int
	err := conn.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", name).Scan(&n)
	if err != nil {
		return false, err
	}
	return n > 0, nil
}

// OwnTableDDL spells a change to one of the executor's tables; a table it
// creates is InnoDB whatever the server's default engine (which may be
// MyISAM, or Aria on some MariaDB set-ups).
func (d *Dialect) OwnTableDDL(c schema.Change) ([]string, error) {
	if a, ok := c.(*schema.AddTable); ok {
		t := *a.T
		t.Engine = ownEngine
		c = &schema.AddTable{T: &t}
	}
	return d.Render(c)
}

// OwnTableFixes converts an existing table of the executor to InnoDB when
// another engine holds it: the tables of schemactl before format 2 took
// the server's default. The rows are kept.
func (*Dialect) OwnTableFixes(ctx context.Context, conn *sql.Conn, name string) ([]string, error) {
	var engine sql.NullString
	err := conn.QueryRowContext(ctx, "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", name).Scan(&engine)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("table %q does not exist", name)
	case err != nil:
		return nil, fmt.Errorf("read the engine of %q: %w", name, err)
	case !engine.Valid:
		return nil, fmt.Errorf("%q is a view, not a table", name)
	case strings.EqualFold(engine.String, ownEngine):
		return nil, nil
	}
	return []string{"ALTER TABLE " + quoteIdent(name) + " ENGINE=" + ownEngine}, nil
}
