package executor_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/schema"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name    string
		dialect schema.Dialect
		src     string
		want    []executor.Statement
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
			name:    "mysql procedure with nested blocks",
			dialect: schema.MySQL,
			src: "CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)\nBEGIN\n  IF n > 0 THEN SET @x = 1; END IF;\n  l: LOOP LEAVE l; END LOOP l;\n" +
				"  CASE n WHEN 1 THEN SET @y = 2; ELSE SET @y = 3; END CASE;\nEND;\nSELECT 2;",
			want: []executor.Statement{
				{SQL: "CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)\nBEGIN\n  IF n > 0 THEN SET @x = 1; END IF;\n  l: LOOP LEAVE l; END LOOP l;\n" +
					"  CASE n WHEN 1 THEN SET @y = 2; ELSE SET @y = 3; END CASE;\nEND", Line: 1},
				{SQL: "SELECT 2", Line: 7},
			},
		},
		{
			name:    "mysql trigger without a body",
			dialect: schema.MySQL,
			src:     "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.b = 1;\nSELECT 1;",
			want:    []executor.Statement{{SQL: "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.b = 1", Line: 1}, {SQL: "SELECT 1", Line: 2}},
		},
		{
			name:    "mysql backslash escapes and hash comments",
			dialect: schema.MySQL,
			src:     "INSERT INTO t VALUES ('O\\'Brien; x', \"a\\\"b;\") # c;d\n;\nSELECT 1;",
			want: []executor.Statement{
				{SQL: "INSERT INTO t VALUES ('O\\'Brien; x', \"a\\\"b;\") # c;d", Line: 1},
				{SQL: "SELECT 1", Line: 3},
			},
		},
		{
			name:    "mysql needs a blank after --",
			dialect: schema.MySQL,
			src:     "SELECT 1--1;\nSELECT 2 -- c;\n;",
			want:    []executor.Statement{{SQL: "SELECT 1--1", Line: 1}, {SQL: "SELECT 2 -- c;", Line: 2}},
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
			src:  "/*!40101 SET NAMES utf8 */;\n/* just a note */;",
			want: []executor.Statement{{SQL: "/*!40101 SET NAMES utf8 */", Line: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := executor.Split(tt.src, tt.dialect)
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
		name    string
		dialect schema.Dialect
		src     string
		want    string
	}{
		{"unterminated string", "", "SELECT 1;\nSELECT 'abc;\n", "line 2: unterminated string"},
		{"unterminated identifier", "", "SELECT `abc;", "line 1: unterminated quoted identifier"},
		{"unterminated double quote is an identifier in sqlite", "", "\nSELECT \"abc;", "line 2: unterminated quoted identifier"},
		{"unterminated double quote is a string in mysql", schema.MySQL, "SELECT \"abc;", "line 1: unterminated string"},
		{"unterminated bracket", "", "SELECT [abc;", "line 1: unterminated [identifier]"},
		{"unterminated comment", "", "SELECT 1;\n\n/* abc", "line 3: unterminated /* comment"},
		{"unclosed trigger body", "", "CREATE TRIGGER t AFTER INSERT ON a BEGIN\nDELETE FROM b;\n", "line 1: BEGIN block of the statement is not closed"},
		{"section marker", "", "SELECT 1;\n-- +down\nSELECT 2;", "line 2: section marker"},
		{"mysql backslash hides the closing quote", schema.MySQL, "SELECT 'C:\\';", "line 1: unterminated string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := executor.Split(tt.src, tt.dialect)
			if err == nil {
				t.Fatalf("Split succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "executor: ") {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}
