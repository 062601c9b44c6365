package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// target is a parsed database URL.
type target struct {
	Dialect schema.Dialect
	// SQLite
	Path   string
	Memory bool
	// MySQL
	URL *url.URL
	// Display is the URL as it may be printed: the password is never in it.
	Display string
}

// parseURL parses the database URLs of DESIGN §4. Errors never echo a
// password back.
func parseURL(raw string) (*target, error) {
	if raw == "" {
		return nil, fmt.Errorf("no database URL: pass --url, or set SCHEMACTL_URL or DATABASE_URL")
	}
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok {
		return nil, fmt.Errorf("database URL %q has no scheme; use sqlite://path.db or mysql://user@host/db", redact(raw))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		rest = strings.TrimPrefix(rest, "//")
		path, query, _ := strings.Cut(rest, "?")
		q, err := url.ParseQuery(query)
		if err != nil {
			return nil, fmt.Errorf("database URL %q: bad query: %w", raw, err)
		}
		t := &target{Dialect: schema.SQLite, Path: path, Display: raw}
		if q.Get("mode") == "memory" || path == ":memory:" {
			t.Memory = true
		}
		if path == "" && !t.Memory {
			return nil, fmt.Errorf("database URL %q names no file; use sqlite://path.db or sqlite:///abs/path.db", raw)
		}
		return t, nil
	case "mysql", "maria", "mariadb":
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("database URL %q: %w", redact(raw), errRedacted(err))
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
		if strings.Trim(u.Path, "/") == "" {
			return nil, fmt.Errorf("database URL %q names no database; use mysql://user@host:3306/dbname", u.Redacted())
		}
		return &target{Dialect: schema.MySQL, URL: u, Display: u.Redacted()}, nil
	default:
		return nil, fmt.Errorf("database URL %q: unknown scheme %q; use sqlite://, mysql://, maria:// or mariadb://", redact(raw), scheme)
	}
}

// redact hides a password in a URL-like string even when it does not parse.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + ":xxxxx@" + rest[at+1:]
}

// errRedacted drops the URL that net/url errors quote, which may hold a
// password.
func errRedacted(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
