package mysql

import (
	"errors"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// tokKind classifies the tokens of a MySQL expression.
type tokKind int

const (
	tokWord   tokKind = iota // unquoted identifier or keyword, as written
	tokIdent                 // `quoted` identifier, val unescaped
	tokString                // '…' or "…" literal, val decoded; intro holds a _charset introducer
	tokNumber                // numeric literal as written
	tokHex                   // x'…', 0x…, b'…', 0b… literal as written
	tokOp                    // operator or punctuation
)

type token struct {
	kind  tokKind
	val   string
	intro string // tokString: the introducer, lower case, e.g. "_utf8mb4"
}

func (t token) is(kind tokKind, val string) bool {
	return t.kind == kind && strings.EqualFold(t.val, val)
}

func (t token) op(val string) bool { return t.kind == tokOp && t.val == val }

// Lex splits a MySQL script into tokens as the server and the mysql client
// read it (without ANSI_QUOTES or NO_BACKSLASH_ESCAPES): '…' and "…" are
// strings with backslash escapes, `…` names; # and "-- " (with a blank or
// control character after the dashes) start line comments; /*! … */ and
// /*M! … */ are Executable; x'…', 0x…, b'…' and 0b… are Blobs; a line
// that starts with DELIMITER is a Command that changes what ends a
// statement. A semicolon inside the BEGIN … END body of CREATE TRIGGER,
// PROCEDURE, FUNCTION or EVENT does not end it. A *sqltext.SyntaxError
// comes with every token (see sqltext.Scan).
func Lex(src string) ([]sqltext.Token, error) { return sqltext.Scan(src, &scriptRules) }

// Lex is the package's Lex, for the executor and lint, which take a
// dialect's lexer through an interface.
func (*Dialect) Lex(src string) ([]sqltext.Token, error) { return Lex(src) }

// Scanner reads src's tokens one at a time, as Lex would return them, for
// readers of large scripts (the executor's migration files).
func (*Dialect) Scanner(src string) *sqltext.Scanner { return sqltext.NewScanner(src, &scriptRules) }

var scriptRules = sqltext.Rules{
	Strings:    `'"`,
	Idents:     "`",
	Escape:     unescape,
	Hash:       true,
	DashSpace:  true,
	Executable: true,
	BitStrings: true,
	Delimiter:  true,
	Number:     number,
	// The operators of more than one byte, longest first.
	Operators: []string{"<=>", "->>", "<>", "!=", "<=", ">=", "<<", ">>", "&&", "||", ":=", "->"},
	Bodies:    []string{"TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"},
	// CREATE [OR REPLACE] [DEFINER = user] [AGGREGATE] FUNCTION, and the
	// like for the other kinds (MariaDB's forms; MySQL's are a subset).
	// ALGORITHM and SQL SECURITY only come before VIEW; reading them keeps
	// a view named event from being taken for CREATE EVENT.
	Modifiers: [][]string{
		{"OR", "REPLACE"},
		{"DEFINER", "=", sqltext.Account},
		{"SQL", "SECURITY", "DEFINER|INVOKER"},
		{"ALGORITHM", "=", "UNDEFINED|MERGE|TEMPTABLE"},
		{"AGGREGATE"},
	},
	// END IF, END LOOP, END WHILE, END REPEAT and MariaDB's END FOR close
	// blocks that only appear inside a BEGIN body.
	BlockEnds: []string{"IF", "LOOP", "WHILE", "REPEAT", "FOR"},
}

// textRules read one statement or expression, as the server does: a
// DELIMITER line is the client's business, and a column named delimiter
// at the start of a line is a name.
var textRules = func() sqltext.Rules {
	r := scriptRules
	r.Delimiter = false
	return r
}()

// lexText lexes one statement or expression.
func lexText(s string) ([]sqltext.Token, error) { return sqltext.Scan(s, &textRules) }

// names returns the lower-case names a statement or expression mentions
// (see sqltext.Names), "…" being a string; text it cannot read to its end
// still gives the names before the fault.
func names(sql string) map[string]bool {
	toks, _ := lexText(sql)
	return sqltext.Names(toks)
}

// lex splits a MySQL expression into the tokens the expression readers
// use: comments are dropped, quoted strings decoded, and a _charset word
// right before a string becomes its introducer.
func lex(s string) ([]token, error) {
	// Most texts read here are a default or a short expression of a token or
	// two; a long one grows the slice a few times.
	out := make([]token, 0, len(s)/8+1)
	sc := sqltext.NewScanner(s, &textRules)
	for sc.ScanCode() {
		switch t := sc.Token(); t.Kind {
		case sqltext.Word:
			out = append(out, token{kind: tokWord, val: t.Text})
		case sqltext.Ident:
			out = append(out, token{kind: tokIdent, val: t.Value})
		case sqltext.String:
			tok := token{kind: tokString, val: t.Value}
			if k := len(out) - 1; k >= 0 && out[k].kind == tokWord && strings.HasPrefix(out[k].val, "_") {
				tok.intro = strings.ToLower(out[k].val)
				out = out[:k]
			}
			out = append(out, tok)
		case sqltext.Number:
			out = append(out, token{kind: tokNumber, val: t.Text})
		case sqltext.Blob:
			val := t.Text
			if val[0] != '0' { // x'…' and b'…' in one spelling
				val = strings.ToLower(val[:1]) + val[1:]
			}
			out = append(out, token{kind: tokHex, val: val})
		case sqltext.Op, sqltext.End:
			out = append(out, token{kind: tokOp, val: t.Text})
		}
	}
	if err := sc.Err(); err != nil {
		var se *sqltext.SyntaxError
		if errors.As(err, &se) {
			return nil, errors.New(se.Msg)
		}
		return nil, err
	}
	return out, nil
}

// number reads a numeric literal: 0x… and 0b… are Blobs, and digits that
// run into letters are a name (1abc), as MySQL allows.
func number(s string, i int) (sqltext.Kind, int) {
	if s[i] == '0' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'b') {
		j := i + 2
		for j < len(s) && sqltext.IsWordPart(s[j]) {
			j++
		}
		return sqltext.Blob, j
	}
	j := sqltext.Decimal(s, i)
	if j < len(s) && sqltext.IsWordPart(s[j]) {
		for j < len(s) && sqltext.IsWordPart(s[j]) {
			j++
		}
		return sqltext.Word, j
	}
	return sqltext.Number, j
}

// unescape is the character a backslash sequence stands for. \% and \_
// keep their backslash, as the server does, for LIKE patterns.
func unescape(c byte) string {
	switch c {
	case '0':
		return "\x00"
	case 'b':
		return "\b"
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	case 'Z':
		return "\x1a"
	case '%', '_':
		return `\` + string(c)
	}
	return string(c)
}
