package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	driver "github.com/go-sql-driver/mysql"
	"github.com/schemactl/schemactl/internal/dburl"
)

// Open connects to the database a mysql://, maria:// or mariadb:// URL
// names (mysql://user:pass@host:3306/dbname?tls=true), detects the server's
// flavor, version and defaults, and returns the pool with the dialect for
// that server. Query parameters are go-sql-driver/mysql DSN parameters;
// socket=/path connects over a Unix socket. Error texts never contain the
// password. Open has the signature of every dialect's Open, which the
// engine maps URL schemes to.
func Open(ctx context.Context, rawURL string) (*sql.DB, *Dialect, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := config(u)
	if err != nil {
		return nil, nil, err
	}
	where := u.Redacted()
	c, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("database URL %s: %w", where, err)
	}
	db := sql.OpenDB(c)
	f, err := detect(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("connect to %s: %w", where, err)
	}
	if f.MinMySQL(8, 0, 0) || f.Galera && cfg.Params["wsrep_sync_wait"] == "" {
		// MySQL 8 caches table statistics, AUTO_INCREMENT among them, for a
		// day unless told otherwise; inspection must see the live value.
		// A Galera node applies other nodes' commits asynchronously: every
		// read waits for what the cluster committed before it
		// (wsrep_sync_wait=1), so that status, plans and resume tell the
		// same truth on any node.
		db.Close()
		if f.MinMySQL(8, 0, 0) {
			cfg.Params["information_schema_stats_expiry"] = "0"
		} else {
			cfg.Params["wsrep_sync_wait"] = "1"
		}
		if c, err = driver.NewConnector(cfg); err != nil {
			return nil, nil, fmt.Errorf("database URL %s: %w", where, err)
		}
		db = sql.OpenDB(c)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("connect to %s: %w", where, err)
		}
	}
	return db, &Dialect{Flavor: f, database: cfg.DBName}, nil
}

// ParseURL reads a MySQL database URL:
//
//	mysql://[USER[:PASSWORD]@]HOST[:PORT]/[DATABASE][?PARAMS]
//
// with the schemes mysql, maria and mariadb. USER, PASSWORD and DATABASE
// are percent-decoded; a password holding '/', '#', '?', '@', ':', '%' or
// a space must spell them %2F, %23, %3F, %40, %3A, %25 and %20. The
// mistakes that an unencoded password makes are refused rather than read
// as another host, database or parameter: a '#' anywhere (it would start
// a fragment), an '@' after the host. Errors show the URL with its
// password hidden, and never quote the parser, which would show parts of
// it.
func ParseURL(raw string) (*url.URL, error) {
	where := dburl.Redact(raw)
	scheme, rest, _ := strings.Cut(raw, ":")
	switch strings.ToLower(scheme) {
	case "mysql", "maria", "mariadb":
	default:
		return nil, fmt.Errorf("database URL %q: scheme %q is not mysql, maria or mariadb", where, scheme)
	}
	if !strings.HasPrefix(rest, "//") {
		return nil, fmt.Errorf("database URL %q: want %s://user:password@host:3306/dbname", where, scheme)
	}
	if strings.Contains(raw, "#") {
		return nil, fmt.Errorf("database URL %q holds a '#': in a password or parameter write it as %%23", where)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// net/url's message quotes pieces of the URL, which may be
		// pieces of the password.
		return nil, fmt.Errorf("database URL %q does not parse: the port must be a number, and a user name or password must percent-encode / ? @ : %% and spaces (%%2F %%3F %%40 %%3A %%25 %%20)", where)
	}
	if u.User == nil && strings.Contains(raw, "@") || strings.Contains(u.Path, "@") || strings.Contains(u.RawQuery, "@") {
		return nil, fmt.Errorf("database URL %q has an '@' after the host: a password holding '/' or '?' must spell them %%2F and %%3F", where)
	}
	return u, nil
}

// Attach returns the dialect for a pool the caller opened (an
// application's own *sql.DB), reading the server's flavor, version and
// defaults through it.
func Attach(ctx context.Context, db *sql.DB) (*Dialect, error) {
	f, err := detect(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("read the server's version and defaults: %w", err)
	}
	name, err := currentDatabase(ctx, db)
	if err != nil {
		return nil, err
	}
	return &Dialect{Flavor: f, database: name}, nil
}

// Database is the database the dialect inspects: the one Open or Attach
// found the connection on; "" for a dialect made by New.
func (d *Dialect) Database() string { return d.database }

// config turns a database URL into the driver's configuration: TCP to
// host:port (3306 by default), the database of the URL path, times parsed as
// UTC, a dial timeout of 10 seconds unless the URL sets one, and no driver
// logging.
func config(u *url.URL) (*driver.Config, error) {
	where := u.Redacted()
	switch strings.ToLower(u.Scheme) {
	case "mysql", "maria", "mariadb":
	default:
		return nil, fmt.Errorf("database URL %s: scheme %q is not mysql, maria or mariadb", where, u.Scheme)
	}
	q := u.Query()
	socket := q.Get("socket")
	q.Del("socket")
	cfg, err := driver.ParseDSN("/?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("database URL %s: %w", where, err)
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.DBName = strings.Trim(u.Path, "/")
	if strings.Contains(cfg.DBName, "/") {
		return nil, fmt.Errorf("database URL %s: the path must name one database", where)
	}
	switch {
	case socket != "":
		cfg.Net, cfg.Addr = "unix", socket
	default:
		host, port := u.Hostname(), u.Port()
		if host == "" {
			host = "127.0.0.1"
		}
		if port == "" {
			port = "3306"
		}
		cfg.Net, cfg.Addr = "tcp", net.JoinHostPort(host, port)
	}
	if !q.Has("parseTime") {
		cfg.ParseTime = true
	}
	if !q.Has("loc") {
		cfg.Loc = time.UTC
	}
	if !q.Has("timeout") {
		cfg.Timeout = 10 * time.Second
	}
	if !q.Has("interpolateParams") && safeEscaping(q.Get("charset"), q.Get("collation")) {
		// A query with arguments is then one round trip, not a prepare, an
		// execute and a close. The arguments are schemactl's own (database
		// and table names, versions, hashes), escaped by the driver for
		// the connection's charset, which is utf8mb4 unless the URL picks
		// another; escaping is unsafe in GBK, SJIS and the like, so only
		// the charsets known to be safe interpolate.
		cfg.InterpolateParams = true
	}
	// The driver logs lost connections on stderr besides returning them as
	// errors; the errors are what callers report.
	cfg.Logger = &driver.NopLogger{}
	return cfg, nil
}

// detect reads the server's version and defaults.
func detect(ctx context.Context, db *sql.DB) (Flavor, error) {
	var (
		version    string
		lctn       int
		cs, co     sql.NullString
		explicitTS sql.NullString
	)
	err := db.QueryRowContext(ctx, `SELECT VERSION(), @@lower_case_table_names,
	@@character_set_database, @@collation_database, @@explicit_defaults_for_timestamp`).
		Scan(&version, &lctn, &cs, &co, &explicitTS)
	if err != nil {
		return Flavor{}, err
	}
	f := ParseFlavor(version)
	f.LowerCaseTableNames = lctn
	f.Charset, f.Collate = canonicalCharset(cs.String), canonicalCollation(co.String)
	f.ImplicitTimestampDefaults = explicitTS.String == "0" || strings.EqualFold(explicitTS.String, "OFF")
	if f.collations, f.maxLen, err = charsets(ctx, db); err != nil {
		return Flavor{}, fmt.Errorf("read character sets: %w", err)
	}
	if f.collationNames, err = readCollations(ctx, db, f); err != nil {
		return Flavor{}, fmt.Errorf("read collations: %w", err)
	}
	if f.Galera, err = readGalera(ctx, db, "GLOBAL"); err != nil {
		return Flavor{}, err
	}
	return f, nil
}

// charsets reads the default collation and the bytes per character of
// every character set. MariaDB ≥ 11.2 may override default collations with
// @@character_set_collations ("utf8mb4=uca1400_ai_ci,…").
func charsets(ctx context.Context, db *sql.DB) (map[string]string, map[string]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT CHARACTER_SET_NAME, DEFAULT_COLLATE_NAME, MAXLEN FROM information_schema.CHARACTER_SETS`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	collations, maxLen := map[string]string{}, map[string]int{}
	for rows.Next() {
		var cs, co string
		var n int
		if err := rows.Scan(&cs, &co, &n); err != nil {
			return nil, nil, err
		}
		cs = canonicalCharset(cs)
		collations[cs], maxLen[cs] = canonicalCollation(co), n
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var name, value string
	err = db.QueryRowContext(ctx, `SHOW VARIABLES LIKE 'character\_set\_collations'`).Scan(&name, &value)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, err
	}
	for _, pair := range strings.Split(value, ",") {
		cs, co, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			continue
		}
		cs, co = canonicalCharset(cs), canonicalCollation(co)
		if !strings.HasPrefix(co, cs+"_") {
			co = cs + "_" + co
		}
		collations[cs] = co
	}
	return collations, maxLen, nil
}

// safeEscaping reports whether the driver's escaping of interpolated
// arguments is safe in the connection charsets the URL's charset parameter
// (a comma-separated list) and collation parameter name; neither is the
// driver's utf8mb4.
func safeEscaping(charsets, collation string) bool {
	names := strings.Split(charsets, ",")
	if collation != "" {
		charset, _, _ := strings.Cut(collation, "_")
		names = append(names, charset)
	}
	for _, cs := range names {
		switch strings.ToLower(strings.TrimSpace(cs)) {
		case "", "utf8mb4", "utf8mb3", "utf8", "latin1", "ascii", "binary":
		default:
			return false
		}
	}
	return true
}
