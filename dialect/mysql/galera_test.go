package mysql_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
)

// TestGaleraDetect: Open marks a Galera node as such and makes its pool
// read in sync with the cluster; Cluster turns wsrep_sync_wait on for a
// connection and puts it back; the single test server is no cluster.
func TestGaleraDetect(t *testing.T) {
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	for _, u := range nodes {
		db, d, err := mysql.Open(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if !d.Flavor.Galera {
			t.Errorf("%s: Flavor.Galera false on a cluster node", u.Host)
		}
		var wait int
		if err := db.QueryRow("SELECT @@SESSION.wsrep_sync_wait").Scan(&wait); err != nil || wait != 1 {
			t.Errorf("%s: pool wsrep_sync_wait = %d, %v; want 1", u.Host, wait, err)
		}
	}
	plain := testdb.OpenMySQL(t, nodes[0])
	conn, err := plain.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	d := mysql.New(mysql.Flavor{})
	clustered, restore, err := d.Cluster(ctx, conn)
	if err != nil || !clustered {
		t.Fatalf("Cluster = %v, %v; want true", clustered, err)
	}
	var wait int
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.wsrep_sync_wait").Scan(&wait); err != nil || wait != 1 {
		t.Errorf("wsrep_sync_wait under Cluster = %d, %v; want 1", wait, err)
	}
	if err := restore(); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.wsrep_sync_wait").Scan(&wait); err != nil || wait != 0 {
		t.Errorf("wsrep_sync_wait after restore = %d, %v; want 0", wait, err)
	}

	s := newServer(t)
	if s.d.Flavor.Galera {
		t.Error("the single test server reads as a Galera node")
	}
	c := s.conns(t, 1)[0]
	if clustered, _, err := s.d.Cluster(ctx, c); err != nil || clustered {
		t.Errorf("Cluster on the single server = %v, %v; want false", clustered, err)
	}
}

// TestGaleraRefusesNodeLocal: a session with wsrep_on off on a cluster
// node would write the version table on that node only, and GET_LOCK
// there locks one node only: both are refused, and GET_LOCK is never
// taken (another node's session could take the same name meanwhile).
func TestGaleraRefusesNodeLocal(t *testing.T) {
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	db := testdb.OpenMySQL(t, nodes[0])
	d := mysql.New(mysql.Flavor{})

	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := d.AcquireLock(ctx, db, conn, time.Second); !errors.Is(err, mysql.ErrGaleraSessionLock) {
		t.Errorf("AcquireLock on a Galera node: %v; want ErrGaleraSessionLock", err)
	}
	var used any
	if err := conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(CONCAT('schemactl:', DATABASE()))").Scan(&used); err != nil || used != nil {
		t.Errorf("GET_LOCK was taken: IS_USED_LOCK = %v, %v", used, err)
	}

	off, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	if _, err := off.ExecContext(ctx, "SET SESSION wsrep_on = OFF"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Cluster(ctx, off); !errors.Is(err, mysql.ErrNodeLocalSession) {
		t.Errorf("Cluster with session wsrep_on=OFF: %v; want ErrNodeLocalSession", err)
	}

	rsu, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rsu.Close()
	if _, err := rsu.ExecContext(ctx, "SET SESSION wsrep_OSU_method = RSU"); err != nil {
		t.Fatal(err)
	}
	if clustered, _, err := d.Cluster(ctx, rsu); err != nil || !clustered {
		t.Errorf("Cluster with session wsrep_OSU_method=RSU = %v, %v; want a cluster (reads are fine)", clustered, err)
	}
	if err := d.CheckClusterDDL(ctx, rsu); !errors.Is(err, mysql.ErrRollingSchemaUpgrade) {
		t.Errorf("CheckClusterDDL with session wsrep_OSU_method=RSU: %v; want ErrRollingSchemaUpgrade", err)
	}
	if err := d.CheckClusterDDL(ctx, conn); err != nil {
		t.Errorf("CheckClusterDDL with TOI: %v", err)
	}
}

// TestGaleraPreflight: on a Galera node the preflight refuses statements
// that leave a table the cluster does not replicate safely, in any
// position of the migration (DML before them does not stop the check);
// on the single server the same statements pass.
func TestGaleraPreflight(t *testing.T) {
	ctx := context.Background()
	nodes, _ := testdb.Galera(t)
	db, d, err := mysql.Open(ctx, nodes[0].String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, tc := range []struct {
		stmt, problem string
	}{
		{"CREATE TABLE log (msg TEXT)", `table "log" has no primary key`},
		{"CREATE TABLE IF NOT EXISTS `c` (id INT PRIMARY KEY) ENGINE = Aria", `table "c" uses engine Aria, not InnoDB`},
		{"CREATE TABLE c (id INT NOT NULL, PRIMARY KEY (id)) ENGINE=MyISAM", `table "c" uses engine MyISAM, not InnoDB`},
		{"ALTER TABLE hero ENGINE=MyISAM", `table "hero" would use engine MyISAM, not InnoDB`},
		{"ALTER TABLE hero DROP PRIMARY KEY", `table "hero" would have no primary key`},
		{"CREATE TABLE ok1 (id INT PRIMARY KEY) ENGINE=InnoDB", ""},
		{"CREATE TABLE ok2 (id INT NOT NULL, PRIMARY KEY (id))", ""},
		{"CREATE TABLE ok3 LIKE hero", ""},
		{"CREATE TEMPORARY TABLE tmp (x INT)", ""},
		{"ALTER TABLE hero DROP PRIMARY KEY, ADD PRIMARY KEY (id, name)", ""},
		{"ALTER TABLE hero ADD COLUMN power INT", ""},
	} {
		t.Run(tc.stmt, func(t *testing.T) {
			// The DML first: the data checks stop there, these do not.
			fs, err := d.Preflight(ctx, conn, []string{"UPDATE hero SET name = name", tc.stmt}, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, f := range fs {
				if f.Statement == 1 {
					got = f.Problem
				}
			}
			if tc.problem == "" && got != "" || tc.problem != "" && !strings.HasPrefix(got, tc.problem+": a Galera cluster") {
				t.Errorf("finding %q; want %q", got, tc.problem)
			}
		})
	}
	s := newServer(t)
	c := s.conns(t, 1)[0]
	if fs, err := s.d.Preflight(ctx, c, []string{"CREATE TABLE log (msg TEXT)"}, time.Second); err != nil || len(fs) != 0 {
		t.Errorf("preflight on the single server: %v, %v; want nothing", fs, err)
	}
}
