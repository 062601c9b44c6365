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
	target  *target
	db      *sql.DB
	dialect planner.Dialect
	driver  executor.Driver
	// inspect reads the schema through the pool, or on one pinned
	// connection inside a migration's transaction (drift check, lint).
	inspect   func(ctx context.Context, q querier) (*schema.Realm, error)
	normalize func(*schema.Realm) error
}

// querier is what the dialects' Inspect reads through: *sql.DB, *sql.Conn or
// *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
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
			inspect: func(ctx context.Context, q querier) (*schema.Realm, error) {
				return d.Inspect(ctx, q)
			},
			normalize: d.Normalize,
		}, nil
	case schema.MySQL:
		db, d, err := mysql.Open(ctx, t.URL)
		if err != nil {
			return nil, err // it names the redacted URL already
		}
		database := t.database()
		return &engine{
			target:  t,
			db:      db,
			dialect: d,
			driver:  d,
			inspect: func(ctx context.Context, q querier) (*schema.Realm, error) {
				return d.Inspect(ctx, q, database)
			},
			normalize: d.Normalize,
		}, nil
	default:
		return nil, fmt.Errorf("%s: unsupported database", t.Display)
	}
}

func (e *engine) Close() error { return e.db.Close() }

// Both dialects lex their SQL, for the executor to read and write migration
// files with.
var (
	_ executor.Lexer = (*sqlite.Dialect)(nil)
	_ executor.Lexer = (*mysql.Dialect)(nil)
)

// lexer reads and writes the engine's migration files.
func (e *engine) lexer() executor.Lexer { return e.driver.(executor.Lexer) }

// standardSQL lexes migration files whose dialect is not known (hash, and
// history without --url): SQLite's quoting is standard SQL's.
var standardSQL executor.Lexer = sqlite.New()

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
	return e.inspectManagedOn(ctx, e.db, ex)
}
