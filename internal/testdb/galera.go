package testdb

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvGalera names the variable that points tests at the nodes of a MariaDB
// Galera cluster, as space- or comma-separated mysql:// URLs; DefaultGalera
// are the three local nodes internal/galera/cluster.sh starts.
const (
	EnvGalera     = "SCHEMACTL_TEST_GALERA_URLS"
	DefaultGalera = "mysql://root@127.0.0.1:4406/test mysql://root@127.0.0.1:4407/test mysql://root@127.0.0.1:4408/test"
)

var noGalera sync.Once

// Galera creates a database named schemactl_test_<random> on the cluster of
// SCHEMACTL_TEST_GALERA_URLS (created through the first node, the cluster
// replicates it) and returns one URL per node with that database as its
// path, and the name. The database is dropped when the test ends.
//
// When a node does not answer, or is not a synced member of a cluster, the
// test is skipped with a loud message, or fails when CI=true.
func Galera(t testing.TB) ([]*url.URL, string) {
	t.Helper()
	raw := os.Getenv(EnvGalera)
	if raw == "" {
		raw = DefaultGalera
	}
	var nodes []*url.URL
	for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' }) {
		u, err := url.Parse(f)
		if err != nil {
			t.Fatalf("testdb: %s: %q is not a URL: %v", EnvGalera, f, err)
		}
		nodes = append(nodes, u)
	}
	if len(nodes) < 2 {
		t.Fatalf("testdb: %s names %d node(s); a cluster test needs at least 2", EnvGalera, len(nodes))
	}
	for _, u := range nodes {
		if err := galeraSynced(u); err != nil {
			msg := fmt.Sprintf("Galera node %s is not available: %v", u.Redacted(), err)
			if os.Getenv("CI") == "true" {
				t.Fatalf("testdb: %s (CI=true: Galera tests must not be skipped)", msg)
			}
			noGalera.Do(func() {
				fmt.Fprintf(os.Stderr, "\n*** testdb: %s\n*** SKIPPING every Galera test. Start the cluster (internal/galera/cluster.sh start) or set %s.\n\n", msg, EnvGalera)
			})
			t.Skipf("SKIPPED: %s; run internal/galera/cluster.sh start or set %s", msg, EnvGalera)
		}
	}
	name := "schemactl_test_" + strings.ToLower(rand.Text()[:12])
	first := OpenMySQL(t, nodes[0])
	if _, err := first.Exec("CREATE DATABASE " + quoteIdent(name)); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	// The other nodes apply it a moment later; a test that connects to
	// one of them with the database in its handshake must find it there.
	for _, u := range nodes[1:] {
		if err := galeraHas(u, name); err != nil {
			t.Fatalf("testdb: database %s on %s: %v", name, u.Host, err)
		}
	}
	t.Cleanup(func() {
		cfg, err := config(nodes[0], "")
		if err == nil {
			cfg.Params = map[string]string{"foreign_key_checks": "0"}
			db, oerr := open(cfg)
			if err = oerr; err == nil {
				_, err = db.Exec("DROP DATABASE IF EXISTS " + quoteIdent(name))
				db.Close()
			}
		}
		if err != nil {
			t.Errorf("testdb: drop database %s: %v", name, err)
		}
	})
	out := make([]*url.URL, len(nodes))
	for i, u := range nodes {
		c := *u
		c.Path = "/" + name
		out[i] = &c
	}
	return out, name
}

// galeraSynced checks that the node at u answers and is a synced member of
// a cluster: a node with wsrep off would pass every test vacuously.
func galeraSynced(u *url.URL) error {
	cfg, err := config(u, "")
	if err != nil {
		return err
	}
	cfg.Timeout = 3 * time.Second
	db, err := open(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var state string
	err = db.QueryRowContext(ctx, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'").Scan(&state)
	if err != nil {
		return fmt.Errorf("read wsrep_local_state_comment: %w", err)
	}
	if state != "Synced" {
		return fmt.Errorf("wsrep_local_state_comment is %q, not Synced", state)
	}
	return nil
}

// galeraHas waits, by a read with wsrep_sync_wait, until the node at u
// has applied everything the cluster committed, and checks that database
// name is among it.
func galeraHas(u *url.URL, name string) error {
	cfg, err := config(u, "")
	if err != nil {
		return err
	}
	cfg.Params = map[string]string{"wsrep_sync_wait": "1"}
	db, err := open(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("not there after a synced read")
	}
	return nil
}
