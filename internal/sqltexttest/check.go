// Package sqltexttest checks what every dialect lexer and statement
// classifier promises, for the dialects' table tests and fuzz targets.
package sqltexttest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// Lexer is a dialect's Lex.
type Lexer func(src string) ([]sqltext.Token, error)

// Check fails t unless toks cover src exactly and in order, each at its
// byte offset and line, with Value equal to Text except for identifiers and
// strings.
func Check(t testing.TB, src string, toks []sqltext.Token) {
	t.Helper()
	pos, line := 0, 1
	for i, tok := range toks {
		switch {
		case tok.Text == "":
			t.Fatalf("token %d (%s at %d) is empty", i, tok.Kind, tok.Pos)
		case tok.Pos != pos || tok.Line != line:
			t.Fatalf("token %d %s %q at %d, line %d; want offset %d, line %d", i, tok.Kind, tok.Text, tok.Pos, tok.Line, pos, line)
		case !strings.HasPrefix(src[pos:], tok.Text):
			t.Fatalf("token %d %s %q is not the source at %d: %q", i, tok.Kind, tok.Text, pos, src[pos:min(len(src), pos+len(tok.Text))])
		case tok.Kind != sqltext.Ident && tok.Kind != sqltext.String && tok.Value != tok.Text:
			t.Fatalf("token %d %s %q has value %q", i, tok.Kind, tok.Text, tok.Value)
		}
		pos = tok.End()
		line += strings.Count(tok.Text, "\n")
	}
	if pos != len(src) {
		t.Fatalf("tokens end at %d of %d bytes", pos, len(src))
	}
}

// Fuzz fuzzes lex from the sources of the tests: it never panics, and its
// tokens cover the input, failing or not.
func Fuzz(f *testing.F, lex Lexer, tokens []TokenTest, statements []StatementTest) {
	for _, tt := range tokens {
		f.Add(tt.Src)
	}
	for _, tt := range statements {
		f.Add(tt.Src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		toks, _ := lex(src)
		Check(t, src, toks)
	})
}

// TokenTest is a source and its tokens, written "kind(text)", or
// "kind(text=value)" when the value differs, space-separated and without
// blanks.
type TokenTest struct{ Name, Src, Want string }

// CheckTokens lexes each source, which must succeed.
func CheckTokens(t *testing.T, lex Lexer, tests []TokenTest) {
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			toks := lexOK(t, lex, tt.Src)
			var parts []string
			for _, tok := range toks {
				if tok.Kind == sqltext.Space {
					continue
				}
				s := tok.Kind.String() + "(" + tok.Text
				if tok.Value != tok.Text {
					s += "=" + tok.Value
				}
				parts = append(parts, s+")")
			}
			if got := strings.Join(parts, " "); got != tt.Want {
				t.Errorf("Lex(%q)\n got %s\nwant %s", tt.Src, got, tt.Want)
			}
		})
	}
}

// StatementTest is a script and its statements: the code between End and
// Command tokens, trimmed, without empty ones.
type StatementTest struct {
	Name, Src string
	Want      []string
}

// CheckStatements lexes each script, which must succeed.
func CheckStatements(t *testing.T, lex Lexer, tests []StatementTest) {
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			var (
				got []string
				b   strings.Builder
			)
			flush := func() {
				if s := strings.TrimSpace(b.String()); s != "" {
					got = append(got, s)
				}
				b.Reset()
			}
			for _, tok := range lexOK(t, lex, tt.Src) {
				if tok.Kind == sqltext.End || tok.Kind == sqltext.Command {
					flush()
				} else {
					b.WriteString(tok.Text)
				}
			}
			flush()
			if diff := cmp.Diff(tt.Want, got); diff != "" {
				t.Errorf("statements (-want +got):\n%s", diff)
			}
		})
	}
}

func lexOK(t *testing.T, lex Lexer, src string) []sqltext.Token {
	t.Helper()
	toks, err := lex(src)
	if err != nil {
		t.Fatalf("Lex: %v", err)
	}
	Check(t, src, toks)
	return toks
}

// ErrorTest is a source the lexer cannot delimit, and its *SyntaxError.
type ErrorTest struct {
	Src  string
	Line int
	Msg  string
}

// CheckErrors lexes each source: it must fail as said, and still give
// every token (so that tolerant readers get the text before the fault).
func CheckErrors(t *testing.T, lex Lexer, tests []ErrorTest) {
	for _, tt := range tests {
		toks, err := lex(tt.Src)
		var se *sqltext.SyntaxError
		if !errors.As(err, &se) || se.Line != tt.Line || se.Msg != tt.Msg {
			t.Errorf("Lex(%q) error = %v, want line %d: %s", tt.Src, err, tt.Line, tt.Msg)
		}
		Check(t, tt.Src, toks)
	}
}

// ClassTest is a statement and its class.
type ClassTest struct {
	Stmt string
	Want sqltext.Class
}

// CheckClasses classifies each statement.
func CheckClasses(t *testing.T, classify func(stmt string) sqltext.Class, tests []ClassTest) {
	for _, tt := range tests {
		got := classify(tt.Stmt)
		if diff := cmp.Diff(tt.Want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("classify %q (-want +got):\n%s", tt.Stmt, diff)
		}
	}
}
