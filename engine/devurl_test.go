package engine_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testdb"
)

// devFixture is a MariaDB server for --dev-url tests: a migration
// directory whose replay records in a log database the database it ran in
// (DATABASE()), and builds tables that reference each other, a view, a
// function, a procedure, a trigger and an event, which leaving a dev
// database empty must drop.
type devFixture struct {
	server *url.URL // the server, no database
	admin  *sql.DB  // the server, for checks
	log    string   // the log database
	dir    string
}

func newDevFixture(t *testing.T) devFixture {
	t.Helper()
	u, logName := testdb.MySQL(t)
	admin := testdb.OpenMySQL(t, u)
	if _, err := admin.Exec("CREATE TABLE seen (db varchar(64))"); err != nil {
		t.Fatal(err)
	}
	server := *u
	server.Path = "/"
	dir := filepath.Join(t.TempDir(), "migrations")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := executor.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Lexer = mysql.New(mysql.Flavor{}) // the files then record "-- dialect: mysql"
	up := []executor.Statement{
		{SQL: "CREATE TABLE team (id int PRIMARY KEY, captain int)"},
		{SQL: "CREATE TABLE hero (id int PRIMARY KEY, team_id int, CONSTRAINT hero_team FOREIGN KEY (team_id) REFERENCES team (id))"},
		{SQL: "ALTER TABLE team ADD CONSTRAINT team_captain FOREIGN KEY (captain) REFERENCES hero (id)"},
		{SQL: "CREATE VIEW heroes AS SELECT id FROM hero"},
		{SQL: "CREATE FUNCTION twice (x int) RETURNS int DETERMINISTIC RETURN 2 * x"},
		{SQL: "CREATE TRIGGER hero_bi BEFORE INSERT ON hero FOR EACH ROW SET NEW.id = NEW.id"},
		{SQL: "CREATE PROCEDURE count_heroes () SELECT COUNT(*) FROM hero"},
		{SQL: "CREATE EVENT tidy ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM hero"},
		{SQL: "INSERT INTO `" + logName + "`.seen SELECT DATABASE()"},
	}
	if _, err := d.Write("init", up, nil); err != nil {
		t.Fatal(err)
	}
	return devFixture{server: &server, admin: admin, log: logName, dir: dir}
}

// replay replays the directory into the dev database devURL names.
func (f devFixture) replay(t *testing.T, devURL string) error {
	t.Helper()
	e := open(t, engine.Target{DevURL: devURL, Dir: f.dir, Dialect: engine.MySQL})
	_, err := e.Expected(context.Background(), "head")
	return err
}

// url is the server's URL with database name and query.
func (f devFixture) url(name, query string) string {
	u := *f.server
	u.Path, u.RawQuery = "/"+name, query
	return u.String()
}

// seen is the databases the replays ran in, in order.
func (f devFixture) seen(t *testing.T) []string {
	t.Helper()
	var dbs []string
	rows, err := f.admin.Query("SELECT db FROM `" + f.log + "`.seen")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var db string
		if err := rows.Scan(&db); err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	return dbs
}

// exists reports whether the server has the database name.
func (f devFixture) exists(t *testing.T, name string) bool {
	t.Helper()
	var n int
	if err := f.admin.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// holds is how many tables, views, routines, triggers and events the
// database name holds.
func (f devFixture) holds(t *testing.T, name string) int {
	t.Helper()
	var n int
	err := f.admin.QueryRow(`SELECT
 (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?) +
 (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?) +
 (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?) +
 (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?)`, name, name, name, name).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// uniqueName is a database name no other test uses, dropped when the test
// ends in case a failing run left it.
func (f devFixture) uniqueName(t *testing.T, prefix string) string {
	t.Helper()
	name := prefix + strings.ToLower(rand.Text()[:10])
	t.Cleanup(func() {
		if _, err := f.admin.Exec("DROP DATABASE IF EXISTS `" + name + "`"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return name
}

func TestDevURLMissingDatabaseIsCreatedAndDropped(t *testing.T) {
	f := newDevFixture(t)
	name := f.uniqueName(t, "schemactl_test_dev_")
	if err := f.replay(t, f.url(name, "")); err != nil {
		t.Fatal(err)
	}
	if got := f.seen(t); len(got) != 1 || got[0] != name {
		t.Errorf("replayed into %q, want %q", got, name)
	}
	if f.exists(t, name) {
		t.Errorf("the dev database %s it created is still there", name)
	}
}

func TestDevURLExistingEmptyDatabaseIsLeftEmpty(t *testing.T) {
	f := newDevFixture(t)
	dev, name := testdb.MySQL(t)
	for range 2 { // the second run finds it empty again
		if err := f.replay(t, dev.String()); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.seen(t); len(got) != 2 || got[0] != name || got[1] != name {
		t.Errorf("replayed into %q, want %s twice", got, name)
	}
	if !f.exists(t, name) {
		t.Fatalf("the existing dev database %s was dropped", name)
	}
	if n := f.holds(t, name); n != 0 {
		t.Errorf("the dev database %s holds %d objects after use, want none", name, n)
	}
}

func TestDevURLNonEmptyDatabaseIsRefusedAndUntouched(t *testing.T) {
	for _, tt := range []struct{ name, stmt, want string }{
		{"table with rows", "CREATE TABLE customers (id int PRIMARY KEY)", "table customers"},
		{"view only", "CREATE VIEW answer AS SELECT 42 AS a", "view answer"},
		{"procedure only", "CREATE PROCEDURE noop () BEGIN END", "procedure noop"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newDevFixture(t)
			dev, name := testdb.MySQL(t)
			db := testdb.OpenMySQL(t, dev)
			if _, err := db.Exec(tt.stmt); err != nil {
				t.Fatal(err)
			}
			rows := 0
			if strings.HasPrefix(tt.stmt, "CREATE TABLE") {
				if _, err := db.Exec("INSERT INTO customers VALUES (1), (2), (3)"); err != nil {
					t.Fatal(err)
				}
				rows = 3
			}
			err := f.replay(t, dev.String())
			if err == nil || !strings.Contains(err.Error(), "refusing the dev database "+name) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("replay into a database holding %s: %v, want a refusal naming it", tt.want, err)
			}
			if got := f.seen(t); len(got) != 0 {
				t.Errorf("replayed into %q despite the refusal", got)
			}
			if n := f.holds(t, name); n != 1 {
				t.Errorf("the refused database holds %d objects, want its 1", n)
			}
			if rows > 0 {
				var n int
				if err := db.QueryRow("SELECT COUNT(*) FROM customers").Scan(&n); err != nil || n != rows {
					t.Errorf("customers has %d rows (%v), want %d", n, err, rows)
				}
			}
		})
	}
}

func TestDevURLWithoutDatabaseUsesThrowawayWithPrefix(t *testing.T) {
	f := newDevFixture(t)
	prefix := f.uniqueName(t, "schemactl_test_pfx_") + "_"
	for _, tt := range []struct{ query, prefix string }{
		{"", "schemactl_dev_"},
		{"scratch_prefix=" + prefix, prefix},
	} {
		before := len(f.seen(t))
		if err := f.replay(t, f.url("", tt.query)); err != nil {
			t.Fatalf("?%s: %v", tt.query, err)
		}
		seen := f.seen(t)
		if len(seen) != before+1 || !strings.HasPrefix(seen[before], tt.prefix) || len(seen[before]) != len(tt.prefix)+12 {
			t.Fatalf("?%s: replayed into %q, want a database %s<12 hex digits>", tt.query, seen[before:], tt.prefix)
		}
		if f.exists(t, seen[before]) {
			t.Errorf("?%s: the throwaway database %s is still there", tt.query, seen[before])
		}
	}
	err := f.replay(t, f.url("named", "scratch_prefix=x_"))
	if err == nil || !strings.Contains(err.Error(), "scratch_prefix") {
		t.Errorf("a prefix with a database name: %v, want an error naming scratch_prefix", err)
	}
}
