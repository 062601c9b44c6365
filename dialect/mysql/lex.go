package mysql

import (
	"fmt"
	"strings"
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

// multiOps are the operators of more than one character, longest first.
var multiOps = []string{"<=>", "->>", "<>", "!=", "<=", ">=", "<<", ">>", "&&", "||", ":=", "->"}

// lex splits a MySQL expression into tokens, as the server reads it with
// backslash escapes on: comments are dropped, quoted strings decoded.
func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#' || (c == '-' && strings.HasPrefix(s[i:], "-- ")):
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("unterminated comment")
			}
			i += end + 4
		case c == '\'' || c == '"':
			val, n, err := unquote(s[i:])
			if err != nil {
				return nil, err
			}
			t := token{kind: tokString, val: val}
			// An introducer is a _charset word right before the string.
			if k := len(toks) - 1; k >= 0 && toks[k].kind == tokWord && strings.HasPrefix(toks[k].val, "_") {
				t.intro = strings.ToLower(toks[k].val)
				toks = toks[:k]
			}
			toks = append(toks, t)
			i += n
		case c == '`':
			val, n, err := unquote(s[i:])
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokIdent, val: val})
			i += n
		case (c == 'x' || c == 'X' || c == 'b' || c == 'B') && i+1 < len(s) && s[i+1] == '\'':
			end := strings.IndexByte(s[i+2:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated literal")
			}
			toks = append(toks, token{kind: tokHex, val: strings.ToLower(s[i:i+1]) + s[i+1:i+3+end]})
			i += end + 3
		case c == '0' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'b'):
			j := i + 2
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tokHex, val: s[i:j]})
			i = j
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1])):
			t, n := number(s[i:])
			toks = append(toks, t)
			i += n
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tokWord, val: s[i:j]})
			i = j
		default:
			op := string(c)
			for _, m := range multiOps {
				if strings.HasPrefix(s[i:], m) {
					op = m
					break
				}
			}
			toks = append(toks, token{kind: tokOp, val: op})
			i += len(op)
		}
	}
	return toks, nil
}

// number reads the numeric literal at the start of s, or the identifier
// that starts with digits (1abc).
func number(s string) (token, int) {
	j := 0
	for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
		j++
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for j = k; j < len(s) && isDigit(s[j]); j++ {
			}
		}
	}
	if j < len(s) && isWordByte(s[j]) {
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		return token{kind: tokWord, val: s[:j]}, j
	}
	return token{kind: tokNumber, val: s[:j]}, j
}

// unquote decodes the quoted string or identifier at the start of s and
// returns it with the number of bytes it took. A doubled quote stands for
// one; inside strings a backslash escapes the next character.
func unquote(s string) (string, int, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q && i+1 < len(s) && s[i+1] == q:
			b.WriteByte(q)
			i++
		case c == q:
			return b.String(), i + 1, nil
		case c == '\\' && q != '`' && i+1 < len(s):
			i++
			b.WriteString(unescape(s[i]))
		default:
			b.WriteByte(c)
		}
	}
	if q == '`' {
		return "", 0, fmt.Errorf("unterminated quoted identifier")
	}
	return "", 0, fmt.Errorf("unterminated string")
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

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || isDigit(c) ||
		('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
