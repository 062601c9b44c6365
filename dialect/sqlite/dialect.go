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

// Open opens the SQLite database a URL names (see ParseURL) and returns it
// with the dialect. Foreign keys are enforced and writers wait up to 10
// seconds for a lock instead of failing with SQLITE_BUSY at once. Open has
// the signature of every dialect's Open, which the engine maps URL schemes
// to.
func Open(ctx context.Context, rawURL string) (*sql.DB, *Dialect, error) {
	path, memory, err := ParseURL(rawURL)
	if err != nil {
		return nil, nil, err
	}
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
		return nil, nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	if memory {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	return db, New(), nil
}

// ParseURL reads a SQLite database URL: sqlite://relative/path.db,
// sqlite:///abs/path.db, or sqlite://file?mode=memory (also sqlite://:memory:)
// for a private in-memory database; the schemes sqlite3:// and file:// are
// the same. It returns the file's path, or memory.
func ParseURL(raw string) (path string, memory bool, err error) {
	scheme, rest, ok := strings.Cut(raw, ":")
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
	default:
		ok = false
	}
	if !ok {
		return "", false, fmt.Errorf("database URL %q is not a SQLite URL; use sqlite://path.db", raw)
	}
	rest = strings.TrimPrefix(rest, "//")
	path, query, _ := strings.Cut(rest, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", false, fmt.Errorf("database URL %q: bad query: %w", raw, err)
	}
	memory = q.Get("mode") == "memory" || path == ":memory:"
	if path == "" && !memory {
		return "", false, fmt.Errorf("database URL %q names no file; use sqlite://path.db or sqlite:///abs/path.db", raw)
	}
	return path, memory, nil
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
