package executor_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testdb"
)

// The tests of this file decide statements left in doubt on MariaDB: a
// client that dies while the server runs its statement leaves the history
// row as it was written before the statement started, and the server
// finishes the statement. crashAfter makes exactly that state: it lets a
// run execute statement k, then puts the history row and the version back
// as they were when statement k started, as a client killed during it
// would have left them.

// mysqlExec is an executor on a fresh MariaDB database holding acct
// (id, bal, note) with rows 1..n, bal = id.
func mysqlExec(t *testing.T, n int, migrations ...[2][]string) (*executor.Executor, *sql.DB) {
	t.Helper()
	u, _ := testdb.MySQL(t)
	db, d, err := mysql.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mustExec(t, db, "CREATE TABLE acct (id int NOT NULL PRIMARY KEY, bal int NOT NULL, note varchar(20) NOT NULL DEFAULT 'x') ENGINE=InnoDB")
	mustExec(t, db, fmt.Sprintf("INSERT INTO acct (id, bal) SELECT seq, seq FROM seq_1_to_%d", n))
	dir, err := executor.OpenDir(filepath.Join(t.TempDir(), "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	dir.Lexer = d
	for i, m := range migrations {
		up, down := executor.Statements(m[0]...), executor.Statements(m[1]...)
		if _, err := dir.Write(fmt.Sprintf("m%d", i+1), up, down); err != nil {
			t.Fatal(err)
		}
	}
	return &executor.Executor{DB: db, Driver: d, Dir: dir, LockTimeout: 5 * time.Second}, db
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// crashAfter runs run (an Apply or Downgrade of e), lets statement k of
// version v in direction dir execute, and stops the run right after it.
// Then it puts the history and the version back as they were when
// statement k started: what a client killed during statement k leaves,
// the server having finished it.
func crashAfter(t *testing.T, e *executor.Executor, v string, dir executor.Direction, k int, run func() error) {
	t.Helper()
	var (
		id                        int64
		version                   sql.NullString
		done                      int
		nextStmt                  sql.NullInt64
		hashes, nextKind, nextImg sql.NullString
		seen                      bool
	)
	stop := make(chan struct{})
	e.Interrupt = stop
	e.Observer = func(ev executor.Event) {
		switch ev := ev.(type) {
		case *executor.StatementStart:
			if ev.Migration.Version != v || ev.Direction != dir || ev.Index != k {
				return
			}
			seen = true
			err := e.DB.QueryRow("SELECT id, statements_done, statement_hashes, next_statement, next_kind, next_image FROM schemactl_version_history ORDER BY id DESC LIMIT 1").
				Scan(&id, &done, &hashes, &nextStmt, &nextKind, &nextImg)
			if err != nil {
				t.Errorf("read the history row: %v", err)
			}
			err = e.DB.QueryRow("SELECT MAX(version_num) FROM schemactl_version").Scan(&version)
			if err != nil {
				t.Errorf("read the version: %v", err)
			}
		case *executor.StatementDone:
			if ev.Migration.Version == v && ev.Direction == dir && ev.Index == k {
				close(stop)
			}
		}
	}
	err := run()
	e.Interrupt, e.Observer = nil, nil
	if !seen {
		t.Fatalf("statement %d of %s %s never started: %v", k, dir, v, err)
	}
	if err != nil && !errors.Is(err, executor.ErrInterrupted) {
		t.Fatalf("run: %v", err)
	}
	mustExec(t, e.DB, "DELETE FROM schemactl_version_history WHERE id > ?", id)
	mustExec(t, e.DB, "UPDATE schemactl_version_history SET finished_at = NULL, error = NULL, error_statement = NULL, statements_done = ?, statement_hashes = ?, next_statement = ?, next_kind = ?, next_image = ? WHERE id = ?",
		done, hashes, nextStmt, nextKind, nextImg, id)
	mustExec(t, e.DB, "DELETE FROM schemactl_version")
	if version.Valid {
		mustExec(t, e.DB, "INSERT INTO schemactl_version VALUES (?)", version.String)
	}
}

func indexes(t *testing.T, db *sql.DB) string {
	t.Helper()
	var s sql.NullString
	if err := db.QueryRow("SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'acct'").Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s.String
}

var ddlMigration = [2][]string{
	{"CREATE TABLE audit (id int NOT NULL PRIMARY KEY)", "ALTER TABLE acct ADD KEY ix_note (note)", "ALTER TABLE acct ADD KEY ix_bal (bal)"},
	{"ALTER TABLE acct DROP KEY ix_bal", "ALTER TABLE acct DROP KEY ix_note", "DROP TABLE audit"},
}

// TestInDoubtDDLTookEffect: the client died during a DDL statement that
// the server finished. The next apply finds the catalog exactly as the
// statement leaves it, marks it done and carries on; the old resume ran
// it again and failed for ever with "Duplicate key name". Every statement
// is tried, the first one (Done = 0) too, up and down.
func TestInDoubtDDLTookEffect(t *testing.T) {
	ctx := context.Background()
	for _, dir := range []executor.Direction{executor.Up, executor.Down} {
		for k := 1; k <= 3; k++ {
			t.Run(fmt.Sprintf("%s-%d", dir, k), func(t *testing.T) {
				e, db := mysqlExec(t, 100, ddlMigration)
				apply := func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err }
				down := func() error { _, err := e.Downgrade(ctx, "base"); return err }
				run := apply
				if dir == executor.Down {
					if err := apply(); err != nil {
						t.Fatal(err)
					}
					run = down
				}
				crashAfter(t, e, "0001", dir, k, run)

				st, err := e.Status(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if f := st.Failure; f == nil || !f.InDoubt || f.Done != k-1 || !f.Partial {
					t.Fatalf("status failure %+v, want statement %d in doubt", st.Failure, k)
				}
				var resolved []string
				e.Observer = func(ev executor.Event) {
					if r, ok := ev.(*executor.DoubtResolved); ok {
						resolved = append(resolved, fmt.Sprintf("%d %v %s", r.Index, r.TookEffect, r.Why))
					}
				}
				if err := run(); err != nil {
					t.Fatalf("resume: %v", err)
				}
				if want := fmt.Sprintf("%d true the catalog shows exactly its effect", k); len(resolved) != 1 || resolved[0] != want {
					t.Errorf("resolved %q, want %q", resolved, want)
				}
				want, version := "ix_bal,ix_note,PRIMARY", "0001"
				if dir == executor.Down {
					want, version = "PRIMARY", ""
				}
				if got := indexes(t, db); got != want {
					t.Errorf("indexes %s, want %s", got, want)
				}
				if v := mustCurrent(t, e); v != version {
					t.Errorf("version %q, want %q", v, version)
				}
			})
		}
	}
}

// TestInDoubtDDLNotRun: the client died during a DDL statement that the
// server did not finish (or had not started): the catalog is as the
// pre-image says, and the statement runs.
func TestInDoubtDDLNotRun(t *testing.T) {
	ctx := context.Background()
	e, db := mysqlExec(t, 100, ddlMigration)
	crashAfter(t, e, "0001", executor.Up, 2, func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err })
	mustExec(t, db, "ALTER TABLE acct DROP KEY ix_note") // as if it never ran
	var resolved string
	e.Observer = func(ev executor.Event) {
		if r, ok := ev.(*executor.DoubtResolved); ok {
			resolved = fmt.Sprintf("%d %v %s", r.Index, r.TookEffect, r.Why)
		}
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if resolved != "2 false the objects it changes are as they were before it" {
		t.Errorf("resolved %q", resolved)
	}
	if got := indexes(t, db); got != "ix_bal,ix_note,PRIMARY" {
		t.Errorf("indexes %s", got)
	}
}

// TestInDoubtRefused: what the catalog cannot decide is refused, naming the
// statement and the way out, and changes nothing; the operator's word
// then resolves it.
func TestInDoubtRefused(t *testing.T) {
	ctx := context.Background()
	t.Run("changed otherwise", func(t *testing.T) {
		e, db := mysqlExec(t, 10, ddlMigration)
		crashAfter(t, e, "0001", executor.Up, 2, func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err })
		mustExec(t, db, "ALTER TABLE acct DROP KEY ix_note, ADD KEY ix_note (note, bal)") // someone else's change
		_, err := e.Apply(ctx, executor.ApplyOptions{})
		var de *executor.DoubtError
		if !errors.As(err, &de) || de.Index != 2 || !strings.Contains(err.Error(), "neither as they were before it nor as it would have left them") ||
			!strings.Contains(err.Error(), "--resume-done") {
			t.Fatalf("Apply = %v, want statement 2 refused", err)
		}
		if got := indexes(t, db); got != "ix_note,PRIMARY" {
			t.Errorf("indexes %s: the refusal changed the catalog", got)
		}
		e.Resolve = executor.ResumeDone
		if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := indexes(t, db); got != "ix_bal,ix_note,PRIMARY" {
			t.Errorf("indexes %s", got)
		}
	})
	t.Run("changed in the file", func(t *testing.T) {
		e, db := mysqlExec(t, 10, ddlMigration)
		crashAfter(t, e, "0001", executor.Up, 2, func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err })
		file := filepath.Join(e.Dir.Path(), "0001_m1.sql")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(strings.Replace(string(data), "ADD KEY ix_note (note)", "ADD KEY ix_note (note, bal)", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := e.Dir.WriteSum(); err != nil {
			t.Fatal(err)
		}
		_, err = e.Apply(ctx, executor.ApplyOptions{})
		if err == nil || !strings.Contains(err.Error(), "statement 2 was running when an earlier run stopped, and changed since") || !strings.Contains(err.Error(), "--resume-rerun to run the new one") {
			t.Fatalf("Apply = %v, want statement 2 refused naming --resume-done and --resume-rerun", err)
		}
		mustExec(t, db, "ALTER TABLE acct DROP KEY ix_note")
		e.Resolve = executor.ResumeRerun
		if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := indexes(t, db); got != "ix_bal,ix_note,PRIMARY" {
			t.Errorf("indexes %s", got)
		}
	})
	t.Run("opaque", func(t *testing.T) {
		e, db := mysqlExec(t, 10, [2][]string{{"CREATE TABLE audit (id int)", "OPTIMIZE TABLE acct", "ALTER TABLE acct ADD KEY ix_bal (bal)"}, {}})
		crashAfter(t, e, "0001", executor.Up, 2, func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err })
		_, err := e.Apply(ctx, executor.ApplyOptions{})
		var de *executor.DoubtError
		if !errors.As(err, &de) || de.Index != 2 || !strings.Contains(err.Error(), "the catalog cannot show the effect of OPTIMIZE") {
			t.Fatalf("Apply = %v, want OPTIMIZE refused", err)
		}
		if got := indexes(t, db); got != "PRIMARY" {
			t.Errorf("indexes %s: the refusal ran something", got)
		}
		e.Resolve = executor.ResumeRerun
		res, err := e.Apply(ctx, executor.ApplyOptions{})
		if err != nil || res.Statements != 2 {
			t.Fatalf("Apply --resume-rerun = %+v, %v; want statements 2 and 3 run", res, err)
		}
	})
}

// TestInDoubtDMLKilled: an UPDATE of a transactional table runs in one
// transaction with its progress record. Its session is ended while it
// runs (as the server ends a dead client's session): both roll back, and
// the next apply runs it once: every bal grew by exactly 10. Statement 2
// is tried, and statement 1 (Done = 0).
func TestInDoubtDMLKilled(t *testing.T) {
	ctx := context.Background()
	for _, k := range []int{1, 2} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			const update = "UPDATE acct SET bal = bal + 10"
			first := []string{update}
			if k == 2 {
				first = []string{"CREATE TABLE audit (id int)", update}
			}
			e, db := mysqlExec(t, 100000, [2][]string{first, {}}, [2][]string{{"UPDATE acct SET note = 'y'"}, {}})
			var killErr error
			killed := make(chan struct{})
			e.Observer = func(ev executor.Event) {
				if s, ok := ev.(*executor.StatementStart); ok && s.Migration.Version == "0001" && s.Index == k {
					go func() { defer close(killed); killErr = testdb.KillSession(ctx, db, update) }()
				}
			}
			_, err := e.Apply(ctx, executor.ApplyOptions{})
			<-killed
			if killErr != nil {
				t.Fatal(killErr)
			}
			if err == nil {
				t.Fatal("Apply succeeded although its session was killed")
			}
			e.Observer = nil
			if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			var bad int
			if err := db.QueryRow("SELECT count(*) FROM acct WHERE bal <> id + 10 OR note <> 'y'").Scan(&bad); err != nil || bad != 0 {
				t.Fatalf("%d rows did not grow by exactly 10, %v", bad, err)
			}
		})
	}
}

// TestInDoubtDMLKilledThenFixed: an UPDATE killed with its client (too
// slow, say) did not take effect, as its record did not commit; the
// operator rewrites it, and apply runs the new statement rather than
// refusing it as a changed statement that ran.
func TestInDoubtDMLKilledThenFixed(t *testing.T) {
	ctx := context.Background()
	const update = "UPDATE acct SET bal = bal + 10"
	e, db := mysqlExec(t, 100000, [2][]string{{"CREATE TABLE audit (id int)", update}, {}})
	killed := make(chan error, 1)
	e.Observer = func(ev executor.Event) {
		if s, ok := ev.(*executor.StatementStart); ok && s.Index == 2 {
			go func() { killed <- testdb.KillSession(ctx, db, update) }()
		}
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err == nil {
		t.Fatal("Apply succeeded although its session was killed")
	}
	if err := <-killed; err != nil {
		t.Fatal(err)
	}
	e.Observer = nil
	file := filepath.Join(e.Dir.Path(), "0001_m1.sql")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), "bal + 10", "bal + 20", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Dir.WriteSum(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	var bad int
	if err := db.QueryRow("SELECT count(*) FROM acct WHERE bal <> id + 20").Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d rows did not grow by exactly 20, %v", bad, err)
	}
}

// TestResumeReplaysSet: a resume runs in a new session; the SETs before
// the statement it resumes at are run again first.
func TestResumeReplaysSet(t *testing.T) {
	ctx := context.Background()
	e, db := mysqlExec(t, 10, [2][]string{{"SET @inc = 5", "UPDATE acct SET bal = bal + @inc", "ALTER TABLE acct ADD KEY ix_bal (bal)"}, {}})
	crashAfter(t, e, "0001", executor.Up, 3, func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err })
	mustExec(t, db, "ALTER TABLE acct DROP KEY ix_bal")
	mustExec(t, db, "UPDATE acct SET bal = id")
	// Resume at statement 2 needs @inc: mark 2 undone by hand.
	mustExec(t, db, "UPDATE schemactl_version_history SET statements_done = 1, next_statement = 2, next_kind = 'tx' WHERE id = (SELECT m FROM (SELECT MAX(id) AS m FROM schemactl_version_history) AS x)")
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	var bad int
	if err := db.QueryRow("SELECT count(*) FROM acct WHERE bal <> id + 5").Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d rows without the replayed @inc, %v", bad, err)
	}
}

// TestLockHeldByUnfinishedRun: a run that waits for the lock held by the
// session of the last, unfinished run says which thread runs what, and
// how to end it.
func TestLockHeldByUnfinishedRun(t *testing.T) {
	ctx := context.Background()
	e, db := mysqlExec(t, 10, [2][]string{{"CREATE TABLE audit (id int)", "DO SLEEP(3)"}, {}})
	started := make(chan struct{})
	e.Observer = func(ev executor.Event) {
		if s, ok := ev.(*executor.StatementStart); ok && s.Index == 2 {
			close(started)
		}
	}
	first := make(chan error, 1)
	go func() { _, err := e.Apply(ctx, executor.ApplyOptions{}); first <- err }()
	<-started
	var id int64
	if err := db.QueryRow("SELECT CAST(session_id AS SIGNED) FROM schemactl_version_history ORDER BY id DESC LIMIT 1").Scan(&id); err != nil {
		t.Fatal(err)
	}
	second := &executor.Executor{DB: db, Driver: e.Driver, Dir: e.Dir, LockTimeout: 500 * time.Millisecond}
	_, err := second.Apply(ctx, executor.ApplyOptions{})
	if !errors.Is(err, executor.ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("the lock is held by thread %d, the session of the last run (up 0001", id)) ||
		!strings.Contains(err.Error(), fmt.Sprintf("statement 2 of a dead run is still running on the server: wait for it (--lock-timeout) or end it with `KILL %d`", id)) {
		t.Errorf("second Apply = %v", err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
}

// TestInterruptMariaDB: Executor.Interrupt (the first Ctrl-C) stops a run
// after its running statement, recorded: nothing is in doubt, and the
// next run resumes after it. Cancelling the context instead (the second
// Ctrl-C) stops the running UPDATE with KILL QUERY from another
// connection: error 1317, its transaction and record roll back, and the
// next run runs it once.
func TestInterruptMariaDB(t *testing.T) {
	ctx := context.Background()
	const update = "UPDATE acct SET bal = bal + 10"
	e, db := mysqlExec(t, 100000, [2][]string{{"CREATE TABLE audit (id int)", update, "ALTER TABLE acct ADD KEY ix_bal (bal)"}, {}})

	stop := make(chan struct{})
	e.Interrupt = stop
	e.Observer = func(ev executor.Event) {
		if s, ok := ev.(*executor.StatementDone); ok && s.Index == 1 {
			close(stop)
		}
	}
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	var ie *executor.InterruptedError
	if !errors.As(err, &ie) || ie.Done != 1 || ie.Total != 3 || err.Error() != "interrupted after statement 1 of 3 of 0001_m1.sql: the run is recorded; run the same command again to resume" {
		t.Fatalf("Apply = %v, want interrupted after statement 1", err)
	}
	e.Interrupt, e.Observer = nil, nil
	st, err := e.Status(ctx)
	if err != nil || st.Failure == nil || st.Failure.InDoubt || st.Failure.Done != 1 {
		t.Fatalf("status %+v, %v: want statement 1 done, nothing in doubt", st.Failure, err)
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	killed := make(chan error, 1)
	e.Observer = func(ev executor.Event) {
		if s, ok := ev.(*executor.StatementStart); ok && s.Index == 2 {
			go func() {
				for range 1000 {
					var n int
					if err := db.QueryRow("SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO = ? AND DB = DATABASE()", update).Scan(&n); err != nil {
						killed <- err
						return
					}
					if n > 0 {
						cancel()
						killed <- nil
						return
					}
					time.Sleep(2 * time.Millisecond)
				}
				killed <- errors.New("the UPDATE never showed in the process list")
			}()
		}
	}
	_, err = e.Apply(runCtx, executor.ApplyOptions{})
	if kerr := <-killed; kerr != nil {
		t.Fatal(kerr)
	}
	if err == nil || !strings.Contains(err.Error(), "1317") {
		t.Fatalf("Apply = %v, want the UPDATE stopped with 1317", err)
	}
	e.Observer = nil
	var bad int
	if err := db.QueryRow("SELECT count(*) FROM acct WHERE bal <> id").Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d rows changed by the stopped UPDATE, %v", bad, err)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM acct WHERE bal <> id + 10").Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d rows did not grow by exactly 10, %v", bad, err)
	}
}

// TestInDoubtFromFormat2: a run of a format-2 schemactl, which recorded
// nothing of the statement it started, died during statement 2. This
// build upgrades the tables to its format and, knowing nothing of statement
// 2, refuses to guess until told.
func TestInDoubtFromFormat2(t *testing.T) {
	ctx := context.Background()
	e, db := mysqlExec(t, 10, ddlMigration)
	crashAfter(t, e, "0001", executor.Up, 2, func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err })
	mustExec(t, db, "ALTER TABLE schemactl_version_history DROP COLUMN next_statement, DROP COLUMN next_kind, DROP COLUMN next_image")
	mustExec(t, db, "UPDATE schemactl_version_history SET version = '2' WHERE id = 0 AND direction = 'format'")

	st, err := e.Status(ctx)
	if err != nil || st.Failure == nil || !st.Failure.InDoubt || st.Failure.Done != 1 {
		t.Fatalf("status %+v, %v: want statement 2 in doubt", st.Failure, err)
	}
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	var de *executor.DoubtError
	if !errors.As(err, &de) || de.Index != 2 || !strings.Contains(err.Error(), "the history row does not say what it was (written by an older schemactl)") {
		t.Fatalf("Apply = %v, want statement 2 refused", err)
	}
	var format string
	if err := db.QueryRow("SELECT version FROM schemactl_version_history WHERE id = 0 AND direction = 'format'").Scan(&format); err != nil || format != strconv.Itoa(executor.TablesFormat) {
		t.Errorf("format %q, %v; want the tables upgraded to %d", format, err, executor.TablesFormat)
	}
	e.Resolve = executor.ResumeDone
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := indexes(t, db); got != "ix_bal,ix_note,PRIMARY" {
		t.Errorf("indexes %s", got)
	}
}

// TestLockWaitTimeout: a transactional statement that waits too long for
// a row lock fails with 1205, after which InnoDB rolls back only the
// statement and keeps the transaction open. The failure is recorded:
// status shows the 1205 with nothing in doubt, and the next apply runs the
// statement once. (The explicit ROLLBACK that follows is not what this
// shows: the failure's own write commits the open transaction, which
// holds nothing once the statement is rolled back.)
func TestLockWaitTimeout(t *testing.T) {
	ctx := context.Background()
	const update = "UPDATE acct SET bal = bal + 1"
	e, db := mysqlExec(t, 100, [2][]string{{"SET SESSION innodb_lock_wait_timeout = 1", update}, {}})
	blocker, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close()
	if _, err := blocker.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.ExecContext(ctx, "SELECT * FROM acct WHERE id = 50 FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "1205") {
		t.Fatalf("Apply = %v, want a lock wait timeout", err)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f := st.Failure; f == nil || !strings.Contains(f.Error, "1205") || f.InDoubt || f.Done != 1 {
		t.Fatalf("status failure %+v: want the 1205 recorded after statement 1, nothing in doubt", f)
	}
	if _, err := blocker.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	var bad int
	if err := db.QueryRow("SELECT count(*) FROM acct WHERE bal <> id + 1").Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d rows did not grow by exactly 1, %v", bad, err)
	}
}

// TestDeadlockRetried: a transactional statement chosen as a deadlock's
// victim (1213) had its whole transaction, record included, rolled back
// by InnoDB; it is run again, and takes effect once.
func TestDeadlockRetried(t *testing.T) {
	ctx := context.Background()
	const update = "UPDATE acct SET bal = bal + 1 WHERE id <= 10 OR id = 60"
	e, db := mysqlExec(t, 100, [2][]string{{update}, {}})
	other, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// The other transaction changes more rows, so that InnoDB picks the
	// migration's as the victim.
	if _, err := other.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, "UPDATE acct SET note = 'o' WHERE id >= 50"); err != nil {
		t.Fatal(err)
	}
	deadlocked := make(chan error, 1)
	e.Observer = func(ev executor.Event) {
		s, ok := ev.(*executor.StatementStart)
		if !ok || s.Index != 1 {
			return
		}
		go func() {
			// Once the migration waits for row 60, take row 5, which it
			// holds: a deadlock.
			for range 5000 {
				var n int
				// An UPDATE of a 100-row table still running after 100 ms
				// waits for the row the other transaction holds. (INNODB_TRX,
				// a cache the server refreshes, missed the wait under load.)
				err := db.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'UPDATE acct SET bal%' AND TIME_MS > 100").Scan(&n)
				if err != nil {
					deadlocked <- err
					return
				}
				if n > 0 {
					_, err := other.ExecContext(ctx, "UPDATE acct SET note = 'o' WHERE id = 5")
					if err == nil {
						_, err = other.ExecContext(ctx, "COMMIT")
					}
					deadlocked <- err
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
			_, err := other.ExecContext(ctx, "ROLLBACK") // let apply end
			deadlocked <- errors.Join(errors.New("the UPDATE never waited for row 60"), err)
		}()
	}
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	if derr := <-deadlocked; derr != nil {
		t.Fatalf("the other transaction: %v (apply: %v)", derr, err)
	}
	if err != nil {
		t.Fatalf("Apply = %v, want the deadlock's victim run again", err)
	}
	var bad int
	if err := db.QueryRow("SELECT count(*) FROM acct WHERE bal <> id + IF(id <= 10 OR id = 60, 1, 0)").Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d rows wrong, %v", bad, err)
	}
}

// TestInDoubtCatalogCannotTell: a statement whose effect leaves every
// object it names as SHOW CREATE showed it before (a swap of two identical
// tables by RENAME) is refused when in doubt: the old rule read "as
// before" as "did not run" and ran the swap a second time, undoing it.
func TestInDoubtCatalogCannotTell(t *testing.T) {
	ctx := context.Background()
	swap := [2][]string{
		{"CREATE TABLE a (id int NOT NULL PRIMARY KEY) ENGINE=InnoDB", "CREATE TABLE b (id int NOT NULL PRIMARY KEY) ENGINE=InnoDB",
			"RENAME TABLE a TO tmp_swap, b TO a, tmp_swap TO b"},
		{"DROP TABLE b", "DROP TABLE a"},
	}
	e, _ := mysqlExec(t, 10, swap)
	crashAfter(t, e, "0001", executor.Up, 3, func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err })
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	var de *executor.DoubtError
	if !errors.As(err, &de) || de.Index != 3 || !strings.Contains(err.Error(), "looks the same whether it ran or not") {
		t.Fatalf("Apply = %v, want statement 3 refused", err)
	}
}

// TestInDoubtStatementRemoved: the statement in doubt was taken out of the
// file (and the sum re-hashed): an error that says so, not a panic.
func TestInDoubtStatementRemoved(t *testing.T) {
	ctx := context.Background()
	e, _ := mysqlExec(t, 10, ddlMigration)
	crashAfter(t, e, "0001", executor.Up, 3, func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err })
	path := filepath.Join(e.Dir.Path(), "0001_m.sql")
	files, _ := filepath.Glob(filepath.Join(e.Dir.Path(), "0001_*.sql"))
	if len(files) == 1 {
		path = files[0]
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := strings.Replace(string(data), "ALTER TABLE acct ADD KEY ix_bal (bal);", "", 1)
	if err := os.WriteFile(path, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Dir.WriteSum(); err != nil {
		t.Fatal(err)
	}
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	var he *executor.HistoryChangedError
	if !errors.As(err, &he) || he.Index != 3 {
		t.Fatalf("Apply = %v, want statement 3 reported gone", err)
	}
}
