// Command embedded is an application that migrates its own SQLite database
// at start-up, from migrations built into the program with go:embed:
//
//	go run ./examples/embedded tasks.db
//
// It applies whatever the database lacks and prints the version it is at.
// The migrations in migrations/ were written by schemactl plan from
// schema.hcl; the program needs no schemactl binary to apply them.
package main

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/schemactl/schemactl/engine"

	_ "modernc.org/sqlite" // the application's own database driver
)

//go:embed migrations/*.sql migrations/schemactl.sum
var files embed.FS

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: embedded DATABASE_FILE")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embedded:", err)
		os.Exit(1)
	}
}

// run opens the database as the application does, hands its pool to the
// engine with the embedded migrations, and applies them.
func run(ctx context.Context, path string, out io.Writer) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	migrations, err := fs.Sub(files, "migrations")
	if err != nil {
		return err
	}
	e, err := engine.Open(ctx, engine.Target{
		DB:      db,
		Dialect: engine.SQLite,
		FS:      migrations,
		// Replicas starting together wait for the one that migrates.
		LockTimeout: time.Minute,
	})
	if err != nil {
		return err
	}
	defer e.Close()
	res, err := e.Apply(ctx, engine.ApplyOptions{
		// A rollback to an older build of this program must still start
		// on the database a newer build migrated further.
		AllowAhead: true,
	})
	if err != nil {
		return err
	}
	switch {
	case res.Ahead:
		fmt.Fprintf(out, "database %s is at %s, ahead of this build's migrations; nothing to apply\n", path, res.To)
	case len(res.Migrations) == 0:
		fmt.Fprintf(out, "database %s is at %s; nothing to apply\n", path, res.To)
	default:
		fmt.Fprintf(out, "database %s is at %s; applied %d migrations\n", path, res.To, len(res.Migrations))
	}
	return nil
}
