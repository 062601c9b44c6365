package main

import (
	"context"
	"time"

	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

// dbFlags are the flags of every command that talks to a database through
// the migration directory.
type dbFlags struct {
	url          string
	dir          string
	versionTable string
	lockTimeout  time.Duration
}

func (f *dbFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.url, "url", envURL(), "database URL (default $SCHEMACTL_URL, then $DATABASE_URL)")
	cmd.Flags().StringVar(&f.dir, "dir", "migrations", "migration directory")
	cmd.Flags().StringVar(&f.versionTable, "version-table", "schemactl_version", "name of the version table")
	cmd.Flags().DurationVar(&f.lockTimeout, "lock-timeout", 10*time.Second, "how long to wait for another schemactl holding the migration lock")
}

// open connects and opens the migration directory.
func (f *dbFlags) open(ctx context.Context) (*engine, *executor.Executor, error) {
	e, err := openEngine(ctx, f.url)
	if err != nil {
		return nil, nil, err
	}
	dir, err := executor.OpenDir(f.dir)
	if err != nil {
		e.Close()
		return nil, nil, err
	}
	// Files are split and written with the engine's quoting rules (MySQL
	// strings take backslash escapes and # comments; SQLite's do not).
	dir.Lexer = e.lexer()
	return e, e.executor(dir, f.versionTable, f.lockTimeout), nil
}
