package executor

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/schemactl/schemactl/schema"
)

// DefaultVersionTable is the version table's name when Executor.VersionTable
// is empty.
const DefaultVersionTable = "schemactl_version"

// Record is one row of the history table: one attempt to run a migration in
// one direction, or one stamp.
type Record struct {
	ID         int64
	Version    string // the migration run, or the version stamped ("" = base)
	Direction  Direction
	Checksum   string // the migration file's checksum when it ran
	StartedAt  time.Time
	FinishedAt time.Time // zero while running, or when the process died
	Total      int       // statements in the section
	Done       int       // statements that ran and stayed
	Error      string
	// ErrorStatement is the 1-based statement that failed; 0 when none did
	// or the failure came after the statements (the commit).
	ErrorStatement int
	Operator       string // user@host
	// Session is the engine's session that ran the attempt (MySQL: its
	// connection id), as the driver's Session reports it; "" in rows
	// written before format 2, or by an older schemactl.
	Session string
	// StatementHashes identify the statements that ran, in order (engines
	// without transactional DDL), so a resumed run can tell if one changed.
	StatementHashes []string
	// Pins is what an up run or an acceptance pins the migration to
	// (format 3): the hashes of the file's statements, both sections (see
	// pinsOf); "" in other rows and in older ones.
	Pins string
	// Next is what the run knew of statement Next.Statement, the one it
	// started after its last write of the row (format 3; zero before).
	Next Intent
	// planned are the hashes of every statement of the section, as the
	// row was written when the attempt started.
	planned []string
}

// Succeeded reports whether the attempt finished without error.
func (r *Record) Succeeded() bool { return !r.FinishedAt.IsZero() && r.Error == "" }

// partial reports whether the attempt stopped half way and left statements
// applied, or may have (inDoubt), so that only finishing it is safe.
func (r *Record) partial() bool {
	return r != nil && r.Direction != Stamp && !r.Succeeded() && (r.Done > 0 || r.inDoubt())
}

// inDoubt reports whether statement Done+1 may have taken effect although
// the row does not say it ran: the run died without finishing its row (a
// killed client's statement still runs to its end on the server), or it
// recorded a failure that does not say whether the statement took effect
// (its connection was lost, the statement was interrupted). Only a run
// holding the lock may decide it, once the dead run's session is over.
func (r *Record) inDoubt() bool {
	if r == nil || r.Direction == Stamp || r.Succeeded() || r.Done >= r.Total {
		return false
	}
	return r.FinishedAt.IsZero() || r.Next.Statement == r.Done+1
}

// timeLayout stores times as sortable UTC text, the same on every engine.
const timeLayout = "2006-01-02 15:04:05.000000"

// maxErrorLen keeps an error message within a TEXT column on every engine.
const maxErrorLen = 4000

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (e *Executor) versionTable() string {
	if e.VersionTable == "" {
		return DefaultVersionTable
	}
	return e.VersionTable
}

func (e *Executor) historyTable() string { return e.versionTable() + "_history" }

// Tables names the tables the executor owns, which inspection must leave out.
func (e *Executor) Tables() []string {
	return []string{e.versionTable(), e.historyTable()}
}

// WithoutOwnTables drops the executor's tables from every schema of r, in
// place, and returns r: they are not part of the user's schema, so plans
// and inspect leave them out.
func (e *Executor) WithoutOwnTables(r *schema.Realm) *schema.Realm {
	own := map[string]bool{}
	for _, n := range e.Tables() {
		own[n] = true
	}
	for _, s := range r.Schemas {
		kept := s.Tables[:0:0]
		for _, t := range s.Tables {
			if !own[t.Name] {
				kept = append(kept, t)
			}
		}
		s.Tables = kept
	}
	return r
}

// readVersion reads the version table, which must exist.
func (e *Executor) readVersion(ctx context.Context, q querier) (string, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s", e.Driver.QuoteIdent("version_num"), e.Driver.QuoteIdent(e.versionTable())))
	if err != nil {
		return "", fmt.Errorf("read version: %w", err)
	}
	defer rows.Close()
	var versions []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return "", fmt.Errorf("read version: %w", err)
		}
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("read version: %w", err)
	}
	switch len(versions) {
	case 0:
		return "", nil
	case 1:
		return versions[0], nil
	}
	return "", fmt.Errorf("version table %s holds %d rows (%s); it must hold at most one", e.versionTable(), len(versions), strings.Join(versions, ", "))
}

// writeVersion sets the version table to v ("" = base, no row).
func (e *Executor) writeVersion(ctx context.Context, q querier, v string) error {
	vt := e.Driver.QuoteIdent(e.versionTable())
	if _, err := q.ExecContext(ctx, "DELETE FROM "+vt); err != nil {
		return fmt.Errorf("write version: %w", err)
	}
	if v == "" {
		return nil
	}
	if _, err := q.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (?)", vt, e.Driver.QuoteIdent("version_num")), v); err != nil {
		return fmt.Errorf("write version: %w", err)
	}
	return nil
}

// historyColumnList lists the history columns of format, quoted.
func (e *Executor) historyColumnList(format int) string {
	cols := columnNames(historyLayout, format)
	for i, c := range cols {
		cols[i] = e.Driver.QuoteIdent(c)
	}
	return strings.Join(cols, ", ")
}

// insertRecord adds r to the history table, which is at TablesFormat (runs
// prepare the tables before they write), and sets r.ID. The id is
// MAX(id)+1 computed in the INSERT itself, so that the statement is atomic
// even outside a transaction (a failure recorded after a rollback); reading
// it back is exact because callers hold the migration lock or, on SQLite,
// the write transaction.
func (e *Executor) insertRecord(ctx context.Context, q querier, r *Record) error {
	qi := e.Driver.QuoteIdent
	ht := qi(e.historyTable())
	args := []any{r.Version, string(r.Direction), r.Checksum, r.StartedAt.UTC().Format(timeLayout),
		nullTime(r.FinishedAt), r.Total, r.Done, nullString(truncate(r.Error)), nullInt(r.ErrorStatement),
		nullString(strings.Join(r.StatementHashes, " ")), r.Operator, nullString(r.Session),
		nullInt(r.Next.Statement), nullString(string(r.Next.Kind)), nullString(r.Next.Image), nullString(r.Pins)}
	query := fmt.Sprintf("INSERT INTO %s (%s) SELECT COALESCE(MAX(%s), 0) + 1%s FROM %s",
		ht, e.historyColumnList(TablesFormat), qi("id"), strings.Repeat(", ?", len(args)), ht)
	_, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	if err := q.QueryRowContext(ctx, fmt.Sprintf("SELECT MAX(%s) FROM %s", qi("id"), ht)).Scan(&r.ID); err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	return nil
}

// updateRecord writes r's progress, outcome and hashes back to its row.
func (e *Executor) updateRecord(ctx context.Context, q querier, r *Record) error {
	qi := e.Driver.QuoteIdent
	query := fmt.Sprintf("UPDATE %s SET %s = ?, %s = ?, %s = ?, %s = ?, %s = ?, %s = ?, %s = ?, %s = ? WHERE %s = ?", qi(e.historyTable()),
		qi("finished_at"), qi("statements_done"), qi("error"), qi("error_statement"), qi("statement_hashes"),
		qi("next_statement"), qi("next_kind"), qi("next_image"), qi("id"))
	_, err := q.ExecContext(ctx, query, nullTime(r.FinishedAt), r.Done, nullString(truncate(r.Error)),
		nullInt(r.ErrorStatement), nullString(strings.Join(r.StatementHashes, " ")),
		nullInt(r.Next.Statement), nullString(string(r.Next.Kind)), nullString(r.Next.Image), r.ID)
	if err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	return nil
}

// recordProgress records that one more statement of r ran, and in the same
// write what is known of the one that starts next (r.Next): the count
// only, the row having every statement's hash from the start (see
// stepNonTx), so that each write is the same size however long the
// migration, but for the next statement's pre-image.
func (e *Executor) recordProgress(ctx context.Context, q querier, r *Record) error {
	qi := e.Driver.QuoteIdent
	query := fmt.Sprintf("UPDATE %s SET %s = ?, %s = ?, %s = ?, %s = ? WHERE %s = ?", qi(e.historyTable()),
		qi("statements_done"), qi("next_statement"), qi("next_kind"), qi("next_image"), qi("id"))
	if _, err := q.ExecContext(ctx, query, r.Done, nullInt(r.Next.Statement), nullString(string(r.Next.Kind)), nullString(r.Next.Image), r.ID); err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	return nil
}

// records reads the history table of format, oldest first; the latest run
// or stamp only when last is set. A format read as 0 (no tables yet) means a concurrent
// run has created them since: read the columns every format has.
func (e *Executor) records(ctx context.Context, q querier, format int, last bool) ([]Record, error) {
	format = max(format, 1)
	qi := e.Driver.QuoteIdent
	// The format marker is a row of the table, but not a run; nor is an
	// acceptance, which must not hide the last run's outcome.
	// Nor is the lease of a cluster.
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s NOT IN (?, ?, ?) ORDER BY %s", e.historyColumnList(format), qi(e.historyTable()), qi("direction"), qi("id"))
	args := []any{markerDirection, markerDirection, leaseDirection}
	if last {
		query += " DESC LIMIT 1"
		args[1] = string(Accept)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var (
			r                                 Record
			dir, started                      string
			finished, errMsg, hashes, session sql.NullString
			nextKind, nextImage               sql.NullString
			errStmt, nextStmt                 sql.NullInt64
			pinText                           sql.NullString
		)
		dest := []any{&r.ID, &r.Version, &dir, &r.Checksum, &started, &finished, &r.Total, &r.Done,
			&errMsg, &errStmt, &hashes, &r.Operator}
		if format >= 2 {
			dest = append(dest, &session)
		}
		if format >= 3 {
			dest = append(dest, &nextStmt, &nextKind, &nextImage, &pinText)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read history: %w", err)
		}
		r.Direction = Direction(dir)
		r.StartedAt, _ = time.Parse(timeLayout, started)
		if finished.Valid {
			r.FinishedAt, _ = time.Parse(timeLayout, finished.String)
		}
		r.Error = errMsg.String
		r.Session = session.String
		r.Pins = pinText.String
		r.ErrorStatement = int(errStmt.Int64)
		r.Next = Intent{Statement: int(nextStmt.Int64), Kind: IntentKind(nextKind.String), Image: nextImage.String}
		if hashes.String != "" {
			// A run in progress, or one whose process died, has the
			// hashes of statements it had yet to run.
			r.planned = strings.Split(hashes.String, " ")
			r.StatementHashes = r.planned[:min(len(r.planned), max(r.Done, 0))]
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	return out, nil
}

// lastRecord is the latest history row, or nil.
func (e *Executor) lastRecord(ctx context.Context, q querier, format int) (*Record, error) {
	rs, err := e.records(ctx, q, format, true)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func truncate(s string) string {
	if len(s) <= maxErrorLen {
		return s
	}
	s = s[:maxErrorLen]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// operator names who runs the migration, as user@host.
func operator() string {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	return name + "@" + host
}
