package executor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// TablesFormat is the layout of the executor's own tables that this build writes.
// A build reads every older format as it is, upgrades it before it writes,
// and refuses a newer one rather than misread it.
//
//   - Format 1 (no marker): the version table and the history table with
//     the columns up to operator, in the server's default engine.
//   - Format 2: format 1, plus the history column session_id, plus the
//     meta table <version table>_meta holding format = 2; every own table
//     transactional (InnoDB on MySQL).
//
// A column added by a later format must be NULLable: a binary of the
// older format keeps writing rows without it.
const TablesFormat = 2

// ErrNewerFormat is wrapped by every *FormatError.
var ErrNewerFormat = errors.New("own tables of a newer format")

// FormatError refuses a database whose own tables were written by a newer
// schemactl, whose layout this build does not know: reading them could
// misread, writing them could break the newer build.
type FormatError struct {
	Table string // the version table
	Found int    // the format the database's marker holds
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("executor: %s was written by a newer schemactl (format %d); this one knows format %d: upgrade schemactl",
		e.Table, e.Found, TablesFormat)
}

// Is makes errors.Is(err, ErrNewerFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrNewerFormat }

// formatKey is the meta table's row holding the format.
const formatKey = "format"

// ownColumn is a column of the executor's tables; since is the format that
// added it. The types are spelled the same on every engine: history ids are
// assigned by the executor under the lock instead of by AUTO_INCREMENT, and
// times are text. Statement hashes take 17 bytes a statement: MySQL's TEXT
// (64 KB) would stop a migration at its 3,856th statement, MEDIUMTEXT holds
// 16 MB.
type ownColumn struct {
	name, typ string
	null      bool
	since     int
}

var (
	versionLayout = []ownColumn{{"version_num", "VARCHAR(32)", false, 1}}
	historyLayout = []ownColumn{
		{"id", "INTEGER", false, 1},
		{"version", "VARCHAR(32)", false, 1},
		{"direction", "VARCHAR(8)", false, 1},
		{"checksum", "VARCHAR(64)", false, 1},
		{"started_at", "VARCHAR(32)", false, 1},
		{"finished_at", "VARCHAR(32)", true, 1},
		{"statements_total", "INTEGER", false, 1},
		{"statements_done", "INTEGER", false, 1},
		{"error", "TEXT", true, 1},
		{"error_statement", "INTEGER", true, 1},
		{"statement_hashes", "MEDIUMTEXT", true, 1},
		{"operator", "VARCHAR(255)", false, 1},
		{"session_id", "VARCHAR(64)", true, 2},
	}
	metaLayout = []ownColumn{{"name", "VARCHAR(64)", false, 2}, {"value", "VARCHAR(255)", false, 2}}
)

// ownTable is the model of one of the executor's tables in a format: its
// columns up to that format, keyed by the first.
func ownTable(name string, layout []ownColumn, format int) *schema.Table {
	t := &schema.Table{Name: name}
	for _, c := range layout {
		if c.since <= format {
			t.Columns = append(t.Columns, &schema.Column{Name: c.name, Type: schema.Type{Raw: c.typ}, Null: c.null})
		}
	}
	t.PrimaryKey = &schema.Index{Parts: []schema.IndexPart{{Column: layout[0].name}}}
	return t
}

// ownTables are the executor's tables as TablesFormat lays them out, in the order
// they are created.
func (e *Executor) ownTables() []*schema.Table {
	return []*schema.Table{
		ownTable(e.versionTable(), versionLayout, TablesFormat),
		ownTable(e.historyTable(), historyLayout, TablesFormat),
		ownTable(e.metaTable(), metaLayout, TablesFormat),
	}
}

// columnNames are the names of layout's columns in format.
func columnNames(layout []ownColumn, format int) []string {
	var names []string
	for _, c := range layout {
		if c.since <= format {
			names = append(names, c.name)
		}
	}
	return names
}

// format reads the format of the executor's tables on conn: the meta
// table's marker, else 1 when the version or history table exists (they
// predate the marker), else 0 (none yet). A format newer than TablesFormat is a
// *FormatError.
func (e *Executor) format(ctx context.Context, conn *sql.Conn) (int, error) {
	ok, err := e.tableExists(ctx, conn, e.metaTable())
	if err != nil {
		return 0, err
	}
	if ok {
		qi := e.Driver.QuoteIdent
		var v string
		err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s = ?", qi("value"), qi(e.metaTable()), qi("name")), formatKey).Scan(&v)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// An upgrade stopped before writing its marker, its last step.
		case err != nil:
			return 0, fmt.Errorf("executor: read %s: %w", e.metaTable(), err)
		default:
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 {
				return 0, fmt.Errorf("executor: %s: format %q is not a format number", e.metaTable(), v)
			}
			if n > TablesFormat {
				return 0, &FormatError{Table: e.versionTable(), Found: n}
			}
			return n, nil
		}
	}
	for _, name := range []string{e.versionTable(), e.historyTable()} {
		if ok, err := e.tableExists(ctx, conn, name); err != nil || ok {
			return 1, err
		}
	}
	return 0, nil
}

// tableExists asks the driver's catalog, so that reading the version of a
// database that never saw schemactl neither fails nor creates anything.
func (e *Executor) tableExists(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	ok, err := e.Driver.TableExists(ctx, conn, name)
	if err != nil {
		return false, fmt.Errorf("executor: look up table %q: %w", name, err)
	}
	return ok, nil
}

// prepareTables brings the executor's tables to TablesFormat before a run writes
// to them; it must hold the migration lock. Nothing is done when they are
// at TablesFormat already, the case of every run but the first after an upgrade
// of schemactl.
func (e *Executor) prepareTables(ctx context.Context, conn *sql.Conn) error {
	f, err := e.format(ctx, conn)
	if err != nil || f == TablesFormat {
		return err
	}
	// The upgrade runs as a migration: on SQLite in one IMMEDIATE
	// transaction, which also keeps two runs (which take no other lock)
	// from upgrading at once; on MySQL each step commits by itself under
	// the migration lock, and is skipped when a run that died after it
	// is followed by another.
	if err := e.Driver.BeginMigration(ctx, conn); err != nil {
		if isLockTimeout(err) {
			return e.lockError(err)
		}
		return fmt.Errorf("executor: upgrade own tables: %w", err)
	}
	err = e.upgrade(ctx, conn)
	if eerr := e.Driver.EndMigration(context.WithoutCancel(ctx), conn, err == nil); eerr != nil && err == nil {
		err = fmt.Errorf("executor: upgrade own tables: %w", eerr)
	}
	return err
}

// upgrade creates the tables that are missing and brings those that exist
// to TablesFormat, writing the marker last. Every step looks before it acts, so
// that re-running it after a crash is safe.
func (e *Executor) upgrade(ctx context.Context, conn *sql.Conn) error {
	// Read again now that this run is alone: another may have finished
	// the upgrade while this one waited.
	if f, err := e.format(ctx, conn); err != nil || f == TablesFormat {
		return err
	}
	for _, t := range e.ownTables() {
		ok, err := e.tableExists(ctx, conn, t.Name)
		if err != nil {
			return err
		}
		if !ok {
			if err := e.ownDDL(ctx, conn, &schema.AddTable{T: t}); err != nil {
				return err
			}
			continue
		}
		fixes, err := e.Driver.OwnTableFixes(ctx, conn, t.Name)
		if err != nil {
			return fmt.Errorf("executor: upgrade %s: %w", t.Name, err)
		}
		if err := e.execOwn(ctx, conn, fixes); err != nil {
			return err
		}
		if err := e.addMissingColumns(ctx, conn, t); err != nil {
			return err
		}
	}
	return e.writeFormat(ctx, conn)
}

// addMissingColumns adds the columns of want that the live table lacks,
// found by reading its result columns, which every engine reports alike.
func (e *Executor) addMissingColumns(ctx context.Context, conn *sql.Conn, want *schema.Table) error {
	rows, err := conn.QueryContext(ctx, "SELECT * FROM "+e.Driver.QuoteIdent(want.Name)+" WHERE 1 = 0")
	if err != nil {
		return fmt.Errorf("executor: read the columns of %s: %w", want.Name, err)
	}
	names, err := rows.Columns()
	rows.Close()
	if err != nil {
		return fmt.Errorf("executor: read the columns of %s: %w", want.Name, err)
	}
	have := map[string]bool{}
	for _, n := range names {
		have[strings.ToLower(n)] = true
	}
	from := *want
	from.Columns = nil
	var adds []schema.Change
	for _, c := range want.Columns {
		if have[strings.ToLower(c.Name)] {
			from.Columns = append(from.Columns, c)
		} else {
			adds = append(adds, &schema.AddColumn{C: c})
		}
	}
	if len(adds) == 0 {
		return nil
	}
	return e.ownDDL(ctx, conn, &schema.ModifyTable{From: &from, To: want, Changes: adds})
}

// ownDDL runs the driver's spelling of a change to an own table.
func (e *Executor) ownDDL(ctx context.Context, conn *sql.Conn, c schema.Change) error {
	stmts, err := e.Driver.OwnTableDDL(c)
	if err != nil {
		return fmt.Errorf("executor: upgrade own tables: %w", err)
	}
	return e.execOwn(ctx, conn, stmts)
}

func (e *Executor) execOwn(ctx context.Context, conn *sql.Conn, stmts []string) error {
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			if b, ok := e.Driver.(busyReporter); ok && b.IsBusy(err) {
				// The first write of a run waits for another run's lock.
				return fmt.Errorf("executor: %w (waited %s): upgrade own tables: %w", ErrLocked, e.lockTimeout(), err)
			}
			return fmt.Errorf("executor: upgrade own tables: %s: %w", s, err)
		}
	}
	return nil
}

// writeFormat records TablesFormat in the meta table. Under the lock (or in the
// upgrade's transaction) nothing writes the row meanwhile, so looking
// before writing is exact.
func (e *Executor) writeFormat(ctx context.Context, conn *sql.Conn) error {
	qi := e.Driver.QuoteIdent
	mt := qi(e.metaTable())
	var n int
	if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s WHERE %s = ?", mt, qi("name")), formatKey).Scan(&n); err != nil {
		return fmt.Errorf("executor: write format: %w", err)
	}
	query := fmt.Sprintf("INSERT INTO %s (%s, %s) VALUES (?, ?)", mt, qi("value"), qi("name"))
	if n > 0 {
		query = fmt.Sprintf("UPDATE %s SET %s = ? WHERE %s = ?", mt, qi("value"), qi("name"))
	}
	if _, err := conn.ExecContext(ctx, query, strconv.Itoa(TablesFormat), formatKey); err != nil {
		return fmt.Errorf("executor: write format: %w", err)
	}
	return nil
}
