package testdb

import (
	"context"
	"database/sql"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// Statement is one statement of a MySQL script, without its delimiter.
type Statement struct {
	Line int // 1-based line where it starts
	SQL  string
}

// SplitMySQL cuts a script into statements the way the mysql client does,
// with the MySQL lexer: DELIMITER lines change the delimiter (for trigger
// and routine bodies), and a /*! … */ version comment is code that stays in
// its statement, which the server runs. Line comments are dropped; block
// comments are kept inside statements and dropped between them.
func SplitMySQL(src string) ([]Statement, error) {
	toks, err := mysql.Lex(src)
	if err != nil {
		return nil, err
	}
	var (
		stmts []Statement
		b     strings.Builder
		start = 0 // line of the statement being read; 0 while between statements
	)
	for _, t := range toks {
		switch {
		case t.Kind == sqltext.End || t.Kind == sqltext.Command:
			if s := strings.TrimSpace(b.String()); s != "" {
				stmts = append(stmts, Statement{Line: start, SQL: s})
			}
			b.Reset()
			start = 0
		case start == 0 && !t.Code():
		case t.Kind == sqltext.Comment && !strings.HasPrefix(t.Text, "/*"):
		default:
			if start == 0 {
				start = t.Line
			}
			b.WriteString(t.Text)
		}
	}
	if s := strings.TrimSpace(b.String()); s != "" {
		stmts = append(stmts, Statement{Line: start, SQL: s})
	}
	return stmts, nil
}

// Skipped reports whether a fixture statement must not run in a test's
// own database: statements that create, drop or switch databases, client
// commands (source), FLUSH … LOGS (which needs the RELOAD privilege), and
// SELECTs that only print progress.
func Skipped(stmt string) bool {
	c := mysql.ClassifyText(stmt)
	switch first, _, _ := strings.Cut(c.Verb, " "); first {
	case "", "USE", "SOURCE", "SELECT", "FLUSH":
		return true
	}
	switch c.Verb {
	case "CREATE DATABASE", "CREATE SCHEMA", "DROP DATABASE", "DROP SCHEMA":
		return true
	}
	return false
}

// usedDatabase returns the database a USE statement switches to.
func usedDatabase(stmt string) (string, bool) {
	if c := mysql.ClassifyText(stmt); c.Verb == "USE" && len(c.Objects) == 1 {
		return c.Objects[0].Name, true
	}
	return "", false
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
