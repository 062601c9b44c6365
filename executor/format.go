package executor

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// Format renders a migration in the file format Parse reads:
//
//	-- schemactl 0002 "new field power"
//	-- dialect: sqlite
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
// as a section marker) reads back as given; Dir.Write does. lx is the
// lexer of the SQL's dialect: it tells where a statement ends in a line
// comment, which the semicolon must not follow on its line.
func Format(m *Migration, lx Lexer) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "-- schemactl %s %s\n", m.Version, strconv.Quote(m.Name))
	if m.Dialect != "" {
		fmt.Fprintf(&b, "-- dialect: %s\n", m.Dialect)
	}
	if m.Revises != "" {
		fmt.Fprintf(&b, "-- revises: %s\n", m.Revises)
	}
	if m.PlannedAgainst != "" {
		fmt.Fprintf(&b, "-- planned-against: %s\n", m.PlannedAgainst)
	}
	b.WriteString("-- +up\n")
	writeStatements(&b, m.Up, lx)
	if !m.Irreversible {
		b.WriteString("-- +down\n")
		writeStatements(&b, m.Down, lx)
	}
	return b.Bytes()
}

func writeStatements(b *bytes.Buffer, stmts []Statement, lx Lexer) {
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
		if endsInLineComment(st.SQL, lx) {
			// Keep the semicolon out of a trailing line comment.
			b.WriteString("\n")
		}
		b.WriteString(";\n")
	}
}

// endsInLineComment reports whether sql ends inside a line comment, where
// a semicolon appended to it would be commented out. SQL the lexer cannot
// read to its end counts too: nothing appended can end it (and Dir.Write
// refuses it).
func endsInLineComment(sql string, lx Lexer) bool {
	// A line comment ends with its line, so one that ends sql starts on
	// its last line, which then holds a "-" or "#". Most statements have
	// neither there and need no lexing. (Without lexing, text left open,
	// such as a string, reads as not ending in a comment: Write's read-back
	// refuses it all the same.)
	if !strings.ContainsAny(sql[strings.LastIndexByte(sql, '\n')+1:], "-#") {
		return false
	}
	var last sqltext.Token
	sc := lx.Scanner(sql)
	for sc.Scan() {
		if t := sc.Token(); t.Kind != sqltext.Space {
			last = *t
		}
	}
	if sc.Err() != nil {
		return true
	}
	return last.Kind == sqltext.Comment && !strings.HasPrefix(last.Text, "/*")
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
