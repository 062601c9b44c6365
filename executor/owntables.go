package executor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// TablesFormat is the layout of the executor's own tables that this build writes.
// A build reads every older format as it is, upgrades it before it writes,
// and refuses a newer one rather than misread it.
//
//   - Format 1 (no marker): the version table and the history table with
//     the columns up to operator, in the server's default engine.
//   - Format 2: format 1, plus the history column session_id, plus the
//     marker; every own table transactional (InnoDB on MySQL).
//   - Format 3: format 2, plus the history columns next_statement,
//     next_kind and next_image: what a run knew of the statement it had
//     started when it last wrote its row, which decides whether a run
//     that died during it may run it again (see doubt.go); and the column
//     pins, what an applied migration is pinned to (pin.go), with rows
//     of direction "accept".
//   - Format 4: format 3, plus the lease row (id -1, direction "lease") a
//     run on a Galera cluster takes as its migration lock instead of
//     GET_LOCK, which is node-local there. Nothing else changes, but a
//     format-3 binary would lock with GET_LOCK beside a run holding the
//     lease and both would migrate: it must refuse the database.
//
// The marker is a row of the history table (id 0, direction "format",
// version the format number), not a table of its own: a binary of format
// 1 reads the history by the columns it knows and takes the row with the
// highest id as the last run, so it keeps working on an upgraded database,
// where a new table would have shown up in its plans as the user's and
// made its apply report drift. For the same reason a column added by a
// later format must be NULLable: an older binary keeps writing rows
// without it.
const TablesFormat = 4

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
	return fmt.Sprintf("%s was written by a newer schemactl (format %d); this one knows format %d: upgrade schemactl",
		e.Table, e.Found, TablesFormat)
}

// Is makes errors.Is(err, ErrNewerFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrNewerFormat }

// markerDirection is the direction of the history row that holds the
// format; the row's id is markerID, which no run gets (they count from 1).
const (
	markerDirection = "format"
	markerID        = 0
)

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
		{"next_statement", "INTEGER", true, 3},
		{"next_kind", "VARCHAR(16)", true, 3},
		{"next_image", "MEDIUMTEXT", true, 3},
		{"pins", "MEDIUMTEXT", true, 3},
	}
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

// format reads the format of the executor's tables on conn: the marker's,
// else 1 when the version or history table exists (they predate the
// marker), else 0 (none yet). A format newer than TablesFormat is a
// *FormatError.
func (e *Executor) format(ctx context.Context, conn *sql.Conn) (int, error) {
	ok, err := e.tableExists(ctx, conn, e.historyTable())
	if err != nil {
		return 0, err
	}
	if ok {
		v, found, err := e.readMarker(ctx, conn)
		if err != nil {
			return 0, err
		}
		if found {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 {
				return 0, fmt.Errorf("%s: format %q is not a format number", e.historyTable(), v)
			}
			if n > TablesFormat {
				return 0, &FormatError{Table: e.versionTable(), Found: n}
			}
			return n, nil
		}
		// Format 1, or an upgrade that stopped before its last step,
		// the marker.
		return 1, nil
	}
	if ok, err := e.tableExists(ctx, conn, e.versionTable()); err != nil || ok {
		return 1, err
	}
	return 0, nil
}

// readMarker reads the format the marker row holds, if there is one.
func (e *Executor) readMarker(ctx context.Context, conn *sql.Conn) (string, bool, error) {
	qi := e.Driver.QuoteIdent
	var v string
	err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s = ? AND %s = ?",
		qi("version"), qi(e.historyTable()), qi("id"), qi("direction")), markerID, markerDirection).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("read the format of %s: %w", e.historyTable(), err)
	}
	return v, true, nil
}

// tableExists asks the driver's catalog, so that reading the version of a
// database that never saw schemactl neither fails nor creates anything.
func (e *Executor) tableExists(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	ok, err := e.Driver.TableExists(ctx, conn, name)
	if err != nil {
		return false, fmt.Errorf("look up table %q: %w", name, err)
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
	h, err := e.Driver.BeginMigration(ctx, conn)
	if err != nil {
		if isLockTimeout(err) {
			return e.lockError(err)
		}
		return fmt.Errorf("upgrade own tables: %w", err)
	}
	err = e.upgrade(ctx, conn)
	if eerr := h.End(context.WithoutCancel(ctx), err == nil); eerr != nil && err == nil {
		err = fmt.Errorf("upgrade own tables: %w", eerr)
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
			return fmt.Errorf("upgrade %s: %w", t.Name, err)
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
		return fmt.Errorf("read the columns of %s: %w", want.Name, err)
	}
	names, err := rows.Columns()
	rows.Close()
	if err != nil {
		return fmt.Errorf("read the columns of %s: %w", want.Name, err)
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
		return fmt.Errorf("upgrade own tables: %w", err)
	}
	return e.execOwn(ctx, conn, stmts)
}

func (e *Executor) execOwn(ctx context.Context, conn *sql.Conn, stmts []string) error {
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			if b, ok := e.Driver.(BusyReporter); ok && b.IsBusy(err) {
				// The first write of a run waits for another run's lock.
				return fmt.Errorf("%w (waited %s): upgrade own tables: %w", ErrLocked, e.lockTimeout(), err)
			}
			return fmt.Errorf("upgrade own tables: %s: %w", s, err)
		}
	}
	return nil
}

// writeFormat records TablesFormat in the marker row. Under the lock (or
// in the upgrade's transaction) nothing writes the row meanwhile, so
// looking before writing is exact. The row reads, to a binary that does
// not know it, as a finished run of nothing at base.
func (e *Executor) writeFormat(ctx context.Context, conn *sql.Conn) error {
	_, found, err := e.readMarker(ctx, conn)
	if err != nil {
		return err
	}
	qi := e.Driver.QuoteIdent
	ht := qi(e.historyTable())
	format := strconv.Itoa(TablesFormat)
	if found {
		_, err = conn.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s = ? WHERE %s = ? AND %s = ?", ht, qi("version"), qi("id"), qi("direction")),
			format, markerID, markerDirection)
	} else {
		now := time.Now().UTC().Format(timeLayout)
		_, err = conn.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s, %s, %s, %s, %s, %s, %s, %s, %s) VALUES (?, ?, ?, '', ?, ?, 0, 0, ?)", ht,
			qi("id"), qi("version"), qi("direction"), qi("checksum"), qi("started_at"), qi("finished_at"), qi("statements_total"), qi("statements_done"), qi("operator")),
			markerID, format, markerDirection, now, now, operator())
	}
	if err != nil {
		return fmt.Errorf("write the format of %s: %w", e.historyTable(), err)
	}
	return nil
}
