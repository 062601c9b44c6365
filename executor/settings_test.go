package executor_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// sqliteSettings are the connection settings a migration on SQLite
// changes while it runs.
type sqliteSettings struct {
	ForeignKeys, BusyTimeout, CacheSize, LegacyAlterTable int64
}

func (s sqliteSettings) String() string {
	return fmt.Sprintf("foreign_keys=%d busy_timeout=%d cache_size=%d legacy_alter_table=%d",
		s.ForeignKeys, s.BusyTimeout, s.CacheSize, s.LegacyAlterTable)
}

func readSettings(t *testing.T, db *sql.DB) sqliteSettings {
	t.Helper()
	var s sqliteSettings
	for name, dst := range map[string]*int64{"foreign_keys": &s.ForeignKeys, "busy_timeout": &s.BusyTimeout,
		"cache_size": &s.CacheSize, "legacy_alter_table": &s.LegacyAlterTable} {
		if err := db.QueryRow("PRAGMA " + name).Scan(dst); err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
	}
	return s
}

// appPool is an application's own pool, as examples/embedded opens it (no
// pragmas in the DSN), with one connection, so that every connection the
// executor uses is the one the application uses next; its settings are
// set to s.
func appPool(t *testing.T, path string, s sqliteSettings) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		fmt.Sprintf("PRAGMA foreign_keys = %d", s.ForeignKeys),
		fmt.Sprintf("PRAGMA busy_timeout = %d", s.BusyTimeout),
		fmt.Sprintf("PRAGMA cache_size = %d", s.CacheSize),
		fmt.Sprintf("PRAGMA legacy_alter_table = %d", s.LegacyAlterTable),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if got := readSettings(t, db); got != s {
		t.Fatalf("settings %v, want %v", got, s)
	}
	return db
}

// orphanDir is a migration that leaves a row violating a foreign key,
// which fails it at commit on SQLite.
func orphanDir(t *testing.T) *executor.Dir {
	t.Helper()
	d := heroDir(t, 1)
	if _, err := d.Write("orphans", []executor.Statement{
		{SQL: "CREATE TABLE `p` (`id` integer PRIMARY KEY)"},
		{SQL: "CREATE TABLE `c` (`p_id` integer REFERENCES `p` (`id`))"},
		{SQL: "INSERT INTO `c` VALUES (7)"},
	}, []executor.Statement{{SQL: "DROP TABLE `c`"}, {SQL: "DROP TABLE `p`"}}); err != nil {
		t.Fatal(err)
	}
	return d
}

// settingsOp is an operation on a database that must leave the
// connection's settings as they were.
type settingsOp struct {
	name string
	dir  func(t *testing.T) *executor.Dir
	// run does the operation; the test fails when it errs and fail
	// is false, or succeeds and fail is true.
	run  func(t *testing.T, e *executor.Executor) error
	fail func(d executor.Driver, s sqliteSettings) bool
}

// settingsOps are the operations TestConnectionSettingsKept runs.
func settingsOps(ctx context.Context) []settingsOp {
	return []settingsOp{
		{"apply", func(t *testing.T) *executor.Dir { return heroDir(t, 3) },
			func(t *testing.T, e *executor.Executor) error {
				_, err := e.Apply(ctx, executor.ApplyOptions{})
				return err
			}, nil},
		{"failed statement", partialDir,
			func(t *testing.T, e *executor.Executor) error {
				_, err := e.Apply(ctx, executor.ApplyOptions{})
				return err
			}, func(executor.Driver, sqliteSettings) bool { return true }},
		{"failed foreign key check", orphanDir,
			func(t *testing.T, e *executor.Executor) error {
				_, err := e.Apply(ctx, executor.ApplyOptions{})
				return err
			}, func(d executor.Driver, s sqliteSettings) bool {
				// Without the migration's transaction nothing turns
				// enforcement off: the INSERT itself fails when it is on.
				return d.TransactionalDDL() || s.ForeignKeys == 1
			}},
		{"locked", func(t *testing.T) *executor.Dir { return heroDir(t, 1) },
			func(t *testing.T, e *executor.Executor) error {
				conn, err := openDB(t, dbPath(t, e)).Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
					t.Fatal(err)
				}
				defer conn.ExecContext(ctx, "ROLLBACK")
				e.LockTimeout = 50 * time.Millisecond
				_, err = e.Apply(ctx, executor.ApplyOptions{})
				if err != nil && !errors.Is(err, executor.ErrLocked) {
					t.Errorf("Apply while another writer holds the database: %v, want ErrLocked", err)
				}
				return err
			}, func(executor.Driver, sqliteSettings) bool { return true }},
		{"stamp", func(t *testing.T) *executor.Dir { return heroDir(t, 2) },
			func(t *testing.T, e *executor.Executor) error {
				_, err := e.Stamp(ctx, "head")
				return err
			}, nil},
		{"downgrade", func(t *testing.T) *executor.Dir { return heroDir(t, 3) },
			func(t *testing.T, e *executor.Executor) error {
				if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
					return err
				}
				_, err := e.Downgrade(ctx, "base")
				return err
			}, nil},
		{"reads", func(t *testing.T) *executor.Dir { return heroDir(t, 2) },
			func(t *testing.T, e *executor.Executor) error {
				if _, err := e.Apply(ctx, executor.ApplyOptions{To: "1"}); err != nil {
					return err
				}
				if _, err := e.Apply(ctx, executor.ApplyOptions{DryRun: true}); err != nil {
					return err
				}
				if _, err := e.Status(ctx); err != nil {
					return err
				}
				if _, err := e.History(ctx); err != nil {
					return err
				}
				_, err := e.Current(ctx)
				return err
			}, nil},
	}
}

// TestConnectionSettingsKept: the executor and the dialect run on the
// application's own pool (the Go API), so every connection setting they
// change for a run is put back as it was, whether the run succeeds, fails
// or cannot start.
func TestConnectionSettingsKept(t *testing.T) {
	ops := settingsOps(context.Background())
	drivers := []struct {
		name string
		d    executor.Driver
	}{
		{"transactional", sqlite.New()},
		{"autocommit", autocommit{sqlite.New()}},
	}
	for _, set := range []sqliteSettings{
		{ForeignKeys: 0, BusyTimeout: 0, CacheSize: -10000, LegacyAlterTable: 0},
		{ForeignKeys: 1, BusyTimeout: 1234, CacheSize: 500, LegacyAlterTable: 1},
	} {
		for _, drv := range drivers {
			for _, op := range ops {
				t.Run(fmt.Sprintf("%s/%s/fk=%d", drv.name, op.name, set.ForeignKeys), func(t *testing.T) {
					path := filepath.Join(t.TempDir(), "app.db")
					e := &executor.Executor{DB: appPool(t, path, set), Driver: drv.d, Dir: op.dir(t)}
					err := op.run(t, e)
					switch fail := op.fail != nil && op.fail(drv.d, set); {
					case fail && err == nil:
						t.Fatal("the operation succeeded; the case needs it to fail")
					case !fail && err != nil:
						t.Fatal(err)
					}
					if got := readSettings(t, e.DB); got != set {
						t.Errorf("after %s: %v, want %v as before", op.name, got, set)
					}
				})
			}
		}
	}
}

// dbPath is the file of e's database.
func dbPath(t *testing.T, e *executor.Executor) string {
	t.Helper()
	var seq int
	var name, file string
	if err := e.DB.QueryRow("PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return file
}
