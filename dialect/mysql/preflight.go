package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	driver "github.com/go-sql-driver/mysql"
)

// PreflightFinding is what the preflight found for one statement: rows
// that would make it fail (or, with Warning, that it would silently
// change), or a check that did not finish. It is an alias of a struct
// literal that the executor spells the same way, so that Preflight
// satisfies executor.Preflighter without importing it.
type PreflightFinding = struct {
	// Statement is the statement's index among those given, from 0.
	Statement int
	// Warning is set for rows the statement changes without failing.
	Warning bool
	// Problem says what is wrong: "3 rows of `teams` have no parent …".
	Problem string
	// Count is the number of rows; -1 when the check timed out.
	Count int64
	// Sample is one of the rows, as col=value pairs; "" when none.
	Sample string
}

// Preflight checks, before a migration runs, the data conditions its
// statements need, with the server's semantics (see the walker): every
// statement up to the first that writes rows (DML, or anything the
// classifier cannot read) is evaluated against the state the earlier
// statements produce: a table the migration creates is empty, a column it
// adds holds its default. Each check runs on conn, bounded by timeout per
// query; a check that does not finish is a finding, not a pass.
//
// On a Galera node it also refuses, in every statement, tables the
// cluster does not replicate safely (see galeraFindings).
func (d *Dialect) Preflight(ctx context.Context, conn *sql.Conn, stmts []string, timeout time.Duration) ([]PreflightFinding, error) {
	var out []PreflightFinding
	if d.Flavor.Galera {
		out = galeraFindings(stmts)
	}
	data, err := d.preflightData(ctx, conn, stmts, timeout)
	if err != nil {
		return nil, err
	}
	return append(out, data...), nil
}

func (d *Dialect) preflightData(ctx context.Context, conn *sql.Conn, stmts []string, timeout time.Duration) (_ []PreflightFinding, err error) {
	w := &walker{ctx: ctx, conn: conn, tables: map[string]*tableState{}}
	for i, s := range stmts {
		w.i, w.stmt = i, s
		stop, err := w.statement(s)
		if err != nil {
			return nil, fmt.Errorf("preflight of statement %d: %w", i+1, err)
		}
		if stop {
			break
		}
	}
	if len(w.checks) == 0 {
		return nil, nil // and the session is left alone
	}
	// The checks quote the migration's literals and expressions: they
	// must read as the statements will, under the sql_mode
	// BeginMigration sets (backslash escapes on, whatever the session's
	// ANSI_QUOTES says).
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return nil, fmt.Errorf("read sql_mode: %w", err)
	}
	if m := migrationMode(mode); m != mode {
		if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = ?", m); err != nil {
			return nil, fmt.Errorf("set sql_mode: %w", err)
		}
		defer func() {
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "SET SESSION sql_mode = ?", mode); rerr != nil {
				err = errors.Join(err, fmt.Errorf("restore sql_mode: %w", rerr))
			}
		}()
	}
	var out []PreflightFinding
	for _, c := range w.checks {
		f, err := d.run(ctx, conn, c, timeout)
		if err != nil {
			return nil, fmt.Errorf("preflight of statement %d: %w", c.stmt+1, err)
		}
		if f != nil {
			out = append(out, *f)
		}
	}
	return out, nil
}

// run runs one check; nil when no row fails it.
func (d *Dialect) run(ctx context.Context, conn *sql.Conn, c check, timeout time.Duration) (*PreflightFinding, error) {
	var n sql.NullInt64
	err := conn.QueryRowContext(ctx, d.bounded(c.count, timeout)).Scan(&n)
	switch {
	case isTimeout(err):
		return &PreflightFinding{Statement: c.stmt, Count: -1,
			Problem: fmt.Sprintf("the check for %s did not finish within %s", c.problem, timeout)}, nil
	case isMissing(err):
		// A table or column that is not there: the statement will say so
		// itself, as it would without a preflight.
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("check for %s: %w", c.problem, err)
	case n.Int64 == 0:
		return nil, nil
	}
	f := &PreflightFinding{Statement: c.stmt, Warning: c.warning, Count: n.Int64,
		Problem: fmt.Sprintf("%d %s", n.Int64, c.problem)}
	if n.Int64 == 1 {
		f.Problem = "1 row" + strings.TrimPrefix(c.problem, "rows")
	}
	sample, err := d.sample(ctx, conn, c.sample, timeout)
	if err != nil && !isTimeout(err) {
		return nil, fmt.Errorf("sample for %s: %w", c.problem, err)
	}
	f.Sample = sample
	return f, nil
}

// sample reads the first row of query as col=value pairs.
func (d *Dialect) sample(ctx context.Context, conn *sql.Conn, query string, timeout time.Duration) (string, error) {
	rows, err := conn.QueryContext(ctx, d.bounded(query, timeout))
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	if !rows.Next() {
		return "", rows.Err()
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return "", err
	}
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + "=")
		switch v := vals[i]; {
		case v == nil:
			b.WriteString("NULL")
		case len(v) > 40:
			b.WriteString(strconv.Quote(string(v[:40])) + "…")
		default:
			b.WriteString(strconv.Quote(string(v)))
		}
	}
	return b.String(), rows.Err()
}

// bounded makes the server stop a SELECT after timeout: MariaDB's
// max_statement_time, MySQL's MAX_EXECUTION_TIME hint. Either fails the
// query with an error of its own, which isTimeout tells.
func (d *Dialect) bounded(query string, timeout time.Duration) string {
	if timeout <= 0 {
		return query
	}
	if d.Flavor.MariaDB {
		return fmt.Sprintf("SET STATEMENT max_statement_time=%s FOR %s", strconv.FormatFloat(timeout.Seconds(), 'f', -1, 64), query)
	}
	return fmt.Sprintf("SELECT /*+ MAX_EXECUTION_TIME(%d) */%s", max(timeout.Milliseconds(), 1), strings.TrimPrefix(query, "SELECT"))
}

// isTimeout tells the errors of a query stopped by bounded: MariaDB 1969
// (max_statement_time exceeded), MySQL 3024 (maximum statement execution
// time exceeded).
func isTimeout(err error) bool {
	var me *driver.MySQLError
	return errors.As(err, &me) && (me.Number == 1969 || me.Number == 3024)
}

// isMissing tells "no such table" (1146) and "unknown column" (1054).
func isMissing(err error) bool {
	var me *driver.MySQLError
	return errors.As(err, &me) && (me.Number == 1146 || me.Number == 1054)
}
