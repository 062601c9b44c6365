package executor_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// autocommit is SQLite driven the way MySQL is: no transaction around a
// migration, so every statement commits by itself. The engine is real; only
// the transaction is left out.
type autocommit struct{ *sqlite.Dialect }

func (autocommit) TransactionalDDL() bool { return false }
func (autocommit) BeginMigration(context.Context, *sql.Conn) (executor.MigrationHandle, error) {
	return noTransaction{}, nil
}

// noTransaction ends a migration that changed nothing to begin with.
type noTransaction struct{}

func (noTransaction) End(context.Context, bool) error { return nil }

// partialDir is the hero table, then a migration whose second statement
// fails until it is fixed.
func partialDir(t *testing.T) *executor.Dir {
	t.Helper()
	d := heroDir(t, 1)
	if _, err := d.Write("lairs", []executor.Statement{
		{SQL: "CREATE TABLE `villain` (`id` integer)"},
		{SQL: "INSERT INTO `lair` VALUES (1)"},
		{SQL: "CREATE TABLE `henchman` (`id` integer)"},
	}, []executor.Statement{
		{SQL: "DROP TABLE `henchman`"},
		{SQL: "DROP TABLE `lair`"},
		{SQL: "DROP TABLE `villain`"},
	}); err != nil {
		t.Fatal(err)
	}
	return d
}

func fixLairs(t *testing.T, d *executor.Dir, old, new string) {
	t.Helper()
	editFile(t, filepath.Join(d.Path(), "0002_lairs.sql"), func(s string) string { return strings.Replace(s, old, new, 1) })
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
}

func TestNonTransactionalResume(t *testing.T) {
	ctx := context.Background()
	d := partialDir(t)
	e, log := newExec(t, d)
	e.Driver = autocommit{sqlite.New()}

	_, err := e.Apply(ctx, executor.ApplyOptions{})
	var se *executor.StmtError
	if !errors.As(err, &se) || se.Index != 2 {
		t.Fatalf("Apply error = %v, want statement 2 to fail", err)
	}
	// Statement 1 committed by itself; the version did not move.
	if v := mustCurrent(t, e); v != "0001" || !slices.Contains(tables(t, e.DB), "villain") {
		t.Fatalf("version %q, tables %v", v, tables(t, e.DB))
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := st.Failure
	if f == nil || !f.Partial || f.Interrupted || f.Done != 1 || f.Total != 3 || f.ErrorStatement != 2 || f.File != "0002_lairs.sql" || len(f.StatementHashes) != 1 {
		t.Fatalf("Status.Failure = %+v", f)
	}

	// Only finishing the migration is allowed.
	if _, err := e.Downgrade(ctx, "base"); !errors.Is(err, executor.ErrPartial) ||
		!strings.Contains(err.Error(), "0002_lairs.sql was partly applied (1 of 3 statements ran)") {
		t.Errorf("Downgrade error = %v, want ErrPartial", err)
	}

	// Retrying unchanged resumes at statement 2 (re-running statement 1
	// would fail: the table exists) and fails there again.
	*log = nil
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	if !errors.As(err, &se) || se.Index != 2 {
		t.Fatalf("retry error = %v, want statement 2 to fail again", err)
	}
	if (*log)[0] != "start up 0002 lairs resume=1" {
		t.Errorf("first event %q, want a resume after 1", (*log)[0])
	}

	// Fix statement 2: the run resumes there and finishes.
	fixLairs(t, d, "INSERT INTO `lair` VALUES (1);", "CREATE TABLE `lair` (`id` integer);")
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.To != "0002" || res.Statements != 2 {
		t.Errorf("resumed Apply = %+v, want 2 statements run", res)
	}
	for _, tbl := range []string{"villain", "lair", "henchman"} {
		if !slices.Contains(tables(t, e.DB), tbl) {
			t.Errorf("table %s missing", tbl)
		}
	}
	if st, err := e.Status(ctx); err != nil || st.Failure != nil || st.Current != "0002" {
		t.Errorf("Status after resume = %+v, %v", st, err)
	}
	hist, err := e.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range hist {
		got = append(got, fmt.Sprintf("%s %s %d/%d err@%d ok=%v hashes=%d", r.Direction, r.Version, r.Done, r.Total, r.ErrorStatement, r.Succeeded(), len(r.StatementHashes)))
	}
	want := []string{
		"up 0001 2/2 err@0 ok=true hashes=2",
		"up 0002 1/3 err@2 ok=false hashes=1",
		"up 0002 1/3 err@2 ok=false hashes=1",
		"up 0002 3/3 err@0 ok=true hashes=3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("history\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Down sections resume the same way.
	if _, err := e.DB.Exec("DROP TABLE `lair`"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Downgrade(ctx, "-1"); !errors.As(err, &se) || se.Index != 2 || se.Direction != executor.Down {
		t.Fatalf("Downgrade error = %v, want down statement 2 to fail", err)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); !errors.Is(err, executor.ErrPartial) {
		t.Errorf("Apply during a partial downgrade: %v, want ErrPartial", err)
	}
	if _, err := e.DB.Exec("CREATE TABLE `lair` (`id` integer)"); err != nil {
		t.Fatal(err)
	}
	if res, err := e.Downgrade(ctx, "-1"); err != nil || res.To != "0001" || res.Statements != 2 {
		t.Fatalf("resumed Downgrade = %+v, %v", res, err)
	}
	if got := tables(t, e.DB); slices.Contains(got, "villain") || slices.Contains(got, "henchman") {
		t.Errorf("tables after downgrade %v", got)
	}
}

func TestNonTransactionalRefusesChangedHistory(t *testing.T) {
	ctx := context.Background()
	d := partialDir(t)
	e, _ := newExec(t, d)
	e.Driver = autocommit{sqlite.New()}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err == nil {
		t.Fatal("Apply succeeded")
	}
	// Someone edits the statement that already ran.
	fixLairs(t, d, "CREATE TABLE `villain` (`id` integer);", "CREATE TABLE `villain` (`id` integer, `name` text);")
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	var hc *executor.HistoryChangedError
	if !errors.As(err, &hc) || hc.File != "0002_lairs.sql" || hc.Index != 1 {
		t.Fatalf("Apply error = %v, want statement 1 changed", err)
	}
	if v := mustCurrent(t, e); v != "0001" {
		t.Errorf("version %q", v)
	}
	// The way out: repair by hand, stamp, carry on.
	if _, err := e.DB.Exec("DROP TABLE `villain`"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Stamp(ctx, "0001"); err != nil {
		t.Fatal(err)
	}
	fixLairs(t, d, "INSERT INTO `lair` VALUES (1);", "CREATE TABLE `lair` (`id` integer);")
	if res, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil || res.Statements != 3 {
		t.Fatalf("Apply after stamp = %+v, %v", res, err)
	}
	if got := columns(t, e.DB, "villain"); !slices.Equal(got, []string{"id", "name"}) {
		t.Errorf("villain columns %v", got)
	}
}

// A process that dies between statements leaves a row with progress but no
// error; status calls it interrupted and apply resumes after the last
// recorded statement.
func TestNonTransactionalInterrupted(t *testing.T) {
	ctx := context.Background()
	d := partialDir(t)
	fixLairs(t, d, "INSERT INTO `lair` VALUES (1);", "CREATE TABLE `lair` (`id` integer);")
	e, _ := newExec(t, d)
	e.Driver = autocommit{sqlite.New()}
	// Stop the run after statement 2 of 0002 as a crash would: the context
	// is cancelled, and the failure row is then made to look unwritten.
	runCtx, cancel := context.WithCancel(ctx)
	e.Observer = func(ev executor.Event) {
		if done, ok := ev.(*executor.StatementDone); ok && done.Migration.Version == "0002" && done.Index == 2 {
			cancel()
		}
	}
	if _, err := e.Apply(runCtx, executor.ApplyOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply error = %v, want context.Canceled", err)
	}
	e.Observer = nil
	// A crash before statement 3 also leaves what the run knew of it:
	// every statement of this engine runs in a transaction with its record.
	if _, err := e.DB.Exec("UPDATE schemactl_version_history SET error = NULL, error_statement = NULL, finished_at = NULL, next_statement = 3, next_kind = 'tx' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f := st.Failure; f == nil || !f.Interrupted || !f.Partial || f.Done != 2 || f.Error != "" {
		t.Fatalf("Status.Failure = %+v", st.Failure)
	}
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	if err != nil || res.Statements != 1 || res.To != "0002" {
		t.Fatalf("Apply after crash = %+v, %v", res, err)
	}
}

// lockHeld is a driver whose lock is always taken by someone else, as
// MySQL's GET_LOCK reports after its timeout.
type lockHeld struct{ *sqlite.Dialect }

func (lockHeld) Lock(context.Context, *sql.Conn, time.Duration) (func() error, error) {
	return nil, fmt.Errorf("get_lock returned 0: %w", os.ErrDeadlineExceeded)
}

func TestLockTimeout(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 1))
	e.Driver = lockHeld{sqlite.New()}
	e.LockTimeout = 50 * time.Millisecond
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	if !errors.Is(err, executor.ErrLocked) || !strings.HasPrefix(err.Error(), "another migration run holds the lock (waited 50ms)") {
		t.Errorf("Apply error = %v, want ErrLocked", err)
	}
	if _, err := e.Stamp(ctx, "0001"); !errors.Is(err, executor.ErrLocked) {
		t.Errorf("Stamp error = %v, want ErrLocked", err)
	}
	if got := tables(t, e.DB); len(got) != 0 {
		t.Errorf("tables %v", got)
	}
}

// On SQLite the wait happens in BEGIN IMMEDIATE; a writer that holds the
// database past the lock timeout stops the run before anything changes.
func TestSQLiteBusyDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	d := heroDir(t, 1)
	e := &executor.Executor{DB: openDB(t, path), Driver: sqlite.New(), Dir: d, LockTimeout: 100 * time.Millisecond}
	if _, err := e.Stamp(ctx, "base"); err != nil { // create the version tables
		t.Fatal(err)
	}
	holder := openDB(t, path)
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	if err == nil {
		t.Fatal("Apply succeeded while another writer held the database")
	}
	t.Logf("error: %v (after %s)", err, time.Since(start))
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if v := mustCurrent(t, e); v != "" {
		t.Errorf("version %q", v)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Errorf("Apply once the writer is gone: %v", err)
	}
}

// TestInterruptSQLite: Executor.Interrupt stops a SQLite run after the
// running statement; the migration's transaction rolls back whole.
func TestInterruptSQLite(t *testing.T) {
	ctx := context.Background()
	d := partialDir(t)
	fixLairs(t, d, "INSERT INTO `lair` VALUES (1);", "CREATE TABLE `lair` (`id` integer);")
	e, _ := newExec(t, d)
	stop := make(chan struct{})
	e.Interrupt = stop
	e.Observer = func(ev executor.Event) {
		if s, ok := ev.(*executor.StatementDone); ok && s.Migration.Version == "0002" && s.Index == 1 {
			close(stop)
		}
	}
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	var ie *executor.InterruptedError
	if !errors.As(err, &ie) || !ie.RolledBack || ie.Done != 1 ||
		err.Error() != "interrupted after statement 1 of 3 of 0002_lairs.sql: its transaction rolled back, nothing of it stays" {
		t.Fatalf("Apply = %v, want interrupted and rolled back", err)
	}
	if res.To != "0001" || len(res.Migrations) != 1 || slices.Contains(tables(t, e.DB), "villain") {
		t.Fatalf("result %+v, tables %v: 0002 must have rolled back", res, tables(t, e.DB))
	}
	e.Interrupt, e.Observer = nil, nil
	if res, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil || res.To != "0002" {
		t.Fatalf("Apply after the interrupt = %+v, %v", res, err)
	}
}

// TestInterruptBetweenMigrationsSQLite: a stop asked for during the last
// statement of a migration ends the run after that migration commits; the
// next migration does not start (it used to run to the head).
func TestInterruptBetweenMigrationsSQLite(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 3))
	stop := make(chan struct{})
	e.Interrupt = stop
	e.Observer = func(ev executor.Event) {
		if s, ok := ev.(*executor.StatementStart); ok && s.Migration.Version == "0002" {
			close(stop)
		}
	}
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	var ie *executor.InterruptedError
	if !errors.As(err, &ie) || res == nil || res.To != "0002" {
		t.Fatalf("Apply = %+v, %v; want interrupted at 0002", res, err)
	}
	if slices.Contains(tables(t, e.DB), "team") {
		t.Error("0003 ran after the interrupt")
	}
}
