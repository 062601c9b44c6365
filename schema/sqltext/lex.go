package sqltext

import "strings"

// Rules are the lexical facts of one engine. The scanning is written once,
// here; each dialect package decides its facts in its own Rules value and is
// the only caller of Scan with it.
type Rules struct {
	// Strings are the bytes that open a string literal, Idents those that
	// open a quoted identifier. A doubled quote inside stands for one.
	Strings, Idents string
	// Brackets makes [name] a quoted identifier (SQLite, after MS Access).
	Brackets bool
	// Escape, when set, makes a backslash inside a string escape the next
	// byte c, which stands for Escape(c) in the token's Value.
	Escape func(c byte) string
	// Hash makes # start a line comment.
	Hash bool
	// DashSpace makes "--" start a comment only when white space, a control
	// character or the end of the input follows it: "1--1" is 1 - -1.
	DashSpace bool
	// Executable makes /*! … */ and /*M! … */ Executable tokens.
	Executable bool
	// BitStrings makes b'…' a Blob, beside x'…'.
	BitStrings bool
	// Delimiter makes a line that starts with "DELIMITER " a Command that
	// sets what ends a statement, as the mysql client reads a script.
	Delimiter bool
	// Number reads the numeric literal that starts at src[i] (a digit, or
	// a dot before one) and returns its kind (Number, or the Blob or Word
	// it turns out to be) and where it ends.
	Number func(src string, i int) (Kind, int)
	// Operators are the operators of more than one byte, longest first;
	// any other byte that starts no token is an operator of its own.
	Operators []string
	// Bodies are the object kinds whose CREATE statement holds a
	// BEGIN … END body with semicolons inside (TRIGGER, PROCEDURE, …).
	// Only the kind counts, the first word after CREATE and its Modifiers:
	// a table, index or view may be named like one (MySQL's EVENT and
	// FUNCTION are not reserved), and its columns begin or end.
	Bodies []string
	// Modifiers are the clauses that may stand between CREATE and the
	// object kind, in any order (OR REPLACE, DEFINER = …, TEMP). Each is a
	// sequence of elements: a bare word, or several as "A|B"; an operator
	// such as "="; or Account. Any other token there makes the statement
	// one without a body. An executable comment there is taken for a
	// modifier, as mysqldump writes /*!50017 DEFINER=… */.
	Modifiers [][]string
	// BlockEnds are the words after END that close a block which did not
	// open with BEGIN or CASE (END IF, END LOOP, …): they close nothing the
	// lexer counts.
	BlockEnds []string
}

// Account, as an element of a modifier, is a MySQL account or role: a
// name (bare, quoted or a string), then an optional "()" (CURRENT_USER())
// and an optional @host, whose host may be an address (127.0.0.1) or a
// dotted name.
const Account = "<account>"

// Scan splits src into tokens under r. The tokens cover src exactly, in
// order, even when it fails: an unterminated string, quoted identifier or
// comment is a last token that runs to the end of src, reported as a
// *SyntaxError together with every token; so is a compound body without its
// END.
func Scan(src string, r *Rules) ([]Token, error) {
	// A token every three bytes or so, blanks included: one allocation for
	// most statements.
	toks := make([]Token, 0, len(src)/3+4)
	s := NewScanner(src, r)
	for s.Scan() {
		toks = append(toks, *s.Token())
	}
	return toks, s.Err()
}

// Scanner reads the tokens of src one at a time, for readers that keep only
// some of them (a dialect's expression tokens) and would otherwise pay for
// a slice of all of them. It reads what Scan returns.
type Scanner struct {
	src       string
	r         *Rules
	pos, line int
	tok       Token
	err       error
	// delim is the delimiter a DELIMITER command set; "" is the semicolon,
	// which does not end a statement inside a compound body.
	delim     string
	delimAt   int  // see limit
	lineStart bool // only blanks precede pos on its line
	prevDot   bool // the last code token is ".": the word after it is a name
	body      body
}

// NewScanner returns a Scanner of src under r.
func NewScanner(src string, r *Rules) *Scanner {
	return &Scanner{src: src, r: r, line: 1, lineStart: true}
}

// Scan reads the next token, and reports whether there was one.
func (s *Scanner) Scan() bool {
	if s.pos < len(s.src) {
		s.next()
		return true
	}
	s.body.settle()
	if s.err == nil && s.body.depth > 0 {
		s.err = &SyntaxError{Line: s.body.line, Msg: "BEGIN block of the statement is not closed"}
		s.body.depth = 0
	}
	return false
}

// ScanCode is Scan for a reader of code only: it moves past blanks and
// comments, and reads the next token that is Code, reporting whether there
// was one.
func (s *Scanner) ScanCode() bool {
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; {
		case c == '\n':
			s.pos++
			s.line++
			s.lineStart = true
		case isBlank(c):
			s.pos++
		default:
			if s.next(); s.tok.Code() {
				return true
			}
		}
	}
	return s.Scan()
}

// Token is the token Scan read; the next Scan overwrites it.
func (s *Scanner) Token() *Token { return &s.tok }

// Err is the first *SyntaxError met, once Scan has returned false.
func (s *Scanner) Err() error {
	if s.pos < len(s.src) || s.err == nil {
		return nil
	}
	return s.err
}

func (s *Scanner) fail(line int, msg string) {
	if s.err == nil {
		s.err = &SyntaxError{Line: line, Msg: msg}
	}
}

// next reads the token at s.pos.
func (s *Scanner) next() {
	src, i, r := s.src, s.pos, s.r
	c := src[i]
	switch {
	case c == '\n':
		s.emit(Newline, i+1, "")
	case isBlank(c):
		j := i + 1
		for j < len(src) && isBlank(src[j]) {
			j++
		}
		s.emit(Space, j, "")
	case s.delim != "" && strings.HasPrefix(src[i:], s.delim):
		s.emit(End, i+len(s.delim), "")
	case r.Delimiter && s.lineStart && len(src) >= i+10 && strings.EqualFold(src[i:i+9], "delimiter") && isBlank(src[i+9]):
		s.command()
	case c == '#' && r.Hash, c == '-' && at(src, i+1) == '-' && (!r.DashSpace || i+2 == len(src) || src[i+2] <= ' '):
		end := strings.IndexByte(src[i:], '\n')
		if end < 0 {
			end = len(src) - i
		}
		s.emit(Comment, i+end, "")
	case c == '/' && at(src, i+1) == '*':
		kind := Comment
		if r.Executable && (at(src, i+2) == '!' || at(src, i+2) == 'M' && at(src, i+3) == '!') {
			kind = Executable
		}
		s.emit(kind, s.closing(i+2, "*/", "unterminated /* comment"), "")
	case in(r.Strings, c):
		s.quoted(String, "unterminated string")
	case in(r.Idents, c):
		s.quoted(Ident, "unterminated quoted identifier")
	case c == '[' && r.Brackets:
		end := s.closing(i+1, "]", "unterminated [identifier]")
		s.emit(Ident, end, strings.TrimSuffix(src[i+1:end], "]"))
	case (c|0x20 == 'x' || r.BitStrings && c|0x20 == 'b') && at(src, i+1) == '\'':
		s.emit(Blob, s.closing(i+2, "'", "unterminated literal"), "")
	case isDigit(c) || c == '.' && isDigit(at(src, i+1)):
		kind, end := r.Number(src[:s.limit()], i)
		s.emit(kind, end, "")
	case isWordStart(c):
		j, lim := i+1, s.limit()
		for j < lim && IsWordPart(src[j]) {
			j++
		}
		s.emit(Word, j, "")
	default:
		s.operator()
	}
}

// limit is where the next delimiter that a DELIMITER command set starts,
// or the end of src: a bare word, number or operator stops there, as the
// mysql client cuts "END$$". The offset is kept until s.pos passes it, so
// that a long statement is not searched again for every token.
func (s *Scanner) limit() int {
	if s.delim == "" {
		return len(s.src)
	}
	if s.delimAt <= s.pos {
		s.delimAt = len(s.src)
		if k := strings.Index(s.src[s.pos+1:], s.delim); k >= 0 {
			s.delimAt = s.pos + 1 + k
		}
	}
	return s.delimAt
}

// closing returns where a token that closes with the first close at or
// after from ends; with none, it runs to the end of src, and msg is the
// syntax error.
func (s *Scanner) closing(from int, close, msg string) int {
	if end := strings.Index(s.src[from:], close); end >= 0 {
		return from + end + len(close)
	}
	s.fail(s.line, msg)
	return len(s.src)
}

func (s *Scanner) operator() {
	src, i := s.src, s.pos
	if src[i] == ';' && s.delim == "" {
		s.body.settle()
		if s.body.depth == 0 {
			s.emit(End, i+1, "")
			return
		}
	}
	end, lim := i+1, s.limit()
	for _, op := range s.r.Operators {
		if op[0] == src[i] && strings.HasPrefix(src[i:lim], op) {
			end = i + len(op)
			break
		}
	}
	s.emit(Op, end, "")
}

// quoted reads a string or quoted identifier, decoding its value.
func (s *Scanner) quoted(kind Kind, unterminated string) {
	src, q := s.src, s.src[s.pos]
	escapes := kind == String && s.r.Escape != nil
	// Most values are the text between the quotes.
	if end := strings.IndexByte(src[s.pos+1:], q); end >= 0 {
		end += s.pos + 1
		if at(src, end+1) != q && !(escapes && strings.IndexByte(src[s.pos+1:end], '\\') >= 0) {
			s.emit(kind, end+1, src[s.pos+1:end])
			return
		}
	}
	var b strings.Builder
	for j := s.pos + 1; j < len(src); j++ {
		c := src[j]
		switch {
		case c == q && at(src, j+1) == q:
			b.WriteByte(q)
			j++
		case c == q:
			s.emit(kind, j+1, b.String())
			return
		case c == '\\' && escapes && j+1 < len(src):
			j++
			b.WriteString(s.r.Escape(src[j]))
		default:
			b.WriteByte(c)
		}
	}
	s.fail(s.line, unterminated)
	s.emit(kind, len(src), b.String())
}

// command reads a DELIMITER line. Its argument is the first word after it,
// without quotes; the mysql client refuses an empty one and a backslash.
func (s *Scanner) command() {
	end := strings.IndexByte(s.src[s.pos:], '\n')
	if end < 0 {
		end = len(s.src) - s.pos
	}
	text := s.src[s.pos : s.pos+end]
	arg := ""
	if f := strings.Fields(text[len("delimiter"):]); len(f) > 0 {
		arg = f[0]
		if len(arg) > 1 && strings.IndexByte(`'"`+"`", arg[0]) >= 0 && arg[len(arg)-1] == arg[0] {
			arg = arg[1 : len(arg)-1]
		}
	}
	switch {
	case arg == "" || strings.Contains(arg, `\`):
		s.fail(s.line, "DELIMITER needs a delimiter without a backslash")
	case arg == ";":
		s.delim = ""
	default:
		s.delim, s.delimAt = arg, 0
	}
	s.emit(Command, s.pos+end, "")
}

// emit makes src[s.pos:end] the token read and moves past it. value is
// the token's Value for identifiers and strings; for other kinds it is
// Text.
func (s *Scanner) emit(kind Kind, end int, value string) {
	text := s.src[s.pos:end]
	if kind != Ident && kind != String {
		value = text
	}
	s.tok = Token{Kind: kind, Text: text, Value: value, Pos: s.pos, Line: s.line}
	t := &s.tok
	s.pos = end
	switch kind {
	case Newline:
		s.line++
	case Comment, Executable, String, Ident, Blob, Command:
		s.line += strings.Count(text, "\n")
	}
	s.lineStart = kind == Newline || kind == Space && s.lineStart
	switch {
	case kind == End || kind == Command:
		s.body = body{}
		s.prevDot = false
	case t.Code():
		if s.delim == "" {
			s.body.track(t, s.prevDot, s.r)
		}
		s.prevDot = t.IsOp(".")
	}
}

// body follows BEGIN … END nesting in the statements that create triggers
// and stored programs, whose bodies hold semicolons. Other statements never
// open a block: "BEGIN;" on its own is a statement.
type body struct {
	line  int // where the statement's code starts
	state bodyState
	// In bodyKind, rest is what remains of the modifier being read, from
	// the element the next token must match; acct is how far an Account
	// element has been read.
	rest  []string
	acct  acctState
	depth int
	// afterEnd is set after END: the next word says what it closes.
	afterEnd bool
}

type bodyState uint8

const (
	bodyStart    bodyState = iota // no code read yet
	bodyKind                      // after CREATE and before the object kind
	bodyCompound                  // the object kind has a body
	bodyPlain                     // the statement can have no body
)

type acctState uint8

const (
	acctName  acctState = iota // a name must follow: the first, or after @ or .
	acctParen                  // after "(": ")" must follow
	acctRead                   // the account may end here
)

func (b *body) track(t *Token, afterDot bool, r *Rules) {
	if b.line == 0 {
		b.line = t.Line
	}
	switch b.state {
	case bodyStart:
		b.state = bodyPlain
		if t.Is("CREATE") {
			b.state = bodyKind
		}
	case bodyKind:
		b.kind(t, r)
	case bodyCompound:
		b.block(t, afterDot, r)
	}
}

// kind reads a token between CREATE and the object kind: a modifier's, or
// the kind, which decides whether the statement has a body.
func (b *body) kind(t *Token, r *Rules) {
	for len(b.rest) > 0 {
		switch b.modifier(t) {
		case modTook:
			return
		case modFailed:
			b.state = bodyPlain
			return
		}
	}
	switch {
	case t.Kind == Executable:
	case isOneOf(t, r.Bodies):
		b.state = bodyCompound
	default:
		for _, m := range r.Modifiers {
			if len(m) > 0 && matches(t, m[0]) {
				b.rest, b.acct = m[1:], acctName
				return
			}
		}
		b.state = bodyPlain
	}
}

type modStep uint8

const (
	modTook   modStep = iota // the token is the modifier's
	modEnded                 // the element ended before the token
	modFailed                // the token does not fit: no modifier, no body
)

// modifier reads t as the next element of the modifier being read.
func (b *body) modifier(t *Token) modStep {
	if el := b.rest[0]; el != Account {
		if !matches(t, el) {
			return modFailed
		}
		b.rest = b.rest[1:]
		return modTook
	}
	switch b.acct {
	case acctName:
		switch t.Kind {
		case Word, Ident, String, Number:
			b.acct = acctRead
			return modTook
		}
		return modFailed
	case acctParen:
		if t.IsOp(")") {
			b.acct = acctRead
			return modTook
		}
		return modFailed
	}
	switch {
	case t.IsOp("@"), t.IsOp("."):
		b.acct = acctName
		return modTook
	case t.IsOp("("):
		b.acct = acctParen
		return modTook
	}
	b.rest, b.acct = b.rest[1:], acctName
	return modEnded
}

// block follows the nesting of a body.
func (b *body) block(t *Token, afterDot bool, r *Rules) {
	if b.afterEnd {
		b.afterEnd = false
		switch {
		case isOneOf(t, r.BlockEnds):
			return
		case t.Is("CASE"):
			b.settle1()
			return
		}
		b.settle1()
	}
	if t.Kind != Word || afterDot {
		return
	}
	switch {
	case t.Is("BEGIN") || t.Is("CASE"):
		b.depth++
	case t.Is("END"):
		b.afterEnd = true
	}
}

// settle closes the block of an END that nothing followed.
func (b *body) settle() {
	if b.afterEnd {
		b.afterEnd = false
		b.settle1()
	}
}

func (b *body) settle1() {
	if b.depth > 0 {
		b.depth--
	}
}

// matches reports whether t is the element el of a modifier: one of the
// bare words el lists as "A|B", or else the operator el.
func matches(t *Token, el string) bool {
	if el == "" || !isWordStart(el[0]) {
		return t.IsOp(el)
	}
	if t.Kind != Word {
		return false
	}
	for {
		w, more, ok := strings.Cut(el, "|")
		if t.Is(w) {
			return true
		}
		if !ok {
			return false
		}
		el = more
	}
}

// isOneOf reports whether t is one of the bare words.
func isOneOf(t *Token, words []string) bool {
	for _, w := range words {
		if t.Is(w) {
			return true
		}
	}
	return false
}

// Decimal returns where the decimal literal that starts at src[i] ends:
// digits and dots, then an exponent when digits follow its "e".
func Decimal(src string, i int) int {
	j := i
	for j < len(src) && (isDigit(src[j]) || src[j] == '.') {
		j++
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			for j = k; j < len(src) && isDigit(src[j]); j++ {
			}
		}
	}
	return j
}

// in reports whether set holds c; the sets are a byte or two long.
func in(set string, c byte) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}

// at is src[i], or 0 past its end.
func at(src string, i int) byte {
	if i < len(src) {
		return src[i]
	}
	return 0
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWordStart(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// IsWordPart reports whether c continues a bare word: a letter, digit, _,
// $ or any byte of a multi-byte UTF-8 character.
func IsWordPart(c byte) bool { return isWordStart(c) || isDigit(c) }
