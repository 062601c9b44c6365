package engine

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/internal/dburl"
	"github.com/schemactl/schemactl/schema"
)

// The engines schemactl speaks. A URL's scheme chooses one; with Target.DB
// the caller names it.
const (
	SQLite = schema.SQLite
	MySQL  = schema.MySQL // MySQL and MariaDB
)

// Target is what an Engine works on: a database, its migration directory and,
// for the workflows that need one, a scratch database.
//
// The database is given either as a URL, which the Engine connects to when
// a workflow first needs it (and Close disconnects), or as an open *sql.DB
// with its Dialect, which stays the caller's. A Target without either still serves the workflows that need no
// database: reading the directory, linting it, planning against DevURL.
type Target struct {
	// URL names the database: sqlite://path.db (relative),
	// sqlite:///abs/path.db, sqlite://file?mode=memory,
	// mysql://user:pass@host:3306/db (also maria:// and mariadb://); the
	// grammar of each is sqlite.ParseURL's and mysql.ParseURL's. A SQLite
	// file that does not exist is created only by Apply and Plan (not dry
	// runs), which tell their Note; the other workflows return an error
	// wrapping sqlite.ErrNoFile.
	URL string
	// DB is an open database to use instead of URL: an application's own
	// pool. Dialect must then name its engine.
	DB *sql.DB
	// Dialect is SQLite or MySQL. Required with DB; with URL it is the
	// URL's and, if set, must agree. It also decides how a directory whose
	// files do not record their dialect is read without a database.
	Dialect schema.Dialect

	// Dir is the migration directory on disk; "" with FS nil means
	// "migrations". FS is a directory embedded in the program instead, its
	// root holding the migration files (use fs.Sub for a subfolder); it is
	// read-only, so planning into it is refused. A directory that does not
	// exist is an error wrapping executor.ErrNoDir for every workflow but
	// Plan, which creates it for the first migration; one that exists and
	// is empty holds no migrations.
	Dir string
	FS  fs.FS

	// DevURL is the scratch database into which the directory is replayed
	// to plan without the real database and to show drift: a SQLite URL
	// (sqlite://file?mode=memory, or an empty file) or a MySQL URL. One
	// without a database name gets a throwaway database (name prefix
	// ?scratch_prefix=, default schemactl_dev_), dropped after; a named
	// database is created and dropped when missing, and must be empty when
	// it exists, which is then emptied again after use and never dropped.
	// "" means SQLite in memory for SQLite targets; MySQL targets have none.
	DevURL string

	// VersionTable names the version table; "" is schemactl_version.
	VersionTable string
	// LockTimeout is how long to wait for another run holding the
	// migration lock; 0 is 10 seconds. An application whose replicas start
	// together should wait about as long as its longest migration, so that
	// replicas 2..N wait for replica 1 instead of failing.
	LockTimeout time.Duration
}

// DefaultLockTimeout is the wait for the migration lock when
// Target.LockTimeout is zero.
const DefaultLockTimeout = 10 * time.Second

// ErrNoDatabase is returned by a workflow that needs the database when the
// Target names none (neither a URL nor a DB).
var ErrNoDatabase = errors.New("no database: the target names neither a URL nor a DB")

// ErrNoDevDatabase is returned by a workflow that needs a scratch database
// (a plan against the replayed directory, lint, the replay that shows
// drift) when the target has none: MySQL migrations need Target.DevURL.
var ErrNoDevDatabase = errors.New("no dev database: MySQL migrations need a MySQL database to replay them in (Target.DevURL: a server URL without a database name for a throwaway one, or an empty or missing database)")

// location is a parsed database URL.
type location struct {
	dialect schema.Dialect
	// raw is the URL as given, which the dialect's Open reads.
	raw string
	// url is the parsed MySQL URL; nil for SQLite.
	url *url.URL
	// sqlite is the parsed SQLite URL; nil for MySQL.
	sqlite *sqlite.URL
	// display is the URL as it may be printed: never with a password.
	display string
}

// database is the MySQL database the URL names, "" for SQLite.
func (l *location) database() string {
	if l.url == nil {
		return ""
	}
	return strings.Trim(l.url.Path, "/")
}

// parseURL parses the database URLs of the README. This is the one place
// that maps a URL scheme to an engine. Errors never echo a password.
func parseURL(raw string) (*location, error) { return parseLocation(raw, true) }

// parseLocation is parseURL; a MySQL URL may name no database unless
// needName is set (a dev URL without one asks for a throwaway database).
func parseLocation(raw string, needName bool) (*location, error) {
	if raw == "" {
		return nil, ErrNoDatabase
	}
	scheme, _, ok := strings.Cut(raw, ":")
	if !ok {
		return nil, fmt.Errorf("database URL %q has no scheme; use sqlite://path.db or mysql://user@host/db", Redact(raw))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		u, err := sqlite.ParseURL(raw)
		if err != nil {
			return nil, err
		}
		return &location{dialect: schema.SQLite, raw: raw, sqlite: u, display: raw}, nil
	case "mysql", "maria", "mariadb":
		u, err := mysql.ParseURL(raw)
		if err != nil {
			return nil, err
		}
		for k := range u.Query() {
			switch strings.ToLower(k) {
			case "password", "passwd", "pass", "pwd":
				// The driver would send it to the server as a session
				// variable, and every message would print it.
				bare := *u
				bare.RawQuery = ""
				return nil, fmt.Errorf("database URL %q: give the password in the URL's user part (mysql://user:password@host/db), not as ?%s=", bare.Redacted(), k)
			}
		}
		if needName && strings.Trim(u.Path, "/") == "" {
			return nil, fmt.Errorf("database URL %q names no database; use mysql://user@host:3306/dbname", u.Redacted())
		}
		return &location{dialect: schema.MySQL, raw: raw, url: u, display: u.Redacted()}, nil
	default:
		return nil, fmt.Errorf("database URL %q: unknown scheme %q; use sqlite://, mysql://, maria:// or mariadb://", Redact(raw), scheme)
	}
}

// ParseDialect reads a dialect name as a user writes it: sqlite (sqlite3)
// or mysql (mariadb, maria).
func ParseDialect(name string) (schema.Dialect, error) {
	switch strings.ToLower(name) {
	case "sqlite", "sqlite3":
		return schema.SQLite, nil
	case "mysql", "mariadb", "maria":
		return schema.MySQL, nil
	}
	return "", fmt.Errorf("unknown dialect %q: use sqlite or mysql", name)
}

// URLError is a database URL that cannot be used as it is written: it
// does not parse, or names no database. A caller that took the URL from
// somewhere the user may not think of (an environment variable) can say
// where.
type URLError struct{ Err error }

func (e *URLError) Error() string { return e.Err.Error() }
func (e *URLError) Unwrap() error { return e.Err }

// URLDialect is the engine a database URL names, without connecting.
func URLDialect(raw string) (schema.Dialect, error) {
	l, err := parseURL(raw)
	if err != nil {
		return "", &URLError{Err: err}
	}
	return l.dialect, nil
}

// URLDatabase is the MySQL database a URL names ("" for SQLite), without
// connecting.
func URLDatabase(raw string) (string, error) {
	l, err := parseURL(raw)
	if err != nil {
		return "", &URLError{Err: err}
	}
	return l.database(), nil
}

// Redact hides a password in a URL-like string, even one that does not
// parse: everything between the scheme and the last '@' after the user
// name's ':' is masked, which may hide more than the password, never less.
func Redact(raw string) string { return dburl.Redact(raw) }
