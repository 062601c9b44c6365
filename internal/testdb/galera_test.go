package testdb

import (
	"context"
	"testing"
)

// TestGaleraReplicates proves the cluster the Galera tests run on is one:
// a row committed through one node is read through every other.
func TestGaleraReplicates(t *testing.T) {
	nodes, _ := Galera(t)
	first := OpenMySQL(t, nodes[0])
	if _, err := first.Exec("CREATE TABLE t (id INT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Exec("INSERT INTO t VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	for _, u := range nodes[1:] {
		conn, err := OpenMySQL(t, u).Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		// wsrep_sync_wait makes the read wait until the node has applied
		// everything committed in the cluster before it.
		if _, err := conn.ExecContext(context.Background(), "SET SESSION wsrep_sync_wait = 1"); err != nil {
			t.Fatal(err)
		}
		var id int
		if err := conn.QueryRowContext(context.Background(), "SELECT id FROM t").Scan(&id); err != nil || id != 42 {
			t.Errorf("node %s: id %d, %v; want 42", u.Host, id, err)
		}
	}
}
