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
	lint.Lexer
	executor.Driver
	executor.Lexer
	schemahcl.Dialect
	scratcher
	Normalize(*schema.Realm) error
	Inspect(ctx context.Context, q querier) (*schema.Realm, error)
}

// scratcher is how an engine makes the scratch database that migrations
// are replayed into.
type scratcher interface {
	// DefaultDevURL is the scratch database to use when none is given; ""
	// when the engine has none that needs no server.
	DefaultDevURL() string
	// Scratch prepares the scratch database the dev URL rawURL names
	// (creating it, or checking and locking one that exists) and returns
	// the URL to connect to it and what undoes Scratch once those
	// connections are closed (nil: nothing to undo).
	Scratch(ctx context.Context, rawURL string) (string, func(context.Context) error, error)
}

// querier is what inspection reads through: *sql.DB, *sql.Conn or *sql.Tx.
// The dialects spell the same interface literal, so their Inspect methods
// satisfy dialect.
type querier = interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// database is an open database with its dialect.
type database struct {
	db *sql.DB
	d  dialect
	// display is where it is, for messages: a URL without its password.
	display string
	// name is the MySQL database the schema is in; "" on SQLite.
	name string
	// owned is set when Close must close db (Open connected it).
	owned bool
	// online runs ALTER TABLE without blocking writes; nil when the
	// engine has no such tool.
	online executor.OnlineAlterer
}

func (d *database) close() error {
	if d == nil || !d.owned {
		return nil
	}
	return d.db.Close()
}

// inspect reads the database's schema through q.
func (d *database) inspect(ctx context.Context, q querier) (*schema.Realm, error) {
	return d.d.Inspect(ctx, q)
}

// connect opens the database a URL names with its dialect's Open. The
// scheme chose the dialect in parseURL; this switch and that one are the
// only places outside the dialects that know which engines exist. A
// SQLite file that does not exist is created only with create set, and
// note is told so.
func connect(ctx context.Context, l *location, create bool, note func(string)) (*database, error) {
	var (
		db  *sql.DB
		d   dialect
		err error
	)
	switch l.dialect {
	case schema.SQLite:
		var created bool
		if db, created, err = sqlite.OpenURL(ctx, l.sqlite, create); err != nil {
			if errors.Is(err, sqlite.ErrNoFile) {
				return nil, err // "no database at PATH" says it all
			}
			return nil, fmt.Errorf("connect to %s: %w", l.display, err)
		}
		if created && note != nil {
			note(fmt.Sprintf("created the SQLite database %s", l.sqlite.Path))
		}
		d = sqlite.New()
	case schema.MySQL:
		var md *mysql.Dialect
		if db, md, err = mysql.Open(ctx, l.url.String()); err != nil {
			return nil, err // it names the redacted URL already
		}
		tool, err := mysql.NewOnlineTool(l.url.String(), md)
		if err != nil {
			db.Close()
			return nil, err
		}
		return &database{db: db, d: md, display: l.display, name: l.database(), owned: true, online: tool}, nil
	default:
		return nil, fmt.Errorf("%s: unsupported database", l.display)
	}
	return &database{db: db, d: d, display: l.display, name: l.database(), owned: true}, nil
}

// attach adopts a pool the caller opened.
func attach(ctx context.Context, db *sql.DB, kind schema.Dialect) (*database, error) {
	switch kind {
	case schema.SQLite:
		return &database{db: db, d: sqlite.New(), display: "sqlite database"}, nil
	case schema.MySQL:
		d, err := mysql.Attach(ctx, db)
		if err != nil {
			return nil, err
		}
		return &database{db: db, d: d, display: "mysql database " + d.Database(), name: d.Database()}, nil
	case "":
		return nil, errors.New("Target.DB needs Target.Dialect (engine.SQLite or engine.MySQL)")
	}
	return nil, fmt.Errorf("unknown dialect %q: use engine.SQLite or engine.MySQL", kind)
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
