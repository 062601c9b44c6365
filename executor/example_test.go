package executor_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// Split reads a script with its engine's lexer: under MySQL's rules a
// backslash escapes a quote, # starts a comment, and DELIMITER lines (as
// mysqldump writes them around routines) are read, not sent.
func ExampleSplit() {
	script := `INSERT INTO t VALUES ('it\'s; fine'); # a comment
DELIMITER ;;
CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END;;
DELIMITER ;
SELECT 3;`
	stmts, err := executor.Split(script, mysql.New(mysql.Flavor{}))
	if err != nil {
		log.Fatal(err)
	}
	for _, st := range stmts {
		fmt.Printf("line %d: %s\n", st.Line, st.SQL)
	}
	// Output:
	// line 1: INSERT INTO t VALUES ('it\'s; fine')
	// line 3: CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END
	// line 5: SELECT 3
}

// An Executor runs a migration directory against a database: here a
// directory it writes itself, applied to a new SQLite file. (The engine
// package does this from a URL, with drift checks.)
func ExampleExecutor_Apply() {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	db, d, err := sqlite.Open(ctx, "sqlite://"+filepath.Join(tmp, "app.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	dir, err := executor.OpenDir(filepath.Join(tmp, "migrations"))
	if err != nil {
		log.Fatal(err)
	}
	dir.Lexer = d
	if _, err := dir.Write("heroes",
		[]executor.Statement{{SQL: "CREATE TABLE hero (id integer PRIMARY KEY, name text NOT NULL)"}},
		[]executor.Statement{{SQL: "DROP TABLE hero"}}); err != nil {
		log.Fatal(err)
	}
	ex := &executor.Executor{DB: db, Driver: d, Dir: dir}
	res, err := ex.Apply(ctx, executor.ApplyOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("from %q to %q: %d migration, %d statement\n", res.From, res.To, len(res.Migrations), res.Statements)
	// Output: from "" to "0001": 1 migration, 1 statement
}
