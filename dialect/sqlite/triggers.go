package sqlite

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// RenameInObjects returns the text each trigger and view of s has once the
// plan's renames have run: tables maps old table names to new ones, columns
// maps a current table name to its column renames (lower-case old name →
// new name). Only those whose text changes are returned, by name.
//
// A migration renames in place first (ALTER TABLE … RENAME), and SQLite
// then rewrites every trigger that names the table or column. A rebuild,
// though, drops the table with its triggers and creates them again from
// the text the plan carries, which predates the renames; that text must be
// SQLite's rewrite, or the trigger is re-created naming what no longer
// exists and fails when it fires. The rewrite is SQLite's own: the schema's
// tables, views and triggers are created in a private in-memory database,
// the renames run there, and the triggers are read back.
func (d *Dialect) RenameInObjects(s *schema.Schema, tables map[string]string, columns map[string]map[string]string) (map[string]string, error) {
	var triggers []*schema.Object
	for _, t := range s.Tables {
		triggers = append(triggers, t.Triggers...)
	}
	if len(triggers) == 0 || len(tables) == 0 && len(columns) == 0 {
		return nil, nil
	}
	ctx := context.Background()
	db, _, err := Open(ctx, "sqlite://file?mode=memory")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	exec := func(stmt string) error {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", firstLine(stmt), err)
		}
		return nil
	}
	if err := exec("PRAGMA foreign_keys = off"); err != nil {
		return nil, err
	}
	// Every table is created, as a shell of its column names: SQLite
	// checks every trigger and view of the schema when it renames, and
	// what they read must exist, while types, checks and defaults (which
	// may call functions the application registers) do not matter here.
	// This runs only for plans that rename in a schema with triggers.
	for _, t := range s.Tables {
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = quoteIdent(c.Name)
		}
		if err := exec(fmt.Sprintf("CREATE TABLE %s (%s)", quoteIdent(t.Name), strings.Join(cols, ", "))); err != nil {
			return nil, err
		}
	}
	for _, o := range s.Objects {
		switch o.Kind {
		case "virtual table":
			// Best effort: a module this build lacks only matters if a
			// view or trigger reads the table, and then the rename says so.
			_ = exec(o.SQL)
		case "view":
			// SQLite resolves a view when it is used, so their order
			// does not matter.
			if err := exec(o.SQL); err != nil {
				return nil, err
			}
		}
	}
	// A view that no longer resolves (over a dropped table) makes SQLite
	// refuse every rename, here and in the database: say which.
	for _, o := range s.Objects {
		if o.Kind != "view" {
			continue
		}
		if _, err := db.ExecContext(ctx, "SELECT * FROM "+quoteIdent(o.Name)+" LIMIT 0"); err != nil {
			return nil, fmt.Errorf("view %q no longer resolves (%v), and SQLite refuses renames while it is broken; fix or drop it", o.Name, err)
		}
	}
	for _, tr := range triggers {
		if err := exec(tr.SQL); err != nil {
			return nil, err
		}
	}
	for _, old := range slices.Sorted(maps.Keys(tables)) {
		if err := exec(fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quoteIdent(old), quoteIdent(tables[old]))); err != nil {
			return nil, err
		}
	}
	for _, table := range slices.Sorted(maps.Keys(columns)) {
		name := table
		if n, ok := tables[table]; ok {
			name = n
		}
		for _, old := range slices.Sorted(maps.Keys(columns[table])) {
			to := columns[table][old]
			if isRowidName(old) || isRowidName(to) {
				continue // renamed by a rebuild's copy, not in place
			}
			if err := exec(fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", quoteIdent(name), quoteIdent(old), quoteIdent(to))); err != nil {
				return nil, err
			}
		}
	}
	before := map[string]string{}
	for _, tr := range triggers {
		before[tr.Name] = tr.SQL
	}
	for _, o := range s.Objects {
		if o.Kind == "view" {
			before[o.Name] = o.SQL
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view')")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			return nil, err
		}
		if old, ok := before[name]; ok && old != text {
			out[name] = text
		}
	}
	return out, rows.Err()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
