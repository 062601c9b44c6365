// Package engine runs schemactl's workflows — inspect, plan, lint, apply,
// downgrade, stamp and status — on one Target: a database, its migration
// directory and, where one is needed, a scratch database. The schemactl
// command is flags and output over this package; applications use it to
// migrate their database at start-up from migrations embedded in the
// program:
//
//	//go:embed migrations/*.sql migrations/schemactl.sum
//	var files embed.FS
//
//	func migrate(ctx context.Context, db *sql.DB) error {
//		dir, _ := fs.Sub(files, "migrations")
//		e, err := engine.Open(ctx, engine.Target{DB: db, Dialect: engine.SQLite, FS: dir, LockTimeout: 5 * time.Minute})
//		if err != nil {
//			return err
//		}
//		defer e.Close()
//		_, err = e.Apply(ctx, engine.ApplyOptions{AllowAhead: true})
//		return err
//	}
//
// Apply in an application gives the guarantees of schemactl apply: one run
// at a time (the others wait up to Target.LockTimeout for the migration
// lock), every migration checked against schemactl.sum first, and each
// version recorded as it is reached. A process killed in the middle of a
// migration leaves, on SQLite, the version before it: the migration's
// transaction rolls back, and the next start runs it again. On
// MySQL/MariaDB, where every DDL statement commits by itself, it leaves a
// history row that says which statements finished, and the next Apply
// resumes after them; the statement that was running when the process died
// may have been finished by the server meanwhile (the README's Safety
// section says what is and is not guaranteed then).
package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/schema"
)

// Engine is an opened Target. It is safe for one goroutine at a time.
type Engine struct {
	t    Target
	kind schema.Dialect
	live *database // nil when the Target names no database
	dir  *executor.Dir
}

// Open opens a Target: it connects to the database URL names (or adopts
// DB), and opens the migration directory. Nothing is written.
func Open(ctx context.Context, t Target) (*Engine, error) {
	if t.DB != nil && t.URL != "" {
		return nil, errors.New("the Target has both a URL and a DB; give one")
	}
	var loc *location
	if t.URL != "" {
		var err error
		if loc, err = parseURL(t.URL); err != nil {
			return nil, err
		}
		if t.Dialect != "" && t.Dialect != loc.dialect {
			return nil, fmt.Errorf("%s is a %s database, not %s", loc.display, loc.dialect, t.Dialect)
		}
	}
	e := &Engine{t: t, kind: kindOf(t, loc)}
	// The directory is read first: a database of another engine than its
	// migrations is refused before connecting, which for SQLite would
	// create the file.
	dir, err := e.openDir(loc)
	if err != nil {
		return nil, err
	}
	switch {
	case t.DB != nil:
		e.live, err = attach(ctx, t.DB, t.Dialect)
	case loc != nil:
		e.live, err = connect(ctx, loc)
	}
	if err != nil {
		return nil, err
	}
	dir.Lexer = e.dialect()
	e.dir = dir
	return e, nil
}

// kindOf is the engine of a target before its directory is read: the
// database's, else the one named, else the scratch database's, else
// SQLite. openDir may settle it from what the directory records.
func kindOf(t Target, loc *location) schema.Dialect {
	switch {
	case loc != nil:
		return loc.dialect
	case t.Dialect != "":
		return t.Dialect
	case t.DevURL != "":
		if k, err := URLDialect(t.DevURL); err == nil {
			return k
		}
	}
	return schema.SQLite
}

// Close disconnects from a database that Open connected to; a Target.DB
// stays open.
func (e *Engine) Close() error { return e.live.close() }

// Dialect is the engine the target is for.
func (e *Engine) Dialect() schema.Dialect { return e.kind }

// Where names the database for messages, without its password; "" when
// the target has none.
func (e *Engine) Where() string {
	if e.live == nil {
		return ""
	}
	return e.live.display
}

// Database is the MySQL database the target's schema is in; "" on SQLite
// and without a database.
func (e *Engine) Database() string {
	if e.live == nil {
		return ""
	}
	return e.live.name
}

// Dir is the target's migration directory.
func (e *Engine) Dir() *executor.Dir { return e.dir }

// DirPath is the migration directory as the user named it, for messages.
func (e *Engine) DirPath() string {
	if e.t.FS != nil {
		return "embedded migrations"
	}
	if e.t.Dir == "" {
		return "migrations"
	}
	return e.t.Dir
}

// need returns the live database, or ErrNoDatabase.
func (e *Engine) need() (*database, error) {
	if e.live == nil {
		return nil, ErrNoDatabase
	}
	return e.live, nil
}

// executor is the migration runner of the live database.
func (e *Engine) executor() (*executor.Executor, error) {
	db, err := e.need()
	if err != nil {
		return nil, err
	}
	return e.executorOn(db), nil
}

func (e *Engine) executorOn(db *database) *executor.Executor {
	timeout := e.t.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	return &executor.Executor{
		DB:           db.db,
		Driver:       db.d,
		Dir:          e.dir,
		VersionTable: e.t.VersionTable,
		LockTimeout:  timeout,
	}
}
