package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	driver "github.com/go-sql-driver/mysql"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// DefaultOnlineTool is the program OnlineTool runs when its Path is empty.
const DefaultOnlineTool = "pt-online-schema-change"

// OnlineTool runs ALTER TABLE statements through Percona's
// pt-online-schema-change, which copies the table into an altered copy in
// chunks while triggers carry the writes made meanwhile over, then swaps
// the two by RENAME TABLE: writers wait for the swap and for one short
// chunk of the copy at a time (--chunk-time), not for the whole copy. It
// implements executor.OnlineAlterer.
//
// The tool's own ways of failing quietly are closed here, not inherited:
//   - it copies with INSERT IGNORE, so a change that a row can fail
//     (narrowing, NOT NULL, a foreign key, a CHECK: whatever the preflight
//     checks) would clip or drop the row where a plain ALTER fails: the
//     preflight checks the rows before the migration, the triggers run in
//     the migration's strict sql_mode (a write the new table refuses fails
//     in its session), and after the swap the same checks run on the
//     table as it was, which is kept until they pass; a new unique key is
//     refused by the tool itself (its REPLACE would delete rows);
//   - it renames foreign keys (a leading underscore, on the table and on
//     the tables that refer to it) and with them their indexes: the names
//     are put back, and the result must be exactly what a plain ALTER
//     makes, or the statement is reported as not what it should be;
//   - a killed run leaves its triggers and the copy: ResolveOnline removes
//     them before it decides whether the statement took effect;
//   - the password goes in a 0600 option file, never on its command line;
//   - the run's connection, which holds the migration lock, is kept alive
//     while the tool works.
type OnlineTool struct {
	d   *Dialect
	cfg *driver.Config
	// Path is the program to run; "" is DefaultOnlineTool on $PATH.
	Path string
}

// NewOnlineTool returns the tool for the database rawURL names, which d
// was opened on.
func NewOnlineTool(rawURL string, d *Dialect) (*OnlineTool, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	cfg, err := config(u)
	if err != nil {
		return nil, err
	}
	return &OnlineTool{d: d, cfg: cfg}, nil
}

// OnlineError is a statement the tool refused or failed, with the table
// as it was before it: it did not take effect.
type OnlineError struct {
	Table string
	Why   string
	// Output is the end of the tool's output, when it ran.
	Output string
}

func (e *OnlineError) Error() string {
	msg := fmt.Sprintf("online change of %s: %s", quoteIdent(e.Table), e.Why)
	if e.Output != "" {
		msg += "\n\tpt-online-schema-change said:\n\t" + strings.ReplaceAll(strings.TrimSpace(e.Output), "\n", "\n\t")
	}
	return msg
}

// onlineAlter is an ALTER TABLE read for the tool.
type onlineAlter struct {
	db, table string
	// clauses is the statement after the table name: the tool's --alter.
	clauses string
}

// parseOnline reads stmt as ALTER TABLE name clauses. ok is false when it
// is something else, which runs as it is; an error says why an ALTER
// TABLE cannot go through the tool.
func (t *OnlineTool) parseOnline(ctx context.Context, conn *sql.Conn, stmt string) (*onlineAlter, bool, error) {
	a, schemaName, ok, err := readOnline(stmt)
	if err != nil || !ok {
		return nil, false, err
	}
	var cur sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&cur); err != nil {
		return nil, false, fmt.Errorf("read current database: %w", err)
	}
	a.db = cur.String
	if schemaName != "" && schemaName != a.db || !cur.Valid {
		return nil, false, &OnlineError{Table: a.table, Why: "the online path changes tables of the migration's own database, named without it"}
	}
	if strings.ContainsAny(a.db+a.table, ",=") {
		return nil, false, &OnlineError{Table: a.table, Why: "pt-online-schema-change cannot name a table or database with a comma or an equals sign"}
	}
	return a, true, nil
}

// readOnline is what parseOnline reads from the text alone: the table, the
// clauses, and the database the statement names ("" for none).
func readOnline(stmt string) (a *onlineAlter, schemaName string, ok bool, err error) {
	toks, _ := lexText(stmt)
	for _, tok := range toks {
		if tok.Kind == sqltext.Executable {
			return nil, "", false, nil
		}
	}
	c := sqltext.NewCursor(code(stmt))
	if c.Word() != "ALTER" {
		return nil, "", false, nil
	}
	ignore := false
	for {
		w := c.Accept("ONLINE", "IGNORE")
		if w == "" {
			break
		}
		ignore = ignore || w == "IGNORE"
	}
	if c.Accept("TABLE") == "" {
		return nil, "", false, nil
	}
	o, clauses, ok := alterTable(c)
	if !ok {
		return nil, "", false, nil
	}
	for _, cl := range clauses {
		if w := strings.ToUpper(cl[0].Value); w == "ALGORITHM" || w == "LOCK" {
			// The file chose how the server does it, wherever the clause
			// stands: a plain statement, with nothing to refuse.
			return nil, "", false, nil
		}
	}
	if ignore {
		return nil, "", false, &OnlineError{Table: o.Name, Why: "ALTER IGNORE deletes rows; the online path refuses it (run it without -- schemactl:online)"}
	}
	for _, cl := range clauses {
		switch w := strings.ToUpper(cl[0].Value); {
		case w == "RENAME" && (len(cl) == 1 || !oneOf(strings.ToUpper(cl[1].Value), "COLUMN", "INDEX", "KEY")):
			return nil, "", false, &OnlineError{Table: o.Name, Why: "it renames the table, which pt-online-schema-change cannot do; run the rename without -- schemactl:online"}
		case oneOf(w, "ADD", "MODIFY", "CHANGE") && addsUniqueKey(cl):
			// The tool's INSERT IGNORE copy would drop the duplicates the
			// plain statement fails on. The tool refuses what it spots
			// itself, but only once the migration runs (its earlier
			// statements done), and not a column declared UNIQUE.
			return nil, "", false, &OnlineError{Table: o.Name, Why: "it adds a unique or primary key, which pt-online-schema-change's copy would enforce by dropping duplicate rows; run it without -- schemactl:online (on InnoDB, ADD UNIQUE INDEX runs INPLACE with writes going on)"}
		}
	}
	return &onlineAlter{table: o.Name, clauses: strings.TrimSpace(stmt[clauses[0][0].Pos:])}, o.Schema, true, nil
}

// OnlineRefusal is why the online path refuses stmt whatever the
// database holds, read from its text alone: for lint, which has no live
// database to ask. "" when the text alone does not refuse it.
func (*Dialect) OnlineRefusal(stmt string) string {
	_, _, _, err := readOnline(stmt)
	var oe *OnlineError
	if errors.As(err, &oe) {
		return oe.Why
	}
	return ""
}

// addsUniqueKey reports whether an ADD, MODIFY or CHANGE clause declares
// a unique or primary key: the words UNIQUE or PRIMARY, unquoted.
func addsUniqueKey(clause []sqltext.Token) bool {
	for _, tok := range clause {
		if tok.Kind == sqltext.Word && oneOf(strings.ToUpper(tok.Value), "UNIQUE", "PRIMARY") {
			return true
		}
	}
	return false
}

func oneOf(s string, words ...string) bool {
	for _, w := range words {
		if s == w {
			return true
		}
	}
	return false
}

// OnlineCheck says whether stmt, about to run on conn, goes through the
// tool. It does not when stmt is not an ALTER TABLE, names its own
// ALGORITHM or LOCK, or, with trial, is one the server does INSTANT (tried
// on an empty copy of the table in a throwaway database): why then says
// so, "" for a statement that is not an ALTER TABLE. Without trial
// nothing is created (a dry run, a check ahead of the run), and a change
// the server may do INSTANT is reported as going through the tool. An error refuses it, and nothing
// ran: the change has a data condition the tool would break silently, the
// table has no key the tool's triggers need, or the tool cannot run.
// Whether the rows allow the change is the preflight's to check before
// the migration; clipped checks again after the copy.
func (t *OnlineTool) OnlineCheck(ctx context.Context, conn *sql.Conn, stmt string, trial bool) (online bool, why string, err error) {
	a, ok, err := t.parseOnline(ctx, conn, stmt)
	if err != nil || !ok {
		if err == nil && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(stmt)), "ALTER") {
			why = "it names its own ALGORITHM or LOCK, or is not a plain ALTER TABLE"
		}
		return false, why, err
	}
	refuse := func(format string, args ...any) (bool, string, error) {
		return false, "", &OnlineError{Table: a.table, Why: fmt.Sprintf(format, args...)}
	}
	pre, err := t.d.PreImage(ctx, conn, []sqltext.Object{{Kind: "table", Name: a.table}})
	if err != nil {
		return false, "", err
	}
	if strings.HasSuffix(pre, ": absent") {
		return false, "the table does not exist yet", nil
	}
	if trial {
		if instant, err := t.instant(ctx, conn, a, pre); err != nil {
			return false, "", err
		} else if instant {
			return false, "the server does it INSTANT", nil
		}
	}
	var keyed int
	err = conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.STATISTICS s
		WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0`, a.db, a.table).Scan(&keyed)
	if err != nil {
		return false, "", fmt.Errorf("read the keys of %s: %w", quoteIdent(a.table), err)
	}
	if keyed == 0 {
		return refuse("the table has no primary or unique key, which pt-online-schema-change's triggers need")
	}
	if own, err := ownTriggers(ctx, conn, a); err != nil {
		return false, "", err
	} else if len(own) > 0 {
		// Without --preserve-triggers the tool refuses such a table once
		// the migration runs; with it, it recreates them on the copy,
		// which schemactl does not check against the catalog yet.
		return refuse("the table has triggers of its own (%s), which the online path does not carry over yet; run it without -- schemactl:online", strings.Join(own, ", "))
	}
	if t.cfg.TLS != nil || t.cfg.TLSConfig != "" && t.cfg.TLSConfig != "false" {
		return refuse("the URL asks for TLS, whose settings are not passed to pt-online-schema-change yet")
	}
	if _, err := exec.LookPath(t.path()); err != nil {
		return refuse("%s is not installed (Debian: apt-get install percona-toolkit): %v", t.path(), err)
	}
	return true, "", nil
}

func (t *OnlineTool) path() string {
	if t.Path != "" {
		return t.Path
	}
	return DefaultOnlineTool
}

// clipped runs, on the table as it was before stmt (kept as old by the
// tool), the checks the preflight runs for stmt: rows the plain statement
// fails on, which the tool's INSERT IGNORE copy dropped or changed
// instead. Rows written after the tool made its triggers need no check:
// the triggers run in the migration's strict sql_mode, so such a write
// failed in its own session, as it would after a plain ALTER.
func (t *OnlineTool) clipped(ctx context.Context, conn *sql.Conn, stmt, table, old string) ([]string, error) {
	w := &walker{ctx: ctx, conn: conn, tables: map[string]*tableState{}}
	w.tables[key("", table)] = &tableState{kind: live, name: old}
	w.stmt = stmt
	if _, err := w.statement(stmt); err != nil {
		return nil, fmt.Errorf("read what the change needs of the rows: %w", err)
	}
	var out []string
	for _, c := range w.checks {
		if c.warning {
			continue // rounding, which the plain statement does too
		}
		f, err := t.d.run(ctx, conn, c, 0)
		if err != nil {
			return nil, err
		}
		if f != nil {
			out = append(out, f.Problem)
		}
	}
	return out, nil
}

// instant reports whether the server does a's change INSTANT, by running
// it with ALGORITHM=INSTANT on an empty copy of the table.
func (t *OnlineTool) instant(ctx context.Context, conn *sql.Conn, a *onlineAlter, pre string) (bool, error) {
	stmt := fmt.Sprintf("ALTER TABLE %s %s, ALGORITHM=INSTANT", quoteIdent(a.table), a.clauses)
	_, ok, err := t.d.PostImage(ctx, conn, []sqltext.Object{{Kind: "table", Name: a.table}}, pre, stmt)
	return ok, err
}

// ownTriggers names the triggers on a's table that are not the tool's
// (those a killed run left are removed before the statement runs again).
func ownTriggers(ctx context.Context, conn *sql.Conn, a *onlineAlter) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
		WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME NOT LIKE 'pt\\_osc\\_%'
		ORDER BY TRIGGER_NAME`, a.db, a.table)
	if err != nil {
		return nil, fmt.Errorf("read the triggers of %s: %w", quoteIdent(a.table), err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, quoteIdent(name))
	}
	return out, rows.Err()
}
