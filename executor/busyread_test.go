package executor_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// TestReadsWaitForWriter: the reads a run makes before it takes the lock
// (version, format, last run) go through the application's pool, whose
// connections may have no busy_timeout (examples/embedded opens
// "file:PATH"). While another process holds the database's write lock
// they wait for it, up to the lock timeout, and then say that it is
// locked, instead of failing at once with SQLITE_BUSY.
func TestReadsWaitForWriter(t *testing.T) {
	ctx := context.Background()
	reads := []struct {
		name string
		read func(e *executor.Executor) error
	}{
		{"apply", func(e *executor.Executor) error { _, err := e.Apply(ctx, executor.ApplyOptions{}); return err }},
		{"dry run", func(e *executor.Executor) error {
			_, err := e.Apply(ctx, executor.ApplyOptions{DryRun: true})
			return err
		}},
		{"status", func(e *executor.Executor) error { _, err := e.Status(ctx); return err }},
		{"current", func(e *executor.Executor) error { _, err := e.Current(ctx); return err }},
		{"history", func(e *executor.Executor) error { _, err := e.History(ctx); return err }},
	}
	for _, tc := range reads {
		name, read := tc.name, tc.read
		for _, released := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "/held", true: "/released"}[released], func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "app.db")
				d := heroDir(t, 2)
				setup := &executor.Executor{DB: openDB(t, path), Driver: sqlite.New(), Dir: d}
				if _, err := setup.Apply(ctx, executor.ApplyOptions{To: "1"}); err != nil {
					t.Fatal(err)
				}
				e := &executor.Executor{DB: appPool(t, path, sqliteSettings{CacheSize: -2000}), Driver: sqlite.New(), Dir: d}

				// An EXCLUSIVE transaction keeps every other connection
				// from reading, as a commit does for a moment.
				holder, err := setup.DB.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer holder.Close()
				if _, err := holder.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
					t.Fatal(err)
				}
				defer holder.ExecContext(ctx, "ROLLBACK")
				if !released {
					e.LockTimeout = 50 * time.Millisecond
					if err := read(e); !errors.Is(err, executor.ErrLocked) {
						t.Errorf("%s while another process writes: %v, want ErrLocked after waiting", name, err)
					}
					return
				}
				// The writer finishes while the read waits (the read
				// starts at once; the writer ends a little later, and a
				// read that does not wait fails).
				e.LockTimeout = time.Minute
				done := make(chan error, 1)
				go func() { done <- read(e) }()
				time.Sleep(100 * time.Millisecond)
				if _, err := holder.ExecContext(ctx, "ROLLBACK"); err != nil {
					t.Fatal(err)
				}
				if err := <-done; err != nil {
					t.Errorf("%s while another process wrote: %v", name, err)
				}
			})
		}
	}
}
