package mysql_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testdb"
)

// lairsDir is the hero table, then a three-statement migration whose
// second statement is given.
func lairsDir(t *testing.T, second string) *executor.Dir {
	t.Helper()
	d := mysqlDir(t)
	steps := []struct {
		msg      string
		up, down []string
	}{
		{"init", []string{"CREATE TABLE `hero` (`id` int NOT NULL PRIMARY KEY, `name` varchar(50) NOT NULL)"}, []string{"DROP TABLE `hero`"}},
		{"lairs",
			[]string{"CREATE TABLE `villain` (`id` int NOT NULL PRIMARY KEY)", second, "CREATE TABLE `henchman` (`id` int NOT NULL PRIMARY KEY)"},
			[]string{"DROP TABLE `henchman`", "DROP TABLE `lair`", "DROP TABLE `villain`"}},
	}
	for _, s := range steps {
		up, down := executor.Statements(s.up...), executor.Statements(s.down...)
		if _, err := d.Write(s.msg, up, down); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// fix edits statement text in 0002_lairs.sql and updates the sum file, as
// a developer fixing the migration would.
func fix(t *testing.T, d *executor.Dir, old, new string) {
	t.Helper()
	path := filepath.Join(d.Path(), "0002_lairs.sql")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
}

func (s *server) executor(d *executor.Dir, log *[]string) *executor.Executor {
	return &executor.Executor{DB: s.db, Driver: s.d, Dir: d, LockTimeout: 2 * time.Second,
		Observer: func(ev executor.Event) {
			if st, ok := ev.(*executor.MigrationStart); ok && log != nil {
				*log = append(*log, fmt.Sprintf("start %s %s resume=%d", st.Direction, st.Migration.Version, st.Resume))
			}
		}}
}

func (s *server) tables(t *testing.T) []string {
	t.Helper()
	rows, err := s.db.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", s.name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

func history(t *testing.T, e *executor.Executor) []string {
	t.Helper()
	hist, err := e.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range hist {
		got = append(got, fmt.Sprintf("%s %s %d/%d err@%d ok=%v", r.Direction, r.Version, r.Done, r.Total, r.ErrorStatement, r.Succeeded()))
	}
	return got
}

// TestExecutorResume: a migration fails at its second statement. Status
// says which statement failed and which ran; a retry resumes at the failed
// statement (re-running the first would fail: its table exists), and once
// the file is fixed the migration finishes.
func TestExecutorResume(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	d := lairsDir(t, "INSERT INTO `lair` VALUES (1)")
	var log []string
	e := s.executor(d, &log)

	_, err := e.Apply(ctx, executor.ApplyOptions{})
	var se *executor.StmtError
	if !errors.As(err, &se) || se.Index != 2 || se.File != "0002_lairs.sql" {
		t.Fatalf("Apply error = %v, want statement 2 of 0002_lairs.sql to fail", err)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f := st.Failure; st.Current != "0001" || f == nil || !f.Partial || f.Interrupted || f.Done != 1 || f.Total != 3 ||
		f.ErrorStatement != 2 || f.File != "0002_lairs.sql" || !strings.Contains(f.Error, "lair") {
		t.Fatalf("Status = %+v, failure %+v", st, st.Failure)
	}
	if got := s.tables(t); !slices.Contains(got, "villain") || slices.Contains(got, "henchman") {
		t.Fatalf("tables %v: statement 1 must have stayed, 3 must not have run", got)
	}

	log = nil
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); !errors.As(err, &se) || se.Index != 2 {
		t.Fatalf("retry error = %v, want statement 2 to fail again", err)
	}
	if len(log) == 0 || log[0] != "start up 0002 resume=1" {
		t.Errorf("retry events %v, want a resume after statement 1", log)
	}

	fix(t, d, "INSERT INTO `lair` VALUES (1)", "CREATE TABLE `lair` (`id` int NOT NULL PRIMARY KEY)")
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.To != "0002" || res.Statements != 2 {
		t.Errorf("resumed Apply = %+v, want 2 statements run up to 0002", res)
	}
	want := []string{
		"up 0001 1/1 err@0 ok=true",
		"up 0002 1/3 err@2 ok=false",
		"up 0002 1/3 err@2 ok=false",
		"up 0002 3/3 err@0 ok=true",
	}
	if got := history(t, e); !slices.Equal(got, want) {
		t.Errorf("history\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st, err := e.Status(ctx); err != nil || st.Failure != nil || st.Current != "0002" {
		t.Errorf("Status after resume = %+v, %v", st, err)
	}
	if res, err := e.Downgrade(ctx, "-1"); err != nil || res.To != "0001" {
		t.Fatalf("Downgrade = %+v, %v", res, err)
	}
	if got := s.tables(t); slices.Contains(got, "villain") || slices.Contains(got, "lair") {
		t.Errorf("tables after downgrade %v", got)
	}
}

// TestExecutorKilled: the connection running a migration is killed from a
// second connection in the middle of its second statement. The lock dies
// with the session; status reports the run as interrupted after statement
// 1; apply refuses to guess whether statement 2 took effect, and resumes
// at statement 2, never running statement 1 again, once told.
func TestExecutorKilled(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	const sleep = "DO SLEEP(30)"
	d := lairsDir(t, sleep)
	e := s.executor(d, nil)
	killed := make(chan error, 1)
	e.Observer = func(ev executor.Event) {
		if st, ok := ev.(*executor.StatementStart); ok && st.Migration.Version == "0002" && st.Index == 2 {
			go func() { killed <- testdb.KillSession(ctx, s.db, sleep) }()
		}
	}
	start := time.Now()
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	if kerr := <-killed; kerr != nil {
		t.Fatal(kerr)
	}
	var se *executor.StmtError
	if !errors.As(err, &se) || se.Index != 2 {
		t.Fatalf("Apply error = %v, want statement 2 to fail", err)
	}
	if time.Since(start) > 20*time.Second {
		t.Fatalf("the KILL did not stop the statement")
	}
	e.Observer = nil
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f := st.Failure; st.Current != "0001" || f == nil || !f.Partial || !f.Interrupted || f.Done != 1 || f.Total != 3 || f.File != "0002_lairs.sql" {
		t.Fatalf("Status = %+v, failure %+v", st, st.Failure)
	}

	// Statement 2 was running when the session died: whether it took
	// effect, the catalog cannot show (DO), so apply refuses to guess.
	var de *executor.DoubtError
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); !errors.As(err, &de) || de.Index != 2 ||
		!strings.Contains(err.Error(), "the catalog cannot show the effect of DO") || !strings.Contains(err.Error(), "--resume-rerun") {
		t.Fatalf("Apply after the kill = %v, want statement 2 in doubt", err)
	}

	// The operator fixes the file and says statement 2 did not take
	// effect: the run resumes at statement 2. If statement 1 ran again, it
	// would fail, since villain exists. The killed session's lock is gone,
	// or this would wait for it and fail.
	fix(t, d, sleep, "CREATE TABLE `lair` (`id` int NOT NULL PRIMARY KEY)")
	e.Resolve = executor.ResumeRerun
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.To != "0002" || res.Statements != 2 {
		t.Errorf("resumed Apply = %+v, want 2 statements run up to 0002", res)
	}
	want := []string{"henchman", "hero", "lair", "schemactl_version", "schemactl_version_history", "villain"}
	if got := s.tables(t); !slices.Equal(got, want) {
		t.Errorf("tables %v, want %v", got, want)
	}
}

// TestExecutorLock: a run waits for another session's migration lock and
// gives up with ErrLocked.
func TestExecutorLock(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	unlock, err := s.d.Lock(ctx, conn, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	e := s.executor(lairsDir(t, "SELECT 1"), nil)
	e.LockTimeout = time.Second
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); !errors.Is(err, executor.ErrLocked) {
		t.Fatalf("Apply while locked = %v, want ErrLocked", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if res, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil || res.To != "0002" {
		t.Fatalf("Apply after unlock = %+v, %v", res, err)
	}
}

// mysqlDir is a new, empty migration directory read with MySQL's lexer.
func mysqlDir(t *testing.T) *executor.Dir {
	t.Helper()
	d, err := executor.OpenDir(filepath.Join(t.TempDir(), "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	d.Lexer = mysql.New(mysql.Flavor{})
	return d
}
