package mysql

// Parentheses a server adds or drops do not change an expression: MySQL 8
// prints (`a` > 0) and (`b` < 10) for a > 0 AND b < 10, MariaDB prints
// `a` > 0 for ((a > 0)). minimizeParens drops every pair of grouping
// parentheses whose content binds tighter than the operators around it,
// by MySQL's operator precedence, so that both spellings meet. Pairs it
// cannot judge (function calls, IN lists, INTERVAL, operators it does not
// know) stay.

// Binding strength of operators, weakest first, as the MySQL manual lists
// them ("Operator Precedence").
const (
	precNone = iota
	precAssign
	precOr
	precXor
	precAnd
	precNot
	precBetween
	precCompare
	precBitOr
	precBitAnd
	precShift
	precAdd
	precMul
	precBitXor
	precUnary
	precBang
	precCollate
)

var binaryOps = map[string]int{
	":=": precAssign, "=": precCompare, "<=>": precCompare, ">=": precCompare, ">": precCompare,
	"<=": precCompare, "<": precCompare, "<>": precCompare, "|": precBitOr, "&": precBitAnd,
	"<<": precShift, ">>": precShift, "-": precAdd, "+": precAdd, "*": precMul, "/": precMul, "^": precBitXor,
}

var binaryWords = map[string]int{
	"or": precOr, "xor": precXor, "and": precAnd, "is": precCompare, "like": precCompare,
	"regexp": precCompare, "rlike": precCompare, "in": precCompare, "between": precBetween,
	"div": precMul, "mod": precMul, "collate": precCollate,
}

// separators are words around which any expression stands alone.
var separators = map[string]bool{"case": true, "when": true, "then": true, "else": true, "end": true}

func minimizeParens(toks []token) []token {
	for {
		i, j, ok := removableGroup(toks)
		if !ok {
			return toks
		}
		out := make([]token, 0, len(toks)-2)
		out = append(out, toks[:i]...)
		out = append(out, toks[i+1:j]...)
		toks = append(out, toks[j+1:]...)
	}
}

// removableGroup finds a pair of parentheses that can go.
func removableGroup(toks []token) (int, int, bool) {
	for i, t := range toks {
		if !t.op("(") {
			continue
		}
		j := closes(toks, i)
		if j < 0 {
			return 0, 0, false
		}
		left, ok := leftPrec(toks, i)
		if !ok {
			continue
		}
		right, ok := rightPrec(toks, j)
		if !ok {
			continue
		}
		inner, ok := weakest(toks[i+1 : j])
		if ok && inner > left && inner >= right {
			return i, j, true
		}
	}
	return 0, 0, false
}

// leftPrec is how strongly what stands before a grouping parenthesis at
// toks[i] binds; ok is false when the parenthesis is not a grouping one.
func leftPrec(toks []token, i int) (int, bool) {
	if i == 0 {
		return precNone, true
	}
	p := toks[i-1]
	switch p.kind {
	case tokOp:
		switch {
		case p.val == "(" || p.val == ",":
			return precNone, true
		case unary(toks, i-1):
			if p.val == "!" {
				return precBang, true
			}
			return precUnary, true
		}
		prec, ok := binaryOps[p.val]
		return prec, ok
	case tokWord:
		switch {
		case separators[p.val]:
			return precNone, true
		case p.val == "not":
			return precNot, true
		case p.val == "in":
			return 0, false // a list
		}
		prec, ok := binaryWords[p.val]
		return prec, ok
	}
	return 0, false
}

// rightPrec is how strongly what follows the closing parenthesis at toks[j]
// binds.
func rightPrec(toks []token, j int) (int, bool) {
	if j == len(toks)-1 {
		return precNone, true
	}
	n := toks[j+1]
	switch n.kind {
	case tokOp:
		if n.val == ")" || n.val == "," {
			return precNone, true
		}
		prec, ok := binaryOps[n.val]
		return prec, ok
	case tokWord:
		switch {
		case separators[n.val]:
			return precNone, true
		case n.val == "not":
			return precCompare, true // NOT IN, NOT LIKE, NOT BETWEEN
		}
		prec, ok := binaryWords[n.val]
		return prec, ok
	}
	return 0, false
}

// weakest returns the precedence of the most loosely binding operator of
// an expression outside its own parentheses; ok is false for anything it
// does not understand.
func weakest(toks []token) (int, bool) {
	w := &scan{toks: toks, weakest: precCollate + 1}
	operand := true // expecting an operand
	for w.i = 0; w.i < len(toks); w.i++ {
		var ok bool
		if operand {
			operand, ok = w.operand()
		} else {
			operand, ok = w.operator()
		}
		if !ok {
			return 0, false
		}
	}
	if operand {
		return 0, false
	}
	return w.weakest, true
}

// scan walks an expression for weakest.
type scan struct {
	toks    []token
	i       int
	weakest int
	between bool // the AND of a BETWEEN is due
}

func (w *scan) note(p int) { w.weakest = min(w.weakest, p) }

// operand reads a prefix operator (after which an operand is still due) or
// an operand (after which an operator is due).
func (w *scan) operand() (stillOperand, ok bool) {
	toks, t := w.toks, w.toks[w.i]
	switch {
	case t.op("("):
		w.i = closes(toks, w.i)
		return false, w.i >= 0
	case t.kind == tokOp && unary(toks, w.i):
		if t.val == "!" {
			w.note(precBang)
		} else {
			w.note(precUnary)
		}
		return true, true
	case t.is(tokWord, "not"):
		w.note(precNot)
		return true, true
	case t.is(tokWord, "binary"):
		w.note(precCollate)
		return true, true
	case t.is(tokWord, "case"):
		w.i = caseEnd(toks, w.i)
		return false, w.i >= 0
	case t.kind == tokWord && (exprKeywords[t.val] && t.val != "null" || t.val == "interval"):
		return false, false
	case t.kind == tokWord || t.kind == tokIdent:
		// A column, a qualified name or a function call.
		for w.i+2 < len(toks) && toks[w.i+1].op(".") {
			w.i += 2
		}
		if w.i+1 < len(toks) && toks[w.i+1].op("(") {
			w.i = closes(toks, w.i+1)
		}
		return false, w.i >= 0
	case t.kind == tokString || t.kind == tokNumber || t.kind == tokHex:
		return false, true
	}
	return false, false
}

// operator reads a binary operator (after which an operand is due) or a
// postfix form such as IS NULL or IN (…) (after which an operator is due).
func (w *scan) operator() (operand, ok bool) {
	toks, t := w.toks, w.toks[w.i]
	switch {
	case t.kind == tokOp && binaryOps[t.val] > 0:
		w.note(binaryOps[t.val])
	case t.is(tokWord, "and") && w.between:
		w.between = false
	case t.is(tokWord, "is"):
		// IS [NOT] NULL/TRUE/FALSE/UNKNOWN
		w.note(precCompare)
		if w.i+1 < len(toks) && toks[w.i+1].is(tokWord, "not") {
			w.i++
		}
		w.i++
		return false, w.i < len(toks) && toks[w.i].kind == tokWord
	case t.is(tokWord, "not"):
		w.note(precCompare) // NOT LIKE, NOT IN, NOT BETWEEN, NOT REGEXP
		return false, true
	case t.is(tokWord, "in"):
		w.note(precCompare)
		if w.i+1 >= len(toks) || !toks[w.i+1].op("(") {
			return false, false
		}
		w.i = closes(toks, w.i+1)
		return false, w.i >= 0
	case t.is(tokWord, "between"):
		w.note(precBetween)
		w.between = true
	case t.is(tokWord, "collate"):
		w.note(precCollate)
		w.i++
		return false, w.i < len(toks)
	case t.kind == tokWord && binaryWords[t.val] > 0:
		w.note(binaryWords[t.val])
	default:
		return false, false
	}
	return true, true
}

// caseEnd returns the index of the END that closes the CASE at toks[i], or
// -1.
func caseEnd(toks []token, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		switch {
		case toks[i].is(tokWord, "case"):
			depth++
		case toks[i].is(tokWord, "end"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
