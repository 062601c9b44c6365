package report

import (
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/planner/lint"
)

// palette colours text output with ANSI escapes; the zero value writes
// plain text. Callers turn colour on only for a terminal, never with
// NO_COLOR set.
type palette struct{ on bool }

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

func (p palette) wrap(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p palette) bold(s string) string { return p.wrap(ansiBold, s) }

func (p palette) action(a describe.Action, s string) string {
	switch a {
	case describe.ActionAdd:
		return p.wrap(ansiGreen, s)
	case describe.ActionDestroy:
		return p.wrap(ansiRed, s)
	}
	return p.wrap(ansiYellow, s)
}

// line colours a nested change line by its leading symbol.
func (p palette) line(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '+':
		return p.action(describe.ActionAdd, s[:1]) + s[1:]
	case '-':
		return p.action(describe.ActionDestroy, s[:1]) + s[1:]
	case '~':
		return p.action(describe.ActionChange, s[:1]) + s[1:]
	}
	return s
}

func (p palette) severity(s lint.Severity, text string) string {
	if s == lint.SeverityError {
		return p.wrap(ansiRed, text)
	}
	return p.wrap(ansiYellow, text)
}
