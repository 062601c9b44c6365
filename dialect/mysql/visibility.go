package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	driver "github.com/go-sql-driver/mysql"
)

// The server lists in information_schema only what the user may see, and
// silently: on MariaDB 10.11 a user with SELECT on the database alone sees
// no REFERENTIAL_CONSTRAINTS (so no foreign keys, while KEY_COLUMN_USAGE
// still lists their columns), one with privileges on single tables sees
// no checks either, and one with privileges on some columns sees only
// those columns and their keys. A plan from such a catalog would add
// again what exists. Inspect therefore notes where the catalog may be
// incomplete, asks SHOW CREATE TABLE about those tables only (so that a
// user with ordinary privileges costs no query more), and refuses when the
// two disagree.

// suspect records why the catalog of a table may be incomplete.
func (in *inspection) suspect(table, why string) {
	if in.suspects == nil {
		in.suspects = map[string]string{}
	}
	if _, ok := in.suspects[table]; !ok {
		in.suspects[table] = why
	}
}

// privilegeRow is a row of kind 2 of the tables query: a table the user
// holds privileges on by table or by column, not by database.
func (in *inspection) privilegeRow(name string) {
	if _, ok := in.tables[name]; ok {
		in.suspect(name, "privileges granted on the table or its columns")
	}
}

// visibleCounts is what information_schema showed of one table.
type visibleCounts struct{ columns, indexes, foreignKeys, checks int }

// createCounts counts the definitions of SHOW CREATE TABLE output: one
// per line inside the parentheses, as the server writes them.
func createCounts(create string) visibleCounts {
	var n visibleCounts
	for _, line := range strings.Split(create, "\n") {
		switch {
		case !strings.HasPrefix(line, "  "):
		case strings.HasPrefix(line, "  `"):
			n.columns++
		case strings.HasPrefix(line, "  PRIMARY KEY"), strings.HasPrefix(line, "  UNIQUE KEY"), strings.HasPrefix(line, "  KEY"),
			strings.HasPrefix(line, "  FULLTEXT KEY"), strings.HasPrefix(line, "  SPATIAL KEY"), strings.HasPrefix(line, "  VECTOR KEY"):
			n.indexes++
		case strings.HasPrefix(line, "  CONSTRAINT") && strings.Contains(line, " FOREIGN KEY ("):
			n.foreignKeys++
		case strings.HasPrefix(line, "  CONSTRAINT") && strings.Contains(line, " CHECK ("):
			n.checks++
		}
	}
	return n
}

func (it *inspectedTable) counts() visibleCounts {
	n := visibleCounts{columns: len(it.t.Columns), indexes: len(it.t.Indexes), foreignKeys: len(it.fkByName), checks: len(it.checks)}
	if it.t.PrimaryKey != nil {
		n.indexes++
	}
	return n
}

// crossCheck compares the suspect tables with SHOW CREATE TABLE and
// reports what the catalog hides, with the grant that shows it.
func (in *inspection) crossCheck(ctx context.Context, q Querier) error {
	names := make([]string, 0, len(in.suspects))
	for name := range in.suspects {
		names = append(names, name)
	}
	sort.Strings(names)
	var problems []string
	for _, name := range names {
		it := in.tables[name]
		create, err := createStatement(ctx, q, name)
		var me *driver.MySQLError
		switch {
		case errors.As(err, &me) && me.Number == 1142:
			problems = append(problems, fmt.Sprintf("table %q: SHOW CREATE TABLE is denied (%s), so its definition cannot be read in full", name, in.suspects[name]))
			continue
		case err != nil:
			return fmt.Errorf("cross-check table %q: %w", name, err)
		}
		if p := hidden(it.counts(), createCounts(create)); p != "" {
			problems = append(problems, fmt.Sprintf("table %q: %s", name, p))
		}
		if len(problems) >= 5 {
			break
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &IncompleteCatalogError{Database: in.db, Problems: problems}
}

// hidden says what the catalog showed less of than SHOW CREATE TABLE.
// Checks are compared with the table's CONSTRAINT … CHECK lines only:
// a column's check is written inside its column's line.
func hidden(seen, all visibleCounts) string {
	var parts []string
	add := func(what string, seen, all int, less bool) {
		if seen < all && (less || seen != all) {
			parts = append(parts, fmt.Sprintf("%d of its %d %s", seen, all, what))
		}
	}
	add("columns", seen.columns, all.columns, false)
	add("indexes", seen.indexes, all.indexes, false)
	add("foreign keys", seen.foreignKeys, all.foreignKeys, false)
	add("checks", seen.checks, all.checks, true)
	if len(parts) == 0 {
		return ""
	}
	return "information_schema shows " + strings.Join(parts, ", ") + " (SHOW CREATE TABLE)"
}

func createStatement(ctx context.Context, q Querier, table string) (string, error) {
	rows, err := q.QueryContext(ctx, "SHOW CREATE TABLE "+quoteIdent(table))
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var name, create sql.NullString
	if rows.Next() {
		if err := rows.Scan(&name, &create); err != nil {
			return "", err
		}
	}
	return create.String, rows.Err()
}

// IncompleteCatalogError refuses a catalog that hides part of the schema
// from the user: a plan from it would add again what exists.
type IncompleteCatalogError struct {
	Database string
	Problems []string
}

func (e *IncompleteCatalogError) Error() string {
	return fmt.Sprintf("information_schema hides part of database %q from this user:\n  %s\n"+
		"MariaDB lists foreign keys, checks and columns in information_schema only to users with enough privileges; "+
		"grant SELECT and SHOW VIEW on the whole database (GRANT SELECT, SHOW VIEW ON %s.* TO <user>), then run the command again",
		e.Database, strings.Join(e.Problems, "\n  "), quoteIdent(e.Database))
}
