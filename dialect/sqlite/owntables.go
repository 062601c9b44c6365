package sqlite

import (
	"context"
	"database/sql"
	"os"
	"strconv"

	"github.com/schemactl/schemactl/schema"
)

// TableExists reports whether the main database has a table of that name,
// compared as SQLite compares names (ASCII letters without case).
func (*Dialect) TableExists(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	var n int
	err := conn.QueryRowContext(ctx, "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE", name).Scan(&n)
	if err != nil {
		return false, err
	}
	return n > 0, nil
}

// OwnTableDDL spells a change to one of the executor's tables as any
// other: SQLite needs nothing more for them, its transactions cover every
// table.
func (d *Dialect) OwnTableDDL(c schema.Change) ([]string, error) {
	return d.Render(c)
}

// OwnTableFixes returns nothing: every SQLite table is transactional.
func (*Dialect) OwnTableFixes(context.Context, *sql.Conn, string) ([]string, error) {
	return nil, nil
}

// Session names the process that runs the migration, "pid:N": SQLite has
// no server and no session of its own; the process holding the write
// transaction is the closest thing, and the history's operator column
// names its user and host.
func (*Dialect) Session(context.Context, *sql.Conn) (string, error) {
	return "pid:" + strconv.Itoa(os.Getpid()), nil
}
