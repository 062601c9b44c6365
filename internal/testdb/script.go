package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Statement is one statement of a MySQL script, without its delimiter.
type Statement struct {
	Line int // 1-based line where it starts
	SQL  string
}

// SplitMySQL cuts a script into statements the way the mysql client does:
// DELIMITER lines change the delimiter (for trigger and routine bodies),
// which counts only outside quotes ('…', "…", `…`, with backslash escapes
// in strings) and comments (--, #, /* */). A /*! … */ version comment is
// code: it stays in its statement, which the server runs. Comments are
// kept inside statements and dropped between them.
func SplitMySQL(src string) ([]Statement, error) {
	var (
		stmts []Statement
		delim = ";"
		b     strings.Builder
		start = 0 // line of the statement being read; 0 while between statements
		line  = 1
	)
	flush := func() {
		if s := strings.TrimSpace(b.String()); s != "" && start > 0 {
			stmts = append(stmts, Statement{Line: start, SQL: s})
		}
		b.Reset()
		start = 0
	}
	for i := 0; i < len(src); {
		c := src[i]
		if start == 0 {
			// Between statements: blanks, comments and client commands.
			rest := src[i:]
			eol := strings.IndexByte(rest, '\n')
			if eol < 0 {
				eol = len(rest)
			}
			lineText := strings.TrimSpace(rest[:eol])
			switch {
			case c == '\n':
				line++
				i++
				continue
			case c == ' ' || c == '\t' || c == '\r':
				i++
				continue
			case strings.HasPrefix(rest, "--") || c == '#':
				i += eol
				continue
			case strings.HasPrefix(rest, "/*") && !strings.HasPrefix(rest, "/*!"):
				end := strings.Index(rest[2:], "*/")
				if end < 0 {
					return nil, fmt.Errorf("line %d: unterminated comment", line)
				}
				line += strings.Count(rest[:end+4], "\n")
				i += end + 4
				continue
			case len(lineText) > 10 && strings.EqualFold(lineText[:10], "DELIMITER "):
				delim = strings.TrimSpace(lineText[10:])
				i += eol
				continue
			}
			start = line
		}
		switch {
		case strings.HasPrefix(src[i:], delim):
			i += len(delim)
			flush()
		case c == '\'' || c == '"' || c == '`':
			n, err := quoted(src[i:])
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			b.WriteString(src[i : i+n])
			line += strings.Count(src[i:i+n], "\n")
			i += n
		case strings.HasPrefix(src[i:], "-- ") || strings.HasPrefix(src[i:], "--\n") || c == '#':
			eol := strings.IndexByte(src[i:], '\n')
			if eol < 0 {
				eol = len(src) - i
			}
			i += eol
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("line %d: unterminated comment", line)
			}
			b.WriteString(src[i : i+end+4])
			line += strings.Count(src[i:i+end+4], "\n")
			i += end + 4
		default:
			if c == '\n' {
				line++
			}
			b.WriteByte(c)
			i++
		}
	}
	flush()
	return stmts, nil
}

// quoted returns the length of the quoted string or identifier at the
// start of s.
func quoted(s string) (int, error) {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && q != '`':
			i++
		case s[i] == q && i+1 < len(s) && s[i+1] == q:
			i++
		case s[i] == q:
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated %c quote", q)
}

// Skipped reports whether a fixture statement must not run in a test's
// own database: statements that create, drop or switch databases, client
// commands (source), FLUSH … LOGS (which needs the RELOAD privilege), and
// SELECTs that only print progress.
func Skipped(stmt string) bool {
	words := strings.Fields(strings.ToUpper(leadingCode(stmt)))
	if len(words) == 0 {
		return true
	}
	switch words[0] {
	case "USE", "SOURCE", "SELECT", "FLUSH":
		return true
	case "CREATE", "DROP":
		return len(words) > 1 && (words[1] == "DATABASE" || words[1] == "SCHEMA")
	}
	return false
}

// usedDatabase returns the database a USE statement switches to.
func usedDatabase(stmt string) (string, bool) {
	f := strings.Fields(leadingCode(stmt))
	if len(f) != 2 || !strings.EqualFold(f[0], "USE") {
		return "", false
	}
	return strings.Trim(f[1], "`"), true
}

// leadingCode strips leading comments and opens a leading /*!NNNNN … */
// version comment, so that a statement's first word can be read.
func leadingCode(s string) string {
	for {
		s = strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(s, "/*!"):
			s = strings.TrimLeft(s[3:], "0123456789")
			return strings.TrimSuffix(strings.TrimSpace(s), "*/")
		case strings.HasPrefix(s, "/*"):
			end := strings.Index(s, "*/")
			if end < 0 {
				return ""
			}
			s = s[end+2:]
		default:
			return s
		}
	}
}

// LoadMySQL runs the MySQL script at path on one connection of db (session
// settings such as FOREIGN_KEY_CHECKS=0 hold for the whole script), leaving
// out the statements Skipped names. Names qualified with the database the
// script USEs (sakila.film) are rewritten to db's database. A failing
// statement fails the test with the file and line.
func LoadMySQL(t testing.TB, db *sql.DB, path string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	stmts, err := SplitMySQL(string(src))
	if err != nil {
		t.Fatalf("testdb: %s: %v", path, err)
	}
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer conn.Close()
	var current string
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&current); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	var qualified *regexp.Regexp
	for _, s := range stmts {
		if db, ok := usedDatabase(s.SQL); ok {
			qualified = regexp.MustCompile("(?i)(\\b" + regexp.QuoteMeta(db) + "|`" + regexp.QuoteMeta(db) + "`)\\.")
		}
		if Skipped(s.SQL) {
			continue
		}
		text := s.SQL
		if qualified != nil {
			text = qualified.ReplaceAllLiteralString(text, quoteIdent(current)+".")
		}
		if _, err := conn.ExecContext(ctx, text); err != nil {
			t.Fatalf("testdb: %s:%d: %v\n%s", path, s.Line, err, s.SQL)
		}
	}
}
