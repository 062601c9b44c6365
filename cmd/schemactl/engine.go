package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/schema"
)

// engine is an open database with the dialect pieces each layer needs. URL
// schemes map to dialects here, with a plain switch: no registry.
type engine struct {
	target    *target
	db        *sql.DB
	dialect   planner.Dialect
	driver    executor.Driver
	inspect   func(ctx context.Context, db *sql.DB) (*schema.Realm, error)
	normalize func(*schema.Realm) error
	// inspectConn reads the schema on one pinned connection, inside the
	// migration's transaction (drift check, lint); nil falls back to
	// inspect, which is fine where the pool has other connections.
	inspectConn func(ctx context.Context, conn *sql.Conn) (*schema.Realm, error)
}

func openEngine(ctx context.Context, rawURL string) (*engine, error) {
	t, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	switch t.Dialect {
	case schema.SQLite:
		db, err := sqlite.Open(ctx, t.Path, t.Memory)
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", t.Display, err)
		}
		d := sqlite.New()
		return &engine{
			target:  t,
			db:      db,
			dialect: d,
			driver:  d,
			inspect: func(ctx context.Context, db *sql.DB) (*schema.Realm, error) {
				return d.Inspect(ctx, db)
			},
			normalize: d.Normalize,
			inspectConn: func(ctx context.Context, conn *sql.Conn) (*schema.Realm, error) {
				return d.Inspect(ctx, conn)
			},
		}, nil
	case schema.MySQL:
		db, d, err := mysql.Open(ctx, t.URL)
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", t.Display, err)
		}
		database := t.database()
		return &engine{
			target:  t,
			db:      db,
			dialect: d,
			driver:  d,
			inspect: func(ctx context.Context, db *sql.DB) (*schema.Realm, error) {
				return d.Inspect(ctx, db, database)
			},
			normalize: d.Normalize,
			inspectConn: func(ctx context.Context, conn *sql.Conn) (*schema.Realm, error) {
				return d.Inspect(ctx, conn, database)
			},
		}, nil
	default:
		return nil, fmt.Errorf("%s: unsupported database", t.Display)
	}
}

func (e *engine) Close() error { return e.db.Close() }

// executor returns the migration runner for the directory.
func (e *engine) executor(dir *executor.Dir, table string, lockTimeout time.Duration) *executor.Executor {
	return &executor.Executor{
		DB:           e.db,
		Driver:       e.driver,
		Dir:          dir,
		VersionTable: table,
		LockTimeout:  lockTimeout,
	}
}

// inspectManaged reads the live schema without the executor's own tables.
func (e *engine) inspectManaged(ctx context.Context, ex *executor.Executor) (*schema.Realm, error) {
	realm, err := e.inspect(ctx, e.db)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", e.target.Display, err)
	}
	own := map[string]bool{}
	for _, name := range ex.Tables() {
		own[name] = true
	}
	for _, s := range realm.Schemas {
		kept := s.Tables[:0:0]
		for _, t := range s.Tables {
			if !own[t.Name] {
				kept = append(kept, t)
			}
		}
		s.Tables = kept
	}
	return realm, nil
}
