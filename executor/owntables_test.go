package executor_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// Format1 are the version and history tables exactly as schemactl created
// them before the format marker (commit c0644f0), with three history rows
// and the database at base.
func format1(t *testing.T, db *sql.DB) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "format1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range strings.Split(string(data), ";\n") {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// catalog is the text of the tables and indexes of the database whose name
// is LIKE pattern, which an upgrade changes and a read or a repeated upgrade
// must not.
func catalog(t *testing.T, db *sql.DB, pattern string) string {
	t.Helper()
	rows, err := db.Query("SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE name LIKE ? ORDER BY name", pattern)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s: %s\n", typ, name, text)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// historyRows is the history as "id version direction operator session".
func historyRows(t *testing.T, e *executor.Executor) []string {
	t.Helper()
	hist, err := e.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range hist {
		out = append(out, fmt.Sprintf("%d %s %s %s %q", r.ID, r.Version, r.Direction, r.Operator, r.Session))
	}
	return out
}

var format1History = []string{
	`1 0001 up alice@laptop ""`,
	`2 0001 down alice@laptop ""`,
	`3 0001 up bob@ci ""`,
}

// TestUpgradeFromFormat1: reading a database of today's tables changes
// nothing; the first write upgrades it to format 2 and keeps its rows; the
// next run upgrades nothing.
func TestUpgradeFromFormat1(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 2))
	format1(t, e.DB)
	before := catalog(t, e.DB, "%")

	// Status, history, current and a dry run read format 1 as it is.
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Current != "" || st.Failure == nil || st.Failure.Error != "table hero already exists" {
		t.Errorf("Status = %+v, failure %+v", st, st.Failure)
	}
	if diff := cmp.Diff(format1History, historyRows(t, e)); diff != "" {
		t.Errorf("history of format 1 (-want +got):\n%s", diff)
	}
	if v := mustCurrent(t, e); v != "" {
		t.Errorf("Current = %q", v)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DowngradeDryRun(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	if after := catalog(t, e.DB, "%"); after != before {
		t.Fatalf("reading changed the catalog:\n%s\nwas:\n%s", after, before)
	}

	// Apply writes: the tables are upgraded first, the rows kept.
	if _, err := e.Apply(ctx, executor.ApplyOptions{To: "0001"}); err != nil {
		t.Fatal(err)
	}
	if got := columns(t, e.DB, "schemactl_version_history"); !slices.Contains(got, "session_id") || !slices.Contains(got, "next_image") || got[len(got)-1] != "pins" {
		t.Errorf("history columns %v, want session_id, next_image, and pins last", got)
	}
	var format string
	if err := e.DB.QueryRow("SELECT version FROM schemactl_version_history WHERE id = 0 AND direction = 'format'").Scan(&format); err != nil || format != strconv.Itoa(executor.TablesFormat) {
		t.Errorf("format marker %q, %v; want %d", format, err, executor.TablesFormat)
	}
	got := historyRows(t, e)
	if diff := cmp.Diff(format1History, got[:min(3, len(got))]); diff != "" || len(got) != 4 ||
		!strings.HasPrefix(got[3], "4 0001 up ") || !strings.HasSuffix(got[3], fmt.Sprintf(` "pid:%d"`, os.Getpid())) {
		t.Errorf("history after the upgrade: %q", got)
	}

	// Again: nothing more to upgrade, whatever runs.
	upgraded := catalog(t, e.DB, "schemactl%")
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Stamp(ctx, "0001"); err != nil {
		t.Fatal(err)
	}
	if again := catalog(t, e.DB, "schemactl%"); again != upgraded {
		t.Errorf("own tables after more runs:\n%s\nwere:\n%s", again, upgraded)
	}
	if got, want := ownTablesSQL(t, e.DB), ownTablesSQL(t, openUpgraded(t)); got != want {
		t.Errorf("own tables of an upgraded database:\n%s\ndiffer from a new one's:\n%s", got, want)
	}
}

// ownTablesSQL lists the columns of the executor's own tables.
func ownTablesSQL(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, n := range tables(t, db) {
		if strings.HasPrefix(n, "schemactl_version") {
			fmt.Fprintf(&b, "%s: %v\n", n, columns(t, db, n))
		}
	}
	return b.String()
}

// openUpgraded is a new database whose tables format 2 created from the
// start.
func openUpgraded(t *testing.T) *sql.DB {
	t.Helper()
	e, _ := newExec(t, heroDir(t, 1))
	if _, err := e.Stamp(context.Background(), "base"); err != nil {
		t.Fatal(err)
	}
	return e.DB
}

// TestUpgradeResumes: an upgrade that stopped after any of its steps (a
// MySQL run killed between two DDL statements) is finished by the next
// run, which repeats no step.
func TestUpgradeResumes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []string
	}{
		{"nothing done", nil},
		{"column added, no marker", []string{"ALTER TABLE schemactl_version_history ADD COLUMN session_id VARCHAR(64) NULL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			e, _ := newExec(t, heroDir(t, 1))
			format1(t, e.DB)
			for _, s := range tc.steps {
				if _, err := e.DB.Exec(s); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			if got, want := ownTablesSQL(t, e.DB), ownTablesSQL(t, openUpgraded(t)); got != want {
				t.Errorf("own tables:\n%s\nwant:\n%s", got, want)
			}
			if got := historyRows(t, e); len(got) != 4 || got[2] != format1History[2] {
				t.Errorf("history %q", got)
			}
		})
	}
}

// TestConcurrentUpgrade: runs that find format 1 at once upgrade it once
// between them, and each migration still runs once.
func TestConcurrentUpgrade(t *testing.T) {
	d := heroDir(t, 2)
	path := filepath.Join(t.TempDir(), "app.db")
	format1(t, openDB(t, path))
	execs := make([]*executor.Executor, 4)
	for i := range execs {
		execs[i] = &executor.Executor{DB: openDB(t, path), Driver: sqlite.New(), Dir: d}
	}
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
	if got := historyRows(t, execs[0]); len(got) != 5 {
		t.Errorf("history %q, want the 3 old rows and 0001, 0002", got)
	}
}

// TestNewerFormatRefused: a database written by a newer schemactl is
// neither read nor written.
func TestNewerFormatRefused(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 1))
	if _, err := e.Stamp(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	newer := executor.TablesFormat + 1
	if _, err := e.DB.Exec("UPDATE schemactl_version_history SET version = ? WHERE id = 0 AND direction = 'format'", strconv.Itoa(newer)); err != nil {
		t.Fatal(err)
	}
	before := catalog(t, e.DB, "%")
	calls := map[string]func() error{
		"current":      func() error { _, err := e.Current(ctx); return err },
		"history":      func() error { _, err := e.History(ctx); return err },
		"status":       func() error { _, err := e.Status(ctx); return err },
		"apply":        func() error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err },
		"dry run":      func() error { _, err := e.Apply(ctx, executor.ApplyOptions{DryRun: true}); return err },
		"down":         func() error { _, err := e.Downgrade(ctx, "base"); return err },
		"down dry run": func() error { _, err := e.DowngradeDryRun(ctx, "base"); return err },
		"stamp":        func() error { _, err := e.Stamp(ctx, "0001"); return err },
	}
	msg := fmt.Sprintf("schemactl_version was written by a newer schemactl (format %d); this one knows format %d: upgrade schemactl", newer, executor.TablesFormat)
	for name, call := range calls {
		err := call()
		if !errors.Is(err, executor.ErrNewerFormat) || err.Error() != msg {
			t.Errorf("%s: %v, want %q", name, err, msg)
		}
	}
	if after := catalog(t, e.DB, "%"); after != before {
		t.Errorf("a refused command changed the catalog:\n%s", after)
	}
	if v := mustSQL(t, e.DB, "SELECT count(*) FROM schemactl_version_history WHERE direction <> 'format'"); v != "1" {
		t.Errorf("history rows %s, want the stamp only", v)
	}
}

func mustSQL(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	var s string
	if err := db.QueryRow(query).Scan(&s); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}
