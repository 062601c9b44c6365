package testdb

import (
	"os"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
)

func TestSplitMySQL(t *testing.T) {
	src := "-- a comment\nSET @a = 1; # trailing\n" +
		"/*!50503 set default_storage_engine = InnoDB */;\n" +
		"SELECT 'a;b', \"c;d\", `e;f` FROM t -- x;\n;\n" +
		"DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN\n  SET NEW.a = 1;\n  SET NEW.b = 'it\\'s;';\nEND;;\nDELIMITER ;\n" +
		"/* block ; comment */\nDROP TABLE x"
	got, err := SplitMySQL(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Statement{
		{2, "SET @a = 1"},
		{3, "/*!50503 set default_storage_engine = InnoDB */"},
		{4, "SELECT 'a;b', \"c;d\", `e;f` FROM t"},
		{7, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN\n  SET NEW.a = 1;\n  SET NEW.b = 'it\\'s;';\nEND"},
		{13, "DROP TABLE x"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d statements: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("statement %d = %d %q, want %d %q", i, got[i].Line, got[i].SQL, want[i].Line, want[i].SQL)
		}
	}
	if _, err := SplitMySQL("SELECT 'open"); err == nil {
		t.Error("an unterminated string splits")
	}
}

func TestSkipped(t *testing.T) {
	for stmt, want := range map[string]bool{
		"DROP DATABASE IF EXISTS employees":                        true,
		"create schema sakila":                                     true,
		"USE `Chinook`":                                            true,
		"SELECT 'LOADING departments' as 'INFO'":                   true,
		"/*!50503 select CONCAT('storage engine: ', 1) as INFO */": true,
		"flush /*!50503 binary */ logs":                            true,
		"source load_departments.dump":                             true,
		"/*!50503 set default_storage_engine = InnoDB */":          false,
		"DROP TABLE IF EXISTS dept_emp":                            false,
		"CREATE TABLE t (id int)":                                  false,
	} {
		if got := Skipped(stmt); got != want {
			t.Errorf("Skipped(%q) = %v, want %v", stmt, got, want)
		}
	}
}

// TestSplitFixtures splits every MySQL fixture into the statements the
// fixtures README describes.
func TestSplitFixtures(t *testing.T) {
	tests := []struct {
		file        string
		run, create int // statements that run; CREATE statements among them
	}{
		// 16 tables, 3 triggers, 7 views, 3 procedures, 3 functions; 6 SETs.
		{"sakila/mysql-sakila-schema.sql", 38, 32},
		// 6 tables, 2 views; DROP TABLE IF EXISTS, set default_storage_engine.
		{"employees/employees.sql", 10, 8},
		// 11 tables, 11 indexes; 11 ALTER TABLE … ADD CONSTRAINT.
		{"chinook/Chinook_MySql.ddl.sql", 33, 22},
	}
	for _, tt := range tests {
		src, err := os.ReadFile(Fixture(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		stmts, err := SplitMySQL(string(src))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		run, create := 0, 0
		for _, s := range stmts {
			if Skipped(s.SQL) {
				continue
			}
			run++
			if strings.HasPrefix(mysql.ClassifyText(s.SQL).Verb, "CREATE") {
				create++
			}
		}
		if run != tt.run || create != tt.create {
			t.Errorf("%s: %d statements run, %d of them CREATE; want %d and %d", tt.file, run, create, tt.run, tt.create)
		}
	}
}
