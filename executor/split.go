package executor

import (
	"errors"
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// Lexer reads SQL text as tokens under the rules of the engine it is
// written for: which quotes delimit strings, which comments exist, where a
// statement ends. The dialects provide it; the executor knows no engine's
// rules. Scanner returns the tokens one at a time (what sqltext.Scan would
// return as a slice): a migration of thousands of statements is hundreds
// of thousands of tokens, which reading it never needs at once.
type Lexer interface {
	Scanner(src string) *sqltext.Scanner
}

var errNoLexer = errors.New("no lexer for the SQL of the migration files (Dir.Lexer)")

// Split cuts a SQL script into statements with lx. A statement ends where
// the lexer says (a semicolon outside quotes, comments and the BEGIN...END
// body of a trigger or stored program; a DELIMITER the lexer knows); the
// last statement may omit its semicolon. The "--" lines right above a
// statement become its Comment. Client commands (DELIMITER) are read and
// left out.
//
// Split is for a bare script: a section marker line (-- +up, -- +down) is an
// error.
func Split(src string, lx Lexer) ([]Statement, error) {
	if lx == nil {
		return nil, errNoLexer
	}
	s := newScanner(src, lx)
	var (
		stmts   []Statement
		comment []string
	)
	for {
		tok, ok, err := s.next()
		if err != nil {
			return nil, err
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
			return nil, fmt.Errorf("line %d: section marker %q in a bare script", tok.line, tok.text)
		case tokStmt:
			stmts = append(stmts, Statement{Comment: strings.Join(comment, "\n"), SQL: tok.text, Line: tok.line})
			comment = nil
		}
	}
}

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

// scanner reads a migration file. Between statements it works line by line
// (blank lines, "--" comment lines and markers are the file format, read
// the same for every engine); a statement is the lexer's tokens up to the
// one that ends it.
type scanner struct {
	src     string
	pos     int
	line    int
	midLine bool // the previous statement ended before the end of its line

	lx Lexer
	// sc reads the lexer's tokens; tok is the next one, when have is set.
	// Tokens of sc before from are a replayed client command; shift and
	// lines move the others to the file's offsets and lines.
	sc                 *sqltext.Scanner
	tok                sqltext.Token
	have               bool
	from, shift, lines int
	// lexErr is what the lexer reported; it is met after the last token,
	// the one it is about.
	lexErr error
	// stale is set when the lexer's tokens no longer describe what follows
	// pos: after a "--" line the lexer read as code (MySQL's "--x"), or
	// after a statement a section marker ended.
	stale bool
	// command is the last client command read, which the lexer hears again
	// when it reads the rest anew (a DELIMITER stays in effect).
	command string
}

func newScanner(src string, lx Lexer) *scanner {
	src = strings.TrimPrefix(src, "\uFEFF")
	return &scanner{src: src, line: 1, lx: lx, stale: true}
}

// next returns the next token, or ok false at the end of the input.
func (s *scanner) next() (tok token, ok bool, err error) {
	for s.pos < len(s.src) {
		if s.midLine {
			// What follows a statement on its own line is a trailing comment,
			// or another statement. (Looking at the whole rest of the line
			// here would be quadratic in a line of many statements.) A
			// "--" is a comment to the file format; the lexer says which
			// other line comments the engine has (MySQL's #).
			s.midLine = false
			s.skipSpace()
			if s.pos == len(s.src) || s.src[s.pos] == '\n' || strings.HasPrefix(s.src[s.pos:], "--") || s.lineComment() {
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

// lineComment reports whether the lexer reads a line comment at s.pos.
func (s *scanner) lineComment() bool {
	// A failing sync is statement's to report: it syncs again.
	if s.sync() != nil {
		return false
	}
	return s.have && s.tok.Pos == s.pos && s.tok.LineComment()
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
	for s.pos < len(s.src) && strings.IndexByte(" \t\r\v\f", s.src[s.pos]) >= 0 {
		s.pos++
	}
}

// statement reads one statement from s.pos. It returns ok false when what
// it read holds no code (only comments, a client command, or an empty
// statement).
func (s *scanner) statement() (token, bool, error) {
	if err := s.sync(); err != nil {
		return token{}, false, err
	}
	start, line := s.pos, s.line
	code := false
	for ; s.have; s.advance() {
		t := s.tok
		switch t.Kind {
		case sqltext.End, sqltext.Command:
			s.advance()
			s.pos, s.line, s.midLine = t.End(), t.Line, true
			if t.Kind == sqltext.Command {
				s.command = t.Text
			}
			return s.finish(start, t.Pos, line, code)
		case sqltext.Newline:
			s.pos, s.line = t.End(), t.Line+1
			if marker(strings.TrimSpace(s.restOfLine())) == "" {
				continue
			}
			// A section ends the statement even without its semicolon; the
			// lexer, which knows no sections, read on.
			s.stale = true
			if readAll(s.lx, s.src[start:t.Pos]) != nil {
				return token{}, false, &sqltext.SyntaxError{Line: s.line, Msg: fmt.Sprintf("BEGIN block of the statement at line %d is not closed before the section marker", line)}
			}
			return s.finish(start, s.pos, line, code)
		default:
			code = code || t.Code()
		}
	}
	if s.lexErr != nil {
		return token{}, false, s.lexErr
	}
	s.pos = len(s.src)
	return s.finish(start, len(s.src), line, code)
}

func (s *scanner) finish(start, end, line int, code bool) (token, bool, error) {
	text := strings.TrimSpace(s.src[start:end])
	if !code || text == "" {
		return token{}, false, nil
	}
	return token{kind: tokStmt, line: line, text: text}, true, nil
}

// sync makes the next token the one at s.pos. The tokens between are the
// lines read as the file format; when one of them was code to the lexer,
// or a token runs across s.pos, the lexer starts afresh at s.pos.
func (s *scanner) sync() error {
	for !s.stale && s.have && s.tok.Pos < s.pos {
		s.stale = s.tok.Code()
		s.advance()
	}
	if !s.stale && s.have && s.tok.Pos == s.pos {
		return nil
	}
	s.stale = false
	// The replayed command is one line: its tokens and newline are dropped.
	prefix := ""
	if s.command != "" {
		prefix = s.command + "\n"
	}
	s.sc = s.lx.Scanner(prefix + s.src[s.pos:])
	s.from, s.shift, s.lines = len(prefix), s.pos-len(prefix), s.line-1-strings.Count(prefix, "\n")
	s.lexErr = nil
	s.advance()
	return nil
}

// advance reads the lexer's next token, at the file's offset and line.
func (s *scanner) advance() {
	for s.sc.Scan() {
		t := *s.sc.Token()
		if t.Pos < s.from {
			continue
		}
		t.Pos += s.shift
		t.Line += s.lines
		s.tok, s.have = t, true
		return
	}
	s.have = false
	var se *sqltext.SyntaxError
	switch err := s.sc.Err(); {
	case errors.As(err, &se):
		s.lexErr = &sqltext.SyntaxError{Line: se.Line + s.lines, Msg: se.Msg}
	default:
		s.lexErr = err
	}
}

// readAll reads all of src's tokens and returns the lexer's error, if any.
func readAll(lx Lexer, src string) error {
	sc := lx.Scanner(src)
	for sc.Scan() {
	}
	return sc.Err()
}

// lexer is the Driver when it is also a Lexer, so that an Executor reads
// files the way its engine does; else the Dir's.
func (e *Executor) lexer() Lexer {
	if lx, ok := e.Driver.(Lexer); ok {
		return lx
	}
	return e.Dir.Lexer
}
