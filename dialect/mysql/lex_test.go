package mysql_test

import (
	"slices"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/sqltexttest"
)

var lexTests = []sqltexttest.TokenTest{
	{Name: "minus minus is no comment without a blank", Src: "SELECT 1--1", Want: "word(SELECT) number(1) op(-) op(-) number(1)"},
	{Name: "dash comment before a blank", Src: "SELECT 1 -- c\nx", Want: "word(SELECT) number(1) comment(-- c) newline(\n) word(x)"},
	{Name: "dash comment before a tab", Src: "1 --\tc", Want: "number(1) comment(--\tc)"},
	{Name: "dash comment at the end", Src: "1 --", Want: "number(1) comment(--)"},
	{Name: "dash comment before a newline", Src: "1 --\n2", Want: "number(1) comment(--) newline(\n) number(2)"},
	{Name: "hash comment", Src: "1 # c;\n2", Want: "number(1) comment(# c;) newline(\n) number(2)"},
	{Name: "block comment", Src: "1 /* ; */ 2", Want: "number(1) comment(/* ; */) number(2)"},
	{Name: "executable comments", Src: "/*!40101 SET x */ /*! y */ /*M!100100 z */ /*+ hint */", Want: "executable(/*!40101 SET x */) executable(/*! y */) executable(/*M!100100 z */) comment(/*+ hint */)"},
	{Name: "strings", Src: `'it''s' 'a\'b' "x\"y" "" '\n\%'`, Want: `string('it''s'=it's) string('a\'b'=a'b) string("x\"y"=x"y) string(""=) string('\n\%'=` + "\n" + `\%)`},
	{Name: "double quotes are a string", Src: `SELECT "a" FROM t`, Want: `word(SELECT) string("a"=a) word(FROM) word(t)`},
	{Name: "quoted names", Src: "`a``b` `c`.`d`", Want: "ident(`a``b`=a`b) ident(`c`=c) op(.) ident(`d`=d)"},
	{Name: "brackets are no names", Src: "[a]", Want: "op([) word(a) op(])"},
	{Name: "hex and bit literals", Src: "x'0A' X'0a' b'01' B'1' 0x1F 0b10 0X1", Want: "blob(x'0A') blob(X'0a') blob(b'01') blob(B'1') blob(0x1F) blob(0b10) word(0X1)"},
	{Name: "introducers", Src: "_utf8mb4'x' _latin1 'y' N'z'", Want: "word(_utf8mb4) string('x'=x) word(_latin1) string('y'=y) word(N) string('z'=z)"},
	{Name: "numbers", Src: "1 1abc 1e5 1e+5 .5 1.2 1ea", Want: "number(1) word(1abc) number(1e5) number(1e+5) number(.5) number(1.2) word(1ea)"},
	{Name: "operators", Src: "a<=>b->>'$'<>c:=d&&e||f!=g", Want: "word(a) op(<=>) word(b) op(->>) string('$'=$) op(<>) word(c) op(:=) word(d) op(&&) word(e) op(||) word(f) op(!=) word(g)"},
	{Name: "variables", Src: "@a := @@session.x", Want: "op(@) word(a) op(:=) op(@) op(@) word(session) op(.) word(x)"},
	{Name: "statement ends", Src: "SELECT 1; SELECT 2;", Want: "word(SELECT) number(1) end(;) word(SELECT) number(2) end(;)"},
	{Name: "delimiter", Src: "DELIMITER ;;\nSELECT 1;;\ndelimiter ;\nSELECT 2;", Want: "command(DELIMITER ;;) newline(\n) word(SELECT) number(1) end(;;) newline(\n) command(delimiter ;) newline(\n) word(SELECT) number(2) end(;)"},
	{Name: "a delimiter cuts a word", Src: "DELIMITER $$\nSELECT a$$ SELECT 1;$$", Want: "command(DELIMITER $$) newline(\n) word(SELECT) word(a) end($$) word(SELECT) number(1) op(;) end($$)"},
	{Name: "delimiter only starts a line", Src: "SELECT delimiter FROM t;\n  DELIMITER //\nx//", Want: "word(SELECT) word(delimiter) word(FROM) word(t) end(;) newline(\n) command(DELIMITER //) newline(\n) word(x) end(//)"},
	{Name: "no delimiter inside strings", Src: "DELIMITER ;;\nSELECT ';;' ;;", Want: "command(DELIMITER ;;) newline(\n) word(SELECT) string(';;'=;;) end(;;)"},
	{Name: "a quoted delimiter", Src: "DELIMITER '$'\nSELECT 1$", Want: "command(DELIMITER '$') newline(\n) word(SELECT) number(1) end($)"},
}

func TestLex(t *testing.T) { sqltexttest.CheckTokens(t, mysql.Lex, lexTests) }

var statementTests = []sqltexttest.StatementTest{
	{
		Name: "trigger body",
		Src:  "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; SET NEW.y = 2; END; SELECT 1",
		Want: []string{"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; SET NEW.y = 2; END", "SELECT 1"},
	},
	{
		Name: "trigger without a body",
		Src:  "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1; SELECT 1",
		Want: []string{"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1", "SELECT 1"},
	},
	{
		Name: "blocks of a procedure",
		Src: "CREATE DEFINER=`root`@`%` PROCEDURE p(n INT) BEGIN IF n THEN SELECT 1; END IF; CASE n WHEN 1 THEN SELECT 2; END CASE; " +
			"l: LOOP LEAVE l; END LOOP l; WHILE n DO SET n = 0; END WHILE; REPEAT SET n = 1; UNTIL n END REPEAT; " +
			"FOR i IN 1..3 DO SELECT i; END FOR; SELECT CASE WHEN n THEN 1 END; END; SELECT 3",
		Want: []string{"CREATE DEFINER=`root`@`%` PROCEDURE p(n INT) BEGIN IF n THEN SELECT 1; END IF; CASE n WHEN 1 THEN SELECT 2; END CASE; " +
			"l: LOOP LEAVE l; END LOOP l; WHILE n DO SET n = 0; END WHILE; REPEAT SET n = 1; UNTIL n END REPEAT; " +
			"FOR i IN 1..3 DO SELECT i; END FOR; SELECT CASE WHEN n THEN 1 END; END", "SELECT 3"},
	},
	{
		Name: "event with a body",
		Src:  "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END;\nSELECT 1",
		Want: []string{"CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END", "SELECT 1"},
	},
	{
		Name: "BEGIN on its own is a statement",
		Src:  "BEGIN; INSERT INTO a VALUES (1); COMMIT;",
		Want: []string{"BEGIN", "INSERT INTO a VALUES (1)", "COMMIT"},
	},
	{
		Name: "a column named end",
		Src:  "CREATE TRIGGER t AFTER UPDATE ON a FOR EACH ROW BEGIN UPDATE b SET v = NEW.end; END; SELECT 1",
		Want: []string{"CREATE TRIGGER t AFTER UPDATE ON a FOR EACH ROW BEGIN UPDATE b SET v = NEW.end; END", "SELECT 1"},
	},
	{
		Name: "a table with a column named trigger",
		Src:  "CREATE TABLE t (a int, `trigger` int, b int); SELECT 1",
		Want: []string{"CREATE TABLE t (a int, `trigger` int, b int)", "SELECT 1"},
	},
	{
		Name: "no body tracking under a custom delimiter",
		Src:  "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END;;\nDELIMITER ;\nSELECT 2;",
		Want: []string{"CREATE PROCEDURE p() BEGIN SELECT 1; END", "SELECT 2"},
	},
	{
		Name: "mysqldump trigger in executable comments",
		Src:  "DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `t` BEFORE INSERT ON `a` FOR EACH ROW BEGIN\n  SET NEW.b = 1;\nEND */;;\nDELIMITER ;\n",
		Want: []string{"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `t` BEFORE INSERT ON `a` FOR EACH ROW BEGIN\n  SET NEW.b = 1;\nEND */"},
	},
}

// bodyTests: only the object kind after CREATE and its modifiers opens a
// BEGIN … END body. EVENT and FUNCTION are not reserved, so tables, indexes
// and views may be named so; TRIGGER and PROCEDURE may name them after a
// dot. Every form here is one MariaDB accepts.
var bodyTests = []sqltexttest.StatementTest{
	{
		Name: "definer current_user",
		Src:  "CREATE DEFINER = CURRENT_USER PROCEDURE p() BEGIN SELECT 1; SELECT 2; END; SELECT 3",
		Want: []string{"CREATE DEFINER = CURRENT_USER PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", "SELECT 3"},
	},
	{
		Name: "definer current_user()",
		Src:  "CREATE DEFINER=CURRENT_USER() FUNCTION f() RETURNS int BEGIN DECLARE x int; RETURN x; END; SELECT 3",
		Want: []string{"CREATE DEFINER=CURRENT_USER() FUNCTION f() RETURNS int BEGIN DECLARE x int; RETURN x; END", "SELECT 3"},
	},
	{
		Name: "definer as strings, trigger on a table named event",
		Src:  "CREATE DEFINER = 'app'@'%' TRIGGER t BEFORE INSERT ON event FOR EACH ROW BEGIN SET NEW.id = 1; SET NEW.begin = NULL; END; SELECT 3",
		Want: []string{"CREATE DEFINER = 'app'@'%' TRIGGER t BEFORE INSERT ON event FOR EACH ROW BEGIN SET NEW.id = 1; SET NEW.begin = NULL; END", "SELECT 3"},
	},
	{
		Name: "bare definer, event named event",
		Src:  "CREATE DEFINER=root@localhost EVENT event ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM event; DELETE FROM function; END; SELECT 3",
		Want: []string{"CREATE DEFINER=root@localhost EVENT event ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM event; DELETE FROM function; END", "SELECT 3"},
	},
	{
		Name: "definer host as an address or a dotted name",
		Src:  "CREATE DEFINER = root@127.0.0.1 PROCEDURE p() BEGIN SELECT 1; END; CREATE DEFINER = root@db.example PROCEDURE q() BEGIN SELECT 2; END; SELECT 3",
		Want: []string{"CREATE DEFINER = root@127.0.0.1 PROCEDURE p() BEGIN SELECT 1; END", "CREATE DEFINER = root@db.example PROCEDURE q() BEGIN SELECT 2; END", "SELECT 3"},
	},
	{
		Name: "definer as names, procedure named function",
		Src:  "CREATE DEFINER = `root`@`%` PROCEDURE `function`() BEGIN SELECT 1; END; CREATE DEFINER = app PROCEDURE p() BEGIN SELECT 2; END; SELECT 3",
		Want: []string{"CREATE DEFINER = `root`@`%` PROCEDURE `function`() BEGIN SELECT 1; END", "CREATE DEFINER = app PROCEDURE p() BEGIN SELECT 2; END", "SELECT 3"},
	},
	{
		Name: "or replace aggregate function",
		Src: "CREATE OR REPLACE DEFINER = `root`@`%` AGGREGATE FUNCTION agg(x int) RETURNS int BEGIN DECLARE n int DEFAULT 0; " +
			"DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN n; LOOP FETCH GROUP NEXT ROW; SET n = n + x; END LOOP; END; SELECT 3",
		Want: []string{"CREATE OR REPLACE DEFINER = `root`@`%` AGGREGATE FUNCTION agg(x int) RETURNS int BEGIN DECLARE n int DEFAULT 0; " +
			"DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN n; LOOP FETCH GROUP NEXT ROW; SET n = n + x; END LOOP; END", "SELECT 3"},
	},
	{
		Name: "or replace trigger, lower case",
		Src:  "create or replace trigger t after update on function for each row begin update event set id = new.id; end; select 3",
		Want: []string{"create or replace trigger t after update on function for each row begin update event set id = new.id; end", "select 3"},
	},
	{
		Name: "definer in an executable comment",
		Src:  "CREATE /*!50017 DEFINER=`root`@`localhost`*/ TRIGGER t BEFORE DELETE ON event FOR EACH ROW BEGIN SET @x = 1; SET @y = 2; END; SELECT 3",
		Want: []string{"CREATE /*!50017 DEFINER=`root`@`localhost`*/ TRIGGER t BEFORE DELETE ON event FOR EACH ROW BEGIN SET @x = 1; SET @y = 2; END", "SELECT 3"},
	},
	{
		Name: "table named event with columns named begin, end and case",
		Src:  "CREATE TABLE event (id int primary key, end date, `case` int, begin date);\nSELECT 1",
		Want: []string{"CREATE TABLE event (id int primary key, end date, `case` int, begin date)", "SELECT 1"},
	},
	{
		Name: "table named function",
		Src:  "CREATE TABLE function (id int, begin int); SELECT 1",
		Want: []string{"CREATE TABLE function (id int, begin int)", "SELECT 1"},
	},
	{
		Name: "tables named trigger and procedure after a dot",
		Src:  "CREATE TABLE app.trigger (id int, begin date); CREATE TABLE app.procedure (begin int); SELECT 1",
		Want: []string{"CREATE TABLE app.trigger (id int, begin date)", "CREATE TABLE app.procedure (begin int)", "SELECT 1"},
	},
	{
		Name: "index on event",
		Src:  "CREATE INDEX i ON event (begin); SELECT 1",
		Want: []string{"CREATE INDEX i ON event (begin)", "SELECT 1"},
	},
	{
		Name: "index named function",
		Src:  "CREATE UNIQUE INDEX function ON t (begin); SELECT 1",
		Want: []string{"CREATE UNIQUE INDEX function ON t (begin)", "SELECT 1"},
	},
	{
		Name: "view named function",
		Src:  "CREATE VIEW function AS SELECT begin FROM event; SELECT 1",
		Want: []string{"CREATE VIEW function AS SELECT begin FROM event", "SELECT 1"},
	},
	{
		Name: "view with every modifier",
		Src:  "CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'app'@'%' SQL SECURITY INVOKER VIEW event AS SELECT begin, CASE WHEN 1 THEN 2 END FROM t; SELECT 1",
		Want: []string{"CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'app'@'%' SQL SECURITY INVOKER VIEW event AS SELECT begin, CASE WHEN 1 THEN 2 END FROM t", "SELECT 1"},
	},
}

func TestLexStatements(t *testing.T) {
	sqltexttest.CheckStatements(t, mysql.Lex, statementTests)
	sqltexttest.CheckStatements(t, mysql.Lex, bodyTests)
}

func TestLexErrors(t *testing.T) {
	sqltexttest.CheckErrors(t, mysql.Lex, []sqltexttest.ErrorTest{
		{Src: "SELECT 1;\nSELECT 'abc;\n", Line: 2, Msg: "unterminated string"},
		{Src: "SELECT \"abc", Line: 1, Msg: "unterminated string"},
		{Src: "SELECT 'C:\\';", Line: 1, Msg: "unterminated string"},
		{Src: "SELECT `abc", Line: 1, Msg: "unterminated quoted identifier"},
		{Src: "\n\nSELECT /* abc", Line: 3, Msg: "unterminated /* comment"},
		{Src: "SELECT x'0A", Line: 1, Msg: "unterminated literal"},
		{Src: "SELECT 1;\nCREATE PROCEDURE p()\nBEGIN\nSELECT 1;\n", Line: 2, Msg: "BEGIN block of the statement is not closed"},
		{Src: "DELIMITER \n", Line: 1, Msg: "DELIMITER needs a delimiter without a backslash"},
	})
}

// FuzzLex: Lex never panics, and its tokens cover the input exactly, in
// order, at their offsets and lines, failing or not.
func FuzzLex(f *testing.F) {
	sqltexttest.Fuzz(f, mysql.Lex, lexTests, slices.Concat(statementTests, bodyTests))
}
