package testdb

import (
	"strings"
	"testing"
)

// TestMySQL creates a database in a subtest and checks that it is gone once
// the subtest ends.
func TestMySQL(t *testing.T) {
	var name string
	var exists func() int
	t.Run("create", func(t *testing.T) {
		u, n := MySQL(t)
		name = n
		if !strings.HasPrefix(name, "schemactl_test_") || u.Path != "/"+name {
			t.Fatalf("database %q at %s", name, u.Redacted())
		}
		db := OpenMySQL(t, u)
		if _, err := db.Exec("CREATE TABLE t (id int)"); err != nil {
			t.Fatal(err)
		}
		server := *u
		server.Path = ""
		admin := OpenMySQL(t, &server)
		exists = func() int {
			var c int
			if err := admin.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		if exists() != 1 {
			t.Fatalf("database %s does not exist", name)
		}
	})
	if exists == nil {
		t.Skip("no MySQL server")
	}
	u, _ := MySQL(t)
	server := *u
	server.Path = ""
	var c int
	if err := OpenMySQL(t, &server).QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&c); err != nil {
		t.Fatal(err)
	}
	if c != 0 {
		t.Errorf("database %s was not dropped", name)
	}
}
