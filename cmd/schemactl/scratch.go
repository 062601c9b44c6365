package main

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

// defaultDevURL is the scratch database of a SQLite migration directory.
const defaultDevURL = "sqlite://file?mode=memory"

// devEngine is a scratch database: an engine plus what must happen when it
// is closed (dropping the throwaway MySQL database).
type devEngine struct {
	*engine
	drop func() error
}

func (d *devEngine) Close() error {
	err := d.engine.Close()
	if d.drop != nil {
		err = errors.Join(err, d.drop())
	}
	return err
}

// openDev opens the scratch database rawURL names. A SQLite URL is used as
// it is and must hold no tables (sqlite://file?mode=memory always holds
// none). For a MySQL URL schemactl creates a throwaway database on that
// server, named schemactl_dev_<random>, and drops it on Close; the URL's
// own database is only used to connect.
func openDev(ctx context.Context, rawURL string) (*devEngine, error) {
	t, err := parseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	if t.Dialect == schema.MySQL {
		return openMySQLDev(ctx, rawURL, t)
	}
	e, err := openEngine(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	// One connection: an in-memory database lives on exactly one, and the
	// statements lint runs one by one must see each other.
	e.db.SetMaxOpenConns(1)
	realm, err := e.inspect(ctx, e.db)
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("inspect the dev database %s: %w", t.Display, err)
	}
	if n := tableCount(realm); n > 0 {
		e.Close()
		return nil, fmt.Errorf("the dev database %s is not empty (%d %s): use an empty database, or sqlite://file?mode=memory", t.Display, n, plural(n, "table", "tables"))
	}
	return &devEngine{engine: e}, nil
}

func openMySQLDev(ctx context.Context, rawURL string, t *target) (*devEngine, error) {
	server, err := openEngine(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	defer server.Close()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	name := "schemactl_dev_" + hex.EncodeToString(b[:])
	quoted := server.driver.QuoteIdent(name)
	if _, err := server.db.ExecContext(ctx, "CREATE DATABASE "+quoted); err != nil {
		return nil, fmt.Errorf("--dev-url %s: create the throwaway database %s: %w", t.Display, name, err)
	}
	u := *t.URL
	u.Path = "/" + url.PathEscape(name)
	dropOn := func() error {
		s, err := openEngine(context.WithoutCancel(ctx), rawURL)
		if err != nil {
			return fmt.Errorf("drop the throwaway database %s: %w", name, err)
		}
		defer s.Close()
		if _, err := s.db.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE "+quoted); err != nil {
			return fmt.Errorf("drop the throwaway database %s: %w", name, err)
		}
		return nil
	}
	e, err := openEngine(ctx, u.String())
	if err != nil {
		return nil, errors.Join(fmt.Errorf("--dev-url: %w", err), dropOn())
	}
	e.target.Display = t.Display
	return &devEngine{engine: e, drop: dropOn}, nil
}

func tableCount(r *schema.Realm) int {
	n := 0
	for _, s := range r.Schemas {
		n += len(s.Tables)
	}
	return n
}

// replay applies the migrations of dir up to version to (head when "")
// on the dev database, with its own version table there, and returns the
// executor that did it.
func (d *devEngine) replay(ctx context.Context, dir *executor.Dir, versionTable, to string) (*executor.Executor, error) {
	// The directory is read with the dev engine's quoting rules.
	dev := *dir
	dev.Lexer = d.lexer()
	ex := d.executor(&dev, versionTable, 0)
	if to == "" {
		to = "head"
	}
	if _, err := ex.Apply(ctx, executor.ApplyOptions{To: to}); err != nil {
		return nil, fmt.Errorf("replay %s into the dev database: %w", dir.Path(), err)
	}
	return ex, nil
}

// expectedSchema replays dir up to version (base when "") into a fresh dev
// database and inspects it: the schema the migrations give at that version.
func expectedSchema(ctx context.Context, devURL string, dir *executor.Dir, versionTable, version string) (*schema.Realm, error) {
	dev, err := openDev(ctx, devURL)
	if err != nil {
		return nil, err
	}
	defer dev.Close()
	if version == "" {
		version = "base"
	}
	ex, err := dev.replay(ctx, dir, versionTable, version)
	if err != nil {
		return nil, err
	}
	return dev.inspectManaged(ctx, ex)
}

// inspectManagedOn reads the schema through q (the pool, or a pinned
// connection inside a transaction) without the executor's own tables.
func (e *engine) inspectManagedOn(ctx context.Context, q querier, ex *executor.Executor) (*schema.Realm, error) {
	realm, err := e.inspect(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", e.target.Display, err)
	}
	return ex.WithoutOwnTables(realm), nil
}

// devURLFor is the scratch database to use with a target of dialect d:
// the --dev-url given, else SQLite in memory for SQLite; MySQL needs one
// given.
func devURLFor(flag string, d schema.Dialect) (string, error) {
	switch {
	case flag != "":
		return flag, nil
	case d == schema.SQLite:
		return defaultDevURL, nil
	}
	return "", errors.New("no dev database: pass --dev-url mysql://user@host/any_db (schemactl creates and drops a throwaway database there)")
}
