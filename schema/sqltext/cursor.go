package sqltext

import "strings"

// Cursor walks the code of one statement, for the dialects' statement
// classifiers: blanks, comments and client commands are left out, and the
// statement stops at its End.
type Cursor struct {
	toks []Token
	i    int
}

// NewCursor keeps the code tokens of toks up to the first End.
func NewCursor(toks []Token) *Cursor {
	var code []Token
	for _, t := range toks {
		if t.Kind == End {
			break
		}
		if t.Code() {
			code = append(code, t)
		}
	}
	return &Cursor{toks: code}
}

// Done reports whether the statement is read.
func (c *Cursor) Done() bool { return c.i >= len(c.toks) }

// Peek is the next token; the zero Token when the statement is read.
func (c *Cursor) Peek() Token {
	if c.Done() {
		return Token{}
	}
	return c.toks[c.i]
}

// Next returns the next token and moves past it.
func (c *Cursor) Next() Token {
	t := c.Peek()
	if !c.Done() {
		c.i++
	}
	return t
}

// Word moves past the next token and returns it in upper case when it is a
// bare word; otherwise it returns "" and stays.
func (c *Cursor) Word() string {
	if t := c.Peek(); t.Kind == Word {
		c.i++
		return strings.ToUpper(t.Text)
	}
	return ""
}

// Is reports whether the next token is one of the bare words.
func (c *Cursor) Is(words ...string) bool {
	t := c.Peek()
	for _, w := range words {
		if t.Is(w) {
			return true
		}
	}
	return false
}

// Accept moves past the next token when it is one of the bare words, and
// returns it in upper case; "" otherwise.
func (c *Cursor) Accept(words ...string) string {
	if c.Is(words...) {
		return strings.ToUpper(c.Next().Text)
	}
	return ""
}

// AcceptSeq moves past the next tokens when they are the bare words in
// order.
func (c *Cursor) AcceptSeq(words ...string) bool {
	if c.i+len(words) > len(c.toks) {
		return false
	}
	for k, w := range words {
		if !c.toks[c.i+k].Is(w) {
			return false
		}
	}
	c.i += len(words)
	return true
}

// AcceptOp moves past the next token when it is the operator op.
func (c *Cursor) AcceptOp(op string) bool {
	if c.Peek().IsOp(op) {
		c.i++
		return true
	}
	return false
}

// Name reads a name, qualified or not: name, schema.name. A part is a bare
// word or a quoted identifier; ok is false, and nothing read, when the next
// token is neither.
func (c *Cursor) Name() (schema, name string, ok bool) {
	parts := c.Parts(2)
	switch len(parts) {
	case 1:
		return "", parts[0], true
	case 2:
		return parts[0], parts[1], true
	}
	return "", "", false
}

// Parts reads a dotted name of at most max parts (a.b.c) and returns them.
func (c *Cursor) Parts(max int) []string {
	var parts []string
	for len(parts) < max {
		t := c.Peek()
		if t.Kind != Word && t.Kind != Ident {
			break
		}
		c.i++
		parts = append(parts, t.Value)
		if len(parts) == max || !c.Peek().IsOp(".") || c.i+1 == len(c.toks) ||
			c.toks[c.i+1].Kind != Word && c.toks[c.i+1].Kind != Ident {
			break
		}
		c.i++
	}
	return parts
}

// Skip moves past the next token, or past the whole parenthesized group
// that it opens.
func (c *Cursor) Skip() {
	depth := 0
	for !c.Done() {
		t := c.Next()
		switch {
		case t.IsOp("("):
			depth++
		case t.IsOp(")"):
			depth--
		}
		if depth <= 0 {
			return
		}
	}
}

// SkipTo moves to the next bare word, outside parentheses, that is one of
// words, and reports whether there is one.
func (c *Cursor) SkipTo(words ...string) bool {
	for !c.Done() {
		if c.Is(words...) {
			return true
		}
		c.Skip()
	}
	return false
}

// SkipWith moves past the common table expressions after WITH: [RECURSIVE]
// name [(columns)] AS [[NOT] MATERIALIZED] (query), …
func (c *Cursor) SkipWith() {
	c.Accept("RECURSIVE")
	for {
		c.Parts(1)
		if c.Peek().IsOp("(") {
			c.Skip() // the column list
		}
		c.Accept("AS")
		c.Accept("NOT")
		c.Accept("MATERIALIZED")
		c.Skip() // the query
		if !c.AcceptOp(",") {
			return
		}
	}
}

// Rest is the tokens not read yet.
func (c *Cursor) Rest() []Token { return c.toks[c.i:] }
