package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	driver "github.com/go-sql-driver/mysql"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// PreImage returns a canonical text of the catalog state of objs: the
// server's own SHOW CREATE text of each (absent objects as "absent"), one
// line per object (newlines and backslashes in the text escaped, so that
// PostImage can read it back), sorted. It is equal before and after a statement iff
// the statement did not change those objects, which tells whether an
// interrupted DDL took effect. A table's AUTO_INCREMENT counter is left
// out: rows inserted meanwhile move it without any DDL. An index is its
// table's text, where its definition is. Read on one connection, the text
// is stable: SHOW CREATE depends only on session settings (sql_mode's
// ANSI_QUOTES, sql_quote_show_create), which a migration's session keeps.
func (*Dialect) PreImage(ctx context.Context, conn *sql.Conn, objs []sqltext.Object) (string, error) {
	var current string
	lines := make([]string, 0, len(objs))
	for _, o := range objs {
		db := o.Schema
		if db == "" {
			if current == "" {
				var cur sql.NullString
				if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&cur); err != nil {
					return "", fmt.Errorf("pre-image: read current database: %w", err)
				}
				if !cur.Valid {
					return "", errors.New("pre-image: no current database")
				}
				current = cur.String
			}
			db = current
		}
		img, err := objectImage(ctx, conn, db, o)
		if err != nil {
			return "", fmt.Errorf("pre-image of %s %s.%s: %w", o.Kind, db, o.Name, err)
		}
		lines = append(lines, imageLine(o.Kind, db, o.Name, img))
	}
	slices.Sort(lines)
	return strings.Join(slices.Compact(lines), "\n"), nil
}

// autoIncrementOption is the counter in SHOW CREATE TABLE's table options.
var autoIncrementOption = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

// objectImage is the SHOW CREATE text of one object, with what may change
// without DDL left out.
func objectImage(ctx context.Context, conn *sql.Conn, db string, o sqltext.Object) (string, error) {
	q := quoteIdent(db) + "." + quoteIdent(o.Name)
	switch o.Kind {
	case "table", "index":
		table := q
		if o.Kind == "index" {
			if o.Table == "" {
				return "", errors.New("an index needs its table")
			}
			table = quoteIdent(db) + "." + quoteIdent(o.Table)
		}
		// Column 2 is "Create Table", or "Create View" for a view.
		text, err := showCreate(ctx, conn, "SHOW CREATE TABLE "+table, 1)
		return autoIncrementOption.ReplaceAllString(text, ""), err
	case "view":
		return showCreate(ctx, conn, "SHOW CREATE VIEW "+q, 1, 2, 3)
	case "trigger":
		// sql_mode, SQL Original Statement; not Created, a timestamp.
		return showCreate(ctx, conn, "SHOW CREATE TRIGGER "+q, 1, 2)
	case "procedure", "function":
		return showCreate(ctx, conn, "SHOW CREATE "+strings.ToUpper(o.Kind)+" "+q, 1, 2)
	case "event":
		return showCreate(ctx, conn, "SHOW CREATE EVENT "+q, 1, 2, 3)
	case "database":
		return showCreate(ctx, conn, "SHOW CREATE DATABASE "+quoteIdent(o.Name), 1)
	}
	return "", fmt.Errorf("unknown object kind %q", o.Kind)
}

// showCreate runs a SHOW CREATE statement and joins the columns given by
// index; an object that does not exist is "absent".
func showCreate(ctx context.Context, conn *sql.Conn, query string, cols ...int) (string, error) {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		if absent(err) {
			return "absent", nil
		}
		return "", err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return "", err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			if absent(err) {
				return "absent", nil
			}
			return "", err
		}
		return "absent", nil
	}
	vals := make([]sql.NullString, len(names))
	dest := make([]any, len(names))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return "", err
	}
	parts := make([]string, 0, len(cols))
	for _, c := range cols {
		if c >= len(vals) {
			return "", fmt.Errorf("%s returned %d columns", query, len(vals))
		}
		parts = append(parts, vals[c].String)
	}
	return strings.Join(parts, " | "), rows.Err()
}

// absent reports whether err says the object does not exist: 1049 unknown
// database, 1146 no such table or view, 1305 no such routine, 1360 no such
// trigger, 1539 no such event.
func absent(err error) bool {
	var me *driver.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	switch me.Number {
	case 1049, 1146, 1305, 1360, 1539:
		return true
	}
	return false
}

// imageLine is one object's line of a pre-image.
func imageLine(kind, db, name, img string) string {
	img = strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(img)
	return fmt.Sprintf("%s %s.%s: %s", kind, quoteIdent(db), quoteIdent(name), img)
}
