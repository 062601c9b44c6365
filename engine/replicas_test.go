package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/schema"
)

// startReplicas is an application's start-up, n times at once: each
// replica opens its own pool, hands it to the engine with the migrations
// and applies them. Every replica must come up (the later ones wait for
// the lock instead of failing), and each migration must run exactly once.
func startReplicas(t *testing.T, n int, kind schema.Dialect, driver, dsn, dir string) {
	t.Helper()
	ctx := context.Background()
	errs := make([]error, n)
	ran := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := sql.Open(driver, dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			e, err := engine.Open(ctx, engine.Target{DB: db, Dialect: kind, Dir: dir, LockTimeout: time.Minute})
			if err != nil {
				errs[i] = err
				return
			}
			defer e.Close()
			res, err := e.Apply(ctx, engine.ApplyOptions{})
			if err != nil {
				errs[i] = err
				return
			}
			ran[i] = len(res.Migrations)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("a replica failed to start: %v", err)
	}
	total := 0
	for _, r := range ran {
		total += r
	}
	if total != 2 {
		t.Errorf("replicas ran %v migrations between them, want each of the 2 exactly once", ran)
	}
}

// twoMigrations plans the hero table and its power column into a new
// directory, against a scratch SQLite or MySQL database.
func twoMigrations(t *testing.T, target engine.Target, init, power string) string {
	t.Helper()
	ctx := context.Background()
	target.Dir = filepath.Join(t.TempDir(), "migrations")
	e := open(t, target)
	plan(t, e, init, "init")
	if _, err := e.Apply(ctx, engine.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	plan(t, e, power, "power")
	return target.Dir
}

func TestReplicasStartTogetherSQLite(t *testing.T) {
	dir := twoMigrations(t, sqliteTarget(t), heroHCL, powerHCL)
	path := filepath.Join(t.TempDir(), "app.db")
	startReplicas(t, 4, engine.SQLite, "sqlite", "file:"+path, dir)
}

func TestReplicasStartTogetherMariaDB(t *testing.T) {
	u, name := testdb.MySQL(t)
	scratch, scratchName := testdb.MySQL(t)
	dir := twoMigrations(t, engine.Target{URL: scratch.String()}, mysqlHCL(heroHCL, scratchName), mysqlHCL(powerHCL, scratchName))
	pass, _ := u.User.Password()
	dsn := u.User.Username() + ":" + pass + "@tcp(" + u.Host + ")/" + name
	startReplicas(t, 4, engine.MySQL, "mysql", dsn, dir)
}
