package mysql_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/schemactl/schemactl/executor"
)

// format1 creates the version and history tables exactly as schemactl did
// before the format marker, on a server whose default engine is MyISAM (as
// a session setting here), with three history rows; the database is at
// base.
func (s *server) format1(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "executor", "testdata", "format1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stmts := append([]string{"SET SESSION default_storage_engine = MyISAM"}, strings.Split(string(data), ";\n")...)
	for _, st := range stmts {
		if _, err := conn.ExecContext(ctx, st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

// ownTables describes the executor's tables: SHOW CREATE TABLE of each,
// which carries engine, columns and keys.
func (s *server) ownTables(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	creates := s.showCreate(t)
	for _, n := range slices.Sorted(maps.Keys(creates)) {
		if strings.HasPrefix(n, "schemactl_version") {
			fmt.Fprintln(&b, creates[n])
		}
	}
	return b.String()
}

func (s *server) engines(t *testing.T) map[string]string {
	t.Helper()
	rows, err := s.db.Query("SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 'schemactl%'", s.name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var n, e string
		if err := rows.Scan(&n, &e); err != nil {
			t.Fatal(err)
		}
		m[n] = e
	}
	return m
}

// sessions lists the session of each history row, "-" for none.
func sessions(t *testing.T, e *executor.Executor) []string {
	t.Helper()
	hist, err := e.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range hist {
		out = append(out, cmp.Or(r.Session, "-"))
	}
	return out
}

// TestUpgradeFormat1: reading commands leave today's MyISAM tables alone;
// the first apply makes them InnoDB, adds session_id and the format marker,
// keeps the rows and records its session; the next runs change nothing.
func TestUpgradeFormat1(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	s.format1(t)
	e := s.executor(lairsDir(t, "SELECT 1"), nil)
	before := s.ownTables(t)
	if st, err := e.Status(ctx); err != nil || st.Current != "" || st.Failure == nil {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	if got := sessions(t, e); !slices.Equal(got, []string{"-", "-", "-"}) {
		t.Errorf("sessions of format 1 rows %v", got)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if after := s.ownTables(t); after != before {
		t.Fatalf("reading changed the tables:\n%s\nwere:\n%s", after, before)
	}

	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"schemactl_version": "InnoDB", "schemactl_version_history": "InnoDB"}
	if got := s.engines(t); !maps.Equal(got, want) {
		t.Errorf("engines %v, want %v", got, want)
	}
	var format string
	if err := s.db.QueryRow("SELECT version FROM schemactl_version_history WHERE id = 0 AND direction = 'format'").Scan(&format); err != nil || format != "3" {
		t.Errorf("format marker %q, %v", format, err)
	}
	got := sessions(t, e)
	if len(got) != 5 || !slices.Equal(got[:3], []string{"-", "-", "-"}) || got[3] != got[4] {
		t.Fatalf("sessions %v, want three old rows and two of one session", got)
	}
	if _, err := strconv.ParseUint(got[3], 10, 64); err != nil {
		t.Errorf("session %q is not a connection id", got[3])
	}
	if h := history(t, e); h[2] != "up 0001 0/2 err@1 ok=false" {
		t.Errorf("old rows not kept: %v", h)
	}

	upgraded := s.ownTables(t)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Stamp(ctx, "0002"); err != nil {
		t.Fatal(err)
	}
	if again := s.ownTables(t); again != upgraded {
		t.Errorf("tables after more runs:\n%s\nwere:\n%s", again, upgraded)
	}
	fresh := newServer(t)
	if _, err := fresh.executor(lairsDir(t, "SELECT 1"), nil).Stamp(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	if got, want := columnsOf(t, s), columnsOf(t, fresh); got != want {
		t.Errorf("columns of upgraded tables:\n%s\nof new ones:\n%s", got, want)
	}
}

// columnsOf lists the own tables' columns with their types and nullability.
func columnsOf(t *testing.T, s *server) string {
	t.Helper()
	rows, err := s.db.Query(`SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 'schemactl%' ORDER BY TABLE_NAME, ORDINAL_POSITION`, s.name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var c [5]string
		if err := rows.Scan(&c[0], &c[1], &c[2], &c[3], &c[4]); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, strings.Join(c[:], " "))
	}
	return b.String()
}

// TestConcurrentUpgradeMySQL: two runs find format 1 at once; the lock
// serialises them, the upgrade happens once and each migration runs once.
func TestConcurrentUpgradeMySQL(t *testing.T) {
	s := newServer(t)
	s.format1(t)
	d := lairsDir(t, "SELECT 1")
	execs := []*executor.Executor{s.executor(d, nil), s.executor(d, nil)}
	errs := make([]error, len(execs))
	var wg sync.WaitGroup
	for i, e := range execs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.Apply(context.Background(), executor.ApplyOptions{})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	want := []string{"up 0001 2/2 err@0 ok=true", "down 0001 1/1 err@0 ok=true", "up 0001 0/2 err@1 ok=false",
		"up 0001 1/1 err@0 ok=true", "up 0002 3/3 err@0 ok=true"}
	if got := history(t, execs[0]); !slices.Equal(got, want) {
		t.Errorf("history\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestNewerFormatRefusedMySQL: a format this build does not know is
// refused by reading and writing commands alike, and nothing is written.
func TestNewerFormatRefusedMySQL(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	e := s.executor(lairsDir(t, "SELECT 1"), nil)
	if _, err := e.Stamp(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	s.exec(t, "UPDATE schemactl_version_history SET version = '4' WHERE id = 0 AND direction = 'format'")
	before := s.ownTables(t)
	for name, call := range map[string]func() error{
		"status": func() error { _, err := e.Status(ctx); return err },
		"apply":  func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err },
		"stamp":  func() error { _, err := e.Stamp(ctx, "0001"); return err },
	} {
		if err := call(); !errors.Is(err, executor.ErrNewerFormat) || !strings.Contains(err.Error(), "(format 4); this one knows format 3: upgrade schemactl") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if after := s.ownTables(t); after != before {
		t.Errorf("tables changed:\n%s", after)
	}
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM schemactl_version_history WHERE direction <> 'format'").Scan(&n); err != nil || n != 1 {
		t.Errorf("history rows %d, %v; want the stamp only", n, err)
	}
}
