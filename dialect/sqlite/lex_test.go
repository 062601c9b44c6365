package sqlite_test

import (
	"slices"
	"testing"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/internal/sqltexttest"
)

var lexTests = []sqltexttest.TokenTest{
	{Name: "dash comment anywhere", Src: "SELECT 1--1\n2", Want: "word(SELECT) number(1) comment(--1) newline(\n) number(2)"},
	{Name: "no hash comments", Src: "1 # c", Want: "number(1) op(#) word(c)"},
	{Name: "block comment", Src: "1 /* ; */ 2", Want: "number(1) comment(/* ; */) number(2)"},
	{Name: "no executable comments", Src: "/*!40101 SET x */", Want: "comment(/*!40101 SET x */)"},
	{Name: "strings without backslash escapes", Src: `'it''s' 'C:\' ''`, Want: `string('it''s'=it's) string('C:\'=C:\) string(''=)`},
	{Name: "quoted names", Src: "\"a\"\"b\" `c` [d e] \"\"", Want: "ident(\"a\"\"b\"=a\"b) ident(`c`=c) ident([d e]=d e) ident(\"\"=)"},
	{Name: "blobs and numbers", Src: "x'0A' X'0a' 0x1F 0X1f b'01' 1e5 .5 1abc", Want: "blob(x'0A') blob(X'0a') number(0x1F) number(0X1f) word(b) string('01'=01) number(1e5) number(.5) number(1) word(abc)"},
	{Name: "operators", Src: "a||b<=c==d!=e<>f->>'$'", Want: "word(a) op(||) word(b) op(<=) word(c) op(==) word(d) op(!=) word(e) op(<>) word(f) op(->>) string('$'=$)"},
	{Name: "parameters", Src: "?1 :a @b $c", Want: "op(?) number(1) op(:) word(a) op(@) word(b) word($c)"},
	{Name: "no DELIMITER command", Src: "DELIMITER ;;", Want: "word(DELIMITER) end(;) end(;)"},
}

func TestLex(t *testing.T) { sqltexttest.CheckTokens(t, sqlite.Lex, lexTests) }

var statementTests = []sqltexttest.StatementTest{
	{
		Name: "trigger with CASE in its body",
		Src:  "CREATE TRIGGER trg AFTER INSERT ON a BEGIN\n  UPDATE b SET x = CASE WHEN new.y THEN 1 ELSE 2 END;\n  DELETE FROM c;\nEND;\nSELECT 1;",
		Want: []string{"CREATE TRIGGER trg AFTER INSERT ON a BEGIN\n  UPDATE b SET x = CASE WHEN new.y THEN 1 ELSE 2 END;\n  DELETE FROM c;\nEND", "SELECT 1"},
	},
	{
		Name: "temp trigger, lower case",
		Src:  "create temp trigger if not exists t before delete on a begin select raise(abort, 'no;'); end; select 2",
		Want: []string{"create temp trigger if not exists t before delete on a begin select raise(abort, 'no;'); end", "select 2"},
	},
	{
		Name: "BEGIN on its own is a statement",
		Src:  "BEGIN; CREATE TABLE x (a int); COMMIT;",
		Want: []string{"BEGIN", "CREATE TABLE x (a int)", "COMMIT"},
	},
	{
		Name: "a column named end after a dot",
		Src:  "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET v = new.end; END; SELECT 1",
		Want: []string{"CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET v = new.end; END", "SELECT 1"},
	},
	{
		Name: "a table named like a trigger",
		Src:  "CREATE TABLE \"trigger\" (a); SELECT [begin]; SELECT 1",
		Want: []string{"CREATE TABLE \"trigger\" (a)", "SELECT [begin]", "SELECT 1"},
	},
}

// bodyTests: only the object kind after CREATE [TEMP | TEMPORARY] opens a
// BEGIN … END body; SQLite lets trigger, begin and end name tables and
// columns. Every form here is one SQLite accepts.
var bodyTests = []sqltexttest.StatementTest{
	{
		Name: "temporary trigger named function",
		Src:  "CREATE TEMPORARY TRIGGER IF NOT EXISTS function AFTER INSERT ON trigger BEGIN DELETE FROM procedure; SELECT CASE WHEN new.begin THEN 1 END; END; SELECT 3",
		Want: []string{"CREATE TEMPORARY TRIGGER IF NOT EXISTS function AFTER INSERT ON trigger BEGIN DELETE FROM procedure; SELECT CASE WHEN new.begin THEN 1 END; END", "SELECT 3"},
	},
	{
		Name: "temp trigger named event",
		Src:  "CREATE TEMP TRIGGER event BEFORE DELETE ON procedure BEGIN SELECT 1; SELECT 2; END; SELECT 3",
		Want: []string{"CREATE TEMP TRIGGER event BEFORE DELETE ON procedure BEGIN SELECT 1; SELECT 2; END", "SELECT 3"},
	},
	{
		Name: "trigger named procedure in a schema",
		Src:  "CREATE TRIGGER IF NOT EXISTS main.procedure AFTER UPDATE ON procedure BEGIN SELECT 1; END; SELECT 3",
		Want: []string{"CREATE TRIGGER IF NOT EXISTS main.procedure AFTER UPDATE ON procedure BEGIN SELECT 1; END", "SELECT 3"},
	},
	{
		Name: "table named trigger with columns named end and begin",
		Src:  "CREATE TABLE trigger (end, begin); SELECT 1",
		Want: []string{"CREATE TABLE trigger (end, begin)", "SELECT 1"},
	},
	{
		Name: "temp tables named event and function",
		Src:  "CREATE TEMP TABLE event (begin, end); CREATE TEMPORARY TABLE function (x, begin); SELECT 1",
		Want: []string{"CREATE TEMP TABLE event (begin, end)", "CREATE TEMPORARY TABLE function (x, begin)", "SELECT 1"},
	},
	{
		Name: "index named event on trigger",
		Src:  "CREATE INDEX event ON trigger (begin); SELECT 1",
		Want: []string{"CREATE INDEX event ON trigger (begin)", "SELECT 1"},
	},
	{
		Name: "views named trigger and function",
		Src:  "CREATE VIEW trigger AS SELECT a AS begin FROM t; CREATE TEMP VIEW function AS SELECT CASE WHEN begin THEN 1 END FROM trigger; SELECT 1",
		Want: []string{"CREATE VIEW trigger AS SELECT a AS begin FROM t", "CREATE TEMP VIEW function AS SELECT CASE WHEN begin THEN 1 END FROM trigger", "SELECT 1"},
	},
}

func TestLexStatements(t *testing.T) {
	sqltexttest.CheckStatements(t, sqlite.Lex, statementTests)
	sqltexttest.CheckStatements(t, sqlite.Lex, bodyTests)
}

func TestLexErrors(t *testing.T) {
	sqltexttest.CheckErrors(t, sqlite.Lex, []sqltexttest.ErrorTest{
		{Src: "SELECT 1;\nSELECT 'abc;\n", Line: 2, Msg: "unterminated string"},
		{Src: "\nSELECT \"abc;", Line: 2, Msg: "unterminated quoted identifier"},
		{Src: "SELECT `abc", Line: 1, Msg: "unterminated quoted identifier"},
		{Src: "SELECT [abc", Line: 1, Msg: "unterminated [identifier]"},
		{Src: "SELECT 1;\n\n/* abc", Line: 3, Msg: "unterminated /* comment"},
		{Src: "SELECT x'0A", Line: 1, Msg: "unterminated literal"},
		{Src: "CREATE TRIGGER t AFTER INSERT ON a BEGIN\nDELETE FROM b;\n", Line: 1, Msg: "BEGIN block of the statement is not closed"},
	})
}

// FuzzLex: Lex never panics, and its tokens cover the input exactly, in
// order, at their offsets and lines, failing or not.
func FuzzLex(f *testing.F) {
	sqltexttest.Fuzz(f, sqlite.Lex, lexTests, slices.Concat(statementTests, bodyTests))
}
