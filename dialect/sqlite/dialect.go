// Package sqlite is schemactl's SQLite engine: opening databases, reading the
// catalog into the schema model, normalising types and defaults, rendering
// changes as SQL (table rebuilds where SQLite cannot ALTER) and the
// transaction facts the executor relies on.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/schemactl/schemactl/internal/dburl"
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
// with the dialect. A missing file is created, unless the URL's mode is ro
// or rw. Foreign keys are enforced and writers wait up to 10 seconds for a
// lock instead of failing with SQLITE_BUSY at once. Open has the signature
// of every dialect's Open, which the engine maps URL schemes to.
func Open(ctx context.Context, rawURL string) (*sql.DB, *Dialect, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, nil, err
	}
	db, _, err := OpenURL(ctx, u, true)
	if err != nil {
		return nil, nil, err
	}
	return db, New(), nil
}

// ErrNoFile is wrapped by the error of OpenURL for a file that does not
// exist where none may be created: "no database at PATH".
var ErrNoFile = errors.New("no database")

// OpenURL opens the database u names. With create false, or a URL whose
// mode is ro or rw, a file that does not exist is an error wrapping
// ErrNoFile and nothing is created: the commands that only read never
// leave an empty database behind a typo. created reports whether this
// call created the file. A file directly in the filesystem root is never
// created: sqlite:///app.db is what SQLAlchemy users write for a file in
// the working directory.
func OpenURL(ctx context.Context, u *URL, create bool) (db *sql.DB, created bool, err error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	if u.Memory {
		// Every connection to ":memory:" is a new database, so an
		// in-memory database must live on exactly one connection.
		db, err := sql.Open("sqlite", "file::memory:?"+q.Encode())
		if err != nil {
			return nil, false, fmt.Errorf("open sqlite database in memory: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, false, fmt.Errorf("open sqlite database in memory: %w", err)
		}
		return db, false, nil
	}
	mode := u.Mode
	if mode == "ro" || mode == "rw" {
		create = false
	}
	st, err := os.Stat(u.Path)
	switch {
	case err == nil && st.IsDir():
		return nil, false, fmt.Errorf("%s is a directory, not a SQLite database file", u.Path)
	case errors.Is(err, fs.ErrNotExist) && filepath.Dir(u.Path) == "/":
		name := strings.TrimPrefix(u.Path, "/")
		return nil, false, fmt.Errorf("%w at %s: sqlite:///%s names a file in the filesystem root; for %s in the working directory write sqlite://%s",
			ErrNoFile, u.Path, name, name, name)
	case errors.Is(err, fs.ErrNotExist) && !create:
		return nil, false, fmt.Errorf("%w at %s", ErrNoFile, u.Path)
	case errors.Is(err, fs.ErrNotExist):
		created = true
	case err != nil:
		return nil, false, fmt.Errorf("open sqlite database %s: %w", u.Path, err)
	}
	switch {
	case mode != "":
	case create:
		mode = "rwc"
	default:
		// Even if the file went away since Stat, SQLite must not create it.
		mode = "rw"
	}
	q.Set("mode", mode)
	db, err = sql.Open("sqlite", uriPath(u.Path)+"?"+q.Encode())
	if err != nil {
		return nil, false, fmt.Errorf("open sqlite database %s: %w", u.Path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, false, fmt.Errorf("open sqlite database %s: %w", u.Path, err)
	}
	return db, created, nil
}

// uriPath is a file path as a SQLite URI filename: SQLite decodes %HH, and
// a '?' or '#' would end the name.
func uriPath(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	if strings.HasPrefix(path, "/") {
		// An empty authority, so that a path starting with "//" is not
		// read as one.
		return "file://" + esc
	}
	return "file:" + esc
}

// URL is a SQLite database URL as ParseURL reads it.
type URL struct {
	// Path is the file, percent-decoded; "" for a database in memory.
	Path   string
	Memory bool
	// Mode is the URL's mode parameter: "ro" (read-only), "rw" (an
	// existing file, read-write), "rwc" (created if missing), or "" for
	// none: the commands that write create the file, the others do not.
	Mode string
}

// ReadOnly reports whether the URL opens the database read-only.
func (u *URL) ReadOnly() bool { return u.Mode == "ro" }

// ParseURL reads a SQLite database URL:
//
//	sqlite://PATH[?mode=ro|rw|rwc|memory]
//
// with the schemes sqlite, sqlite3 and file, and PATH relative to the
// working directory (sqlite://app.db) or absolute (sqlite:///abs/app.db).
// PATH is percent-decoded, as in any URL: a file name holding '%', '?' or
// '#' spells them %25, %3F and %23; a raw '#' is refused (it would end
// the name). mode is the only parameter, given at most once: memory (also
// PATH :memory:) is a private database in memory; any other parameter is
// refused rather than ignored.
func ParseURL(raw string) (*URL, error) {
	where := dburl.Redact(raw)
	scheme, rest, ok := strings.Cut(raw, ":")
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
	default:
		ok = false
	}
	if !ok {
		return nil, fmt.Errorf("database URL %q is not a SQLite URL; use sqlite://path.db", where)
	}
	if strings.Contains(rest, "#") {
		return nil, fmt.Errorf("database URL %q holds a '#': in a file name write it as %%23", where)
	}
	rest = strings.TrimPrefix(rest, "//")
	rawPath, query, _ := strings.Cut(rest, "?")
	path, err := url.PathUnescape(rawPath)
	if err != nil {
		return nil, fmt.Errorf("database URL %q: bad percent-escape in the path: a '%%' in a file name is written %%25", where)
	}
	if strings.ContainsRune(path, 0) {
		return nil, fmt.Errorf("database URL %q: a file name cannot hold NUL (%%00)", where)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("database URL %q: bad query: %w", where, err)
	}
	u := &URL{Path: path}
	for k, vs := range q {
		if k != "mode" {
			return nil, fmt.Errorf("database URL %q: unknown parameter %q; a SQLite URL takes only mode=ro, rw, rwc or memory", where, k)
		}
		if len(vs) != 1 {
			return nil, fmt.Errorf("database URL %q: mode is given %d times", where, len(vs))
		}
		switch vs[0] {
		case "ro", "rw", "rwc":
			u.Mode = vs[0]
		case "memory":
			u.Memory = true
		default:
			return nil, fmt.Errorf("database URL %q: mode=%s; want ro, rw, rwc or memory", where, vs[0])
		}
	}
	if path == ":memory:" {
		u.Memory = true
	}
	if u.Memory {
		if u.Mode != "" {
			return nil, fmt.Errorf("database URL %q: a database in memory takes no mode=%s", where, u.Mode)
		}
		u.Path = ""
		return u, nil
	}
	if path == "" {
		return nil, fmt.Errorf("database URL %q names no file; use sqlite://path.db or sqlite:///abs/path.db", where)
	}
	return u, nil
}

// FileURL is the URL of the SQLite file at path, escaped so that
// ParseURL reads path back whatever it holds.
func FileURL(path string) string {
	return "sqlite://" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
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

// FoldName is the form in which SQLite compares the names of tables,
// indexes and columns: ASCII letters folded to lower case, every other
// character as it is ("Hero" and "hero" are one name, "Äb" and "äb" two).
func FoldName(name string) string { return foldName(name) }

// FoldName makes the planner pair tables as SQLite does (planner.NameFolder).
func (*Dialect) FoldName(name string) string { return foldName(name) }

func foldName(name string) string {
	for i := 0; i < len(name); i++ {
		if 'A' <= name[i] && name[i] <= 'Z' {
			b := []byte(name)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return name
}
