// Package sqlite is schemactl's SQLite engine: opening databases, reading the
// catalog into the schema model, normalising types and defaults, rendering
// changes as SQL (table rebuilds where SQLite cannot ALTER) and the
// transaction facts the executor relies on.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/schemactl/schemactl/schema"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Dialect is the SQLite engine. It holds no state: the zero value is ready
// to use, and one value may serve any number of connections at once.
type Dialect struct{}

// New returns the SQLite dialect.
func New() *Dialect { return &Dialect{} }

// Name reports the engine family.
func (*Dialect) Name() schema.Dialect { return schema.SQLite }

// Open opens the SQLite database at path, or a private in-memory database when
// memory is true. Foreign keys are enforced and writers wait up to 10 seconds
// for a lock instead of failing with SQLITE_BUSY at once.
func Open(ctx context.Context, path string, memory bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	dsn := "file:" + path + "?" + q.Encode()
	if memory {
		// Every connection to ":memory:" is a new database, so an in-memory
		// database must live on exactly one connection.
		dsn = "file::memory:?" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	if memory {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	return db, nil
}

// QuoteIdent quotes an identifier with backticks, doubling embedded ones.
// SQLite accepts backticks, and they keep plans identical in look to MySQL's.
func (*Dialect) QuoteIdent(name string) string { return quoteIdent(name) }

func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// ForwardReferences reports that a CREATE TABLE may reference a table created
// later: SQLite resolves foreign keys only when rows are written, so a cycle
// of new tables is created with its keys inline rather than by rebuilds.
func (*Dialect) ForwardReferences() bool { return true }
