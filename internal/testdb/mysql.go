// Package testdb gives tests real databases: a fresh, uniquely named
// database on the MySQL/MariaDB test server, dropped when the test ends,
// and a loader for MySQL scripts such as the shared fixtures.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	driver "github.com/go-sql-driver/mysql"
)

// EnvMySQL names the variable that points tests at a MySQL or MariaDB
// server; DefaultMySQL is used when it is unset.
const (
	EnvMySQL     = "SCHEMACTL_TEST_MYSQL_URL"
	DefaultMySQL = "mysql://root@127.0.0.1:3306/test"
)

// unreachable is printed once per test binary, on stderr, so that skipped
// MySQL tests are noticed even without -v.
var unreachable sync.Once

// MySQL creates a database named schemactl_test_<random> on the server of
// SCHEMACTL_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test) and
// returns the server's URL with that database as its path, and the name.
// The database is dropped when the test ends.
//
// When the server does not answer, the test is skipped with a loud message,
// or fails when CI=true: CI must never pass by skipping.
func MySQL(t testing.TB) (*url.URL, string) {
	t.Helper()
	raw := os.Getenv(EnvMySQL)
	if raw == "" {
		raw = DefaultMySQL
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("testdb: %s is not a URL: %v", EnvMySQL, err)
	}
	cfg, err := config(u, "")
	if err != nil {
		t.Fatalf("testdb: %s: %v", u.Redacted(), err)
	}
	cfg.Timeout = 3 * time.Second
	db, err := open(cfg)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		msg := fmt.Sprintf("MySQL/MariaDB test server %s is unreachable: %v", u.Redacted(), err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("testdb: %s (CI=true: MySQL tests must not be skipped)", msg)
		}
		unreachable.Do(func() {
			fmt.Fprintf(os.Stderr, "\n*** testdb: %s\n*** SKIPPING every MySQL test. Start the server (../shared/scripts/ensure-mariadb.sh) or set %s.\n\n", msg, EnvMySQL)
		})
		t.Skipf("SKIPPED: %s; set %s or start the server", msg, EnvMySQL)
	}
	defer db.Close()
	name := "schemactl_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := db.Exec("CREATE DATABASE " + quoteIdent(name)); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// Another test database may hold foreign keys to this one.
		drop := cfg.Clone()
		if drop.Params == nil {
			drop.Params = map[string]string{}
		}
		drop.Params["foreign_key_checks"] = "0"
		cdb, err := open(drop)
		if err == nil {
			_, err = cdb.Exec("DROP DATABASE IF EXISTS " + quoteIdent(name))
			cdb.Close()
		}
		if err != nil {
			t.Errorf("testdb: drop database %s: %v", name, err)
		}
	})
	out := *u
	out.Path = "/" + name
	return &out, name
}

// OpenMySQL opens a pool on the database a mysql:// URL names, for tests
// that need a plain connection beside the code under test.
func OpenMySQL(t testing.TB, u *url.URL) *sql.DB {
	t.Helper()
	cfg, err := config(u, strings.Trim(u.Path, "/"))
	if err != nil {
		t.Fatalf("testdb: %s: %v", u.Redacted(), err)
	}
	db, err := open(cfg)
	if err != nil {
		t.Fatalf("testdb: open %s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func open(cfg *driver.Config) (*sql.DB, error) {
	c, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// config reads the user, password, address and driver parameters of a
// mysql:// URL.
func config(u *url.URL, database string) (*driver.Config, error) {
	cfg, err := driver.ParseDSN("/?" + u.RawQuery)
	if err != nil {
		return nil, err
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3306"
	}
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", net.JoinHostPort(host, port), database
	return cfg, nil
}

func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}
