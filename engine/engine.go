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
//
// It connects to a URL on first use, and reads the migration directory
// the first time a workflow needs it: inspect needs no directory, and a
// directory whose files are written for another engine than the database
// is refused before the database is opened (for SQLite, before the file
// is created).
type Engine struct {
	t    Target
	loc  *location // the parsed URL; nil without one
	kind schema.Dialect
	live *database // the database, once connected (or adopted at Open)
	dir  *executor.Dir
	// dirChecked is set once the files' recorded dialect has been read
	// and the directory given its lexer.
	dirChecked bool
}

// Open opens a Target: it checks the URL (connecting on first use) or
// adopts DB, and locates the migration directory. Nothing is written.
func Open(ctx context.Context, t Target) (*Engine, error) {
	if t.DB != nil && t.URL != "" {
		return nil, errors.New("the Target has both a URL and a DB; give one")
	}
	e := &Engine{t: t}
	if t.URL != "" {
		var err error
		if e.loc, err = parseURL(t.URL); err != nil {
			return nil, &URLError{Err: err}
		}
		if t.Dialect != "" && t.Dialect != e.loc.dialect {
			return nil, fmt.Errorf("%s is a %s database, not %s", e.loc.display, e.loc.dialect, t.Dialect)
		}
	}
	e.kind = kindOf(t, e.loc)
	if t.FS != nil {
		e.dir = executor.OpenFS(t.FS)
	} else {
		var err error
		if e.dir, err = executor.OpenDir(e.DirPath()); err != nil {
			return nil, err
		}
	}
	if t.DB != nil {
		var err error
		if e.live, err = attach(ctx, t.DB, t.Dialect); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// kindOf is the engine of a target before its directory is read: the
// database's, else the one named, else the scratch database's, else
// SQLite. The directory may settle it from what its files record.
func kindOf(t Target, loc *location) schema.Dialect {
	switch {
	case loc != nil:
		return loc.dialect
	case t.Dialect != "":
		return t.Dialect
	case t.DevURL != "":
		// A dev URL may name no database (a throwaway one is made).
		if l, err := parseLocation(t.DevURL, false); err == nil {
			return l.dialect
		}
	}
	return schema.SQLite
}

// Close disconnects from a database that the Engine connected to; a
// Target.DB stays open.
func (e *Engine) Close() error { return e.live.close() }

// Dialect is the engine the target is for.
func (e *Engine) Dialect() schema.Dialect { return e.kind }

// Where names the database for messages, without its password; "" when
// the target has none.
func (e *Engine) Where() string {
	switch {
	case e.live != nil:
		return e.live.display
	case e.loc != nil:
		return e.loc.display
	}
	return ""
}

// Database is the MySQL database the target's schema is in; "" on SQLite
// and without a database.
func (e *Engine) Database() string {
	switch {
	case e.live != nil:
		return e.live.name
	case e.loc != nil:
		return e.loc.database()
	}
	return ""
}

// Dir is the target's migration directory, ready to read: its files are
// read with the lexer of the engine they record (or the target's).
func (e *Engine) Dir() (*executor.Dir, error) {
	if e.dirChecked {
		return e.dir, nil
	}
	name, err := e.dir.Dialect()
	if err != nil {
		return nil, err
	}
	if name != "" {
		recorded, err := ParseDialect(name)
		if err != nil {
			return nil, fmt.Errorf("%s: the migrations record dialect %q: %w", e.DirPath(), name, err)
		}
		switch {
		case e.loc != nil && recorded != e.loc.dialect:
			return nil, fmt.Errorf("the migrations in %s are written for %s, but %s is a %s database", e.DirPath(), recorded, e.loc.display, e.loc.dialect)
		case e.t.Dialect != "" && recorded != e.t.Dialect:
			return nil, fmt.Errorf("the migrations in %s are written for %s, not %s", e.DirPath(), recorded, e.t.Dialect)
		}
		e.kind = recorded
	}
	e.dir.Lexer = e.dialect()
	e.dirChecked = true
	return e.dir, nil
}

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

// need returns the live database, connecting to the URL on first use, or
// ErrNoDatabase. Only the workflows that make a database (apply, plan)
// pass create: the others, reading or changing one that must exist, never
// leave an empty SQLite file behind a typo; note hears of a file created.
func (e *Engine) need(ctx context.Context, create bool, note func(string)) (*database, error) {
	if e.live != nil {
		return e.live, nil
	}
	if e.loc == nil {
		return nil, ErrNoDatabase
	}
	db, err := connect(ctx, e.loc, create, note)
	if err != nil {
		return nil, err
	}
	e.live = db
	if e.dirChecked {
		// The directory was read with the offline dialect; the live one
		// knows the server.
		e.dir.Lexer = db.d
	}
	return db, nil
}

// access is what a workflow needs of the database and the directory.
type access struct {
	// create lets a SQLite file that does not exist be created; note
	// hears of it.
	create bool
	note   func(string)
	// newDir accepts a directory that does not exist yet: a plan writes
	// the first migration into it.
	newDir bool
}

// executor is the migration runner of the live database, on the checked
// directory: the directory is read, and must exist, before connecting.
func (e *Engine) executor(ctx context.Context, a access) (*executor.Executor, error) {
	if _, err := e.Dir(); err != nil {
		return nil, err
	}
	if err := e.dir.Stat(); err != nil && !(a.newDir && errors.Is(err, executor.ErrNoDir)) {
		return nil, err
	}
	db, err := e.need(ctx, a.create, a.note)
	if err != nil {
		return nil, err
	}
	return e.executorOn(db), nil
}

// writable refuses a workflow that writes the database (verb) when the
// URL opens it read-only.
func (e *Engine) writable(verb string) error {
	if e.loc != nil && e.loc.sqlite != nil && e.loc.sqlite.ReadOnly() {
		return fmt.Errorf("%s is read-only (mode=ro), and %s writes the database: remove ?mode=ro", e.loc.display, verb)
	}
	return nil
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
		Online:       db.online,
	}
}
