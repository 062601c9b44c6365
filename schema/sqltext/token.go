// Package sqltext is the vocabulary that the dialects' SQL lexers share with
// the code that reads SQL without knowing the engine (the executor's file
// reader, lint, test helpers): tokens, and the class of a statement.
//
// Each dialect has exactly one lexer (sqlite.Lex, mysql.Lex) that produces
// these tokens under its engine's rules: which quotes delimit strings and
// identifiers, which comments exist, which comments the server runs, where a
// statement ends. The scanning is written once, here (Scan), and each
// dialect decides those facts in its Rules. Nothing else scans SQL by hand.
package sqltext

import (
	"strconv"
	"strings"
)

// Kind is what a token is.
type Kind uint8

const (
	// Space is a run of blanks within one line.
	Space Kind = iota + 1
	// Newline is one "\n".
	Newline
	// Comment is a line comment without its newline (-- …, and # … on
	// MySQL) or a /* … */ block.
	Comment
	// Executable is a comment the server runs: MySQL's /*! … */ and
	// /*M! … */ (mysqldump output is full of them).
	Executable
	// Word is a bare identifier or keyword, as written.
	Word
	// Ident is a quoted identifier; Value holds the name.
	Ident
	// String is a string literal; Value holds the decoded text.
	String
	// Number is a numeric literal as written.
	Number
	// Blob is a hexadecimal or bit literal: x'…', 0x…, b'…', 0b….
	Blob
	// Op is an operator or punctuation: "(", ",", "<=>", ";" inside a
	// compound body, ….
	Op
	// End is what ends a statement: a ";" outside a compound body
	// (BEGIN … END of a trigger or stored program), or on MySQL the
	// delimiter a DELIMITER command set.
	End
	// Command is a client command line that is not SQL and is never sent to
	// the server (MySQL's DELIMITER): Text is the whole line. Like End, it
	// ends the statement before it (the client sends what it has read).
	Command
)

var kindNames = [...]string{Space: "space", Newline: "newline", Comment: "comment", Executable: "executable",
	Word: "word", Ident: "ident", String: "string", Number: "number", Blob: "blob", Op: "op", End: "end", Command: "command"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Token is one token of SQL text.
type Token struct {
	Kind Kind
	// Text is the token as written in the source.
	Text string
	// Value is, for Ident and String, the name or text under the dialect's
	// quoting rules (doubled quotes, MySQL's backslash escapes); for every
	// other kind it equals Text.
	Value string
	// Pos is the byte offset of Text in the source, Line its 1-based line.
	Pos  int
	Line int
}

// End is the byte offset just past the token.
func (t Token) End() int { return t.Pos + len(t.Text) }

// Is reports whether t is the bare word kw, compared case-insensitively.
func (t Token) Is(kw string) bool { return t.Kind == Word && strings.EqualFold(t.Text, kw) }

// IsOp reports whether t is the operator or punctuation op.
func (t Token) IsOp(op string) bool { return t.Kind == Op && t.Text == op }

// LineComment reports whether the token is a comment that runs to the end
// of its line (-- …, and # … on MySQL), not a /* … */ block.
func (t Token) LineComment() bool { return t.Kind == Comment && !strings.HasPrefix(t.Text, "/*") }

// Code reports whether the token is part of what the server executes:
// everything but blanks, newlines, plain comments and client commands.
func (t Token) Code() bool {
	return t.Kind != Space && t.Kind != Newline && t.Kind != Comment && t.Kind != Command
}

// Names returns the lower-case names that tokens mention: bare words and
// quoted identifiers, for checks that only need to know whether a table or
// column is named. It is not a parser: keywords come along as names, which
// only matters for names spelled like one.
func Names(toks []Token) map[string]bool {
	out := map[string]bool{}
	for _, t := range toks {
		if t.Kind == Word || t.Kind == Ident {
			out[strings.ToLower(t.Value)] = true
		}
	}
	return out
}

// SyntaxError is text a lexer cannot delimit: an unterminated string,
// quoted identifier or comment, or a compound body without its END.
type SyntaxError struct {
	Line int // 1-based line where the unterminated construct starts
	Msg  string
}

func (e *SyntaxError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Msg }
