package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/schema"
)

// scratch is a scratch database: a dev database the directory is replayed
// into, and what closing it must undo.
type scratch struct {
	*database
	drop func(context.Context) error // drops a throwaway database; nil when there is none
}

func (s *scratch) close(ctx context.Context) error {
	err := s.database.close()
	if s.drop != nil {
		err = errors.Join(err, s.drop(context.WithoutCancel(ctx)))
	}
	return err
}

// devURL is the scratch database of the target: DevURL, else the engine's
// own default (SQLite in memory); MySQL needs one given.
func (e *Engine) devURL() (string, error) {
	if e.t.DevURL != "" {
		return e.t.DevURL, nil
	}
	if u := offline(e.kind).DefaultDevURL(); u != "" {
		return u, nil
	}
	return "", ErrNoDevDatabase
}

// sameDatabase reports whether a and b surely name one database: one
// SQLite file, or one database of one MySQL host and port as written
// (another spelling of the host is not caught).
func sameDatabase(a, b *location) bool {
	switch {
	case a.dialect != b.dialect:
		return false
	case a.sqlite != nil && b.sqlite != nil:
		if a.sqlite.Memory || b.sqlite.Memory || a.sqlite.Path == "" || b.sqlite.Path == "" {
			return false
		}
		pa, erra := filepath.Abs(a.sqlite.Path)
		pb, errb := filepath.Abs(b.sqlite.Path)
		return erra == nil && errb == nil && pa == pb
	case a.url != nil && b.url != nil:
		hostPort := func(l *location) string {
			h, p := strings.ToLower(l.url.Hostname()), l.url.Port()
			if p == "" {
				p = "3306"
			}
			return h + ":" + p
		}
		return a.database() != "" && a.database() == b.database() && hostPort(a) == hostPort(b)
	}
	return false
}

// openDev opens the scratch database as its dialect makes one (MySQL: a
// throwaway database, or the named one, created when missing and emptied
// after use when not). It must hold no tables.
func (e *Engine) openDev(ctx context.Context) (*scratch, error) {
	raw, err := e.devURL()
	if err != nil {
		return nil, err
	}
	l, err := parseLocation(raw, false)
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	if l.dialect != e.kind {
		return nil, fmt.Errorf("--dev-url: %s is a %s database, but the migrations in %s are written for %s", l.display, l.dialect, e.DirPath(), e.kind)
	}
	if l.sqlite != nil && l.sqlite.ReadOnly() {
		return nil, fmt.Errorf("--dev-url %s is read-only (mode=ro): the migrations are replayed into it", l.display)
	}
	if e.t.URL != "" {
		if tl, err := parseLocation(e.t.URL, false); err == nil && sameDatabase(l, tl) {
			return nil, fmt.Errorf("--dev-url %s names the database --url names: the dev database is scratch space, into which the migrations are replayed and whose tables are dropped after; give another", l.display)
		}
	}
	at, undo, err := offline(e.kind).Scratch(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("--dev-url %s: %w", l.display, err)
	}
	s := &scratch{drop: undo}
	where := l
	if at != raw {
		where, err = parseURL(at)
	}
	if err == nil {
		s.database, err = connect(ctx, where, true, nil)
	}
	if err != nil {
		s.database = nil
		return nil, errors.Join(fmt.Errorf("--dev-url: %w", err), s.close(ctx))
	}
	s.display = l.display
	realm, err := s.inspect(ctx, s.db)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("inspect the dev database %s: %w", l.display, err), s.close(ctx))
	}
	if n := tableCount(realm); n > 0 {
		return nil, errors.Join(fmt.Errorf("the dev database %s is not empty (%d %s): use an empty database, or %s", l.display, n, plural(n, "table", "tables"), offline(e.kind).DefaultDevURL()), s.close(ctx))
	}
	return s, nil
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
	if err := e.dir.Stat(); errors.Is(err, executor.ErrNoDir) && (version == "head" || version == "base") {
		// A plan of the first migration into a directory that does not
		// exist yet replays nothing.
		return ex, nil
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
	defer dev.close(ctx)
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
	withoutForeignTables(realm)
	return ex.WithoutOwnTables(realm), nil
}

// foreignTables are the tables other migration tools keep their version
// in: Alembic's alembic_version. Every inspection (inspect, plan, drift)
// leaves them out, as it does schemactl's own, so that a database adopted
// from Alembic plans no DROP of the table Alembic still reads.
var foreignTables = []string{"alembic_version"}

// withoutForeignTables drops foreignTables from r, in place, and returns
// the names of those it found.
func withoutForeignTables(r *schema.Realm) []string {
	var found []string
	for _, s := range r.Schemas {
		kept := s.Tables[:0:0]
		for _, t := range s.Tables {
			if slices.Contains(foreignTables, t.Name) {
				found = append(found, t.Name)
				continue
			}
			kept = append(kept, t)
		}
		s.Tables = kept
	}
	return found
}

// Inspect reads the live schema, without schemactl's own tables and
// Alembic's alembic_version. It does not read the migration directory.
func (e *Engine) Inspect(ctx context.Context) (*schema.Realm, error) {
	realm, _, err := e.InspectForeign(ctx)
	return realm, err
}

// InspectForeign is Inspect that also names the tables of other migration
// tools (alembic_version) it left out,
// for a command to say so.
func (e *Engine) InspectForeign(ctx context.Context) (realm *schema.Realm, foreign []string, err error) {
	db, err := e.need(ctx, false, nil)
	if err != nil {
		return nil, nil, err
	}
	realm, err = db.inspect(ctx, db.db)
	if err != nil {
		return nil, nil, fmt.Errorf("inspect %s: %w", db.display, err)
	}
	foreign = withoutForeignTables(realm)
	return e.executorOn(db).WithoutOwnTables(realm), foreign, nil
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
