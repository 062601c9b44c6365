package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// PreImage returns a canonical text of the catalog state of objs: their
// rows of sqlite_schema (type, name, table and SQL text; not the root
// page, which VACUUM moves), a table's with those of its indexes and
// triggers, absent objects as "absent"; one line per object, sorted. It is
// equal before and after a statement iff the statement did not change those
// objects. Names match as SQLite matches them, ASCII letters without case.
// Schema "" is main; "temp" and attached databases are read from their own
// catalog.
func (*Dialect) PreImage(ctx context.Context, conn *sql.Conn, objs []sqltext.Object) (string, error) {
	lines := make([]string, 0, len(objs))
	for _, o := range objs {
		db := o.Schema
		if db == "" {
			db = "main"
		}
		img, err := objectImage(ctx, conn, db, o)
		if err != nil {
			return "", fmt.Errorf("pre-image of %s %s.%s: %w", o.Kind, db, o.Name, err)
		}
		lines = append(lines, fmt.Sprintf("%s %s.%s: %s", o.Kind, quoteIdent(db), quoteIdent(o.Name), img))
	}
	slices.Sort(lines)
	return strings.Join(slices.Compact(lines), "\n"), nil
}

func objectImage(ctx context.Context, conn *sql.Conn, db string, o sqltext.Object) (string, error) {
	query := "SELECT type, name, tbl_name, coalesce(sql, '') FROM " + quoteIdent(db) + ".sqlite_schema WHERE "
	switch o.Kind {
	case "table":
		// The table and everything that hangs off it.
		query += "tbl_name = ? COLLATE NOCASE"
	case "index", "view", "trigger":
		query += "type = '" + o.Kind + "' AND name = ? COLLATE NOCASE"
	default:
		return "", fmt.Errorf("SQLite has no %s", o.Kind)
	}
	rows, err := conn.QueryContext(ctx, query+" ORDER BY type, name", o.Name)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var typ, name, table, text string
		if err := rows.Scan(&typ, &name, &table, &text); err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s %s on %s: %s", typ, quoteIdent(name), quoteIdent(table), text))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(parts) == 0 {
		return "absent", nil
	}
	return strings.Join(parts, "; "), nil
}
