package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// engine is an open database with the pieces of its dialect that plan and
// apply use, assembled the way cmd/schemactl assembles them, so that the
// in-process pipeline below runs the same code as the binary.
type engine struct {
	name      schema.Dialect
	database  string // MySQL: the database the URL names
	db        *sql.DB
	planner   planner.Dialect
	driver    executor.Driver
	inspect   func(ctx context.Context, q querier) (*schema.Realm, error)
	normalize func(*schema.Realm) error
}

// querier is what both dialects inspect through: a pool or one connection.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func openSQLite(ctx context.Context, path string) (*engine, error) {
	db, err := sqlite.Open(ctx, path, false)
	if err != nil {
		return nil, err
	}
	d := sqlite.New()
	return &engine{
		name:    schema.SQLite,
		db:      db,
		planner: d,
		driver:  d,
		inspect: func(ctx context.Context, q querier) (*schema.Realm, error) {
			return d.Inspect(ctx, q)
		},
		normalize: d.Normalize,
	}, nil
}

func openMySQL(ctx context.Context, u *url.URL) (*engine, error) {
	db, d, err := mysql.Open(ctx, u)
	if err != nil {
		return nil, err
	}
	database := strings.Trim(u.Path, "/")
	return &engine{
		name:     schema.MySQL,
		database: database,
		db:       db,
		planner:  d,
		driver:   d,
		inspect: func(ctx context.Context, q querier) (*schema.Realm, error) {
			return d.Inspect(ctx, q, database)
		},
		normalize: d.Normalize,
	}, nil
}

func (e *engine) Close() error { return e.db.Close() }

func (e *engine) executor(dirPath string) (*executor.Executor, error) {
	dir, err := executor.OpenDir(dirPath)
	if err != nil {
		return nil, err
	}
	dir.Lexer = e.driver.(executor.Lexer)
	return &executor.Executor{DB: e.db, Driver: e.driver, Dir: dir}, nil
}

// inspectManaged reads the live schema without the executor's own tables,
// as `schemactl plan` does.
func (e *engine) inspectManaged(ctx context.Context, q querier, ex *executor.Executor) (*schema.Realm, error) {
	r, err := e.inspect(ctx, q)
	if err != nil {
		return nil, err
	}
	return ex.WithoutOwnTables(r), nil
}

// load parses and normalises HCL files as `schemactl plan` does.
func (e *engine) load(paths ...string) (*schema.Realm, error) {
	r, _, diags := schemahcl.LoadPaths(schemahcl.Options{Dialect: e.name, Database: e.database}, paths...)
	if diags.HasErrors() {
		return nil, diags
	}
	if err := e.normalize(r); err != nil {
		return nil, err
	}
	return r, nil
}

// plan is `schemactl plan --schema paths -m message` in process: load the
// HCL, check the database is at the directory's head, inspect, plan, lint
// and write the next migration. It returns the plan.
func (e *engine) plan(ctx context.Context, dirPath, message string, paths ...string) (*planner.Plan, error) {
	desired, err := e.load(paths...)
	if err != nil {
		return nil, err
	}
	ex, err := e.executor(dirPath)
	if err != nil {
		return nil, err
	}
	if err := ex.Dir.Verify(); err != nil {
		return nil, err
	}
	head, err := ex.Dir.Head()
	if err != nil {
		return nil, err
	}
	current, err := ex.Current(ctx)
	if err != nil {
		return nil, err
	}
	if current != head {
		return nil, fmt.Errorf("database is at %q, directory at %q", current, head)
	}
	live, err := e.inspectManaged(ctx, e.db, ex)
	if err != nil {
		return nil, err
	}
	fp := planner.Fingerprint(live)
	p, err := planner.New(live, desired, e.planner, planner.Options{})
	if err != nil {
		return nil, err
	}
	if !p.Empty() {
		if _, err := ex.Dir.WritePlanned(message, fp, toExec(p.Up), toExec(p.Down)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// apply is `schemactl apply` in process, with the drift check on.
func (e *engine) apply(ctx context.Context, dirPath string) (*executor.Result, error) {
	ex, err := e.executor(dirPath)
	if err != nil {
		return nil, err
	}
	ex.Fingerprint = func(ctx context.Context, conn *sql.Conn) (string, error) {
		r, err := e.inspectManaged(ctx, conn, ex)
		if err != nil {
			return "", err
		}
		return planner.Fingerprint(r), nil
	}
	return ex.Apply(ctx, executor.ApplyOptions{})
}

// applyDirect runs the up statements of the directory's migrations straight
// through the driver, as a DBA would paste them: one transaction on SQLite,
// statement after statement on MySQL. It is the floor apply is judged by.
func (e *engine) applyDirect(ctx context.Context, dirPath string) (int, error) {
	ex, err := e.executor(dirPath)
	if err != nil {
		return 0, err
	}
	ms, err := ex.Dir.Migrations()
	if err != nil {
		return 0, err
	}
	conn, err := e.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	tx := e.name == schema.SQLite
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

func toExec(stmts []planner.Statement) []executor.Statement {
	out := make([]executor.Statement, len(stmts))
	for i, s := range stmts {
		out[i] = executor.Statement{Comment: s.Comment, SQL: s.SQL}
	}
	return out
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
