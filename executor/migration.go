// Package executor runs a migration directory against a database: it reads
// and writes the numbered migration files and their schemactl.sum, keeps the
// version and history tables, and applies, reverts and stamps migrations
// under a lock.
//
// On engines with transactional DDL (SQLite) every migration runs in one
// transaction together with its version bump. On engines without it (MySQL,
// MariaDB) every statement commits by itself, so the executor records
// progress after each one; a failed migration is resumed at the statement
// that failed, and never if a statement that already ran has changed since.
// A statement that was running when its run died is in doubt: the next run
// decides under the lock whether it took effect, or refuses (doubt.go).
package executor

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Statement is one SQL statement of a migration.
type Statement struct {
	// Comment is the text of the "--" lines right above the statement,
	// without the dashes, lines joined by "\n".
	Comment string
	// SQL is the statement without its terminating semicolon.
	SQL string
	// Line is where the statement starts in its file (1-based); 0 for a
	// statement that was not read from a file.
	Line int
}

// Statements makes statements of SQL texts, without comments: for a
// migration written from code (Dir.Write).
func Statements(sqls ...string) []Statement {
	out := make([]Statement, len(sqls))
	for i, q := range sqls {
		out[i] = Statement{SQL: q}
	}
	return out
}

// Migration is one numbered migration file.
type Migration struct {
	Version string // "0002", as in the file name
	Name    string // the message it was written with: "new field power"
	Revises string // the version it follows; "" for the first
	File    string // "0002_new_field_power.sql"
	Up      []Statement
	Down    []Statement
	// Irreversible is set when the file has no "-- +down" section: it cannot
	// be downgraded. (An empty down section reverts by doing nothing.)
	Irreversible bool
	// Checksum is "h1:" and the base64 SHA-256 of the file's bytes, recorded
	// in the history table.
	Checksum string
	// PlannedAgainst is the fingerprint of the schema the migration was
	// planned against, from its "-- planned-against:" header line; "" for a
	// hand-written file without one, which is never checked for drift.
	PlannedAgainst string
	// Dialect is the engine the file is written for, from its
	// "-- dialect:" header line (sqlite, mysql); "" when it has none.
	Dialect string
	// Online is set by a "-- schemactl:online" header line: its ALTER
	// TABLE statements run through Executor.Online, without blocking
	// writes to the table.
	Online bool

	revisesLine int // where "-- revises:" is, for chain errors
}

// Direction is which way a migration runs; it is stored in the history table.
type Direction string

const (
	Up    Direction = "up"
	Down  Direction = "down"
	Stamp Direction = "stamp" // the version was set without running anything
)

// Statements returns the statements that run in direction d.
func (m *Migration) Statements(d Direction) []Statement {
	if d == Down {
		return m.Down
	}
	return m.Up
}

// String is the version and name, as progress output shows a migration.
func (m *Migration) String() string {
	if m.Name == "" {
		return m.Version
	}
	return m.Version + " " + m.Name
}

// fileChecksum hashes a file's bytes. Line endings are normalised first, so
// that a checkout with CRLF endings (git autocrlf) still matches.
func fileChecksum(data []byte) string {
	sum := sha256.Sum256(normalizeEOL(data))
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}

func normalizeEOL(data []byte) []byte {
	if !containsCR(data) {
		return data
	}
	return []byte(strings.ReplaceAll(string(data), "\r\n", "\n"))
}

func containsCR(data []byte) bool {
	for _, c := range data {
		if c == '\r' {
			return true
		}
	}
	return false
}

// stmtHash identifies a statement's SQL in the history table, so that a
// resumed migration can tell whether a statement that already ran changed.
// 64 bits are plenty to notice an edit, and keep the column short.
func stmtHash(sql string) string {
	sum := sha256.Sum256([]byte(strings.ReplaceAll(sql, "\r\n", "\n")))
	return hex.EncodeToString(sum[:8])
}
