package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
)

// benchDB is a database the benchmarks plan and apply against, through the
// engine package as schemactl does, so that the in-process pipeline runs
// the same code as the binary. An engine is opened per migration
// directory, on first use.
type benchDB struct {
	target  engine.Target
	kind    schema.Dialect
	engines map[string]*engine.Engine
}

func openSQLite(ctx context.Context, path string) (*benchDB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return &benchDB{target: engine.Target{URL: "sqlite://" + abs}, kind: schema.SQLite, engines: map[string]*engine.Engine{}}, nil
}

// openMySQL names the database; it connects on first use, as the binary
// connects once per command.
func openMySQL(ctx context.Context, u *url.URL) (*benchDB, error) {
	return &benchDB{target: engine.Target{URL: u.String()}, kind: schema.MySQL, engines: map[string]*engine.Engine{}}, nil
}

func (d *benchDB) engine(ctx context.Context, dir string) (*engine.Engine, error) {
	if e, ok := d.engines[dir]; ok {
		return e, nil
	}
	t := d.target
	t.Dir = dir
	e, err := engine.Open(ctx, t)
	if err != nil {
		return nil, err
	}
	d.engines[dir] = e
	return e, nil
}

func (d *benchDB) Close() error {
	var err error
	for _, e := range d.engines {
		err = errors.Join(err, e.Close())
	}
	return err
}

// plan is `schemactl plan --schema paths -m message` in process. It returns
// the plan.
func (d *benchDB) plan(ctx context.Context, dir, message string, paths ...string) (*planner.Plan, error) {
	e, err := d.engine(ctx, dir)
	if err != nil {
		return nil, err
	}
	p, err := e.Plan(ctx, engine.PlanOptions{Schema: paths, Message: message})
	if err != nil {
		return nil, err
	}
	return p.Plan.Plan, nil
}

// apply is `schemactl apply` in process, with the drift check on.
func (d *benchDB) apply(ctx context.Context, dir string) (*executor.Result, error) {
	e, err := d.engine(ctx, dir)
	if err != nil {
		return nil, err
	}
	return e.Apply(ctx, engine.ApplyOptions{})
}

// inspect reads the live schema, as plan does.
func (d *benchDB) inspect(ctx context.Context) (*schema.Realm, error) {
	e, err := d.engine(ctx, "")
	if err != nil {
		return nil, err
	}
	return e.Inspect(ctx)
}

// checkEmptyPlan reports an error unless the database plans to nothing
// against the schema in hcl.
func checkEmptyPlan(ctx context.Context, d *benchDB, dir, hcl string) error {
	e, err := d.engine(ctx, dir)
	if err != nil {
		return err
	}
	p, err := e.Plan(ctx, engine.PlanOptions{Schema: []string{hcl}})
	if err != nil {
		return err
	}
	if n := len(p.Changes); n > 0 {
		return fmt.Errorf("%d changes left", n)
	}
	return nil
}

// applyDirect runs the up statements of the directory's migrations straight
// through the driver, as a DBA would paste them: one transaction on SQLite,
// statement after statement on MySQL. It is the floor apply is judged by,
// so it opens the database with the bare driver, not through the engine.
func (d *benchDB) applyDirect(ctx context.Context, dir string) (int, error) {
	e, err := d.engine(ctx, dir)
	if err != nil {
		return 0, err
	}
	ms, err := e.Migrations()
	if err != nil {
		return 0, err
	}
	db, err := d.raw(ctx)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	tx := d.kind == schema.SQLite
	if tx {
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, m := range ms {
		for _, s := range m.Up {
			if _, err := conn.ExecContext(ctx, s.SQL); err != nil {
				return n, fmt.Errorf("%s: %w", s.SQL, err)
			}
			n++
		}
	}
	if tx {
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			return n, err
		}
	}
	return n, nil
}

// raw opens the database with its driver alone.
func (d *benchDB) raw(ctx context.Context) (*sql.DB, error) {
	if d.kind == schema.SQLite {
		db, _, err := sqlite.Open(ctx, d.target.URL)
		return db, err
	}
	db, _, err := mysql.Open(ctx, d.target.URL)
	return db, err
}

// mysqlServer returns the URL of the MySQL/MariaDB test server
// (SCHEMACTL_TEST_MYSQL_URL, default mysql://root@127.0.0.1:3306/test).
func mysqlServer() (*url.URL, error) {
	raw := os.Getenv("SCHEMACTL_TEST_MYSQL_URL")
	if raw == "" {
		raw = "mysql://root@127.0.0.1:3306/test"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SCHEMACTL_TEST_MYSQL_URL: %w", err)
	}
	if u.Scheme == "" {
		return nil, errors.New("SCHEMACTL_TEST_MYSQL_URL: not a URL")
	}
	return u, nil
}

// withDatabase returns the server URL u naming database name.
func withDatabase(u *url.URL, name string) *url.URL {
	out := *u
	out.Path = "/" + name
	return &out
}
