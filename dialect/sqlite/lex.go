package sqlite

import "strings"

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

// tokenize splits SQL text into tokens, dropping whitespace and comments. It
// never fails: an unterminated quote or comment runs to the end of the text.
func tokenize(src string) []token {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				i = len(src)
			} else {
				i += j + 4
			}
		case c == '\'' || c == '"' || c == '`':
			end, val := scanQuoted(src, i, c)
			kind := tokQuoted
			if c == '\'' {
				kind = tokString
			}
			toks = append(toks, token{kind: kind, val: val, pos: i, end: end})
			i = end
		case c == '[':
			j := strings.IndexByte(src[i:], ']')
			end := len(src)
			if j >= 0 {
				end = i + j + 1
			}
			toks = append(toks, token{kind: tokQuoted, val: src[i+1 : max(i+1, end-1)], pos: i, end: end})
			i = end
		case (c == 'x' || c == 'X') && i+1 < len(src) && src[i+1] == '\'':
			end, _ := scanQuoted(src, i+1, '\'')
			toks = append(toks, token{kind: tokString, val: src[i:end], pos: i, end: end})
			i = end
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			end := scanNumber(src, i)
			toks = append(toks, token{kind: tokNumber, val: src[i:end], pos: i, end: end})
			i = end
		case isWordStart(c):
			j := i + 1
			for j < len(src) && isWordPart(src[j]) {
				j++
			}
			toks = append(toks, token{kind: tokWord, val: src[i:j], pos: i, end: j})
			i = j
		default:
			j := i + 1
			if strings.IndexByte("<>=!|", c) >= 0 {
				for j < len(src) && strings.IndexByte("<>=!|", src[j]) >= 0 {
					j++
				}
			}
			toks = append(toks, token{kind: tokPunct, val: src[i:j], pos: i, end: j})
			i = j
		}
	}
	return toks
}

// scanQuoted scans a quoted run starting at src[i] == q, where a doubled
// quote stands for one. It returns the end offset and the dequoted text.
func scanQuoted(src string, i int, q byte) (int, string) {
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		if src[j] == q {
			if j+1 < len(src) && src[j+1] == q {
				b.WriteByte(q)
				j += 2
				continue
			}
			return j + 1, b.String()
		}
		b.WriteByte(src[j])
		j++
	}
	return len(src), b.String()
}

func scanNumber(src string, i int) int {
	j := i
	if src[j] == '0' && j+1 < len(src) && (src[j+1] == 'x' || src[j+1] == 'X') {
		j += 2
		for j < len(src) && isHex(src[j]) {
			j++
		}
		return j
	}
	for j < len(src) && (isDigit(src[j]) || src[j] == '.') {
		j++
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			j = k
			for j < len(src) && isDigit(src[j]) {
				j++
			}
		}
	}
	return j
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') }

func isWordStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isWordPart(c byte) bool { return isWordStart(c) || isDigit(c) }

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
