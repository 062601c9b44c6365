package mysql

import (
	"strings"
)

// The servers store CHECK, generated column, DEFAULT and key part
// expressions as text they print from their parse trees: MariaDB writes
// `ex` > 0 and `ex` < 100 for EX>0 AND ex<100, ucase() for UPPER(), 1 for
// TRUE, <> for !=; MySQL 8 adds parentheses and _utf8mb4 introducers. An
// expression is compared in a canonical spelling of its tokens, computed
// the same way for what the user wrote and what the server reports:
//
//   - column names in backticks, spelled as the table declares them;
//   - other words (keywords, functions, collations) in lower case, with the
//     synonyms the servers print mapped to one name;
//   - strings in single quotes, without the introducers of Unicode
//     character sets; != as <>, && as and, || as or, % as mod;
//   - parentheses that group nothing by operator precedence dropped (see
//     minimizeParens), tokens joined by single spaces, none inside
//     parentheses or before commas.
//
// Text that does not tokenise is kept as written, trimmed.

// columnResolver returns the declared spelling of a column name.
type columnResolver func(name string) (string, bool)

// canonicalExpr returns the canonical spelling of a SQL expression.
func canonicalExpr(s string, cols columnResolver) string {
	toks, err := lex(s)
	if err != nil || len(toks) == 0 {
		return strings.TrimSpace(s)
	}
	for i := range toks {
		toks[i] = canonicalToken(toks, i, cols)
	}
	return printTokens(minimizeParens(toks))
}

// exprKeywords are words that are never read as column names in an
// expression and that take a space before an opening parenthesis.
var exprKeywords = map[string]bool{
	"and": true, "or": true, "not": true, "xor": true, "in": true, "is": true, "null": true,
	"like": true, "between": true, "regexp": true, "rlike": true, "case": true, "when": true,
	"then": true, "else": true, "end": true, "true": true, "false": true, "div": true, "mod": true,
	"interval": true, "collate": true, "binary": true, "as": true, "escape": true, "exists": true,
	"distinct": true, "unknown": true, "sounds": true, "any": true, "some": true, "all": true,
	"select": true, "from": true, "where": true, "using": true, "over": true,
}

// functionSynonyms map the names the servers print to one spelling.
var functionSynonyms = map[string]string{
	"ucase": "upper", "lcase": "lower", "now": "current_timestamp",
	"localtime": "current_timestamp", "localtimestamp": "current_timestamp",
	"character_length": "char_length", "substr": "substring", "mid": "substring",
	"octet_length": "length", // MariaDB prints length() as octet_length()
}

func canonicalToken(toks []token, i int, cols columnResolver) token {
	t := toks[i]
	call := i+1 < len(toks) && toks[i+1].op("(")
	switch t.kind {
	case tokWord:
		lower := strings.ToLower(t.val)
		if call && !exprKeywords[lower] {
			if s, ok := functionSynonyms[lower]; ok {
				lower = s
			}
			return token{kind: tokWord, val: lower}
		}
		qualified := (i > 0 && toks[i-1].op(".")) || (i+1 < len(toks) && toks[i+1].op("."))
		if !exprKeywords[lower] && !qualified && cols != nil {
			if name, ok := cols(t.val); ok {
				return token{kind: tokIdent, val: name}
			}
		}
		switch lower {
		case "true":
			return token{kind: tokNumber, val: "1"}
		case "false":
			return token{kind: tokNumber, val: "0"}
		}
		return token{kind: tokWord, val: lower}
	case tokIdent:
		if cols != nil {
			if name, ok := cols(t.val); ok {
				return token{kind: tokIdent, val: name}
			}
		}
	case tokString:
		switch t.intro {
		case "_utf8mb4", "_utf8mb3", "_utf8", "_latin1", "_ascii":
			t.intro = ""
		}
		return t
	case tokOp:
		switch t.val {
		case "!=":
			t.val = "<>"
		case "&&":
			return token{kind: tokWord, val: "and"}
		case "||":
			return token{kind: tokWord, val: "or"}
		case "%":
			return token{kind: tokWord, val: "mod"}
		}
	}
	return t
}

// stripOuterParens drops parentheses that enclose the whole expression.
func stripOuterParens(toks []token) []token {
	for len(toks) >= 2 && toks[0].op("(") && toks[len(toks)-1].op(")") && closes(toks, 0) == len(toks)-1 {
		toks = toks[1 : len(toks)-1]
	}
	return toks
}

// closes returns the index of the parenthesis that closes the one at open,
// or -1.
func closes(toks []token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].op("("):
			depth++
		case toks[i].op(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// printTokens joins canonical tokens.
func printTokens(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && space(toks, i) {
			b.WriteByte(' ')
		}
		b.WriteString(tokenText(t))
	}
	return b.String()
}

// space reports whether a space goes before toks[i].
func space(toks []token, i int) bool {
	prev, t := toks[i-1], toks[i]
	switch {
	case t.op(")") || t.op(",") || t.op(".") || prev.op(".") || prev.op("("):
		return false
	case unary(toks, i-1):
		return false
	case t.op("("):
		// f(x), but x in (1, 2) and not (…).
		return prev.kind != tokWord || exprKeywords[prev.val]
	}
	return true
}

// unary reports whether the + - ~ or ! at toks[i] applies to what follows
// rather than to two operands.
func unary(toks []token, i int) bool {
	t := toks[i]
	if t.kind != tokOp || (t.val != "-" && t.val != "+" && t.val != "~" && t.val != "!") {
		return false
	}
	if t.val == "~" || t.val == "!" || i == 0 {
		return true
	}
	p := toks[i-1]
	switch p.kind {
	case tokOp:
		return p.val != ")"
	case tokWord:
		return exprKeywords[p.val]
	}
	return false
}

func tokenText(t token) string {
	switch t.kind {
	case tokIdent:
		return quoteIdent(t.val)
	case tokString:
		return t.intro + quoteString(t.val)
	}
	return t.val
}
