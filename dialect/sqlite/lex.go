package sqlite

import (
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// The pragmas say nothing about CHECK constraints, constraint names,
// generated column expressions, AUTOINCREMENT, collations, partial index
// predicates or index expressions. Those are read from the CREATE text that
// SQLite stores in sqlite_schema. The text has already been accepted by
// SQLite, so a small tokenizer that knows its quoting rules and keeps
// parentheses balanced is enough; this is deliberately not a SQL parser.

type tokenKind int

const (
	tokWord   tokenKind = iota + 1 // bare identifier or keyword
	tokQuoted                      // "ident", `ident` or [ident]
	tokString                      // 'string' (also x'blob')
	tokNumber                      // 12, 1.5, 1e3, 0x1F
	tokPunct                       // any other single character, or a run of operator characters
)

type token struct {
	kind     tokenKind
	val      string // dequoted text for quoted identifiers and strings, raw text otherwise
	pos, end int    // byte offsets of the token in the source
}

// is reports whether t is the bare keyword kw (case-insensitive).
func (t token) is(kw string) bool {
	return t.kind == tokWord && strings.EqualFold(t.val, kw)
}

// punct reports whether t is the punctuation c.
func (t token) punct(c string) bool { return t.kind == tokPunct && t.val == c }

// ident reports whether t can name something (a bare word or a quoted
// identifier; SQLite also accepts a string literal in most name positions).
func (t token) ident() bool {
	return t.kind == tokWord || t.kind == tokQuoted || t.kind == tokString
}

// Lex splits SQLite SQL into tokens as SQLite reads it: '…' is a string
// with doubled quotes and no backslash escapes; "…", `…` and […] are
// names; -- and /* */ start comments; x'…' is a Blob, 0x… a number. A
// semicolon inside the BEGIN … END body of CREATE TRIGGER does not end the
// statement. A *sqltext.SyntaxError comes with every token (see
// sqltext.Scan).
func Lex(src string) ([]sqltext.Token, error) { return sqltext.Scan(src, &rules) }

// Lex is the package's Lex, for the executor and lint, which take a
// dialect's lexer through an interface.
func (*Dialect) Lex(src string) ([]sqltext.Token, error) { return Lex(src) }

// Scanner reads src's tokens one at a time, as Lex would return them, for
// readers of large scripts (the executor's migration files).
func (*Dialect) Scanner(src string) *sqltext.Scanner { return sqltext.NewScanner(src, &rules) }

var rules = sqltext.Rules{
	Strings:  "'",
	Idents:   "\"`",
	Brackets: true,
	Number:   number,
	// The operators of more than one byte, longest first.
	Operators: []string{"->>", "||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->"},
	Bodies:    []string{"TRIGGER"},
	// CREATE [TEMP | TEMPORARY] TRIGGER.
	Modifiers: [][]string{{"TEMP|TEMPORARY"}},
}

// number reads a numeric literal: a hexadecimal integer 0x…, or a decimal.
func number(src string, i int) (sqltext.Kind, int) {
	if src[i] == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X') {
		j := i + 2
		for j < len(src) && isHex(src[j]) {
			j++
		}
		return sqltext.Number, j
	}
	return sqltext.Number, sqltext.Decimal(src, i)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') }

// tokenize splits SQL text into the tokens the CREATE-text readers use,
// dropping whitespace and comments. It never fails: an unterminated quote
// or comment runs to the end of the text.
func tokenize(src string) []token {
	// Most texts read here are a type or a short expression of a token or
	// two; a long CREATE text grows the slice a few times.
	out := make([]token, 0, len(src)/8+1)
	for s := sqltext.NewScanner(src, &rules); s.ScanCode(); {
		t := s.Token()
		tok := token{val: t.Value, pos: t.Pos, end: t.End()}
		switch t.Kind {
		case sqltext.Word:
			tok.kind = tokWord
		case sqltext.Ident:
			tok.kind = tokQuoted
		case sqltext.String, sqltext.Blob: // a blob keeps its x'…'
			tok.kind = tokString
		case sqltext.Number:
			tok.kind = tokNumber
		case sqltext.Op, sqltext.End:
			tok.kind = tokPunct
		default:
			continue
		}
		out = append(out, tok)
	}
	return out
}

// closing returns the index of the token that closes the parenthesis at
// toks[open], or len(toks) when it is unbalanced.
func closing(toks []token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].punct("("):
			depth++
		case toks[i].punct(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks)
}

// splitTop splits toks at commas outside parentheses.
func splitTop(toks []token) [][]token {
	var parts [][]token
	depth, start := 0, 0
	for i, t := range toks {
		switch {
		case t.punct("("):
			depth++
		case t.punct(")"):
			depth--
		case t.punct(",") && depth == 0:
			parts = append(parts, toks[start:i])
			start = i + 1
		}
	}
	return append(parts, toks[start:])
}

// span returns the source text covered by toks, verbatim.
func span(src string, toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	return src[toks[0].pos:toks[len(toks)-1].end]
}

// stripParens removes parentheses that enclose the whole expression, as many
// times as they do, and surrounding white space: "((a) + b)" becomes
// "(a) + b", while "(a) + (b)" is left alone.
func stripParens(expr string) string {
	expr = strings.TrimSpace(expr)
	for {
		toks := tokenize(expr)
		if len(toks) < 2 || !toks[0].punct("(") || closing(toks, 0) != len(toks)-1 ||
			toks[0].pos != 0 || toks[len(toks)-1].end != len(expr) {
			return expr
		}
		expr = strings.TrimSpace(expr[1 : len(expr)-1])
	}
}

// mentions reports whether the SQL text names the identifier (a bare or
// quoted identifier token equal to name, case-insensitively). It errs on the
// side of yes: a keyword spelled like the column counts.
func mentions(sql, name string) bool {
	for _, t := range tokenize(sql) {
		if (t.kind == tokWord || t.kind == tokQuoted) && strings.EqualFold(t.val, name) {
			return true
		}
	}
	return false
}
