package fleet_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/engine/fleet"
	"github.com/schemactl/schemactl/executor"
	_ "github.com/schemactl/schemactl/internal/testflag"

	_ "modernc.org/sqlite" // the bare driver, to break one target by hand
)

// counts are the proof: 50 MariaDB databases and 200 SQLite files
// (about 16 s here); -short runs 20 and 50.
func counts() (mysqlN, sqliteN int) {
	if testing.Short() {
		return 20, 50
	}
	return 50, 200
}

// migrations are three migrations whose 0002 creates table b in its second
// statement: a target that has a table b already fails in the middle of it.
var migrations = map[string]string{
	"0001_hero.sql": "-- schemactl 0001 \"hero\"\n-- +up\nCREATE TABLE hero (id int NOT NULL PRIMARY KEY);\n-- +down\nDROP TABLE hero;\n",
	"0002_ab.sql":   "-- schemactl 0002 \"ab\"\n-- revises: 0001\n-- +up\nCREATE TABLE a (id int NOT NULL PRIMARY KEY);\nCREATE TABLE b (id int NOT NULL PRIMARY KEY);\n-- +down\nDROP TABLE b;\nDROP TABLE a;\n",
	"0003_c.sql":    "-- schemactl 0003 \"c\"\n-- revises: 0002\n-- +up\nCREATE TABLE c (id int NOT NULL PRIMARY KEY);\n-- +down\nDROP TABLE c;\n",
}

// migrationDir writes migrations and their schemactl.sum into a new
// directory.
func migrationDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "migrations")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, src := range migrations {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := executor.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Lexer = sqlite.New() // the files are plain enough for either engine's
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sqliteFleet is n SQLite targets on dir, in a new directory.
func sqliteFleet(t testing.TB, n int, dir string) []engine.Target {
	t.Helper()
	root := t.TempDir()
	ts := make([]engine.Target, n)
	for i := range ts {
		ts[i] = engine.Target{URL: fmt.Sprintf("sqlite://%s/t%03d.db", root, i), Dir: dir}
	}
	return ts
}

// breakSQLite creates table b in a SQLite target, so that 0002 fails there.
func breakSQLite(t *testing.T, tg engine.Target, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", strings.TrimPrefix(tg.URL, "sqlite://"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

// TestApplySQLiteFleet: one target of the fleet fails in the middle; each
// policy leaves the others where it says, the results name the failure,
// and a re-run after the fix does the failed target's work only.
func TestApplySQLiteFleet(t *testing.T) {
	_, n := counts()
	bad := n / 2
	for _, tc := range []struct {
		name        string
		opts        fleet.Options
		wantOK      int // targets at 0003 after the first run
		wantSkipped int
	}{
		{"continue", fleet.Options{Concurrency: 4, OnFailure: fleet.Continue}, n - 1, 0},
		{"stop", fleet.Options{Concurrency: 1, OnFailure: fleet.Stop}, bad, n - bad - 1},
		{"canary", fleet.Options{Concurrency: 4, Canary: bad + 1, OnFailure: fleet.Continue}, bad, n - bad - 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			ts := sqliteFleet(t, n, migrationDir(t))
			breakSQLite(t, ts[bad], "CREATE TABLE b (x int)")
			var done int
			tc.opts.Done = func(fleet.Result) { done++ }
			rs := fleet.Apply(ctx, ts, tc.opts, engine.ApplyOptions{})
			if done != n {
				t.Errorf("Done heard of %d targets, want %d", done, n)
			}
			if fleet.Reached(rs) {
				t.Fatal("Reached with a failed target")
			}
			var ok, skipped int
			for i, r := range rs {
				switch {
				case i == bad:
					if r.Outcome != fleet.Failed || r.Err == nil || !strings.Contains(r.Err.Error(), "b") || r.To != "0001" {
						t.Errorf("target %d: %+v, want failed at 0001 on table b", i, r)
					}
					if !strings.HasSuffix(r.Target, fmt.Sprintf("t%03d.db", bad)) {
						t.Errorf("failed target named %q", r.Target)
					}
				case r.Outcome == fleet.OK:
					ok++
					if r.To != "0003" || r.From != "" {
						t.Errorf("target %d: %s -> %s, want base -> 0003", i, r.From, r.To)
					}
				case r.Outcome == fleet.Skipped:
					skipped++
					if !errors.Is(r.Err, fleet.ErrSkipped) {
						t.Errorf("target %d skipped with %v", i, r.Err)
					}
					if _, err := os.Stat(strings.TrimPrefix(ts[i].URL, "sqlite://")); err == nil {
						t.Errorf("target %d skipped, and its database was created", i)
					}
				default:
					t.Errorf("target %d: %+v", i, r)
				}
			}
			if ok != tc.wantOK || skipped != tc.wantSkipped {
				t.Errorf("%d ok, %d skipped; want %d, %d", ok, skipped, tc.wantOK, tc.wantSkipped)
			}

			// fixed: the re-run finishes the failed target, and the skipped
			// ones, and runs nothing on the others
			breakSQLite(t, ts[bad], "DROP TABLE b")
			rs = fleet.Apply(ctx, ts, fleet.Options{Concurrency: 4}, engine.ApplyOptions{})
			if !fleet.Reached(rs) {
				t.Fatalf("re-run: %+v", rs)
			}
			var ran int
			for _, r := range rs {
				if r.To != "0003" {
					t.Errorf("re-run: %s at %s", r.Target, r.To)
				}
				if r.From != r.To {
					ran++
				}
			}
			if ran != 1+tc.wantSkipped || rs[bad].From != "0001" {
				t.Errorf("re-run ran on %d targets (the failed one from %q), want %d", ran, rs[bad].From, 1+tc.wantSkipped)
			}
		})
	}
}

// TestInterruptStartsNoMore: a closed Interrupt starts no target.
func TestInterruptStartsNoMore(t *testing.T) {
	ts := sqliteFleet(t, 5, migrationDir(t))
	stop := make(chan struct{})
	close(stop)
	rs := fleet.Apply(context.Background(), ts, fleet.Options{Concurrency: 2, Interrupt: stop}, engine.ApplyOptions{})
	for _, r := range rs {
		if r.Outcome != fleet.Skipped || !strings.Contains(r.Err.Error(), "interrupted") {
			t.Errorf("%s: %v %v", r.Target, r.Outcome, r.Err)
		}
	}
}

// TestStatusSkew: status reports each target's version against the head.
func TestStatusSkew(t *testing.T) {
	ctx := context.Background()
	ts := sqliteFleet(t, 4, migrationDir(t))
	for i, to := range []string{"0001", "0003", "0003"} {
		e, err := engine.Open(ctx, ts[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Apply(ctx, engine.ApplyOptions{To: to}); err != nil {
			t.Fatal(err)
		}
		e.Close()
	}
	rs := fleet.Status(ctx, ts[:3], fleet.Options{Concurrency: 2})
	var got []string
	for _, r := range rs {
		got = append(got, fmt.Sprintf("%s/%s/%v/%v", r.From, r.To, r.Outcome, r.Behind()))
	}
	want := "0001/0003/ok/true 0003/0003/ok/false 0003/0003/ok/false"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
	// A target without its database fails, and says so: status creates none.
	rs = fleet.Status(ctx, ts[3:], fleet.Options{})
	if rs[0].Outcome != fleet.Failed {
		t.Errorf("missing database: %+v", rs[0])
	}
}

func TestReadURLs(t *testing.T) {
	name := filepath.Join(t.TempDir(), "urls")
	src := "# tenants\nsqlite://a.db\n\n  sqlite://b.db  \n  # gone\nsqlite://c.db\n"
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := fleet.ReadURLs(name)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "sqlite://a.db,sqlite://b.db,sqlite://c.db" {
		t.Errorf("got %q", got)
	}
	if _, err := fleet.ReadURLs(name + ".missing"); err == nil {
		t.Error("a missing file read")
	}
}

func TestIsGlob(t *testing.T) {
	for raw, want := range map[string]bool{
		"mysql://root@h/tenant_*":    true,
		"mariadb://root@h/t*x":       true,
		"mysql://root@h/t?x=1":       false, // a query, not a pattern
		"mysql://u:p@h:3306/[ab]x":   true,
		"mysql://root@h/tenant_1":    false,
		"sqlite://tenant_*.db":       false,
		"mysql://root@h/db?tls=true": false,
	} {
		if got := fleet.IsGlob(raw); got != want {
			t.Errorf("IsGlob(%q) = %v", raw, got)
		}
	}
}

// TestInterruptMidway: an interrupt while the fleet runs lets the running
// target finish and starts no other.
func TestInterruptMidway(t *testing.T) {
	ts := sqliteFleet(t, 6, migrationDir(t))
	stop := make(chan struct{})
	opts := fleet.Options{Interrupt: stop, Done: func(r fleet.Result) {
		if r.Index == 1 {
			close(stop)
		}
	}}
	rs := fleet.Apply(context.Background(), ts, opts, engine.ApplyOptions{})
	for i, r := range rs {
		want := fleet.Skipped
		if i < 2 {
			want = fleet.OK
		}
		if r.Outcome != want {
			t.Errorf("target %d: %v %v, want %v", i, r.Outcome, r.Err, want)
		}
	}
}

// TestNoPassword: a target's name and error never hold its password, be
// it started or not.
func TestNoPassword(t *testing.T) {
	ts := []engine.Target{
		{URL: "mysql://app:s3cret@127.0.0.1:1/a", Dir: migrationDir(t)},
		{URL: "mysql://app:s3cret@127.0.0.1:1/b", Dir: migrationDir(t)},
	}
	rs := fleet.Apply(context.Background(), ts, fleet.Options{}, engine.ApplyOptions{})
	for _, r := range rs {
		if r.Outcome == fleet.OK || strings.Contains(r.Target+r.Err.Error(), "s3cret") || !strings.Contains(r.Target, "127.0.0.1:1/") {
			t.Errorf("%+v", r)
		}
	}
	if _, _, err := fleet.Expand(context.Background(), []string{"mysql://app:s3cret@127.0.0.1:1/t_*"}); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Expand on no server: %v", err)
	}
	if _, _, err := fleet.Expand(context.Background(), []string{"mysql://app:s3cret@127.0.0.1:1/t_[*"}); err == nil || !strings.Contains(err.Error(), "pattern") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Expand of a bad pattern: %v", err)
	}
}
