package main

import (
	"context"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/schema"
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
	cmd.Flags().DurationVar(&f.lockTimeout, "lock-timeout", engine.DefaultLockTimeout, "how long to wait for another schemactl holding the migration lock")
}

// target is the engine target the flags name.
func (f *dbFlags) target() engine.Target {
	return engine.Target{URL: f.url, Dir: f.dir, VersionTable: f.versionTable, LockTimeout: f.lockTimeout}
}

// open connects to the database and opens the migration directory.
func (f *dbFlags) open(ctx context.Context) (*engine.Engine, error) {
	if f.url == "" {
		return nil, engine.ErrNoDatabase
	}
	return engine.Open(ctx, f.target())
}

// dialectFlag is --dialect of the commands that read a migration directory
// without a database: the engine its hand-written files are written for,
// when no file records it (files plan writes do, in -- dialect:).
type dialectFlag struct{ value string }

func (f *dialectFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.value, "dialect", "", "sqlite or mysql: how to read migration files that do not record it (default: what the files record, else sqlite)")
}

func (f *dialectFlag) get() (schema.Dialect, error) {
	if f.value == "" {
		return "", nil
	}
	return engine.ParseDialect(f.value)
}
