// Package fleet runs one workflow of package engine — apply, status — on
// many databases that share a migration directory: one Engine a target,
// a bounded number at a time, a canary first, and a policy for what a
// failure does to the targets not started yet.
package fleet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/dburl"
)

// IsGlob reports whether a URL names its databases by a pattern: a
// MySQL/MariaDB URL whose database holds '*', '?' or '['.
func IsGlob(raw string) bool {
	if !isMySQL(raw) {
		return false
	}
	u, err := mysql.ParseURL(raw)
	if err != nil {
		return false
	}
	return strings.ContainsAny(strings.TrimPrefix(u.Path, "/"), "*?[")
}

func isMySQL(raw string) bool {
	scheme, _, _ := strings.Cut(raw, ":")
	switch strings.ToLower(scheme) {
	case "mysql", "maria", "mariadb":
		return true
	}
	return false
}

// Match is what one glob URL matched.
type Match struct {
	Pattern string // the URL, its password hidden
	URLs    []string
}

// Expand replaces each glob URL (see IsGlob) by the URLs of the databases
// of its server whose names match the pattern, in the server's order. The
// pattern is path.Match's, not SQL LIKE's: '_' is itself, '*' any run of
// characters, '?' one. A server user who cannot see a database does not
// match it, which is why callers compare the count with what they expect.
// The other URLs are kept as given. Matches lists each glob's result.
func Expand(ctx context.Context, urls []string) ([]string, []Match, error) {
	var out []string
	var matches []Match
	for _, raw := range urls {
		if !IsGlob(raw) {
			out = append(out, raw)
			continue
		}
		m, err := expand(ctx, raw)
		if err != nil {
			return nil, nil, err
		}
		matches = append(matches, m)
		out = append(out, m.URLs...)
	}
	return out, matches, nil
}

func expand(ctx context.Context, raw string) (Match, error) {
	u, err := mysql.ParseURL(raw)
	if err != nil {
		return Match{}, err
	}
	m := Match{Pattern: dburl.Redact(raw)}
	pattern := strings.TrimPrefix(u.Path, "/")
	if _, err := path.Match(pattern, ""); err != nil {
		return m, fmt.Errorf("%s: database pattern %q: %w", m.Pattern, pattern, err)
	}
	server := *u
	server.Path, server.RawPath = "/", ""
	db, _, err := mysql.Open(ctx, server.String())
	if err != nil {
		return m, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SHOW DATABASES")
	if err != nil {
		return m, fmt.Errorf("%s: list databases: %w", m.Pattern, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return m, fmt.Errorf("%s: list databases: %w", m.Pattern, err)
		}
		if ok, _ := path.Match(pattern, name); ok {
			one := *u
			one.Path, one.RawPath = "/"+name, ""
			m.URLs = append(m.URLs, one.String())
		}
	}
	if err := rows.Err(); err != nil {
		return m, fmt.Errorf("%s: list databases: %w", m.Pattern, err)
	}
	return m, nil
}

// ReadURLs reads a file of URLs, one a line; blank lines and lines whose
// first non-blank character is '#' are skipped.
func ReadURLs(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readURLs(name, f)
}

func readURLs(name string, r io.Reader) ([]string, error) {
	var urls []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		urls = append(urls, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return urls, nil
}
