package executor

import (
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Split cuts a SQL script into statements. A statement ends at a semicolon
// outside quotes ('..', "..", `..`, [..]), comments (-- and /* */) and the
// BEGIN...END body of a CREATE TRIGGER, PROCEDURE, FUNCTION or EVENT; the
// last statement may omit its semicolon. The "--" lines right above a
// statement become its Comment. For MySQL a backslash escapes the next
// character inside '..' and "..", and # starts a comment, as the server reads
// them (without NO_BACKSLASH_ESCAPES).
//
// Split is for a bare script: a section marker line (-- +up, -- +down) is an
// error.
func Split(src string, d schema.Dialect) ([]Statement, error) {
	s := newScanner(src, d)
	var (
		stmts   []Statement
		comment []string
	)
	for {
		tok, ok, err := s.next()
		if err != nil {
			return nil, fmt.Errorf("executor: %w", err)
		}
		if !ok {
			return stmts, nil
		}
		switch tok.kind {
		case tokBlank:
			comment = nil
		case tokComment:
			comment = append(comment, commentText(tok.text))
		case tokMarker:
			return nil, fmt.Errorf("executor: line %d: section marker %q in a bare script", tok.line, tok.text)
		case tokStmt:
			stmts = append(stmts, Statement{Comment: strings.Join(comment, "\n"), SQL: tok.text, Line: tok.line})
			comment = nil
		}
	}
}

// syntaxError is a statement the scanner cannot delimit.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

type tokenKind int

const (
	tokBlank   tokenKind = iota // an empty line between statements
	tokComment                  // a "--" line between statements; text is the trimmed line
	tokMarker                   // a section marker; text is "+up" or "+down"
	tokStmt                     // a statement without its terminating semicolon
)

type token struct {
	kind tokenKind
	line int // 1-based line where the token starts
	text string
}

// scanner tokenises a migration file. Between statements it works line by
// line (blank lines, comment lines and markers matter to the file format);
// inside a statement it works byte by byte, tracking quotes and comments.
type scanner struct {
	src     string
	pos     int
	line    int
	mysql   bool // backslash escapes in strings, # comments
	midLine bool // the previous statement ended before the end of its line
}

func newScanner(src string, d schema.Dialect) *scanner {
	src = strings.TrimPrefix(src, "\uFEFF")
	return &scanner{src: src, line: 1, mysql: d == schema.MySQL}
}

// next returns the next token, or ok false at the end of the input.
func (s *scanner) next() (tok token, ok bool, err error) {
	for s.pos < len(s.src) {
		if s.midLine {
			// What follows a statement on its own line is a trailing comment,
			// or another statement. (Looking at the whole rest of the line
			// here would be quadratic in a line of many statements.)
			s.midLine = false
			s.skipSpace()
			if s.pos == len(s.src) || s.src[s.pos] == '\n' || strings.HasPrefix(s.src[s.pos:], "--") {
				s.skipLine()
				continue
			}
			if tok, ok, err := s.statement(); err != nil || ok {
				return tok, ok, err
			}
			continue
		}
		trimmed := strings.TrimSpace(s.restOfLine())
		switch {
		case trimmed == "":
			line := s.line
			s.skipLine()
			return token{kind: tokBlank, line: line}, true, nil
		case marker(trimmed) != "":
			line := s.line
			s.skipLine()
			return token{kind: tokMarker, line: line, text: marker(trimmed)}, true, nil
		case strings.HasPrefix(trimmed, "--"):
			line := s.line
			s.skipLine()
			return token{kind: tokComment, line: line, text: trimmed}, true, nil
		}
		s.skipSpace()
		tok, ok, err := s.statement()
		if err != nil || ok {
			return tok, ok, err
		}
	}
	return token{}, false, nil
}

// marker returns "+up" or "+down" when a trimmed line is a section marker.
func marker(trimmed string) string {
	rest, ok := strings.CutPrefix(trimmed, "--")
	if !ok {
		return ""
	}
	switch m := strings.ToLower(strings.TrimSpace(rest)); m {
	case "+up", "+down":
		return m
	}
	return ""
}

// commentText is a comment line without its "--" and one following space.
func commentText(trimmed string) string {
	t := strings.TrimPrefix(trimmed, "--")
	t = strings.TrimPrefix(t, " ")
	return strings.TrimRight(t, " \t\r")
}

func (s *scanner) restOfLine() string {
	if i := strings.IndexByte(s.src[s.pos:], '\n'); i >= 0 {
		return s.src[s.pos : s.pos+i]
	}
	return s.src[s.pos:]
}

// skipLine moves past the end of the current line.
func (s *scanner) skipLine() {
	if i := strings.IndexByte(s.src[s.pos:], '\n'); i >= 0 {
		s.pos += i + 1
		s.line++
		return
	}
	s.pos = len(s.src)
}

// skipSpace moves past blanks on the current line.
func (s *scanner) skipSpace() {
	for s.pos < len(s.src) && isBlank(s.src[s.pos]) {
		s.pos++
	}
}

func (s *scanner) peek(i int) byte {
	if s.pos+i < len(s.src) {
		return s.src[s.pos+i]
	}
	return 0
}

// statement scans one statement from s.pos. It returns ok false when what it
// read holds no code (only comments or an empty statement).
func (s *scanner) statement() (token, bool, error) {
	start, line := s.pos, s.line
	var b blockTracker
	code := false
	var prev byte // last byte that was not blank, to tell "x.end" from END
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '\n':
			s.pos++
			s.line++
			if marker(strings.TrimSpace(s.restOfLine())) != "" {
				// A section ends the statement even without its semicolon.
				if b.depth > 0 {
					return token{}, false, &syntaxError{s.line, fmt.Sprintf("BEGIN block of the statement at line %d is not closed before the section marker", line)}
				}
				return s.finish(start, s.pos, line, code)
			}
			continue
		case c == ';' && b.depth == 0:
			end := s.pos
			s.pos++
			s.midLine = true
			return s.finish(start, end, line, code)
		case c == '\'' || c == '"' || c == '`':
			if err := s.quoted(c); err != nil {
				return token{}, false, err
			}
			code = true
		case c == '[':
			if err := s.closeBracket(); err != nil {
				return token{}, false, err
			}
			code = true
		case c == '-' && s.peek(1) == '-' && (!s.mysql || isSpace(s.peek(2))), c == '#' && s.mysql:
			// MySQL needs a blank after "--": "1--1" is 1 - -1.
			s.pos += len(s.restOfLine()) // the newline itself is handled above
			continue
		case c == '/' && s.peek(1) == '*':
			if s.peek(2) == '!' {
				code = true // a MySQL executable comment
			}
			if err := s.blockComment(); err != nil {
				return token{}, false, err
			}
			continue
		case isWordByte(c):
			w := s.word()
			code = true
			if prev != '.' {
				b.word(w, s)
			}
			prev = 'w'
			continue
		default:
			if c == '(' {
				b.paren = true
			}
			if !isBlank(c) {
				code = true
			}
			s.pos++
		}
		if !isBlank(c) {
			prev = c
		}
	}
	if b.depth > 0 {
		return token{}, false, &syntaxError{line, "BEGIN block of the statement is not closed"}
	}
	return s.finish(start, len(s.src), line, code)
}

func (s *scanner) finish(start, end, line int, code bool) (token, bool, error) {
	text := strings.TrimSpace(s.src[start:end])
	if !code || text == "" {
		return token{}, false, nil
	}
	return token{kind: tokStmt, line: line, text: text}, true, nil
}

// isSpace is white space, or the end of the input (peek's 0).
func isSpace(c byte) bool { return isBlank(c) || c == '\n' || c == 0 }

// isBlank is white space within a line.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// quoted moves past a quoted string or identifier; a doubled quote is an
// escaped one.
func (s *scanner) quoted(q byte) error {
	line := s.line
	s.pos++
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '\n':
			s.line++
		case c == '\\' && s.mysql && q != '`':
			if s.peek(1) == '\n' {
				s.line++
			}
			s.pos++
		case c == q:
			if s.peek(1) != q {
				s.pos++
				return nil
			}
			s.pos++
		}
		s.pos++
	}
	what := "string"
	if q == '`' || (q == '"' && !s.mysql) {
		what = "quoted identifier"
	}
	return &syntaxError{line, "unterminated " + what}
}

func (s *scanner) closeBracket() error {
	line := s.line
	i := strings.IndexByte(s.src[s.pos:], ']')
	if i < 0 {
		return &syntaxError{line, "unterminated [identifier]"}
	}
	s.line += strings.Count(s.src[s.pos:s.pos+i], "\n")
	s.pos += i + 1
	return nil
}

func (s *scanner) blockComment() error {
	line := s.line
	i := strings.Index(s.src[s.pos+2:], "*/")
	if i < 0 {
		return &syntaxError{line, "unterminated /* comment"}
	}
	end := s.pos + 2 + i + 2
	s.line += strings.Count(s.src[s.pos:end], "\n")
	s.pos = end
	return nil
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 ||
		('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func (s *scanner) word() string {
	start := s.pos
	for s.pos < len(s.src) && isWordByte(s.src[s.pos]) {
		s.pos++
	}
	return s.src[start:s.pos]
}

// peekWord returns the next word after blanks without moving.
func (s *scanner) peekWord() string {
	i := s.pos
	for i < len(s.src) && (isBlank(s.src[i]) || s.src[i] == '\n') {
		i++
	}
	j := i
	for j < len(s.src) && isWordByte(s.src[j]) {
		j++
	}
	return s.src[i:j]
}

// blockTracker follows BEGIN...END nesting in statements that create
// triggers and stored programs, whose bodies hold semicolons. Other
// statements never open a block: "BEGIN;" on its own is a statement.
type blockTracker struct {
	words    int
	create   bool // the statement starts with CREATE
	compound bool // ... and creates a trigger or stored program
	paren    bool // a parenthesis came before the object kind
	depth    int
}

func (b *blockTracker) word(w string, s *scanner) {
	b.words++
	u := strings.ToUpper(w)
	if b.words == 1 {
		b.create = u == "CREATE"
		return
	}
	if b.create && !b.compound && !b.paren {
		switch u {
		case "TRIGGER", "PROCEDURE", "FUNCTION", "EVENT":
			b.compound = true
		}
		return
	}
	if !b.compound {
		return
	}
	switch u {
	case "BEGIN", "CASE":
		b.depth++
	case "END":
		// END IF, END LOOP, END WHILE and END REPEAT close MySQL blocks that
		// only ever appear inside a BEGIN body; END CASE closes a CASE.
		switch strings.ToUpper(s.peekWord()) {
		case "IF", "LOOP", "WHILE", "REPEAT":
			s.skipWord()
			return
		case "CASE":
			s.skipWord()
		}
		if b.depth > 0 {
			b.depth--
		}
	}
}

// skipWord moves past blanks and the word peekWord returns.
func (s *scanner) skipWord() {
	for s.pos < len(s.src) && (isBlank(s.src[s.pos]) || s.src[s.pos] == '\n') {
		if s.src[s.pos] == '\n' {
			s.line++
		}
		s.pos++
	}
	s.word()
}
