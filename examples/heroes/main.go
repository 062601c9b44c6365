// Command heroes is the application side of the heroes example: it writes and
// reads the hero table that schemactl manages, the way the SQLModel tutorial's
// app does. It knows nothing about migrations.
//
//	go run ./examples/heroes -db heroes.db create
//	go run ./examples/heroes -db heroes.db list
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"

	_ "modernc.org/sqlite"
)

func main() {
	path := flag.String("db", "heroes.db", "SQLite database file")
	flag.Parse()
	if err := run(context.Background(), *path, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "heroes:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, path, action string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	switch action {
	case "create":
		return createHeroes(ctx, db)
	case "list":
		return listHeroes(ctx, db)
	default:
		return fmt.Errorf("usage: heroes -db FILE create|list")
	}
}

// createHeroes inserts the three heroes of the tutorial.
func createHeroes(ctx context.Context, db *sql.DB) error {
	heroes := []struct {
		name, secret string
		age          any
	}{
		{"Deadpond", "Dive Wilson", nil},
		{"Spider-Boy", "Pedro Parqueador", nil},
		{"Rusty-Man", "Tommy Sharp", 48},
	}
	for _, h := range heroes {
		if _, err := db.ExecContext(ctx, "INSERT INTO hero (name, secret_name, age) VALUES (?, ?, ?)", h.name, h.secret, h.age); err != nil {
			return fmt.Errorf("insert %s: %w", h.name, err)
		}
	}
	fmt.Printf("created %d heroes\n", len(heroes))
	return nil
}

// listHeroes prints every row of hero with whatever columns the table has
// now, so the output shows a migration adding or removing one.
func listHeroes(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "SELECT * FROM hero ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fields := make([]string, len(cols))
		for i, v := range vals {
			s := "NULL"
			if v.Valid {
				s = v.String
			}
			fields[i] = cols[i] + "=" + s
		}
		fmt.Println(strings.Join(fields, " "))
	}
	return rows.Err()
}
