package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// dialect is what the workflows need of an engine, all of it implemented by
// each dialect package.
type dialect interface {
	lint.Dialect
	executor.Driver
	schemahcl.Dialect
	Normalize(*schema.Realm) error
}

// querier is what inspection reads through: *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// database is an open database with its dialect.
type database struct {
	db      *sql.DB
	d       dialect
	inspect func(ctx context.Context, q querier) (*schema.Realm, error)
	// display is where it is, for messages: a URL without its password.
	display string
	// name is the MySQL database the schema is in; "" on SQLite.
	name string
	// owned is set when Close must close db (Open connected it).
	owned bool
}

func (d *database) close() error {
	if d == nil || !d.owned {
		return nil
	}
	return d.db.Close()
}

// connect opens the database a URL names. The scheme chose the dialect in
// parseURL; this switch is the only other place that knows both engines.
func connect(ctx context.Context, l *location) (*database, error) {
	switch l.dialect {
	case schema.SQLite:
		db, err := sqlite.Open(ctx, l.path, l.memory)
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", l.display, err)
		}
		return sqliteDatabase(db, l.display, true), nil
	case schema.MySQL:
		db, d, err := mysql.Open(ctx, l.url)
		if err != nil {
			return nil, err // it names the redacted URL already
		}
		return mysqlDatabase(db, d, l.display, l.database(), true), nil
	}
	return nil, fmt.Errorf("%s: unsupported database", l.display)
}

// attach adopts a pool the caller opened.
func attach(ctx context.Context, db *sql.DB, kind schema.Dialect) (*database, error) {
	switch kind {
	case schema.SQLite:
		return sqliteDatabase(db, "sqlite database", false), nil
	case schema.MySQL:
		d, err := mysql.Attach(ctx, db)
		if err != nil {
			return nil, err
		}
		var name sql.NullString
		if err := db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&name); err != nil {
			return nil, fmt.Errorf("read the current database: %w", err)
		}
		if name.String == "" {
			return nil, errors.New("the MySQL connection has no current database: name one in its DSN")
		}
		return mysqlDatabase(db, d, "mysql database "+name.String, name.String, false), nil
	case "":
		return nil, errors.New("Target.DB needs Target.Dialect (engine.SQLite or engine.MySQL)")
	}
	return nil, fmt.Errorf("unknown dialect %q: use engine.SQLite or engine.MySQL", kind)
}

func sqliteDatabase(db *sql.DB, display string, owned bool) *database {
	d := sqlite.New()
	return &database{
		db: db, d: d, display: display, owned: owned,
		inspect: func(ctx context.Context, q querier) (*schema.Realm, error) { return d.Inspect(ctx, q) },
	}
}

func mysqlDatabase(db *sql.DB, d *mysql.Dialect, display, name string, owned bool) *database {
	return &database{
		db: db, d: d, display: display, name: name, owned: owned,
		inspect: func(ctx context.Context, q querier) (*schema.Realm, error) { return d.Inspect(ctx, q, name) },
	}
}

// HCLDialect is the dialect that decodes and encodes the schema language
// of an engine (schemahcl.Options.Dialect) when there is no database to
// ask: MySQL's then knows no server version.
func HCLDialect(kind schema.Dialect) schemahcl.Dialect { return offline(kind) }

// offline is the dialect of a target without a database, for reading and
// linting a directory and decoding HCL.
func offline(kind schema.Dialect) dialect {
	if kind == schema.MySQL {
		return mysql.New(mysql.Flavor{})
	}
	return sqlite.New()
}
