package executor_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testdb"
)

// TestGaleraCertificationRetried: another node commits a write to the
// row a migration's DML holds in its open transaction; the cluster aborts
// the migration's transaction (deadlock, 1213: a brute-force abort, or a
// failed certification at COMMIT), progress record with it. It is run
// again and takes effect once, and every node agrees.
func TestGaleraCertificationRetried(t *testing.T) {
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	dir, err := executor.OpenDir(filepath.Join(t.TempDir(), "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	dir.Lexer = mysql.New(mysql.Flavor{})
	// SLEEP holds row 1 locked in the open transaction for a while.
	for _, step := range [][]executor.Statement{
		{{SQL: "CREATE TABLE acct (id INT NOT NULL PRIMARY KEY, bal INT NOT NULL, note VARCHAR(8) NOT NULL DEFAULT 'x') ENGINE=InnoDB"},
			{SQL: "INSERT INTO acct (id, bal) VALUES (1, 1), (2, 2)"}},
		{{SQL: "UPDATE acct SET bal = bal + 1 + 0 * SLEEP(1) WHERE id = 1"}},
	} {
		if _, err := dir.Write("step", step, nil); err != nil {
			t.Fatal(err)
		}
	}
	e, _ := galeraNode(t, nodes[0].String(), dir)
	if _, err := e.Apply(ctx, executor.ApplyOptions{To: "0001"}); err != nil {
		t.Fatal(err)
	}
	watch := testdb.OpenMySQL(t, nodes[0]) // no wsrep_sync_wait: it would wait
	_, other := galeraNode(t, nodes[1].String(), dir)
	wrote := make(chan error, 1)
	started := false
	e.Observer = func(ev executor.Event) {
		if s, ok := ev.(*executor.StatementStart); !ok || s.Migration.Version != "0002" || started {
			return
		}
		started = true
		go func() {
			for range 2000 {
				var n int
				if err := watch.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE acct SET bal%' AND TIME_MS > 100").Scan(&n); err != nil {
					wrote <- err
					return
				}
				if n > 0 {
					_, err := other.Exec("UPDATE acct SET note = 'o' WHERE id = 1")
					wrote <- err
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
			wrote <- errors.New("the migration's UPDATE was never seen running")
		}()
	}
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	if werr := <-wrote; werr != nil {
		t.Fatalf("the other node's write: %v (apply: %v)", werr, err)
	}
	if err != nil {
		t.Fatalf("apply: %v; want the aborted transaction run again", err)
	}
	for i, u := range nodes {
		_, db := galeraNode(t, u.String(), dir)
		var bal int
		var note, v string
		if err := db.QueryRow("SELECT bal, note FROM acct WHERE id = 1").Scan(&bal, &note); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT version_num FROM schemactl_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if bal != 2 || note != "o" || v != "0002" {
			t.Errorf("node %d: bal %d, note %q, version %q; want 2, o, 0002", i+1, bal, note, v)
		}
	}
}
