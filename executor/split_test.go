package executor_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// The dialects' lexers. A test row without one reads SQLite's quoting,
// which is standard SQL's.
var (
	mysqlLexer  executor.Lexer = mysql.New(mysql.Flavor{})
	sqliteLexer executor.Lexer = sqlite.New()
)

func lexerOr(lx executor.Lexer) executor.Lexer {
	if lx == nil {
		return sqliteLexer
	}
	return lx
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		lx   executor.Lexer
		src  string
		want []executor.Statement
	}{
		{
			name: "two statements with comments",
			src:  "-- make hero\nCREATE TABLE hero (id int);\n\n-- index it\n-- on name\nCREATE INDEX ix ON hero (id);\n",
			want: []executor.Statement{
				{Comment: "make hero", SQL: "CREATE TABLE hero (id int)", Line: 2},
				{Comment: "index it\non name", SQL: "CREATE INDEX ix ON hero (id)", Line: 6},
			},
		},
		{
			name: "blank line detaches a comment",
			src:  "-- about nothing\n\nSELECT 1;",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 3}},
		},
		{
			name: "semicolons inside quotes and comments",
			src:  "INSERT INTO t VALUES ('a;b', 'it''s;', \"c;d\", `e;f`, [g;h]) -- x;y\n;\nSELECT /* ; */ 2;",
			want: []executor.Statement{
				{SQL: "INSERT INTO t VALUES ('a;b', 'it''s;', \"c;d\", `e;f`, [g;h]) -- x;y", Line: 1},
				{SQL: "SELECT /* ; */ 2", Line: 3},
			},
		},
		{
			name: "two statements on one line and a trailing comment",
			src:  "SELECT 1; SELECT 2; -- done\nSELECT 3",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 1}, {SQL: "SELECT 2", Line: 1}, {SQL: "SELECT 3", Line: 2}},
		},
		{
			name: "empty statements and comment-only tails are dropped",
			src:  ";;\nSELECT 1;\n/* trailing */\n",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 2}},
		},
		{
			name: "sqlite trigger with CASE in its body",
			src:  "CREATE TRIGGER trg AFTER INSERT ON a BEGIN\n  UPDATE b SET x = CASE WHEN new.y THEN 1 ELSE 2 END;\n  DELETE FROM c;\nEND;\nSELECT 1;",
			want: []executor.Statement{
				{SQL: "CREATE TRIGGER trg AFTER INSERT ON a BEGIN\n  UPDATE b SET x = CASE WHEN new.y THEN 1 ELSE 2 END;\n  DELETE FROM c;\nEND", Line: 1},
				{SQL: "SELECT 1", Line: 5},
			},
		},
		{
			name: "temp trigger, lower case",
			src:  "create temp trigger if not exists t before delete on a begin select raise(abort, 'no;'); end;",
			want: []executor.Statement{{SQL: "create temp trigger if not exists t before delete on a begin select raise(abort, 'no;'); end", Line: 1}},
		},
		{
			name: "BEGIN on its own is a statement",
			src:  "BEGIN;\nCREATE TABLE x (a int);\nCOMMIT;",
			want: []executor.Statement{{SQL: "BEGIN", Line: 1}, {SQL: "CREATE TABLE x (a int)", Line: 2}, {SQL: "COMMIT", Line: 3}},
		},
		{
			name: "a column named like a keyword after a dot",
			src:  "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET v = new.end; END;",
			want: []executor.Statement{{SQL: "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET v = new.end; END", Line: 1}},
		},
		{
			name: "mysql procedure with nested blocks",
			lx:   mysqlLexer,
			src: "CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)\nBEGIN\n  IF n > 0 THEN SET @x = 1; END IF;\n  l: LOOP LEAVE l; END LOOP l;\n" +
				"  CASE n WHEN 1 THEN SET @y = 2; ELSE SET @y = 3; END CASE;\nEND;\nSELECT 2;",
			want: []executor.Statement{
				{SQL: "CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)\nBEGIN\n  IF n > 0 THEN SET @x = 1; END IF;\n  l: LOOP LEAVE l; END LOOP l;\n" +
					"  CASE n WHEN 1 THEN SET @y = 2; ELSE SET @y = 3; END CASE;\nEND", Line: 1},
				{SQL: "SELECT 2", Line: 7},
			},
		},
		{
			name: "mysql trigger without a body",
			lx:   mysqlLexer,
			src:  "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.b = 1;\nSELECT 1;",
			want: []executor.Statement{{SQL: "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.b = 1", Line: 1}, {SQL: "SELECT 1", Line: 2}},
		},
		{
			name: "mysql backslash escapes and hash comments",
			lx:   mysqlLexer,
			src:  "INSERT INTO t VALUES ('O\\'Brien; x', \"a\\\"b;\") # c;d\n;\nSELECT 1;",
			want: []executor.Statement{
				{SQL: "INSERT INTO t VALUES ('O\\'Brien; x', \"a\\\"b;\") # c;d", Line: 1},
				{SQL: "SELECT 1", Line: 3},
			},
		},
		{
			name: "mysql needs a blank after --",
			lx:   mysqlLexer,
			src:  "SELECT 1--1;\nSELECT 2 -- c;\n;",
			want: []executor.Statement{{SQL: "SELECT 1--1", Line: 1}, {SQL: "SELECT 2 -- c;", Line: 2}},
		},
		{
			name: "mysql trailing hash comment stays on its line",
			lx:   mysqlLexer,
			src:  "SELECT 1; # why\nSELECT 2; #\nSELECT 3;#x;y\nSELECT 4;",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 1}, {SQL: "SELECT 2", Line: 2}, {SQL: "SELECT 3", Line: 3}, {SQL: "SELECT 4", Line: 4}},
		},
		{
			name: "mysql trailing dash comments",
			lx:   mysqlLexer,
			src:  "SELECT 1; -- why\nSELECT 2; --\tc\nSELECT 3; --x\nSELECT 4;",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 1}, {SQL: "SELECT 2", Line: 2}, {SQL: "SELECT 3", Line: 3}, {SQL: "SELECT 4", Line: 4}},
		},
		{
			name: "mysql trailing hash comment under a DELIMITER",
			lx:   mysqlLexer,
			src:  "DELIMITER ;;\nSELECT 1;; # why;;\nSELECT 2;;\nDELIMITER ;\nSELECT 3; # done",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 2}, {SQL: "SELECT 2", Line: 3}, {SQL: "SELECT 3", Line: 5}},
		},
		{
			name: "sqlite trailing dash comment without a blank",
			src:  "SELECT 1; --why\nSELECT 2;",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 1}, {SQL: "SELECT 2", Line: 2}},
		},
		{
			// # is no comment to SQLite: the line is the next statement's.
			name: "sqlite hash after a statement is code",
			src:  "SELECT 1; # x\nSELECT 2;",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 1}, {SQL: "# x\nSELECT 2", Line: 1}},
		},
		{
			name: "sqlite keeps a trailing backslash in a string",
			src:  "INSERT INTO t VALUES ('C:\\'); SELECT 1;",
			want: []executor.Statement{{SQL: "INSERT INTO t VALUES ('C:\\')", Line: 1}, {SQL: "SELECT 1", Line: 1}},
		},
		{
			name: "multi-line string counts lines",
			src:  "INSERT INTO t VALUES ('a\nb\nc');\nSELECT 1;",
			want: []executor.Statement{{SQL: "INSERT INTO t VALUES ('a\nb\nc')", Line: 1}, {SQL: "SELECT 1", Line: 4}},
		},
		{
			name: "CRLF line endings",
			src:  "-- one\r\nSELECT 1;\r\n\r\n-- two\r\nSELECT 2;\r\n",
			want: []executor.Statement{{Comment: "one", SQL: "SELECT 1", Line: 2}, {Comment: "two", SQL: "SELECT 2", Line: 5}},
		},
		{
			name: "mysql executable comment is a statement",
			lx:   mysqlLexer,
			src:  "/*!40101 SET NAMES utf8 */;\n/* just a note */;",
			want: []executor.Statement{{SQL: "/*!40101 SET NAMES utf8 */", Line: 1}},
		},
		{
			name: "mysql DELIMITER script",
			lx:   mysqlLexer,
			src:  "-- make p\nDELIMITER ;;\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND ;;\nDELIMITER ;\nSELECT 2;",
			want: []executor.Statement{
				{Comment: "make p", SQL: "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND", Line: 3},
				{SQL: "SELECT 2", Line: 8},
			},
		},
		{
			name: "a DELIMITER line ends the statement before it",
			lx:   mysqlLexer,
			src:  "SELECT 1\nDELIMITER //\nSELECT 2//",
			want: []executor.Statement{{SQL: "SELECT 1", Line: 1}, {SQL: "SELECT 2", Line: 3}},
		},
		{
			// The lexer reads "--x" as code; the file format reads it as a
			// comment line, and the trigger after it still keeps its body.
			name: "mysql comment line without a blank",
			lx:   mysqlLexer,
			src:  "--x 'open\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.b = 1; SET NEW.c = 2; END;\nSELECT 'it''s';",
			want: []executor.Statement{
				{Comment: "x 'open", SQL: "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.b = 1; SET NEW.c = 2; END", Line: 2},
				{SQL: "SELECT 'it''s'", Line: 3},
			},
		},
		{
			name: "a DELIMITER stays in effect after such a line",
			lx:   mysqlLexer,
			src:  "DELIMITER ;;\n--x\nSELECT 1; SELECT 2;;\nDELIMITER ;\nSELECT 3;",
			want: []executor.Statement{
				{Comment: "x", SQL: "SELECT 1; SELECT 2", Line: 3},
				{SQL: "SELECT 3", Line: 5},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := executor.Split(tt.src, lexerOr(tt.lx))
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Split mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		name string
		lx   executor.Lexer
		src  string
		want string
	}{
		{"unterminated string", nil, "SELECT 1;\nSELECT 'abc;\n", "line 2: unterminated string"},
		{"unterminated identifier", nil, "SELECT `abc;", "line 1: unterminated quoted identifier"},
		{"unterminated double quote is an identifier in sqlite", nil, "\nSELECT \"abc;", "line 2: unterminated quoted identifier"},
		{"unterminated double quote is a string in mysql", mysqlLexer, "SELECT \"abc;", "line 1: unterminated string"},
		{"unterminated bracket", nil, "SELECT [abc;", "line 1: unterminated [identifier]"},
		{"unterminated comment", nil, "SELECT 1;\n\n/* abc", "line 3: unterminated /* comment"},
		{"unclosed trigger body", nil, "CREATE TRIGGER t AFTER INSERT ON a BEGIN\nDELETE FROM b;\n", "line 1: BEGIN block of the statement is not closed"},
		{"section marker", nil, "SELECT 1;\n-- +down\nSELECT 2;", "line 2: section marker"},
		{"mysql backslash hides the closing quote", mysqlLexer, "SELECT 'C:\\';", "line 1: unterminated string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := executor.Split(tt.src, lexerOr(tt.lx))
			if err == nil {
				t.Fatalf("Split succeeded, want error containing %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to start with %q", err, tt.want)
			}
		})
	}
}

// mysqldump is the shape of mysqldump output: executable comments, strings
// with backslash escapes, and routines and triggers between DELIMITER ;;
// lines.
const mysqldump = `-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: sakila
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table ` + "`film`" + `
--

DROP TABLE IF EXISTS ` + "`film`" + `;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE ` + "`film`" + ` (
  ` + "`film_id`" + ` smallint unsigned NOT NULL AUTO_INCREMENT,
  ` + "`title`" + ` varchar(128) NOT NULL DEFAULT 'it\'s; a -- title',
  PRIMARY KEY (` + "`film_id`" + `)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES ` + "`film`" + ` WRITE;
/*!40000 ALTER TABLE ` + "`film`" + ` DISABLE KEYS */;
INSERT INTO ` + "`film`" + ` VALUES (1,'A \"quoted\"; title'),(2,'#not a comment');
/*!40000 ALTER TABLE ` + "`film`" + ` ENABLE KEYS */;
UNLOCK TABLES;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=` + "`root`@`localhost`" + `*/ /*!50003 TRIGGER ` + "`ins_film`" + ` AFTER INSERT ON ` + "`film`" + ` FOR EACH ROW BEGIN
    INSERT INTO film_text (film_id, title) VALUES (new.film_id, new.title);
  END */;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
DELIMITER ;;
CREATE DEFINER=` + "`root`@`localhost`" + ` PROCEDURE ` + "`film_in_stock`" + `(IN p_film_id INT, OUT p_film_count INT)
    READS SQL DATA
BEGIN
     SELECT COUNT(*) FROM inventory WHERE film_id = p_film_id INTO p_film_count;
     IF p_film_count > 0 THEN
       SET p_film_count = p_film_count; -- keep
     END IF;
END ;;
DELIMITER ;
`

// TestSplitMysqldump splits mysqldump output into the statements the mysql
// client would send, and Format writes them back (with ";" and no
// DELIMITER) so that they split the same again.
func TestSplitMysqldump(t *testing.T) {
	lx := mysqlLexer
	stmts, err := executor.Split(mysqldump, lx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range stmts {
		got = append(got, fmt.Sprintf("%d %s", st.Line, firstLine(st.SQL)))
	}
	want := []string{
		"5 /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */",
		"6 /*!40101 SET NAMES utf8mb4 */",
		"7 /*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */",
		"13 DROP TABLE IF EXISTS `film`",
		"14 /*!40101 SET @saved_cs_client     = @@character_set_client */",
		"15 CREATE TABLE `film` (",
		"20 /*!40101 SET character_set_client = @saved_cs_client */",
		"22 LOCK TABLES `film` WRITE",
		"23 /*!40000 ALTER TABLE `film` DISABLE KEYS */",
		`24 INSERT INTO ` + "`film`" + ` VALUES (1,'A \"quoted\"; title'),(2,'#not a comment')`,
		"25 /*!40000 ALTER TABLE `film` ENABLE KEYS */",
		"26 UNLOCK TABLES",
		"27 /*!50003 SET @saved_sql_mode       = @@sql_mode */",
		"29 /*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `ins_film` AFTER INSERT ON `film` FOR EACH ROW BEGIN",
		"33 /*!50003 SET sql_mode              = @saved_sql_mode */",
		"35 CREATE DEFINER=`root`@`localhost` PROCEDURE `film_in_stock`(IN p_film_id INT, OUT p_film_count INT)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("statements (-want +got):\n%s", diff)
	}
	if last := stmts[len(stmts)-1].SQL; !strings.HasSuffix(last, "     END IF;\nEND") {
		t.Errorf("the procedure ends %q", last[max(0, len(last)-30):])
	}
	if c := stmts[0].Comment; c != "MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n\nHost: localhost    Database: sakila\n------------------------------------------------------" {
		t.Errorf("first comment = %q", c)
	}
	joined := join(stmts, lx)
	again, err := executor.Split(joined, lx)
	if err != nil {
		t.Fatalf("Split(Format): %v\n%s", err, joined)
	}
	if diff := cmp.Diff(stmts, again, ignoreLines); diff != "" {
		t.Errorf("Split(Format(Split(dump))) (-first +again):\n%s", diff)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
