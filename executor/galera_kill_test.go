package executor_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testdb"
)

// envKillChild makes the test binary the run that TestGaleraKillDuringTOI
// kills: "URL DIR" of its node and migration directory.
const envKillChild = "SCHEMACTL_GALERA_KILL_CHILD"

// killDir writes the migrations of the kill proof: a table big enough
// that copying it takes a while, then a copying ALTER (a TOI DDL, which
// blocks commits cluster-wide while it runs) and DML that shows a second
// run.
func killDir(t *testing.T, path string) *executor.Dir {
	t.Helper()
	dir, err := executor.OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	dir.Lexer = mysql.New(mysql.Flavor{})
	if _, err := dir.Migrations(); err == nil {
		if head, _ := dir.Head(); head != "" {
			return dir
		}
	}
	steps := [][]string{
		{"CREATE TABLE big (id INT NOT NULL PRIMARY KEY, pad VARCHAR(100) NOT NULL) ENGINE=InnoDB",
			"CREATE TABLE ran (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(8) NOT NULL) ENGINE=InnoDB",
			"INSERT INTO big SELECT seq, REPEAT('x', 100) FROM seq_1_to_200000"},
		{"ALTER TABLE big ADD COLUMN extra INT NULL, ALGORITHM=COPY",
			"INSERT INTO ran (v) VALUES ('0002')"},
	}
	for i, s := range steps {
		if _, err := dir.Write(fmt.Sprintf("kill %d", i+1), executor.Statements(s...), nil); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestGaleraKillDuringTOI: a run through node 1 is killed (SIGKILL)
// during a TOI DDL, which the server finishes; a run through node 2 waits
// for the dead run's lease to expire, finds the DDL in doubt, sees in the
// catalog that it took effect, and goes on: the DDL runs once, the DML
// once, and all nodes end at head.
func TestGaleraKillDuringTOI(t *testing.T) {
	if child := os.Getenv(envKillChild); child != "" {
		url, path, _ := strings.Cut(child, " ")
		db, d, err := mysql.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		e := &executor.Executor{DB: db, Driver: d, Dir: killDir(t, path), LeaseTTL: 3 * time.Second}
		_, err = e.Apply(context.Background(), executor.ApplyOptions{})
		t.Fatalf("the child was not killed: apply returned %v", err)
	}
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	path := filepath.Join(t.TempDir(), "migrations")
	dir := killDir(t, path)
	e1, _ := galeraNode(t, nodes[0].String(), dir)
	// Without wsrep_sync_wait: a synced read would wait for the DDL.
	watch := testdb.OpenMySQL(t, nodes[0])
	if _, err := e1.Apply(ctx, executor.ApplyOptions{To: "0001"}); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestGaleraKillDuringTOI$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKillChild+"="+nodes[0].String()+" "+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	running := false
	for range 400 {
		var n int
		if err := watch.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE big%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			running = true
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !running {
		t.Fatal("the child's ALTER was never seen running")
	}

	e2, _ := galeraNode(t, nodes[1].String(), dir)
	var resolved []string
	e2.Observer = func(ev executor.Event) {
		if r, ok := ev.(*executor.DoubtResolved); ok {
			resolved = append(resolved, fmt.Sprintf("%s %d %v", r.Migration.Version, r.Index, r.TookEffect))
		}
	}
	res, err := e2.Apply(ctx, executor.ApplyOptions{})
	if err != nil {
		t.Fatalf("resume through node 2: %v", err)
	}
	if res.To != "0002" || len(resolved) != 1 || resolved[0] != "0002 1 true" {
		t.Errorf("resume ended at %q, resolved %q; want 0002 with its ALTER found done", res.To, resolved)
	}
	for i, u := range nodes {
		_, db := galeraNode(t, u.String(), dir) // reads in sync with the cluster
		var v, ran string
		var extra int
		if err := db.QueryRow("SELECT version_num FROM schemactl_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT GROUP_CONCAT(v) FROM ran").Scan(&ran); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'big' AND COLUMN_NAME = 'extra'").Scan(&extra); err != nil {
			t.Fatal(err)
		}
		if v != "0002" || ran != "0002" || extra != 1 {
			t.Errorf("node %d: version %q, ran %q, extra column %d; want 0002, 0002, 1", i+1, v, ran, extra)
		}
	}
}
