package executor_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/schema/sqltext"
)

// FuzzParse: Parse never panics, and what it accepts Format writes back in a
// form that parses to the same migration, byte-stable from then on.
// Seeds: testdata/fuzz/FuzzParse and the files of testdata/parse.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "parse", "*.sql"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := executor.Parse("0001_fuzz.sql", data, sqlite.New())
		if err != nil {
			if !strings.HasPrefix(err.Error(), "0001_fuzz.sql") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		checkStatements(t, m.Up)
		checkStatements(t, m.Down)
		out := executor.Format(m, sqlite.New())
		back, err := executor.Parse("0001_fuzz.sql", out, sqlite.New())
		if err != nil {
			t.Fatalf("Format output does not parse: %v\n%s", err, out)
		}
		if diff := cmp.Diff(m, back, ignoreLines, ignoreChecksum, cmp.AllowUnexported(executor.Migration{})); diff != "" {
			t.Fatalf("Parse(Format(m)) != m (-m +back):\n%s\nformatted:\n%s", diff, out)
		}
		if again := executor.Format(back, sqlite.New()); string(again) != string(out) {
			t.Fatalf("Format is not stable:\n%s\nthen\n%s", out, again)
		}
	})
}

// FuzzSplit: Split never panics, its statements are trimmed and non-empty,
// and joining them again splits into the same statements.
// Seeds: testdata/fuzz/FuzzSplit.
func FuzzSplit(f *testing.F) {
	f.Add("CREATE TABLE a (b int); -- c\nINSERT INTO a VALUES ('x;y');", false)
	f.Add("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; END;", false)
	f.Add("INSERT INTO t VALUES ('O\\'Brien;'); # x;\nSELECT 1", true)
	f.Add("DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END;;\nDELIMITER ;\nSELECT 2;", true)
	f.Add("DELIMITER $$\nSELECT 1; SELECT 2$$\n--x\nSELECT 3$$", true)
	f.Fuzz(func(t *testing.T, src string, mysql bool) {
		lx := sqliteLexer
		if mysql {
			lx = mysqlLexer
		}
		stmts, err := executor.Split(src, lx)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		checkStatements(t, stmts)
		if !writable(stmts, lx) {
			return
		}
		joined := join(stmts, lx)
		again, err := executor.Split(joined, lx)
		if err != nil {
			t.Fatalf("joined statements do not split: %v\n%s", err, joined)
		}
		if diff := cmp.Diff(stmts, again, ignoreLines); diff != "" {
			t.Fatalf("Split(join(s)) != s (-s +again):\n%s\njoined:\n%s", diff, joined)
		}
	})
}

// writable reports whether statements can be written with ";" after each:
// one that a DELIMITER let hold a ";" of its own, or an unbalanced BEGIN,
// cannot (Dir.Write refuses it when it reads the file back).
func writable(stmts []executor.Statement, lx executor.Lexer) bool {
	for _, st := range stmts {
		sc := lx.Scanner(st.SQL)
		for sc.Scan() {
			if k := sc.Token().Kind; k == sqltext.End || k == sqltext.Command {
				return false
			}
		}
		if sc.Err() != nil {
			return false
		}
	}
	return true
}

var ignoreLines = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Line" }, cmp.Ignore())

func checkStatements(t *testing.T, stmts []executor.Statement) {
	t.Helper()
	line := 0
	for i, st := range stmts {
		if st.SQL == "" || st.SQL != strings.TrimSpace(st.SQL) {
			t.Fatalf("statement %d is empty or untrimmed: %q", i+1, st.SQL)
		}
		if st.Line < 1 || st.Line < line {
			t.Fatalf("statement %d has line %d after line %d", i+1, st.Line, line)
		}
		line = st.Line
	}
}

// join writes statements the way Format writes a section.
func join(stmts []executor.Statement, lx executor.Lexer) string {
	m := &executor.Migration{Version: "0001", Up: stmts, Irreversible: true}
	out := string(executor.Format(m, lx))
	return out[strings.Index(out, "-- +up\n")+len("-- +up\n"):]
}
