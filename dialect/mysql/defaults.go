package mysql

import (
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// A default is stored in the model the way the server reads it back for
// the column's type, so that what the user wrote and what the catalog
// reports compare equal:
//
//   - numeric columns: a number, as the server prints it (4.99 on
//     decimal(4,2); 5 becomes 5.00; true becomes 1; "4.99" is the number);
//   - character, enum and set columns: a string (a number or bool default
//     is the string the server converts it to);
//   - date and time columns: a string in the server's format, or
//     CURRENT_TIMESTAMP[(n)] for every spelling of it (now(), localtime…);
//   - bit columns: a b'…' literal;
//   - anything else: raw SQL in canonical spelling (see canonicalExpr) in
//     one pair of parentheses, (uuid());
//   - NULL: no default at all.

// canonicalDefault returns the model form of a default for a column of
// (canonical) type t.
func canonicalDefault(def *schema.Default, t schema.Type, cols columnResolver) *schema.Default {
	if def == nil {
		return nil
	}
	c := classOf(t)
	switch def.Kind {
	case schema.DefaultString:
		return literalDefault(token{kind: tokString, val: def.Value}, t, c)
	case schema.DefaultNumber:
		return literalDefault(token{kind: tokNumber, val: def.Value}, t, c)
	case schema.DefaultBool:
		v := "0"
		if strings.EqualFold(def.Value, "true") {
			v = "1"
		}
		return literalDefault(token{kind: tokNumber, val: v}, t, c)
	}
	return rawDefault(def.Value, t, c, cols)
}

// rawDefault classifies SQL default text: a literal is stored as the
// literal, CURRENT_TIMESTAMP in one spelling, anything else as a canonical
// expression.
func rawDefault(text string, t schema.Type, c schema.TypeClass, cols columnResolver) *schema.Default {
	toks, err := lex(text)
	if err != nil {
		return &schema.Default{Kind: schema.DefaultRaw, Value: strings.TrimSpace(text)}
	}
	toks = stripOuterParens(toks)
	if ts, ok := timestampFunc(toks); ok {
		return &schema.Default{Kind: schema.DefaultRaw, Value: ts}
	}
	switch {
	case len(toks) == 0:
		return nil
	case len(toks) == 1 && toks[0].is(tokWord, "null"):
		return nil
	case len(toks) == 1 && (toks[0].is(tokWord, "true") || toks[0].is(tokWord, "false")):
		v := "0"
		if toks[0].is(tokWord, "true") {
			v = "1"
		}
		return literalDefault(token{kind: tokNumber, val: v}, t, c)
	case len(toks) == 1 && (toks[0].kind == tokNumber || toks[0].kind == tokHex):
		return literalDefault(toks[0], t, c)
	case len(toks) == 2 && toks[0].op("-") && toks[1].kind == tokNumber:
		return literalDefault(token{kind: tokNumber, val: "-" + toks[1].val}, t, c)
	case len(toks) == 1 && toks[0].kind == tokString && (toks[0].intro == "" || isUnicodeIntro(toks[0].intro)):
		return literalDefault(toks[0], t, c)
	}
	// Expressions keep one pair of parentheses, as the language asks them to
	// be written, sql("(uuid())"), and as MySQL 8 requires.
	return &schema.Default{Kind: schema.DefaultRaw, Value: "(" + canonicalExpr(text, cols) + ")"}
}

func isUnicodeIntro(intro string) bool {
	switch intro {
	case "_utf8mb4", "_utf8mb3", "_utf8", "_latin1", "_ascii":
		return true
	}
	return false
}

// literalDefault stores a literal the way a column of class c reads it back.
func literalDefault(lit token, t schema.Type, c schema.TypeClass) *schema.Default {
	switch c {
	case schema.ClassInteger, schema.ClassDecimal, schema.ClassFloat, schema.ClassYear:
		if lit.kind == tokHex {
			break
		}
		if n, ok := canonicalNumber(lit.val, t, c); ok {
			return &schema.Default{Kind: schema.DefaultNumber, Value: n}
		}
	case schema.ClassBit:
		if lit.kind == tokHex {
			return &schema.Default{Kind: schema.DefaultRaw, Value: bitLiteral(lit.val)}
		}
		if n, err := strconv.ParseUint(lit.val, 10, 64); err == nil {
			return &schema.Default{Kind: schema.DefaultRaw, Value: "b'" + strconv.FormatUint(n, 2) + "'"}
		}
		if strings.HasPrefix(strings.ToLower(lit.val), "b'") {
			return &schema.Default{Kind: schema.DefaultRaw, Value: bitLiteral(lit.val)}
		}
	case schema.ClassDate, schema.ClassTime, schema.ClassDatetime:
		if lit.kind == tokString {
			return &schema.Default{Kind: schema.DefaultString, Value: canonicalTime(lit.val, t, c)}
		}
	}
	switch lit.kind {
	case tokString, tokNumber:
		if c == schema.ClassOther || c == schema.ClassJSON || c == schema.ClassSpatial {
			if lit.kind == tokNumber {
				return &schema.Default{Kind: schema.DefaultNumber, Value: lit.val}
			}
		}
		return &schema.Default{Kind: schema.DefaultString, Value: lit.val}
	}
	return &schema.Default{Kind: schema.DefaultRaw, Value: lit.val}
}

// bitLiteral writes b'0101' or 0x05 as b'101', as the servers print bit
// defaults.
func bitLiteral(v string) string {
	l := strings.ToLower(v)
	var n *big.Int
	var ok bool
	switch {
	case strings.HasPrefix(l, "b'"):
		n, ok = new(big.Int).SetString(strings.Trim(l[1:], "'"), 2)
	case strings.HasPrefix(l, "0b"):
		n, ok = new(big.Int).SetString(l[2:], 2)
	case strings.HasPrefix(l, "x'"):
		n, ok = new(big.Int).SetString(strings.Trim(l[1:], "'"), 16)
	case strings.HasPrefix(l, "0x"):
		n, ok = new(big.Int).SetString(l[2:], 16)
	}
	if !ok || n.Sign() < 0 {
		return v
	}
	return "b'" + n.Text(2) + "'"
}

// canonicalNumber writes a numeric default as the server prints it for
// the column: decimal(p,s) with exactly s decimals, integers without a
// fraction, floats in their shortest form.
func canonicalNumber(v string, t schema.Type, c schema.TypeClass) (string, bool) {
	v = strings.TrimSpace(v)
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(v, "+"))
	if !ok {
		return "", false
	}
	switch c {
	case schema.ClassDecimal:
		scale := 0
		if len(t.Args) == 2 {
			scale = t.Args[1]
		}
		return r.FloatString(scale), true
	case schema.ClassInteger, schema.ClassYear:
		return r.FloatString(0), true
	}
	f, _ := r.Float64()
	bits := 64
	if t.Name == "float" && len(t.Args) == 0 {
		bits = 32
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	return strings.Replace(s, "e+", "e", 1), true
}

// canonicalTime writes a date or time literal in the format the server
// stores it with the column's fractional precision; text it cannot read is
// kept as written.
func canonicalTime(v string, t schema.Type, c schema.TypeClass) string {
	fsp := 0
	if len(t.Args) == 1 {
		fsp = t.Args[0]
	}
	frac := ""
	if fsp > 0 {
		frac = "." + strings.Repeat("0", fsp)
	}
	layouts := map[schema.TypeClass][]string{
		schema.ClassDate:     {"2006-01-02", "2006-01-02 15:04:05", "20060102"},
		schema.ClassDatetime: {"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02", "20060102150405"},
		schema.ClassTime:     {"15:04:05.999999999", "15:04"},
	}
	out := map[schema.TypeClass]string{
		schema.ClassDate:     "2006-01-02",
		schema.ClassDatetime: "2006-01-02 15:04:05" + frac,
		schema.ClassTime:     "15:04:05" + frac,
	}
	for _, l := range layouts[c] {
		if tm, err := time.Parse(l, strings.TrimSpace(v)); err == nil {
			return tm.Format(out[c])
		}
	}
	return v
}

// timestampFunc recognises CURRENT_TIMESTAMP and its synonyms, with an
// optional precision, and returns its canonical spelling.
func timestampFunc(toks []token) (string, bool) {
	if len(toks) == 0 || toks[0].kind != tokWord {
		return "", false
	}
	switch strings.ToLower(toks[0].val) {
	case "current_timestamp", "now", "localtime", "localtimestamp":
	default:
		return "", false
	}
	switch {
	case len(toks) == 1 && !toks[0].is(tokWord, "now"):
		return "CURRENT_TIMESTAMP", true
	case len(toks) == 3 && toks[1].op("(") && toks[2].op(")"):
		return "CURRENT_TIMESTAMP", true
	case len(toks) == 4 && toks[1].op("(") && toks[2].kind == tokNumber && toks[3].op(")"):
		if toks[2].val == "0" {
			return "CURRENT_TIMESTAMP", true
		}
		return "CURRENT_TIMESTAMP(" + toks[2].val + ")", true
	}
	return "", false
}

// canonicalOnUpdate returns the canonical spelling of an ON UPDATE
// expression: CURRENT_TIMESTAMP[(n)] for every spelling of it.
func canonicalOnUpdate(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	toks, err := lex(s)
	if err == nil {
		if ts, ok := timestampFunc(stripOuterParens(toks)); ok {
			return ts
		}
	}
	return strings.TrimSpace(s)
}

// defaultSQL writes a default for DDL. Expressions go in parentheses,
// which MySQL 8 requires and MariaDB accepts, except CURRENT_TIMESTAMP and
// bit literals, which both take bare.
func (d *Dialect) defaultSQL(def *schema.Default, t schema.Type) string {
	switch def.Kind {
	case schema.DefaultString:
		s := quoteString(def.Value)
		if c := classOf(t); !d.Flavor.TextLiteralDefaults() && (c == schema.ClassText || c == schema.ClassBlob || c == schema.ClassJSON || c == schema.ClassSpatial) {
			return "(" + s + ")"
		}
		return s
	case schema.DefaultNumber:
		return def.Value
	case schema.DefaultBool:
		if strings.EqualFold(def.Value, "true") {
			return "1"
		}
		return "0"
	}
	toks, err := lex(def.Value)
	if err == nil {
		_, ts := timestampFunc(toks)
		wrapped := len(toks) > 0 && toks[0].op("(") && closes(toks, 0) == len(toks)-1
		if ts || wrapped || (len(toks) == 1 && toks[0].kind == tokHex) {
			return def.Value
		}
	}
	return "(" + def.Value + ")"
}
