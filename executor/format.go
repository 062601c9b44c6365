package executor

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Format renders a migration in the file format Parse reads:
//
//	-- schemactl 0002 "new field power"
//	-- revises: 0001
//	-- planned-against: h1:…
//	-- +up
//	-- add column "power" to table "hero"
//	ALTER TABLE `hero` ADD COLUMN `power` integer NULL;
//	-- +down
//	-- drop column "power" from table "hero"
//	ALTER TABLE `hero` DROP COLUMN `power`;
//
// Statements of a section are separated by a blank line. The output depends
// on m alone (no timestamps), so the same plan gives the same bytes. Format
// does not check that hostile text (an open quote, a comment line that reads
// as a section marker) reads back as given; Dir.Write does.
func Format(m *Migration) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "-- schemactl %s %s\n", m.Version, strconv.Quote(m.Name))
	if m.Revises != "" {
		fmt.Fprintf(&b, "-- revises: %s\n", m.Revises)
	}
	if m.PlannedAgainst != "" {
		fmt.Fprintf(&b, "-- planned-against: %s\n", m.PlannedAgainst)
	}
	b.WriteString("-- +up\n")
	writeStatements(&b, m.Up)
	if !m.Irreversible {
		b.WriteString("-- +down\n")
		writeStatements(&b, m.Down)
	}
	return b.Bytes()
}

func writeStatements(b *bytes.Buffer, stmts []Statement) {
	for i, st := range stmts {
		if i > 0 {
			b.WriteByte('\n')
		}
		if st.Comment != "" {
			for _, line := range strings.Split(st.Comment, "\n") {
				if line == "" {
					b.WriteString("--\n")
				} else {
					b.WriteString("-- " + line + "\n")
				}
			}
		}
		b.WriteString(st.SQL)
		if lastLineHasComment(st.SQL) {
			// Keep the semicolon out of a trailing line comment.
			b.WriteString("\n")
		}
		b.WriteString(";\n")
	}
}

// lastLineHasComment reports whether sql may end inside a line comment
// ("--", or "#" in MySQL), where a semicolon appended to it would be
// commented out. Quotes and block comments are followed, so a "--" or "#"
// inside a string leaves the semicolon where it belongs. The dialect is not
// known here, so it errs on the side of yes: both comment forms count, and
// strings are read both with backslash escapes (MySQL) and without
// (SQLite); a wrong yes only puts the semicolon on a line of its own.
func lastLineHasComment(sql string) bool {
	return endsInLineComment(sql, true) || endsInLineComment(sql, false)
}

func endsInLineComment(sql string, backslash bool) bool {
	inLine := false
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case inLine:
			if c == '\n' {
				inLine = false
			}
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-', c == '#':
			inLine = true
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return true // unterminated: nothing appended can end the statement
			}
			i += end + 3
		case c == '[' && !backslash:
			// A SQLite [identifier] may hold any quote.
			end := strings.IndexByte(sql[i:], ']')
			if end < 0 {
				return true
			}
			i += end
		case c == '\'' || c == '"' || c == '`':
			// A doubled quote closes and reopens: the same as reading on.
			for i++; i < len(sql) && sql[i] != c; i++ {
				if backslash && sql[i] == '\\' && c != '`' {
					i++
				}
			}
		}
	}
	return inLine
}

// normalize trims a statement the way Parse returns it: no surrounding
// blanks, no terminating semicolon, comment lines without trailing blanks.
func normalize(stmts []Statement) []Statement {
	out := make([]Statement, len(stmts))
	for i, st := range stmts {
		sql := strings.TrimSpace(st.SQL)
		for strings.HasSuffix(sql, ";") {
			sql = strings.TrimSpace(strings.TrimSuffix(sql, ";"))
		}
		lines := strings.Split(strings.Trim(st.Comment, "\n"), "\n")
		for j, l := range lines {
			lines[j] = strings.TrimRight(l, " \t\r")
		}
		out[i] = Statement{Comment: strings.Join(lines, "\n"), SQL: sql}
	}
	return out
}

// Slug turns a message into the description part of a file name: lower
// case, runs of anything but [a-z0-9] become one "_", at most 60 bytes.
func Slug(message string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(message) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
			continue
		}
		sep = true
	}
	s := b.String()
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "_")
	}
	return s
}
