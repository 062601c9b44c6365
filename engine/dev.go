package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/schema"
)

// scratch is a scratch database: a dev database the directory is replayed
// into, and what closing it must undo.
type scratch struct {
	*database
	drop func() error // drops the throwaway MySQL database; nil on SQLite
}

func (s *scratch) close() error {
	err := s.database.close()
	if s.drop != nil {
		err = errors.Join(err, s.drop())
	}
	return err
}

// devURL is the scratch database of the target: DevURL, else SQLite in
// memory for SQLite; MySQL needs one given.
func (e *Engine) devURL() (string, error) {
	switch {
	case e.t.DevURL != "":
		return e.t.DevURL, nil
	case e.kind == schema.SQLite:
		return DefaultDevURL, nil
	}
	return "", ErrNoDevDatabase
}

// openDev opens the scratch database. A SQLite URL is used as it is and
// must hold no tables (sqlite://file?mode=memory always holds none). For a
// MySQL URL a throwaway database schemactl_dev_<random> is created on that
// server and dropped on close; the URL's own database only serves to
// connect.
func (e *Engine) openDev(ctx context.Context) (*scratch, error) {
	raw, err := e.devURL()
	if err != nil {
		return nil, err
	}
	l, err := parseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	if l.dialect != e.kind {
		return nil, fmt.Errorf("--dev-url: %s is a %s database, but the migrations in %s are written for %s", l.display, l.dialect, e.DirPath(), e.kind)
	}
	if l.dialect == schema.MySQL {
		return openMySQLDev(ctx, l)
	}
	db, err := connect(ctx, l)
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	// One connection: an in-memory database lives on exactly one, and the
	// statements lint runs one by one must see each other.
	db.db.SetMaxOpenConns(1)
	realm, err := db.inspect(ctx, db.db)
	if err != nil {
		db.close()
		return nil, fmt.Errorf("inspect the dev database %s: %w", l.display, err)
	}
	if n := tableCount(realm); n > 0 {
		db.close()
		return nil, fmt.Errorf("the dev database %s is not empty (%d %s): use an empty database, or %s", l.display, n, plural(n, "table", "tables"), DefaultDevURL)
	}
	return &scratch{database: db}, nil
}

func openMySQLDev(ctx context.Context, l *location) (*scratch, error) {
	server, err := connect(ctx, l)
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	defer server.close()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	name := "schemactl_dev_" + hex.EncodeToString(b[:])
	quoted := server.d.QuoteIdent(name)
	if _, err := server.db.ExecContext(ctx, "CREATE DATABASE "+quoted); err != nil {
		return nil, fmt.Errorf("--dev-url %s: create the throwaway database %s: %w", l.display, name, err)
	}
	drop := func() error {
		ctx := context.WithoutCancel(ctx)
		s, err := connect(ctx, l)
		if err != nil {
			return fmt.Errorf("drop the throwaway database %s: %w", name, err)
		}
		defer s.close()
		if _, err := s.db.ExecContext(ctx, "DROP DATABASE "+quoted); err != nil {
			return fmt.Errorf("drop the throwaway database %s: %w", name, err)
		}
		return nil
	}
	u := *l.url
	u.Path = "/" + url.PathEscape(name)
	dl := *l
	dl.url = &u
	db, err := connect(ctx, &dl)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("--dev-url: %w", err), drop())
	}
	db.display = l.display
	return &scratch{database: db, drop: drop}, nil
}

// replay applies the directory up to version ("" = head, "base" = none)
// to the scratch database, with its own version table there, and returns
// the executor that did it.
func (e *Engine) replay(ctx context.Context, dev *scratch, version string) (*executor.Executor, error) {
	if _, err := e.Dir(); err != nil {
		return nil, err
	}
	ex := e.executorOn(dev.database)
	ex.LockTimeout = 0
	if version == "" {
		version = "head"
	}
	if _, err := ex.Apply(ctx, executor.ApplyOptions{To: version}); err != nil {
		return nil, fmt.Errorf("replay %s into the dev database: %w", e.DirPath(), err)
	}
	return ex, nil
}

// Expected replays the directory up to version ("" = base) into a fresh
// scratch database and inspects it: the schema the migrations give at that
// version, without schemactl's own tables.
func (e *Engine) Expected(ctx context.Context, version string) (*schema.Realm, error) {
	dev, err := e.openDev(ctx)
	if err != nil {
		return nil, err
	}
	defer dev.close()
	if version == "" {
		version = "base"
	}
	ex, err := e.replay(ctx, dev, version)
	if err != nil {
		return nil, err
	}
	return inspectManaged(ctx, dev.database, dev.db, ex)
}

// inspectManaged reads the schema through q (the pool, or a pinned
// connection inside a transaction) without the executor's own tables.
func inspectManaged(ctx context.Context, db *database, q querier, ex *executor.Executor) (*schema.Realm, error) {
	realm, err := db.inspect(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", db.display, err)
	}
	return ex.WithoutOwnTables(realm), nil
}

// Inspect reads the live schema, without schemactl's own tables. It does
// not read the migration directory.
func (e *Engine) Inspect(ctx context.Context) (*schema.Realm, error) {
	db, err := e.need(ctx)
	if err != nil {
		return nil, err
	}
	return inspectManaged(ctx, db, db.db, e.executorOn(db))
}

func tableCount(r *schema.Realm) int {
	n := 0
	for _, s := range r.Schemas {
		n += len(s.Tables)
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
