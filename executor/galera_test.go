package executor_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testdb"
)

// galeraSteps are migrations of which a second run would show: DDL that
// fails when repeated, and DML that would simply count twice.
var galeraSteps = [][]string{
	{"CREATE TABLE hero (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL) ENGINE=InnoDB",
		"CREATE TABLE ran (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(8) NOT NULL) ENGINE=InnoDB",
		"INSERT INTO ran (v) VALUES ('0001')"},
	{"INSERT INTO hero (id, name) VALUES (1, 'Deadpond'), (2, 'Spider-Boy')",
		"INSERT INTO ran (v) VALUES ('0002')"},
	{"ALTER TABLE hero ADD COLUMN power INT NULL",
		"INSERT INTO ran (v) VALUES ('0003')"},
}

// galeraDir writes galeraSteps as a migration directory.
func galeraDir(t *testing.T) *executor.Dir {
	t.Helper()
	dir, err := executor.OpenDir(filepath.Join(t.TempDir(), "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	dir.Lexer = mysql.New(mysql.Flavor{})
	for i, step := range galeraSteps {
		if _, err := dir.Write(fmt.Sprintf("step %d", i+1), executor.Statements(step...), nil); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// galeraNode opens node u as an application of schemactl would.
func galeraNode(t *testing.T, u string, dir *executor.Dir) (*executor.Executor, *sql.DB) {
	t.Helper()
	db, d, err := mysql.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &executor.Executor{DB: db, Driver: d, Dir: dir, LockTimeout: 40 * time.Second}, db
}

// TestGaleraConcurrentApply: 2 and 8 applies started at once, spread over
// the three nodes (as behind a load balancer), run each migration exactly
// once, all end at head without error, and every node has the same
// schema, version and data. With GET_LOCK (node-local) two runs through
// two nodes both ran 0001.
func TestGaleraConcurrentApply(t *testing.T) {
	for _, n := range []int{2, 8} {
		t.Run(fmt.Sprintf("%d runs", n), func(t *testing.T) {
			nodes, _ := testdb.Galera(t)
			dir := galeraDir(t)
			execs := make([]*executor.Executor, n)
			dbs := make([]*sql.DB, len(nodes))
			for i := range execs {
				execs[i], _ = galeraNode(t, nodes[i%len(nodes)].String(), dir)
			}
			for i, u := range nodes {
				_, dbs[i] = galeraNode(t, u.String(), dir)
			}
			results, errs := applyAtOnce(execs)
			applied := map[string]int{}
			for i := range execs {
				if errs[i] != nil {
					t.Errorf("run %d (node %d): %v", i, i%len(nodes)+1, errs[i])
					continue
				}
				if results[i].To != "0003" {
					t.Errorf("run %d ended at %q, want 0003", i, results[i].To)
				}
				for _, m := range results[i].Migrations {
					applied[m.Version]++
				}
			}
			if diff := cmp.Diff(map[string]int{"0001": 1, "0002": 1, "0003": 1}, applied); diff != "" {
				t.Errorf("migrations run per version (-want +got):\n%s", diff)
			}
			want := ""
			for i, db := range dbs {
				got := nodeState(t, db)
				if i == 0 {
					want = got
					if !strings.Contains(got, "version 0003") || !strings.Contains(got, "ran 0001 0002 0003") {
						t.Errorf("node 1:\n%s", got)
					}
					continue
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("node %d differs from node 1 (-node1 +node%d):\n%s", i+1, i+1, diff)
				}
			}
		})
	}
}

// nodeState is what a node holds: the version, the history, the tables'
// definitions and the migrations' own record of what ran. The pool reads
// with wsrep_sync_wait (mysql.Open), so it is the cluster's state.
func nodeState(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	var version string
	if err := db.QueryRow("SELECT version_num FROM schemactl_version").Scan(&version); err != nil {
		t.Fatalf("read version: %v", err)
	}
	fmt.Fprintf(&b, "version %s\n", version)
	rows, err := db.Query("SELECT version, direction, statements_done, COALESCE(error, '') FROM schemactl_version_history WHERE id > 0 ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v, d, e string
		var done int
		if err := rows.Scan(&v, &d, &done, &e); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "history %s %s %d %q\n", d, v, done, e)
	}
	rows.Close()
	for _, tbl := range []string{"hero", "ran"} {
		var name, ddl string
		if err := db.QueryRow("SHOW CREATE TABLE "+tbl).Scan(&name, &ddl); err != nil {
			t.Fatal(err)
		}
		// Each node hands out its own AUTO_INCREMENT values
		// (wsrep_auto_increment_control), so the next one differs.
		b.WriteString(autoInc.ReplaceAllString(ddl, "") + "\n")
	}
	var ran string
	if err := db.QueryRow("SELECT GROUP_CONCAT(v ORDER BY v SEPARATOR ' ') FROM ran").Scan(&ran); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "ran %s\n", ran)
	var heroes int
	if err := db.QueryRow("SELECT COUNT(*) FROM hero").Scan(&heroes); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "heroes %d\n", heroes)
	return b.String()
}

var autoInc = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

// TestGaleraStaleLease: a lease left by a run that is gone is reported
// with its owner, host and age; ForceUnlock clears it only under the
// token LeaseHolder named; an expired lease is simply taken over.
func TestGaleraStaleLease(t *testing.T) {
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	dir := galeraDir(t)
	e1, db1 := galeraNode(t, nodes[0].String(), dir)
	e2, _ := galeraNode(t, nodes[1].String(), dir)
	e2.LockTimeout = time.Second
	if _, err := e1.Apply(ctx, executor.ApplyOptions{To: "0001"}); err != nil {
		t.Fatal(err)
	}
	// A run on another machine took the lease a minute ago and died.
	now := time.Now().UTC()
	layout := "2006-01-02 15:04:05.000000"
	mustExec(t, db1, "UPDATE schemactl_version_history SET checksum = 'deadbeef', operator = 'bob@far pid 7', started_at = ?, finished_at = ? WHERE id = -1",
		now.Add(-time.Minute).Format(layout), now.Add(time.Hour).Format(layout))

	_, err := e2.Apply(ctx, executor.ApplyOptions{})
	var le *executor.LeaseError
	if !errors.Is(err, executor.ErrLocked) || !errors.As(err, &le) {
		t.Fatalf("apply under a stale lease: %v; want ErrLocked with a LeaseError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "bob@far pid 7") || !strings.Contains(msg, "taken 1m") {
		t.Errorf("the error does not name owner, host and age: %s", msg)
	}
	h, held, err := e2.LeaseHolder(ctx)
	if err != nil || !held || h.Session != "deadbeef" || h.User != "bob" || h.Host != "far" || h.Running < time.Minute {
		t.Errorf("LeaseHolder = %+v, %v, %v", h, held, err)
	}
	if err := e2.ForceUnlock(ctx, "cafe"); err == nil {
		t.Error("ForceUnlock under another token cleared the lease")
	}
	if err := e2.ForceUnlock(ctx, "deadbeef"); err != nil {
		t.Fatal(err)
	}
	res, err := e2.Apply(ctx, executor.ApplyOptions{To: "0002"})
	if err != nil || res.To != "0002" {
		t.Fatalf("apply after ForceUnlock: %v, %v", res, err)
	}
	if _, held, err := e2.LeaseHolder(ctx); err != nil || held {
		t.Errorf("lease after the run: held %v, %v; want free", held, err)
	}

	// Expired: taken over without help.
	mustExec(t, db1, "UPDATE schemactl_version_history SET checksum = 'deadbeef', operator = 'bob@far pid 7', started_at = ?, finished_at = ? WHERE id = -1",
		now.Add(-time.Hour).Format(layout), now.Add(-time.Minute).Format(layout))
	if res, err := e2.Apply(ctx, executor.ApplyOptions{}); err != nil || res.To != "0003" {
		t.Fatalf("apply over an expired lease: %v, %v", res, err)
	}
}

// TestGaleraLeaseFencing: a run whose lease is taken from it stops before
// its next bookkeeping write, instead of running on beside the new
// holder.
func TestGaleraLeaseFencing(t *testing.T) {
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	dir := galeraDir(t)
	e1, _ := galeraNode(t, nodes[0].String(), dir)
	e2, _ := galeraNode(t, nodes[2].String(), dir)
	var once sync.Once
	e1.Observer = func(ev executor.Event) {
		if s, ok := ev.(*executor.StatementStart); ok && s.Migration.Version == "0002" {
			once.Do(func() {
				h, held, err := e2.LeaseHolder(ctx)
				if err != nil || !held {
					t.Errorf("LeaseHolder during the run: %v, %v", held, err)
					return
				}
				if err := e2.ForceUnlock(ctx, h.Session); err != nil {
					t.Error(err)
				}
			})
		}
	}
	_, err := e1.Apply(ctx, executor.ApplyOptions{})
	if !errors.Is(err, executor.ErrLockLost) {
		t.Fatalf("apply after its lease was taken: %v; want ErrLockLost", err)
	}
	v, err := e2.Current(ctx)
	if err != nil || v == "0003" {
		t.Errorf("version %q, %v: the run went on without its lease", v, err)
	}
}

// TestGaleraNodeLocalSessionRefused: a pool whose sessions have wsrep_on
// off would write the version and history on one node only: apply and
// status refuse it, and nothing is written. So is one whose DDL would run
// on one node only (RSU).
func TestGaleraNodeLocalSessionRefused(t *testing.T) {
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	dir := galeraDir(t)
	u := *nodes[0]
	u.RawQuery = "wsrep_on=OFF"
	e, _ := galeraNode(t, u.String(), dir)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); !errors.Is(err, mysql.ErrNodeLocalSession) {
		t.Errorf("apply with wsrep_on=OFF: %v; want ErrNodeLocalSession", err)
	}
	if _, err := e.Status(ctx); !errors.Is(err, mysql.ErrNodeLocalSession) {
		t.Errorf("status with wsrep_on=OFF: %v; want ErrNodeLocalSession", err)
	}
	u.RawQuery = "wsrep_OSU_method=RSU"
	rsu, _ := galeraNode(t, u.String(), dir)
	if _, err := rsu.Apply(ctx, executor.ApplyOptions{}); !errors.Is(err, mysql.ErrRollingSchemaUpgrade) {
		t.Errorf("apply with wsrep_OSU_method=RSU: %v; want ErrRollingSchemaUpgrade", err)
	}
	if _, err := rsu.Status(ctx); err != nil {
		t.Errorf("status with wsrep_OSU_method=RSU: %v; reads need no TOI", err)
	}
	_, db := galeraNode(t, nodes[1].String(), dir)
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()").Scan(&n); err != nil || n != 0 {
		t.Errorf("tables on node 2: %d, %v; want none", n, err)
	}
	_, db1 := galeraNode(t, nodes[0].String(), dir)
	if err := db1.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()").Scan(&n); err != nil || n != 0 {
		t.Errorf("tables on node 1: %d, %v; want none", n, err)
	}
}

// TestGaleraApplyPreflightRefusesUnsafeTables: a hand-written migration
// creating a table without a primary key is refused on a Galera node
// before anything of it runs.
func TestGaleraApplyPreflightRefusesUnsafeTables(t *testing.T) {
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	dir, err := executor.OpenDir(filepath.Join(t.TempDir(), "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	dir.Lexer = mysql.New(mysql.Flavor{})
	if _, err := dir.Write("log", []executor.Statement{
		{SQL: "CREATE TABLE ok (id INT PRIMARY KEY) ENGINE=InnoDB"},
		{SQL: "CREATE TABLE log (msg TEXT)"},
	}, nil); err != nil {
		t.Fatal(err)
	}
	e, db := galeraNode(t, nodes[2].String(), dir)
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	var pe *executor.PreflightError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), `table "log" has no primary key`) {
		t.Fatalf("apply: %v; want a preflight refusal naming log", err)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('ok', 'log')").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d of the migration's tables exist, %v; want none", n, err)
	}
}
