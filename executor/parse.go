package executor

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

var (
	// fileNameRE is a migration file name: a version number, then an
	// optional "_" and description.
	fileNameRE = regexp.MustCompile(`^([0-9]+)(?:_[^/\\]*)?\.sql$`)
	headerRE   = regexp.MustCompile(`^--\s*schemactl\s+(\S+)(?:\s+(".*"))?\s*$`)
	revisesRE  = regexp.MustCompile(`^--\s*revises:\s*(\S*)\s*$`)
	plannedRE  = regexp.MustCompile(`^--\s*planned-against:\s*(\S+)\s*$`)
	dialectRE  = regexp.MustCompile(`^--\s*dialect:\s*(\S+)\s*$`)
	onlineRE   = regexp.MustCompile(`^--\s*schemactl:online\s*$`)
)

// maxVersionLen is the width of the version table's column.
const maxVersionLen = 32

// fileVersion returns the version a migration file name starts with.
func fileVersion(name string) (string, bool) {
	m := fileNameRE.FindStringSubmatch(name)
	if m == nil || len(m[1]) > maxVersionLen {
		return "", false
	}
	return m[1], true
}

// Parse reads a migration file whose SQL lx lexes (the dialect's lexer).
// filename is its name or path; the version comes from the name and must
// match the header.
func Parse(filename string, data []byte, lx Lexer) (*Migration, error) {
	base := filepath.Base(filename)
	version, ok := fileVersion(base)
	if !ok {
		return nil, &ParseError{File: base, Msg: "file name must be a version number, \"_\" and a description, like 0002_add_power.sql"}
	}
	if lx == nil {
		return nil, errNoLexer
	}
	p := &fileParser{
		m:    &Migration{Version: version, File: base, Checksum: fileChecksum(data)},
		file: base,
		s:    newScanner(string(data), lx),
	}
	if err := p.run(); err != nil {
		return nil, err
	}
	return p.m, nil
}

type section int

const (
	preamble section = iota
	upSection
	downSection
)

type fileParser struct {
	m       *Migration
	file    string
	s       *scanner
	sec     section
	header  bool
	comment []string // comment lines waiting for the statement below them
}

func (p *fileParser) errorf(line int, format string, args ...any) error {
	return &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *fileParser) run() error {
	if strings.TrimSpace(p.s.src) == "" {
		return p.errorf(0, "empty file; a migration starts with a header like -- schemactl %s \"message\"", p.m.Version)
	}
	p.m.Irreversible = true
	for {
		tok, ok, err := p.s.next()
		if err != nil {
			var se *sqltext.SyntaxError
			if errors.As(err, &se) {
				return p.errorf(se.Line, "%s", se.Msg)
			}
			return p.errorf(0, "%v", err)
		}
		if !ok {
			break
		}
		if err := p.token(tok); err != nil {
			return err
		}
	}
	if p.sec == preamble {
		return p.errorf(0, "no -- +up section")
	}
	return nil
}

func (p *fileParser) token(tok token) error {
	if !p.header {
		if tok.kind == tokBlank {
			return nil
		}
		return p.readHeader(tok)
	}
	switch tok.kind {
	case tokBlank:
		p.comment = nil
	case tokComment:
		if p.sec == preamble {
			return p.preambleComment(tok)
		}
		p.comment = append(p.comment, commentText(tok.text))
	case tokMarker:
		p.comment = nil
		return p.marker(tok)
	case tokStmt:
		if p.sec == preamble {
			return p.errorf(tok.line, "SQL before the -- +up line")
		}
		st := Statement{Comment: strings.Join(p.comment, "\n"), SQL: tok.text, Line: tok.line}
		p.comment = nil
		if p.sec == upSection {
			p.m.Up = append(p.m.Up, st)
		} else {
			p.m.Down = append(p.m.Down, st)
		}
	}
	return nil
}

func (p *fileParser) readHeader(tok token) error {
	want := fmt.Sprintf("the first line must be the header -- schemactl %s \"message\"", p.m.Version)
	if tok.kind != tokComment {
		return p.errorf(tok.line, "%s", want)
	}
	m := headerRE.FindStringSubmatch(tok.text)
	if m == nil {
		return p.errorf(tok.line, "%s", want)
	}
	if m[1] != p.m.Version {
		return p.errorf(tok.line, "header says version %s, but the file name says %s", m[1], p.m.Version)
	}
	if m[2] != "" {
		name, err := strconv.Unquote(m[2])
		if err != nil {
			return p.errorf(tok.line, "malformed message %s in header: %v", m[2], err)
		}
		p.m.Name = name
	}
	p.header = true
	return nil
}

func (p *fileParser) preambleComment(tok token) error {
	if m := dialectRE.FindStringSubmatch(tok.text); m != nil {
		if p.m.Dialect != "" {
			return p.errorf(tok.line, "second -- dialect: line")
		}
		p.m.Dialect = strings.ToLower(m[1])
		return nil
	}
	if onlineRE.MatchString(tok.text) {
		if p.m.Online {
			return p.errorf(tok.line, "second -- schemactl:online line")
		}
		p.m.Online = true
		return nil
	}
	if m := plannedRE.FindStringSubmatch(tok.text); m != nil {
		if p.m.PlannedAgainst != "" {
			return p.errorf(tok.line, "second -- planned-against: line")
		}
		p.m.PlannedAgainst = m[1]
		return nil
	}
	m := revisesRE.FindStringSubmatch(tok.text)
	if m == nil {
		return nil // a note for readers
	}
	if p.m.revisesLine > 0 {
		return p.errorf(tok.line, "second -- revises: line (the first is on line %d)", p.m.revisesLine)
	}
	p.m.revisesLine = tok.line
	if m[1] != "base" {
		p.m.Revises = m[1]
	}
	return nil
}

func (p *fileParser) marker(tok token) error {
	switch {
	case tok.text == "+up" && p.sec == preamble:
		p.sec = upSection
	case tok.text == "+up":
		return p.errorf(tok.line, "second -- +up line")
	case p.sec == preamble:
		return p.errorf(tok.line, "-- +down before -- +up; a migration needs an up section first")
	case p.sec == downSection:
		return p.errorf(tok.line, "second -- +down line")
	default:
		p.sec = downSection
		p.m.Irreversible = false
	}
	return nil
}

// headerDialect reads the -- dialect: line of a migration file's header,
// the "--" lines before its -- +up marker, and the line it is on. It needs
// no lexer: the header holds no SQL.
func headerDialect(data []byte) (string, int) {
	rest := strings.TrimPrefix(string(data), "\uFEFF")
	for i := 0; rest != ""; i++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			continue
		case !strings.HasPrefix(t, "--") || marker(t) != "":
			return "", 0
		}
		if m := dialectRE.FindStringSubmatch(t); m != nil {
			return strings.ToLower(m[1]), i + 1
		}
	}
	return "", 0
}
